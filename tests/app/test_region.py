"""Region och riket (issue 11): every promise of a region or of the country, in AppTest, on
kommuner of the national demo. Its queries: tests/data/test_region.py; its roll-ups:
tests/unit/test_region.py."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from testsupport.apptest import LINK, headings, html_table, html_tables, open_page, texts


def _link_table(at: AppTest, first_column: str = "Kommun") -> pl.DataFrame:
    """The first table whose rows link to the promises' Översikt: each kommun's name is the
    link, its address in the column "Översikt"."""
    tables = [t.rename({LINK: "Översikt"}) for t in html_tables(at) if LINK in t.columns]
    return next(t for t in tables if t.columns[0] == first_column)


@pytest.mark.usefixtures("two_partnerships_env")
def test_the_country_lists_every_promise_with_a_link_to_its_overview():
    at = open_page("region", ar="2021", regionperiod="3")
    rows = {r["Kommun"]: r for r in _link_table(at).iter_rows(named=True)}
    assert set(rows) == {"Strängnäs kommun", "Eskilstuna kommun"}
    assert rows["Strängnäs kommun"]["Polisregion"] == "Polisregion Öst"
    assert rows["Strängnäs kommun"]["Löfte"] == "Hela kommunen"
    assert rows["Strängnäs kommun"]["Period"] == "T3 sep–dec"
    link = rows["Strängnäs kommun"]["Översikt"]
    assert link.startswith("/?kommun=0486&lofte=") and link.endswith("&ar=2021&period=3")
    assert rows["Eskilstuna kommun"]["Lokalpolisområde"] == "Lokalpolisområde Eskilstuna/Strängnäs"
    assert "Löften\n2 löften\nhos 2 kommuner" in texts(at)  # the first key figure
    assert "🧪 Exempeldata" in texts(at)  # the demo badge
    titles = [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]
    assert titles == [
        "Årets resultat per samverkan, hela landet",
        "Anmälda våldsbrott per 100 000 invånare, 2025",  # Indikatorer (test_region_indicators)
    ]
    # The choices sit in popovers whose buttons name what is shown (issue 15).
    labels = [p.proto.popover.label for p in at.get("popover")]
    assert labels[0] == "Hela landet · 2021"
    assert "Anmälda våldsbrott per 100 000 invånare · 2025" in labels


@pytest.mark.usefixtures("two_partnerships_env")
def test_a_region_shows_only_its_promises():
    at = open_page("region", ar="2021", regionperiod="3", region="ost")
    table = _link_table(at)
    assert sorted(table["Kommun"].to_list()) == ["Eskilstuna kommun", "Strängnäs kommun"]
    assert at.selectbox(key="valt_region").value == "ost"
    assert at.get("popover")[0].proto.popover.label == "Polisregion Öst · 2021"
    at = open_page("region", ar="2021", regionperiod="3", region="syd")
    assert any("Inga medborgarlöften för 2021 i Polisregion Syd" in i.value for i in at.info)


@pytest.mark.usefixtures("few_kommuner_env")
def test_several_area_promises_are_rows_of_their_own_and_late_ones_are_listed():
    at = open_page("region", ar="2026", regionperiod="2")
    status = _link_table(at)
    malmo = status.filter(pl.col("Kommun") == "Malmö kommun")
    assert sorted(malmo["Löfte"].to_list()) == ["Resecentrum", "Rosengård", "Södra innerstaden"]
    assert malmo["Översikt"].n_unique() == 3  # each opens its own promise
    periods = dict(zip(status["Kommun"], status["Period"], strict=False))
    assert periods["Uppsala kommun"] == "H2 jul–dec" and periods["Strängnäs kommun"] == "T2 maj–aug"
    assert "Har inte utvärderat senaste avslutade perioden" in headings(at)
    late = html_table(at, "Dagar sedan").rename({LINK: "Översikt"})
    kiruna = late.filter(pl.col("Kommun") == "Kiruna kommun").row(0, named=True)
    assert kiruna["Löfte"] == "Hela kommunen" and kiruna["Utvärderade"] == "0 av 10"
    assert kiruna["Period"].startswith("T") and kiruna["Period"].endswith(" 2026")
    assert int(kiruna["Dagar sedan"]) > 0
    assert "Strängnäs kommun" not in late["Kommun"].to_list()
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert f"prel. är preliminära: {dt.date.today().year}" in spec["description"], "in words"


@pytest.mark.usefixtures("two_partnerships_env")
def test_by_default_each_promise_shows_its_current_period():
    """No period chosen: every promise's own current one (a past year: its last), linked."""
    at = open_page("region", ar="2021")
    rows = {r["Kommun"]: r for r in _link_table(at).iter_rows(named=True)}
    assert rows["Strängnäs kommun"]["Period"] == "T3 sep–dec"
    assert rows["Strängnäs kommun"]["Översikt"].endswith("&ar=2021&period=3")
    assert "regionperiod" not in at.query_params


@pytest.mark.usefixtures("two_partnerships_env")
def test_a_long_list_is_built_when_the_reader_opens_it(monkeypatch):
    # 337 promises as HTML table rows held the browser back more than the grid (issue 15).
    from dashboard import components

    monkeypatch.setattr(components, "LONG_TABLE", 1)
    at = open_page("region", ar="2021", regionperiod="3")
    assert not [t for t in html_tables(at) if LINK in t.columns]
    assert "Visa alla 2 löften" in [e.label for e in at.expander]
    at.session_state["region_alla_loften"] = True
    at.run()
    assert sorted(_link_table(at)["Kommun"]) == ["Eskilstuna kommun", "Strängnäs kommun"]
