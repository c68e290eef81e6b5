"""Region och riket's "Indikatorer" (issue 12): one indicator compared across the kommuner in
scope, per 100 000 so sizes compare, with the median, the unit, the attribution and the caveat.

The query runs on SQLite and PostgreSQL at national scale (all 290 kommuner of the national
demo); the page runs in AppTest on the two-partnership demo (Strängnäs and Eskilstuna, whose
N07403 values are invented, so nothing may say "Källa: Kolada"); a logged-in reader sees only
the kommuner of their scope.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from sqlalchemy import insert, select, text
from streamlit.testing.v1 import AppTest

from dashboard import labels, region_charts, region_tables
from dashboard.components import plain
from dashboard.export import images
from dashboard.queries import region_indicators as queries
from db import demo, make_engine
from db.models import Indicator, IndicatorValue, Organisation
from testsupport.apptest import open_logged_in, open_page

TODAY = dt.date(2026, 11, 26)  # the fixtures' demo day: the latest values are of 2025
VIOLENCE = "N07403"
INDEX = "trygghetsmatning-problemindex"
CAVEAT = labels.EFFECT_CAVEAT


def _indicator_id(conn, code: str) -> int:
    return conn.scalar(select(Indicator.id).where(Indicator.code == code))


def test_the_comparison_reads_every_kommun_in_scope_at_national_scale(engine):
    demo.load(engine, national=True, today=TODAY)
    with engine.connect() as conn:
        violence = _indicator_id(conn, VIOLENCE)
        choices = queries.load_indicator_years(conn, region=None)
        latest = choices.filter(pl.col("code") == VIOLENCE, pl.col("year") == 2025)
        assert latest["n_kommuner"].to_list() == [290]
        assert choices.filter(pl.col("code") == VIOLENCE)["year"].min() == 2007
        # The problem index has values per område too; only the whole kommun's are compared.
        assert set(choices.filter(pl.col("code") == INDEX)["n_kommuner"]) == {1}

        nation = queries.load_indicator_comparison(conn, violence, 2025, region=None)
        assert nation.height == 2 * 290 and set(nation["year"]) == {2022, 2025}
        assert set(nation["origin"]) == {"demo"} and set(nation["source"]) == {"exempel"}
        ost = queries.load_indicator_comparison(conn, violence, 2025, region="ost")
        assert {"0486", "0484"} <= set(ost["kommun_code"]) and set(ost["region"]) == {
            "Polisregion Öst"
        }
        assert ost.height < nation.height
        two = queries.load_indicator_comparison(
            conn, violence, 2025, region=None, codes=("0484", "0486")
        )
        assert two["kommun_code"].to_list() == ["0484", "0484", "0486", "0486"]
        compared = region_tables.indicator_comparison(nation, 2025, years_back=3)
        assert compared.height == 290 and compared["change"].null_count() == 0
        assert compared["value"].is_sorted(descending=True)
        if engine.dialect.name == "sqlite":  # one index lookup, not a scan of every value
            query = queries.build_indicator_comparison_query(violence, 2025, region=None)
            sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
            plan = " ".join(row[3] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "SEARCH indicator_value USING INDEX" in plan


def _values(*rows: tuple) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=queries.COMPARISON_SCHEMA, orient="row")


def test_a_kommun_without_the_earlier_year_has_no_change_and_the_median_is_marked():
    values = _values(
        ("0486", "Strängnäs kommun", "Öst", 2022, 900.0, "kolada", "verklig"),
        ("0486", "Strängnäs kommun", "Öst", 2025, 820.0, "kolada", "verklig"),
        ("0484", "Eskilstuna kommun", "Öst", 2025, 1210.6, "demo", "exempel"),
        ("0428", "Vingåker kommun", "Öst", 2022, 700.0, "demo", "exempel"),  # nothing in 2025
    )
    compared = region_tables.indicator_comparison(values, 2025, years_back=3)
    assert compared.select("kommun_code", "change").rows() == [("0484", None), ("0486", -80.0)]
    table = region_tables.comparison_table(compared, years_back=3)
    assert table.row(1) == ("Strängnäs kommun", "820,0", 2025, "−80,0", "Öst")
    assert table.row(0)[3] == "–"
    assert region_tables.comparison_origins(values, compared) == ["demo", "kolada"]
    assert region_tables.export_source("Kolada", ["demo", "kolada"]).startswith("Kolada; vissa")
    assert region_tables.export_source("Kolada", ["demo"]).startswith("påhittade")
    chart = region_charts.indicator_comparison_chart(
        compared, name="Våld", unit="per 100 000 invånare", year=2025, scope="Polisregion Öst",
        years_back=3,
    ).to_dict()  # fmt: skip
    assert chart["layer"][0]["encoding"]["y"]["sort"] == ["Eskilstuna kommun", "Strängnäs kommun"]
    assert "medianen (1\u00a0015,3 per 100 000 invånare)" in chart["title"]["subtitle"]
    assert chart["description"].startswith("Våld 2025 i 2 kommuner")
    assert "lägst Strängnäs kommun (820,0)" in chart["description"]
    assert chart["config"]["locale"]["number"]["decimal"] == ","
    meta = region_tables.comparison_meta(
        "Våld, 2025", scope="hela landet", year=2025, source_name="Kolada", origins=["demo"],
        today=TODAY,
    )  # fmt: skip
    assert (
        images.file_name(meta, "indikator-N07403", "png") == "hela-landet-2025-indikator-n07403.png"
    )
    assert images.source_line(meta).startswith("Källa: påhittade exempelvärden, inte uppgifter")
    assert meta.demo and meta.partnership == "Hela landet"
    png = images.chart_bytes(images.export_spec(chart, meta), "png")
    assert images.png_size(png)[0] >= images.MIN_PNG_WIDTH


@pytest.mark.parametrize(
    ("unit", "rate"),
    [("per 100 000 invånare", True), ("index 0–6", True), ("procent", True), ("%", True),
     ("antal", False), ("kronor", False), ("Antal anmälda brott", False)],
)  # fmt: skip
def test_only_rates_indices_and_shares_compare_across_sizes(unit, rate):
    assert region_tables.is_rate(unit) is rate


# ---------------------------------------------------------------- the page


def _comparison(at: AppTest) -> pl.DataFrame:
    """The comparison as the reader sees it (an HTML table, its Markdown escapes taken out)."""
    return next(
        pl.from_pandas(t.value).with_columns(pl.col(pl.String).str.replace_all(r"\\(.)", "$1"))
        for t in at.table
        if {"Värde", "Polisregion"} <= set(t.value.columns)
    )


def _texts(at: AppTest) -> list[str]:
    return [e.value for e in (*at.caption, *at.markdown, *at.warning, *at.info)]


def _chart_titles(at: AppTest) -> list[str]:
    return [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]


@pytest.mark.usefixtures("two_partnerships_env")
def test_the_region_page_compares_violent_crime_across_the_kommuner():
    at = open_page("region", ar="2021")
    assert "Indikatorer" in [h.value for h in at.subheader]
    assert at.selectbox(key="valt_indikator").value == VIOLENCE
    assert at.selectbox(key="valt_indikatorar").value == 2025  # the latest with values
    table = _comparison(at)
    assert sorted(table["Kommun"]) == ["Eskilstuna kommun", "Strängnäs kommun"]
    assert list(table.columns) == ["Kommun", "Värde", "År", "Förändring på 3 år", "Polisregion"]
    assert set(table["År"]) == {2025} and "–" not in table["Förändring på 3 år"].to_list()
    assert "Anmälda våldsbrott per 100 000 invånare, 2025" in _chart_titles(at)
    texts = _texts(at)
    assert "**Enhet:** per 100 000 invånare" in texts
    assert plain("Påhittade exempelvärden, inte uppgifter från Kolada.") in texts
    assert CAVEAT in texts
    assert not any("Källa: Kolada" in t for t in texts), "invented values are not Kolada's"
    assert not any(t == region_tables.NOT_NORMALISED for t in texts)
    spec = next(
        json.loads(c.proto.spec) for c in at.get("vega_lite_chart") if "2025" in c.proto.spec
    )
    assert "median" in spec["description"] and spec["config"]["locale"]["number"]["decimal"] == ","

    downloads = {b.proto.label for b in at.get("download_button")}
    assert {"PNG", "SVG", "PDF", "CSV", "Excel"} <= downloads

    at.selectbox(key="valt_indikatorar").select(2019).run()
    assert set(_comparison(at)["År"]) == {2019}
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
    assert region_tables.NOT_NORMALISED in texts and "**Enhet:** antal" in texts
    assert plain("Källa: Polisen") in texts  # real values carry their source's attribution
    assert "Anmälda brott <b>antal</b>, 2024" in _chart_titles(at)  # Vega writes text, not HTML


@pytest.mark.usefixtures("two_partnerships_env")
def test_a_region_without_kommuner_says_so():
    at = open_page("region", ar="2021", region="syd")
    assert any("Inga medborgarlöften för 2021" in i.value for i in at.info)
    assert "Indikatorer" not in [h.value for h in at.subheader]


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
