"""The browse pages in a real browser: charts drawn, no exception box, screenshots, links
with query parameters. The axe-core scan of every page is in test_accessibility.py."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import wait_for_app

# Översikt is the default page, which Streamlit serves at the root (its url_path is unused).
PAGES = {
    "": "Översikt",
    "fokusomraden": "Fokusområden",
    "aktiviteter": "Aktiviteter per tertial",
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
    _open(page, demo_server, f"{path}?ar=2021&tertial=3")
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
    _open(page, demo_server, "?ar=2019&tertial=2")
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text("Fokusområden, T2 (maj–aug) 2019").is_visible()
    assert main.get_by_role("heading", name=re.compile("2019")).first.is_visible()
    assert "ar=2019" in page.url and "tertial=2" in page.url


def test_chart_axes_use_swedish_decimal_commas(page, demo_server):
    _open(page, demo_server, "?ar=2021&tertial=3")
    text = page.locator('[data-testid="stVegaLiteChart"] svg').first.text_content()
    assert re.search(r"\d,\d\s%", text), text
