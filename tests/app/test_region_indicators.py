"""Region och riket's "Indikatorer" (issue 12): one indicator compared across the kommuner in
scope, per 100 000 so sizes compare, with the median, the unit, the attribution and the caveat.

The page runs in AppTest on the two-partnership demo (Strängnäs and Eskilstuna, whose N07403
values are invented, so nothing may say "Källa: Kolada"); a logged-in reader sees only the
kommuner of their scope. The query at national scale: tests/data/test_region_indicators.py;
the comparison's rules: tests/unit/test_region_indicators.py.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from sqlalchemy import insert, select
from streamlit.testing.v1 import AppTest

from dashboard import labels, region_tables
from db import make_engine
from db.models import Indicator, IndicatorValue, Organisation
from testsupport.apptest import (
    headings,
    html_blocks,
    html_tables,
    open_chart_tables,
    open_download_popovers,
    open_logged_in,
    open_page,
)

VIOLENCE = "N07403"
INDEX = "trygghetsmatning-problemindex"
CAVEAT = labels.EFFECT_CAVEAT


# ---------------------------------------------------------------- the page


def _comparison(at: AppTest) -> pl.DataFrame:
    """The comparison as the reader sees it when they open the chart's data table (an HTML
    table, its cells as text)."""
    open_chart_tables(at)
    return next(t for t in html_tables(at) if {"Värde", "Polisregion"} <= set(t.columns))


def _texts(at: AppTest) -> list[str]:
    """The lines of the "Indikatorer" section's HTML blocks, and any message or caption."""
    lines, section = [], False
    for block in html_blocks(at):
        section = section or "Indikatorer" in [text for _, text in block.headings]
        if section and not block.tables:
            lines += block.text.splitlines()
    return lines + [e.value for e in (*at.caption, *at.markdown, *at.warning, *at.info)]


def _chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]


@pytest.mark.usefixtures("two_partnerships_env")
def test_the_region_page_compares_violent_crime_across_the_kommuner():
    at = open_page("region", ar="2021")
    assert "Indikatorer" in headings(at)
    assert at.selectbox(key="valt_indikator").value == VIOLENCE
    assert at.selectbox(key="valt_indikatorar").value == 2025  # the latest with values
    table = _comparison(at)
    assert sorted(table["Kommun"]) == ["Eskilstuna kommun", "Strängnäs kommun"]
    assert list(table.columns) == ["Kommun", "Värde", "År", "Förändring på 3 år", "Polisregion"]
    assert set(table["År"]) == {"2025"} and "–" not in table["Förändring på 3 år"].to_list()
    assert "Anmälda våldsbrott per 100 000 invånare, 2025" in _chart_titles(at)
    texts = _texts(at)
    assert "Enhet: per 100 000 invånare" in texts
    assert "Påhittade exempelvärden, inte uppgifter från Kolada." in texts
    assert CAVEAT in texts
    assert not any("Källa: Kolada" in t for t in texts), "invented values are not Kolada's"
    assert not any(t == region_tables.NOT_NORMALISED for t in texts)
    spec = next(
        json.loads(c.proto.spec) for c in at.get("vega_lite_chart") if "2025" in c.proto.spec
    )
    assert "median" in spec["description"] and spec["config"]["locale"]["number"]["decimal"] == ","

    downloads = {b.proto.label for b in open_download_popovers(at).get("download_button")}
    assert {"PNG", "SVG", "PDF", "CSV", "Excel"} <= downloads

    at.selectbox(key="valt_indikatorar").select(2019).run()
    assert set(_comparison(at)["År"]) == {"2019"}
    assert at.query_params["indikatorar"] == "2019"


@pytest.fixture
def with_a_count(two_partnerships_env, monkeypatch):
    """A count (not a rate) imported for Strängnäs: real values from a file."""
    import os

    engine = make_engine(os.environ["DASHBOARD_DATABASE_URL"])
    with engine.begin() as conn:
        indicator = conn.execute(
            insert(Indicator).values(
                code="brott-antal", name="Anmälda brott <b>antal</b>", unit="antal",
                better="lagre", source_name="Polisen", attribution="Källa: Polisen",
                source="verklig",
            )
        ).inserted_primary_key[0]  # fmt: skip
        kommun = conn.scalar(select(Organisation.id).where(Organisation.code == "0486"))
        conn.execute(
            insert(IndicatorValue).values(
                indicator_id=indicator, organisation_id=kommun, area="", year=2024, period_no=0,
                value=2100.0, origin="import", source="verklig",
                fetched_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
            )
        )  # fmt: skip
    engine.dispose()


@pytest.mark.usefixtures("with_a_count")
def test_a_count_is_compared_with_a_note_that_it_is_not_per_inhabitant():
    at = open_page("region", ar="2021", indikator="brott-antal")
    assert at.selectbox(key="valt_indikator").value == "brott-antal"
    assert _comparison(at)["Kommun"].to_list() == ["Strängnäs kommun"]
    texts = _texts(at)
    assert region_tables.NOT_NORMALISED in texts and "Enhet: antal" in texts
    assert "Källa: Polisen" in texts  # real values carry their source's attribution
    assert "Anmälda brott <b>antal</b>, 2024" in _chart_titles(at)  # Vega writes text, not HTML


@pytest.mark.usefixtures("two_partnerships_env")
def test_a_region_without_kommuner_says_so():
    at = open_page("region", ar="2021", region="syd")
    assert any("Inga medborgarlöften för 2021" in i.value for i in at.info)
    assert "Indikatorer" not in headings(at)


# ---------------------------------------------------------------- a reader's scope


@pytest.mark.usefixtures("like_a_server", "login_required")
def test_a_reader_compares_only_the_kommuner_of_their_scope():
    at = open_logged_in("erik", "pages/region.py")  # Eskilstuna's reader
    assert _comparison(at)["Kommun"].to_list() == ["Eskilstuna kommun"]
    assert not any("Strängnäs" in t for t in _texts(at))
    at = open_logged_in("lpo", "pages/region.py")  # the police area covers both
    assert sorted(_comparison(at)["Kommun"]) == ["Eskilstuna kommun", "Strängnäs kommun"]
    at = open_logged_in("erik", "pages/region.py", indikator=INDEX)  # Strängnäs's own index only
    assert any("indikator=" in w.value and "finns inte" in w.value for w in at.warning)
    assert _comparison(at)["Kommun"].to_list() == ["Eskilstuna kommun"]
