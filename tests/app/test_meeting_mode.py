"""Meeting mode (issue 10) in AppTest: the button, ``?mote=1`` kept across pages, chart fonts
of 18 px or more, and Översikt's one-line promise header before the cards."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from testsupport.apptest import BROWSE_PAGES, headings, open_page, texts

FONT_KEYS = ("labelFontSize", "titleFontSize", "fontSize", "subtitleFontSize")


def button(at):
    return at.button(key="mote_knapp")


def meeting_on(at) -> bool:
    """The mode the page shows, as the button says it."""
    label = button(at).label
    assert label in ("Mötesläge", "Avsluta mötesläge"), label
    return label == "Avsluta mötesläge"


def chart_font_sizes(at) -> list[float]:
    """Every font size a page's charts set: config (axes, legend, title, text) and marks."""
    sizes = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key in FONT_KEYS and isinstance(value, int | float):
                    sizes.append(value)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for chart in at.get("vega_lite_chart"):
        walk(json.loads(chart.proto.spec))
    return sizes


def stylesheets(at) -> list[str]:
    """The style-only st.html blocks (the HTML blocks carry a stylesheet of their own)."""
    bodies = [e.proto.body.strip() for e in at.get("html")]
    return [b for b in bodies if b.startswith("<style>") and b.endswith("</style>")]


@pytest.mark.parametrize("page", list(BROWSE_PAGES))
def test_every_browse_page_has_the_meeting_button_off_by_default(app_env, page):
    at = open_page(page, ar="2021", period="3")
    assert button(at).label == "Mötesläge" and not meeting_on(at)
    assert "mote" not in at.query_params
    assert not stylesheets(at)
    assert min(chart_font_sizes(at)) < 18  # the ordinary pages keep their usual sizes


def test_mote_1_turns_meeting_mode_on_and_it_survives_every_page_switch(app_env):
    at = open_page("oversikt", ar="2021", period="3", mote="1")
    for page in BROWSE_PAGES:
        if page != "oversikt":
            at.switch_page(f"pages/{page}.py").run()  # a page switch empties the address
        assert not at.exception, page
        assert meeting_on(at), page
        assert at.query_params["mote"] == "1", page
        assert len(stylesheets(at)) == 1 and "font-size: 20px" in stylesheets(at)[0], page
        sizes = chart_font_sizes(at)
        assert sizes and min(sizes) >= 18, (page, sorted(set(sizes)))


def test_the_button_switches_meeting_mode_off_and_on_and_the_address_follows(app_env):
    at = open_page("trender", mote="1")
    button(at).click().run()
    assert not meeting_on(at) and "mote" not in at.query_params
    assert not stylesheets(at)
    at.switch_page("pages/oversikt.py").run()
    assert not meeting_on(at) and "mote" not in at.query_params
    button(at).click().run()
    assert meeting_on(at) and at.query_params["mote"] == "1"
    assert len(stylesheets(at)) == 1
    at.run()  # a rerun without a click keeps the mode
    assert meeting_on(at) and at.query_params["mote"] == "1"


def _sidebar_state_script():
    import streamlit as st

    from dashboard import meeting_ui

    st.session_state["state"] = meeting_ui.sidebar_state()


@pytest.mark.parametrize(("params", "state"), [({}, "expanded"), ({"mote": "1"}, "collapsed")])
def test_the_page_config_collapses_the_sidebar_in_meeting_mode(params, state):
    at = AppTest.from_function(_sidebar_state_script)
    for key, value in params.items():
        at.query_params[key] = value
    assert at.run().session_state["state"] == state


def test_oversikt_in_meeting_mode_puts_the_promise_in_one_line_before_the_cards(app_env):
    from dashboard import queries
    from db import make_engine

    engine = make_engine(app_env["DASHBOARD_DATABASE_URL"])
    with engine.connect() as conn:
        promise = queries.load_promise(conn, 2025, partnership="0486").row(0, named=True)
        areas = queries.load_focus_areas(conn, 2025, partnership="0486")["name"].to_list()
    engine.dispose()
    at = open_page("oversikt", ar="2025", period="3", mote="1")
    line = f"{promise['title']} · T3 sep–dec 2025 · undertecknat 23 mars 2025"
    assert headings(at, 2) == [line]  # no big title block above the cards
    assert "Undertecknat av:" not in texts(at)
    assert headings(at, 3)[: len(areas)] == areas
