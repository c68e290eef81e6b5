"""The browse pages in a real browser: charts drawn, no exception box, screenshots, links
with query parameters. The axe-core scan of every page is in test_accessibility.py."""

from __future__ import annotations

import itertools
import re

import pytest

from testsupport.browser import HTML_TABLE, wait_for_app

# Översikt is the default page, which Streamlit serves at the root (its url_path is unused).
PAGES = {
    "": "Översikt",
    "fokusomraden": "Fokusområden",
    "aktiviteter": "Aktiviteter per period",
    "trender": "Trender sedan 2007",
}


def _open(page, server, path: str) -> None:
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)


@pytest.fixture(scope="module", autouse=True)
def _first_session_at_the_root(demo_server, browser):
    """Open the root once before the tests deep-link into a page.

    Streamlit 1.67 quirk, seen with a pages/ folder beside app.py: the very first session of
    a fresh server that starts at /<page> runs that page script without app.py (old-style
    sidebar, no wide layout). Every later session is routed through app.py as it should be.
    """
    page = browser.new_page()
    page.goto(demo_server.url)
    wait_for_app(page)
    page.close()


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "oversikt")
def test_page_draws_its_charts_without_errors(page, demo_server, artifacts_dir, path):
    _open(page, demo_server, f"{path}?ar=2021&period=3")
    page.screenshot(path=str(artifacts_dir / f"browse-{path or 'oversikt'}.png"))
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    assert charts.count() >= 1
    for index in range(charts.count()):
        charts.nth(index).scroll_into_view_if_needed()
        assert charts.nth(index).locator("svg.marks").is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_role("heading", name=PAGES[path], exact=True).first.is_visible()
    # No horizontal scrolling at 1280×720.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_link_with_query_parameters_opens_that_year_and_tertial(page, demo_server):
    _open(page, demo_server, "?ar=2019&period=2")
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("Fokusområden, T2 maj–aug 2019").is_visible()
    assert main.get_by_role("heading", name=re.compile("2019")).first.is_visible()
    assert "ar=2019" in page.url and "period=2" in page.url


def test_chart_axes_use_swedish_decimal_commas(page, demo_server):
    _open(page, demo_server, "?ar=2021&period=3")
    text = page.locator('[data-testid="stVegaLiteChart"] svg').first.text_content()
    assert re.search(r"\d,\d\s%", text), text


# ---------------------------------------------------------------- tables (issue 10)

XSS = ["<img src=x onerror=alert(1)>", "[x](javascript:alert(1))", "**bold**"]
CELL_FITS = """cell => [...cell.querySelectorAll('*')].concat([cell])
    .every(e => e.scrollWidth <= e.clientWidth && getComputedStyle(e).textOverflow !== 'ellipsis'
        || getComputedStyle(e).overflow === 'visible')"""


def _longest_title(demo_template) -> tuple[int, str]:
    from sqlalchemy import func, select

    from db import make_engine
    from db.models import Activity, Promise

    engine = make_engine(f"sqlite:///{demo_template}")
    with engine.connect() as conn:
        row = conn.execute(
            select(Promise.year_from, Activity.title)
            .join(Promise)
            .order_by(func.length(Activity.title).desc())
        ).first()
    engine.dispose()
    return row.year_from, row.title


def _matrix_cells(page, column: str):
    table = page.locator(HTML_TABLE).first
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    index = headers.index(column) + 1
    return table.locator(f"tbody tr td:nth-child({index})")


def test_the_longest_activity_title_is_whole_in_the_matrix_at_1920(
    browser, demo_server, demo_template, artifacts_dir
):
    year, title = _longest_title(demo_template)
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
    page.goto(demo_server.url)
    wait_for_app(page)
    page.goto(f"{demo_server.url}/aktiviteter?ar={year}")
    wait_for_app(page)
    page.screenshot(path=str(artifacts_dir / "aktiviteter-1920.png"))
    cells = _matrix_cells(page, "Aktivitet")
    cell = cells.filter(has_text=title[:30]).first
    assert cell.inner_text().strip() == title
    assert cell.evaluate(CELL_FITS)
    box = cell.bounding_box()
    assert box["x"] + box["width"] <= 1920
    page.close()


@pytest.fixture(scope="module")
def hostile_server(start_server, demo_template, tmp_path_factory):
    """A server whose 2021 activities and focus areas carry markup as their names."""
    import shutil

    from sqlalchemy import select, update

    from db import make_engine
    from db.models import Activity, FocusArea, Promise

    path = tmp_path_factory.mktemp("hostile") / "demo.sqlite3"
    shutil.copy(demo_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        ids = conn.scalars(
            select(Activity.id).join(Promise).where(Promise.year_from == 2021).order_by(Activity.id)
        ).all()
        for activity_id, text in zip(ids, XSS, strict=False):
            conn.execute(update(Activity).where(Activity.id == activity_id).values(title=text))
        area = conn.scalar(select(Activity.focus_area_id).where(Activity.id == ids[0]))
        conn.execute(update(FocusArea).where(FocusArea.id == area).values(name=XSS[2]))
    engine.dispose()
    return start_server(f"sqlite:///{path}")


def test_stored_markup_stays_text_in_the_tables(browser, hostile_server):
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(hostile_server.url)
    wait_for_app(page)
    page.goto(f"{hostile_server.url}/aktiviteter?ar=2021")
    wait_for_app(page)
    table = page.locator(HTML_TABLE).first
    shown = [t.strip() for t in _matrix_cells(page, "Aktivitet").all_inner_texts()]
    assert shown[: len(XSS)] == XSS
    assert XSS[2] in [t.strip() for t in _matrix_cells(page, "Fokusområde").all_inner_texts()]
    assert table.locator("img, a, strong, em, script").count() == 0
    assert not dialogs
    page.close()


BAR_LABEL_BOXES = """() => [...document.querySelectorAll(
    '[data-testid="stVegaLiteChart"] svg.marks g.layer_1_marks text')]
    .map(t => { const b = t.getBoundingClientRect(); return [t.textContent, b.left, b.right]; })"""


@pytest.mark.parametrize("query", ["", "?mote=1"], ids=["vanligt", "motesläge"])
def test_trend_bar_labels_do_not_touch_in_chromium(page, demo_server, query):
    # The demo has equal neighbours (2023 and 2024: 71 %), drawn as "71,4 %71,4 %" before.
    _open(page, demo_server, f"trender{query}")
    boxes = page.evaluate(BAR_LABEL_BOXES)
    assert len(boxes) >= 19
    for (text, _, right), (_, left, _) in itertools.pairwise(sorted(boxes, key=lambda b: b[1])):
        assert left - right >= 1, (text, right, left)
