"""Choosing which kommun's promise the browse pages show (issue 11), in AppTest.

The choice is the sidebar's "Kommun", kept in ``?kommun=`` so a link opens the same view; an
unknown code gives a note and the configured kommun, never another kommun's data; with one
partnership nothing is drawn.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from testsupport.apptest import open_page, texts

PAGES = ["pages/fokusomraden.py", "pages/aktiviteter.py", "pages/trender.py", "pages/export.py"]


def _headers(at: AppTest) -> str:
    return texts(at)


@pytest.mark.usefixtures("two_partnerships_env")
def test_the_address_chooses_the_kommun_and_the_choice_follows_the_pages():
    at = open_page(kommun="0484", ar="2021", period="3")
    picker = at.sidebar.selectbox(key="valt_kommun")
    assert picker.value == "0484" and picker.options == [
        "Eskilstuna kommun (0484)", "Strängnäs kommun (0486)",
    ]  # fmt: skip
    assert "Eskilstuna kommun" in _headers(at) and "Strängnäs kommun" not in _headers(at)
    assert at.query_params["kommun"] == "0484"
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.sidebar.selectbox(key="valt_kommun").value == "0484", page
    at.switch_page("pages/oversikt.py").run()
    at.sidebar.selectbox(key="valt_kommun").set_value("0486").run()
    assert "Strängnäs" in _headers(at) and at.query_params["kommun"] == "0486"


@pytest.mark.usefixtures("two_partnerships_env")
def test_an_unknown_kommun_in_the_address_gives_a_note_and_the_configured_one():
    at = open_page(kommun="9999", ar="2021", period="3")
    assert any("kommun=9999 finns inte" in w.value for w in at.warning)
    assert at.sidebar.selectbox(key="valt_kommun").value == "0486"
    assert "Strängnäs kommun" in _headers(at) and "Eskilstuna kommun" not in _headers(at)


@pytest.mark.usefixtures("app_env")
def test_with_one_partnership_there_is_nothing_to_choose():
    at = open_page(ar="2021", period="3")
    assert not [s for s in at.sidebar.selectbox if s.key == "valt_kommun"]
    at = open_page(kommun="0180", ar="2021", period="3")
    assert any("kommun=0180 finns inte" in w.value for w in at.warning)
    assert "Strängnäs" in _headers(at)
