"""Region och riket (issue 11): every promise of a region or of the country, in AppTest, on
kommuner of the national demo, and its roll-ups as tables of cases."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator

import polars as pl
import pytest
from sqlalchemy import Connection
from streamlit.testing.v1 import AppTest

from dashboard import region_charts, region_tables, rollups
from dashboard.queries import region as queries
from db import make_engine
from testsupport.apptest import open_page

TODAY = dt.date(2026, 11, 26)  # the day the fixtures' demo was loaded for


def _link_table(at: AppTest, first_column: str = "Kommun") -> pl.DataFrame:
    tables = [d.value for d in at.dataframe if "Översikt" in d.value.columns]
    return next(pl.from_pandas(t) for t in tables if t.columns[0] == first_column)


@pytest.mark.usefixtures("two_partnerships_env")
def test_the_country_lists_every_promise_with_a_link_to_its_overview():
    at = open_page("region", ar="2021", regionperiod="3")
    table = next(d.value for d in at.dataframe if "Översikt" in d.value.columns)
    rows = {r["Kommun"]: r for r in table.to_dict("records")}
    assert set(rows) == {"Strängnäs kommun", "Eskilstuna kommun"}
    assert rows["Strängnäs kommun"]["Polisregion"] == "Polisregion Öst"
    assert rows["Strängnäs kommun"]["Löfte"] == "Hela kommunen"
    assert rows["Strängnäs kommun"]["Period"] == "T3 sep–dec"
    link = rows["Strängnäs kommun"]["Översikt"]
    assert link.startswith("/?kommun=0486&lofte=") and link.endswith("&ar=2021&period=3")
    assert rows["Eskilstuna kommun"]["Lokalpolisområde"] == "Lokalpolisområde Eskilstuna/Strängnäs"
    assert next(m.value for m in at.metric) == "2 löften"
    assert any("Exempeldata" in m.value for m in at.markdown)  # the demo badge
    titles = [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]
    assert titles == [
        "Årets resultat per samverkan, hela landet",
        "Anmälda våldsbrott per 100 000 invånare, 2025",  # Indikatorer (test_region_indicators)
    ]


@pytest.mark.usefixtures("two_partnerships_env")
def test_a_region_shows_only_its_promises():
    at = open_page("region", ar="2021", regionperiod="3", region="ost")
    table = next(d.value for d in at.dataframe if "Översikt" in d.value.columns)
    assert sorted(table["Kommun"].to_list()) == ["Eskilstuna kommun", "Strängnäs kommun"]
    assert at.selectbox(key="valt_region").value == "ost"
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
    headings = [h.value for h in at.subheader]
    assert "Har inte utvärderat senaste avslutade perioden" in headings
    late = next(pl.from_pandas(d.value) for d in at.dataframe if "Dagar sedan" in d.value.columns)
    kiruna = late.filter(pl.col("Kommun") == "Kiruna kommun").row(0, named=True)
    assert kiruna["Löfte"] == "Hela kommunen" and kiruna["Utvärderade"] == "0 av 10"
    assert kiruna["Period"].startswith("T") and kiruna["Period"].endswith(" 2026")
    assert kiruna["Dagar sedan"] > 0
    assert "Strängnäs kommun" not in late["Kommun"].to_list()
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert f"prel. är preliminära: {dt.date.today().year}" in spec["description"], "in words"


@pytest.fixture(scope="module")
def few(few_kommuner, tmp_path_factory) -> Iterator[Connection]:
    path = tmp_path_factory.mktemp("region") / "few.sqlite3"
    shutil.copy(few_kommuner, path)
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        yield conn
    engine.dispose()


def test_the_last_ended_period_follows_each_promises_own_periods_by_date(few):
    rows = queries.load_last_ended(few, 2026, region=None, today=TODAY)
    by_promise = {(r["kommun_code"], r["area"]): r for r in rows.iter_rows(named=True)}
    assert len(by_promise) == rows.height  # one row per promise
    assert {area for code, area in by_promise if code == "1280"} == {
        "Resecentrum", "Rosengård", "Södra innerstaden",
    }  # fmt: skip
    strangnas = by_promise["0486", None]
    assert (strangnas["period"], strangnas["ends_on"]) == ("T2 maj–aug", dt.date(2026, 8, 31))
    assert by_promise["0380", None]["period"] == "H1 jan–jun"  # Uppsala follows up by half-year
    late = rollups.not_evaluated_last_period(rows, today=TODAY)
    assert late["kommun_code"].to_list() == ["2584"]  # Kiruna has not evaluated T2 2026
    assert late["days_since_end"].to_list() == [(TODAY - dt.date(2026, 8, 31)).days]
    # The same promises a day after T3 has ended: every one of them is now late for T3.
    next_year = rollups.not_evaluated_last_period(
        queries.load_last_ended(few, 2026, region="nord", today=dt.date(2027, 1, 1)),
        today=dt.date(2027, 1, 1),
    )
    assert next_year.select("kommun_code", "period", "days_since_end").rows() == [
        ("2584", "T3 sep–dec", 1)
    ]


def test_the_year_result_distribution_marks_preliminary_years(few):
    results = queries.load_year_result_distribution(few, region=None, today=TODAY)
    this_year = results.filter(pl.col("year") == 2026)
    assert this_year["preliminary"].all()
    assert not results.filter(pl.col("year") == 2025)["preliminary"].any()
    data = region_charts.distribution_data(results)
    assert data.filter(pl.col("Preliminärt"))["År"].to_list() == ["2026 prel."]
    chart = region_charts.year_result_distribution_chart(results, scope="hela landet").to_dict()
    dashes = [layer["encoding"].get("strokeDash") for layer in chart["layer"][:2]]
    assert all(d and "condition" in d for d in dashes), "preliminary is drawn by shape too"
    assert "prel." in chart["title"]["subtitle"] and "2026" in chart["description"]


def _counts(*rows: tuple) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=queries.PROMISE_COUNTS_SCHEMA, orient="row")


def _last(*rows: tuple) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=queries.LAST_PERIODS_SCHEMA, orient="row")


END_2025, END_2026 = dt.date(2025, 12, 31), dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("counts", "last", "expected"),
    [
        (
            [(1, 2025, 2, "genomford", 3), (1, 2025, 3, "genomford", 3),
             (1, 2025, 3, "pagar", 1), (1, 2024, 3, "pagar", 5)],  # 2024: not asked for
            [("A", 1, 2025, 3, END_2025)],
            (75.0, False),
        ),
        ([(1, 2026, 3, "genomford", 2)], [("A", 1, 2026, 3, END_2026)], (100.0, True)),
        (
            [(1, 2025, 1, "genomford", 1), (1, 2025, 1, "pagar", 3)],
            [("A", 1, 2025, 3, END_2025)],
            (25.0, True),
        ),
        (
            [(1, 2025, 2, "genomford", 1), (2, 2025, 4, "ej_genomford", 1)],
            [("A", 1, 2025, 2, END_2025), ("A", 2, 2025, 4, END_2025)],
            (50.0, False),
        ),
        (
            [(1, 2025, 2, "genomford", 1)],
            [("A", 1, 2025, 2, END_2025), ("A", 2, 2025, 4, END_2025)],
            (100.0, True),
        ),
        ([], [("A", 1, 2025, 3, END_2025)], (None, True)),
    ],
    ids=["last-period-evaluated", "last-period-not-ended", "only-an-earlier-period",
         "two-area-promises-pooled", "one-area-promise-unevaluated", "nothing-evaluated"],
)  # fmt: skip
def test_a_partnerships_year_result_by_its_promises_periods(counts, last, expected):
    today = dt.date(2026, 11, 26)
    results = rollups.partnership_year_results(_counts(*counts), _last(*last), today=today)
    row = results.row(0, named=True)
    assert results.height == 1
    assert (row["share_genomford"], row["preliminary"]) == expected


@pytest.mark.usefixtures("two_partnerships_env")
def test_by_default_each_promise_shows_its_current_period():
    """No period chosen: every promise's own current one (a past year: its last), linked."""
    at = open_page("region", ar="2021")
    rows = {r["Kommun"]: r for r in _link_table(at).iter_rows(named=True)}
    assert rows["Strängnäs kommun"]["Period"] == "T3 sep–dec"
    assert rows["Strängnäs kommun"]["Översikt"].endswith("&ar=2021&period=3")
    assert "regionperiod" not in at.query_params


def test_the_late_table_names_the_period_and_how_long_ago_it_ended():
    late = pl.DataFrame(
        [("2584", "Kiruna kommun", "LPO", "Nord", 7, "Medborgarlöfte", None, "exempel",
          "K3 jul–sep", 2026, 3, dt.date(2026, 9, 30), 8, 2, 57)],
        schema=["kommun_code", "kommun_name", "police_area", "region", "promise_id", "title",
                "area", "source", "period", "year", "number", "ends_on", "n_activities",
                "n_evaluated", "days_since_end"],
        orient="row",
    )  # fmt: skip
    row = region_tables.not_evaluated_table(late).row(0, named=True)
    assert row == {
        "Kommun": "Kiruna kommun", "Löfte": "Hela kommunen", "Period": "K3 jul–sep 2026",
        "Slutade": "30 september 2026", "Dagar sedan": 57, "Utvärderade": "2 av 8",
        "Lokalpolisområde": "LPO", "Översikt": "/?kommun=2584&lofte=7&ar=2026&period=3",
    }  # fmt: skip


def _rows(*activities: tuple[str, str | None, int | None]) -> pl.DataFrame:
    return pl.DataFrame(
        [("0486", "verklig", "Strängnäs", "LPO", "Öst", 1, "Löftet", None, "T3 sep–dec", 3, n, s,
          c) for n, (_, s, c) in enumerate(activities)],
        schema=["kommun_code", "source", "kommun_name", "police_area", "region", "promise_id",
                "title", "area", "period", "period_number", "activity_id", "status",
                "completion"],
        orient="row",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("activities", "expected"),
    [
        ([("a", "pagar", 40), ("b", "genomford", 100)], (2, 2, 70.0, "pagar")),
        ([("a", "forsenad", 20), ("b", None, None)], (2, 1, 20.0, "forsenad")),
        ([("a", None, None)], (1, 0, None, None)),
        ([("a", "genomford", 100), ("b", "ej_genomford", 0)], (2, 2, 50.0, "ej_genomford")),
    ],
    ids=["mean-and-worst", "unevaluated-left-out", "none-evaluated", "most-serious"],
)
def test_a_promises_period_rolls_up_like_a_focus_area(activities, expected):
    row = rollups.promise_status(_rows(*activities)).row(0, named=True)
    assert (row["n_activities"], row["n_evaluated"], row["completion"], row["status"]) == expected
