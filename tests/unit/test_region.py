"""Region och riket's roll-ups and tables (issue 11) as tables of cases: a partnership's year
result by its promises' periods, the late table, a promise's period rolled up like a focus
area. The page: tests/app/test_region.py; its queries: tests/data/test_region.py."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard import region_tables, rollups
from dashboard.queries import region as queries


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
