"""The deployment recipe in a real browser (issue 15): nginx in front of three app processes on
one PostgreSQL, everything through the proxy.

deploy/nginx-medborgarloften.conf itself is used (testsupport/proxy.py changes only its ports). Two
browsers are put on different processes by their route cookie (nginx names the process that
answered in X-Upstream); one logs in, saves an evaluation, downloads a chart's CSV and a
template and uploads it on Administration; the other, on another process, sees the save.
Skips only where nginx is missing and DASHBOARD_REQUIRE_BROWSER is unset.
"""

from __future__ import annotations

import os
import re
import uuid

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from dashboard.admin.users import NewUser, create_user
from db import demo, make_engine, migrate
from testsupport import proxy
from testsupport.apptest import TEST_COOKIE_KEY
from testsupport.browser import log_in, wait_for_app
from testsupport.databases import POSTGRES_URL, postgres_admin, scratch_database, skip_postgres

ADMIN = NewUser("ada", "Ada Admin", "ada@example.se", "admin", national=True)
PASSWORD = "Ada-har-ett-bra-losenord"


def _demo_with_admin(url: str) -> None:
    """Migrate ``url``, load the demo and add ``ADMIN``."""
    engine = make_engine(url)
    migrate.upgrade(engine)
    demo.load(engine)
    with Session(engine) as session, session.begin():
        create_user(session, ADMIN, PASSWORD, PASSWORD, by="test")
    engine.dispose()


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    if proxy.nginx_binary() is None:
        if os.environ.get("DASHBOARD_REQUIRE_BROWSER") == "1":
            pytest.fail("nginx is required (DASHBOARD_REQUIRE_BROWSER=1) but missing")
        pytest.skip("Debian's nginx is not installed (apt-get install nginx)")
    admin = postgres_admin(POSTGRES_URL)
    if admin is None:
        skip_postgres("PostgreSQL does not answer")
    env = {"DASHBOARD_COOKIE_KEY": TEST_COOKIE_KEY, "DASHBOARD_DEMO_MODE": "1"}
    try:
        with scratch_database(admin, f"dash_proxy_{uuid.uuid4().hex[:12]}") as url:
            _demo_with_admin(url)
            env["DASHBOARD_DATABASE_URL"] = url
            with proxy.proxied(env, work=tmp_path_factory.mktemp("proxy")) as running:
                yield running
    finally:
        admin.dispose()


def _routes_on_two_processes(running: proxy.Proxy) -> tuple[str, str]:
    """Two route cookies that nginx sends to different app processes."""
    seen: dict[str, str] = {}
    for number in range(50):
        route = f"test-{number}"
        upstream = running.upstream_for(route)
        if seen and upstream not in seen.values():
            return next(iter(seen)), route
        seen.setdefault(route, upstream)
    raise AssertionError(f"every route went to one process: {seen}")


def _browser_on(browser, running: proxy.Proxy, route: str):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="sv-SE")
    host = running.url.removeprefix("http://").split(":")[0]
    context.add_cookies([{"name": proxy.ROUTE_COOKIE, "value": route, "domain": host,
                          "path": "/"}])  # fmt: skip
    return context


def _open(page, url: str) -> str:
    """Go to ``url`` through the proxy; the process that answered (X-Upstream)."""
    response = page.goto(url)
    assert response is not None and response.ok
    wait_for_app(page, charts=False)
    return response.headers["x-upstream"]


def _activity(page) -> str:
    """The activity the entry form is for (the "Aktivitet" choice)."""
    return page.get_by_role("combobox", name="Aktivitet").first.input_value()


def test_through_the_proxy(browser, deployed, artifacts_dir):
    route_a, route_b = _routes_on_two_processes(deployed)
    one, other = _browser_on(browser, deployed, route_a), _browser_on(browser, deployed, route_b)
    try:
        page = one.new_page()
        # Pages draw, and a browser without the cookie would have been given one.
        upstream_a = _open(page, deployed.url)
        expect(page.locator('[data-testid="stVegaLiteChart"] svg.marks').first).to_be_visible()
        assert page.locator('[data-testid="stException"]').count() == 0
        # Login works through the websocket, which stays on the process of the page.
        log_in(page, ADMIN.username, PASSWORD, ADMIN.display_name)
        # A save on this process...
        note = f"Sparad via proxyn {uuid.uuid4().hex[:8]}"
        assert _open(page, f"{deployed.url}/registrera") == upstream_a
        activity = _activity(page)
        assert activity and activity != "Aktivitet"
        form = page.locator('[data-testid="stForm"]').first
        status = form.get_by_label("Status").first
        status.scroll_into_view_if_needed()  # a select cut by the window's edge closes its list
        status.click()
        page.get_by_role("option", name=re.compile("Pågår")).click()
        form.get_by_label("Klart (%)").fill("40")
        form.get_by_label("Kommentar", exact=True).fill(note)
        form.get_by_role("button", name="Spara", exact=True).click()
        expect(page.get_by_text("Sparat: 1 utvärdering.")).to_be_visible()
        page.screenshot(path=str(artifacts_dir / "proxy-saved.png"))
        # ...is seen by a session on another process.
        seen = other.new_page()
        upstream_b = _open(seen, deployed.url)
        assert upstream_b != upstream_a
        log_in(seen, ADMIN.username, PASSWORD, ADMIN.display_name)
        assert _open(seen, f"{deployed.url}/registrera") == upstream_b
        if _activity(seen) != activity:  # the same activity, whichever the page offers first
            seen.get_by_role("combobox", name="Aktivitet").first.click()
            seen.get_by_role("option", name=activity, exact=True).click()
            wait_for_app(seen, charts=False)
        form = seen.locator('[data-testid="stForm"]').first
        seen.screenshot(path=str(artifacts_dir / "proxy-other-process.png"))
        expect(form.get_by_label("Kommentar", exact=True)).to_have_value(note)
        # A download: the chart data the process made under /media/ reaches this browser.
        _open(page, f"{deployed.url}/export?ar=2021&period=3")
        page.locator(".st-key-ladda-ner-fokusomraden").get_by_role("button").click()
        row = page.locator(".st-key-nedladdning-fokusomraden")
        with page.expect_download(timeout=60_000) as download:
            row.get_by_role("button", name="CSV").click()
        assert "Fokusområde".encode() in download.value.path().read_bytes()
        # An upload: Administration's import template, downloaded and sent back.
        _open(page, f"{deployed.url}/administration")
        page.get_by_role("tab", name="Import").click()
        with page.expect_download() as template:
            page.get_by_role("button", name="Ladda ner mall (.csv)").click()
        saved = artifacts_dir / template.value.suggested_filename  # the uploader checks the type
        template.value.save_as(saved)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(saved)
        # The process that drew the uploader received the file and read its one row: the
        # template's example row is for a year without a promise, so it is refused, row named.
        expect(page.get_by_text("Inget importerades: 1 fel på 1 rad.")).to_be_visible()
        page.screenshot(path=str(artifacts_dir / "proxy-upload.png"))
    finally:
        one.close()
        other.close()
