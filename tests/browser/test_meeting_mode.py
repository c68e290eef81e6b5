"""Meeting mode (issue 10) in Chromium at 1920×1080, the projector of a steering group:
20 px text, 18 px chart text, the sidebar collapsed, every focus area on the first screen,
and ``?mote=1`` kept when the user changes page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard import queries
from db import make_engine
from testsupport.browser import wait_for_app

PROJECTOR = {"width": 1920, "height": 1080}
# The demo year with the most focus areas (four), its last tertial.
YEAR, TERTIAL = 2025, 3
# Font size (px) of every element in the main area that holds text itself, charts aside.
TEXT_SIZES = """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(e => !e.closest('svg') && e.getClientRects().length
        && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .map(e => [e.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(e).fontSize)])"""
CHART_SIZES = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text')]
    .filter(t => t.textContent.trim())
    .map(t => [t.textContent.trim(), parseFloat(getComputedStyle(t).fontSize)])"""
SIDEBAR_SHUT = """() => {
    const bar = document.querySelector('[data-testid="stSidebar"]');
    return bar.getAttribute('aria-expanded') === 'false'
        || (bar.dataset.collapsed === 'true' && bar.getBoundingClientRect().width < 1);
}"""


@pytest.fixture(scope="module")
def projector(browser, demo_server):
    """A 1920×1080 Swedish browser context that has opened the root once (see test_browse)."""
    context = browser.new_context(viewport=PROJECTOR, locale="sv-SE")
    first = context.new_page()
    first.goto(demo_server.url)
    wait_for_app(first)
    first.close()
    yield context
    context.close()


@pytest.fixture
def screen(projector):
    page = projector.new_page()
    yield page
    page.close()


def _focus_areas(demo_template) -> list[str]:
    engine = make_engine(f"sqlite:///{demo_template}")
    with engine.connect() as conn:
        names = queries.load_focus_areas(conn, YEAR, partnership="0486")["name"].to_list()
    engine.dispose()
    return names


def test_oversikt_in_meeting_mode_fits_a_projector(
    screen, demo_server, demo_template, artifacts_dir
):
    screen.goto(f"{demo_server.url}/?ar={YEAR}&period={TERTIAL}&mote=1")
    wait_for_app(screen)
    screen.wait_for_function(SIDEBAR_SHUT)
    screen.screenshot(path=str(artifacts_dir / "meeting-oversikt-1920.png"))

    small = [(text, size) for text, size in screen.evaluate(TEXT_SIZES) if size < 20]
    assert not small, small
    chart_small = [(text, size) for text, size in screen.evaluate(CHART_SIZES) if size < 18]
    assert not chart_small, chart_small

    names = _focus_areas(demo_template)
    assert len(names) == 4
    main = screen.locator('[data-testid="stMain"]')
    for name in names:
        card = main.locator(".mb-card").filter(  # the cards' HTML block (issue 15)
            has=screen.get_by_role("heading", name=name, exact=True)
        )
        box = card.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"], (name, box)
        assert box["x"] + box["width"] <= PROJECTOR["width"], (name, box)


def test_the_button_turns_meeting_mode_on_and_it_stays_on_across_pages(screen, demo_server):
    screen.goto(f"{demo_server.url}/trender?ar={YEAR}")
    wait_for_app(screen)
    assert "mote=" not in screen.url
    sidebar = screen.locator('[data-testid="stSidebar"]')
    assert sidebar.bounding_box()["width"] > 100
    screen.get_by_role("button", name="Mötesläge", exact=True).click()
    expect(screen).to_have_url(re.compile(r"[?&]mote=1"))
    expect(screen.get_by_role("button", name="Avsluta mötesläge")).to_be_visible()
    screen.wait_for_function(SIDEBAR_SHUT)
    wait_for_app(screen)

    # Open the sidebar by hand and change page: meeting mode follows.
    screen.locator('[data-testid="stExpandSidebarButton"]').click()
    screen.get_by_role("link", name="Aktiviteter per period").click()
    expect(screen.get_by_role("heading", name="Aktiviteter per period")).to_be_visible()
    wait_for_app(screen)
    expect(screen).to_have_url(re.compile(r"/aktiviteter\?.*mote=1"))
    small = [(text, size) for text, size in screen.evaluate(TEXT_SIZES) if size < 20]
    assert not small, small
