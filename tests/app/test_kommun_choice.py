"""Choosing which kommun's promise the browse pages show (issue 11), in AppTest.

The choice is "Kommun" in the page's choices popover (its button names the kommun and year
shown), kept in ``?kommun=`` so a link opens the same view; an unknown code gives a note and
the configured kommun, never another kommun's data; with one partnership nothing is drawn.
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
    picker = at.selectbox(key="valt_kommun")
    assert picker.value == "0484" and picker.options == [
        "Eskilstuna kommun (0484)", "Strängnäs kommun (0486)",
    ]  # fmt: skip
    assert "Eskilstuna kommun" in _headers(at) and "Strängnäs kommun" not in _headers(at)
    assert at.query_params["kommun"] == "0484"
    assert _choices_label(at) == "Eskilstuna kommun · 2021"
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.selectbox(key="valt_kommun").value == "0484", page
    at.switch_page("pages/oversikt.py").run()
    at.selectbox(key="valt_kommun").set_value("0486").run()
    assert "Strängnäs" in _headers(at) and at.query_params["kommun"] == "0486"
    assert _choices_label(at) == "Strängnäs kommun · 2021"
    at.selectbox(key="valt_ar").set_value(2020).run()
    assert _choices_label(at) == "Strängnäs kommun · 2020" and at.query_params["ar"] == "2020"


def _choices_label(at: AppTest) -> str:
    """The label of the popover holding the kommun and year pickers."""
    [label] = [p.proto.popover.label for p in at.get("popover") if "valt_ar" in _keys(p)]
    return label


def _keys(block) -> set[str]:
    return {getattr(child, "key", None) for child in block.children.values()}


@pytest.mark.usefixtures("two_partnerships_env")
def test_an_unknown_kommun_in_the_address_gives_a_note_and_the_configured_one():
    at = open_page(kommun="9999", ar="2021", period="3")
    assert any("kommun=9999 finns inte" in w.value for w in at.warning)
    assert at.selectbox(key="valt_kommun").value == "0486"
    assert "Strängnäs kommun" in _headers(at) and "Eskilstuna kommun" not in _headers(at)


@pytest.mark.usefixtures("app_env")
def test_with_one_partnership_there_is_nothing_to_choose():
    at = open_page(ar="2021", period="3")
    assert not [s for s in at.selectbox if s.key == "valt_kommun"]
    at = open_page(kommun="0180", ar="2021", period="3")
    assert any("kommun=0180 finns inte" in w.value for w in at.warning)
    assert "Strängnäs" in _headers(at)
