"""What a logged-in reader sees when login is required (issue 11), in AppTest.

With DASHBOARD_REQUIRE_LOGIN=1 the kommun choice offers only the partnerships the reader's
grants cover, and Region och riket shows only those; an address naming a kommun outside the
scope gives the short note and the default, never that kommun's data. Without login required
every visitor still sees every partnership (test_kommun_choice.py, test_region.py).
The database is the two-partnership demo: Strängnäs and Eskilstuna, one police area.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from testsupport.apptest import html_table, open_logged_in, texts

pytestmark = pytest.mark.usefixtures("like_a_server")


def _shown(at: AppTest) -> str:
    return texts(at)


def _pickers(at: AppTest) -> list:
    return [s for s in at.selectbox if s.key == "valt_kommun"]


def _region_rows(at: AppTest) -> list[str]:
    return html_table(at, "Lokalpolisområde")["Kommun"].to_list()


@pytest.mark.usefixtures("login_required")
def test_a_kommun_reader_sees_only_their_kommun_and_a_foreign_address_gets_the_default():
    at = open_logged_in("lasse")
    assert not _pickers(at)  # one partnership in scope: nothing to choose
    assert "Strängnäs" in _shown(at) and "Eskilstuna kommun" not in _shown(at)
    at = open_logged_in("erik", kommun="0486")
    assert any("kommun=0486 finns inte" in w.value for w in at.warning)
    assert "Eskilstuna kommun" in _shown(at) and "Strängnäs kommun" not in _shown(at)
    at.switch_page("pages/fokusomraden.py").run()
    assert "Strängnäs kommun" not in _shown(at)


@pytest.mark.usefixtures("login_required")
def test_a_national_reader_chooses_between_every_partnership():
    at = open_logged_in("nina", kommun="0484")
    [picker] = _pickers(at)
    assert picker.value == "0484" and len(picker.options) == 2
    at = open_logged_in("nina", "pages/region.py")
    assert sorted(_region_rows(at)) == ["Eskilstuna kommun", "Strängnäs kommun"]


@pytest.mark.usefixtures("login_required")
def test_region_och_riket_shows_only_what_the_scope_covers():
    at = open_logged_in("lpo", "pages/region.py")  # the police area covers both kommuner
    assert sorted(_region_rows(at)) == ["Eskilstuna kommun", "Strängnäs kommun"]
    assert at.selectbox(key="valt_region").options == ["Hela ditt område", "Polisregion Öst"]
    at = open_logged_in("erik", "pages/region.py", region="syd")
    assert any("region=syd finns inte" in w.value for w in at.warning)
    assert _region_rows(at) == ["Eskilstuna kommun"]
    assert "Löften\n1 löfte\n" in texts(at)  # the first key figure


@pytest.mark.usefixtures("login_required")
def test_a_reader_whose_scope_holds_no_promise_is_told_so():
    at = open_logged_in("utan")
    assert any("ingen behörighet för något medborgarlöfte" in i.value for i in at.info)
    assert "Strängnäs" not in _shown(at) and "Eskilstuna kommun" not in _shown(at)
