"""The citizens' page and its static file in Chromium (issue 13): open with no login while
every other page needs one, axe-core finds no violation at all, headings in order, readable
at 320 px and at 400 % zoom, and the downloaded file needs no network and no script."""

from __future__ import annotations

import datetime as dt
import itertools
import re
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.access import Actor
from dashboard.publication import service
from db import make_engine
from db.models import Evaluation, Period, Promise
from testsupport.browser import wait_for_app

ADMIN = Actor.of("ada", ["admin"])
TYPED = "<b>fet</b> *kursiv* [länk](https://example.org)"
INTERNAL = "Internt: mötet ställdes in"


@pytest.fixture(scope="module")
def public_server(start_server, demo_template, tmp_path_factory):
    """A server with every page behind the login, on a demo database where a national admin
    published 2021 T3 (one public line with HTML and markdown in it) and 2019 T3."""
    from testsupport.builders import make_user

    path = tmp_path_factory.mktemp("public") / "public.sqlite3"
    shutil.copy(demo_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as s, s.begin():
        make_user(s, "ada", ("admin", None))
        for year in (2021, 2019):
            promise = s.scalar(select(Promise).where(Promise.year_from == year))
            t3 = s.scalar(
                select(Period).where(Period.promise_id == promise.id, Period.code == "T3")
            )
            evaluation = s.scalar(select(Evaluation).where(Evaluation.period_id == t3.id))
            evaluation.public_line, evaluation.comment = TYPED, INTERNAL
            s.flush()
            content = service.preview(s, ADMIN, promise.id, t3.id, contact="Ring 0152-290 00",
                                      today=dt.date(2026, 12, 1))  # fmt: skip
            service.publish(s, ADMIN, promise.id, t3.id, contact="Ring 0152-290 00",
                            previewed=content, today=dt.date(2026, 12, 1))  # fmt: skip
        promise_2021 = s.scalar(select(Promise.id).where(Promise.year_from == 2021))
    engine.dispose()
    server = start_server(f"sqlite:///{path}", DASHBOARD_REQUIRE_LOGIN="1")
    server.promise_2021 = promise_2021
    return server


def _violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {' '.join(n['target'])} {n['html'][:120]}"
        for v in results.response["violations"]
        for n in v["nodes"]
    ]


def _open(page, server, query: str = "kommun=0486"):
    page.goto(f"{server.url}/medborgare?{query}")
    wait_for_app(page, charts=False)


def test_the_public_page_needs_no_login_and_names_no_other_page(page, public_server):
    _open(page, public_server)
    main = page.locator('[data-testid="stMain"]')
    expect(main.get_by_role("heading", level=1)).to_have_text(
        "Medborgarlöften i Strängnäs kommun: så gick det"
    )
    expect(main.get_by_text("Uppföljning T3 2021").first).to_be_visible()
    # The article is drawn after the list that links to it: wait for it, then read the page.
    expect(main.locator("article").first).to_contain_text(TYPED)  # HTML and markdown stay text
    body = page.locator("body").inner_text()
    assert INTERNAL not in body
    for other in ("Översikt", "Registrera", "Administration", "Logga in", "Användarnamn"):
        assert other not in body
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    # Every other page still asks for a login.
    page.goto(f"{public_server.url}/trender")
    wait_for_app(page, charts=False)
    expect(page.get_by_label("Användarnamn").first).to_be_visible()


def test_axe_finds_no_violation_on_the_public_page(page, public_server, artifacts_dir):
    _open(page, public_server, f"kommun=0486&lofte={public_server.promise_2021}&period=T3-2021")
    expect(page.get_by_text("Uppföljning T3 2021").first).to_be_visible()
    found = _violations(page)
    (artifacts_dir / "axe-medborgare.txt").write_text("\n".join(found) + "\n")
    assert not found, found
    levels = _headings(page.locator('[data-testid="stMain"]'))
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), levels
    # 320 px wide (what 400 % zoom of a 1280 px window gives): nothing scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 640})
    expect(page.get_by_text("Uppföljning T3 2021").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path=str(artifacts_dir / "medborgare-320.png"), full_page=True)


def _headings(page) -> list[int]:
    return page.locator("h1, h2, h3, h4, h5, h6").evaluate_all(
        "nodes => nodes.filter(n => n.offsetParent !== null).map(n => Number(n.tagName[1]))"
    )


def test_the_static_file_is_self_contained_accessible_and_readable_narrow(
    page, public_server, artifacts_dir, tmp_path
):
    _open(page, public_server)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("button", name=re.compile("Ladda ner som HTML-fil")).click()
    path = tmp_path / "medborgarlofte.html"
    download.value.save_as(path)
    html = path.read_text(encoding="utf-8")
    assert '<html lang="sv">' in html and "<script" not in html.lower()
    # Nothing to fetch: no source, stylesheet, font or import (links to the sources are
    # plain anchors, fetched only when a reader follows them).
    assert not re.search(r"\bsrc=|<link\b|url\(|@import", html, re.IGNORECASE)
    assert INTERNAL not in html and "&lt;b&gt;fet&lt;/b&gt;" in html
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path.as_uri())
    assert [r for r in requests if not r.startswith("file:")] == []
    levels = _headings(page)
    assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert page.evaluate("document.documentElement.scrollWidth") <= 320  # no sideways scrolling
    found = _violations(page)
    (artifacts_dir / "axe-medborgare-fil.txt").write_text("\n".join(found) + "\n")
    assert not found, found
    # 400 % zoom of a 1280 px window is a 320 CSS px layout: the same check as above.
    page.set_viewport_size({"width": 1280, "height": 720})
    page.evaluate("document.body.style.zoom = '400%'")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280 * 1.01
    page.screenshot(path=str(artifacts_dir / "medborgare-fil-400.png"))
    page.emulate_media(media="print")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
