"""Region och riket's queries (issue 11) on kommuner of the national demo: the last ended period
follows each promise's own periods, and the year-result distribution marks preliminary years.
The page: tests/app/test_region.py; its roll-ups: tests/unit/test_region.py."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator

import polars as pl
import pytest
from sqlalchemy import Connection

from dashboard import region_charts, rollups
from dashboard.queries import region as queries
from db import make_engine

TODAY = dt.date(2026, 11, 26)  # the day the fixtures' demo was loaded for


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
