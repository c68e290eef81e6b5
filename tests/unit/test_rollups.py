"""Roll-ups (docs/architecture.md), each checked against a table of hand-worked cases."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard import rollups
from dashboard.queries.evaluations import MATRIX_SCHEMA


def matrix(*activities: tuple) -> pl.DataFrame:
    """Activities as (focus_area_id, {tertial: (status, completion)}) tuples."""
    rows = []
    for index, (area, cells) in enumerate(activities, start=1):
        row = dict.fromkeys(MATRIX_SCHEMA)
        row.update(
            activity_id=index, focus_area_id=area, focus_area=f"Område {area}",
            title=f"Aktivitet {index}", owner="kommun", partners=[], source="exempel",
            n_demo_evaluations=0,
        )  # fmt: skip
        for tertial, (status, completion) in cells.items():
            row[f"status_{tertial}"], row[f"completion_{tertial}"] = status, completion
            row[f"comment_{tertial}"] = f"kommentar T{tertial}" if status else None
        rows.append(row)
    return pl.DataFrame(rows, schema=MATRIX_SCHEMA)


@pytest.mark.parametrize(
    ("cells", "completion", "status", "n_evaluated"),
    [
        # plain mean of the evaluated activities
        ([{1: ("pagar", 40)}, {1: ("genomford", 100)}], 70.0, "pagar", 2),
        # not evaluated is left out of the mean, never counted as 0 %
        ([{1: ("pagar", 40)}, {}], 40.0, "pagar", 1),
        # nothing evaluated: no completion and no status, not 0 %
        ([{}, {}], None, None, 0),
        # most serious wins: ej_genomford > forsenad > pagar > ej_paborjad > genomford
        ([{1: ("forsenad", 10)}, {1: ("ej_genomford", 0)}, {1: ("genomford", 100)}],
         pytest.approx(110 / 3), "ej_genomford", 3),
        ([{1: ("forsenad", 50)}, {1: ("pagar", 50)}], 50.0, "forsenad", 2),
        ([{1: ("ej_paborjad", 0)}, {1: ("pagar", 20)}], 10.0, "pagar", 2),
        ([{1: ("ej_paborjad", 0)}, {1: ("genomford", 100)}], 50.0, "ej_paborjad", 2),
        ([{1: ("genomford", 100)}], 100.0, "genomford", 1),
    ],
)  # fmt: skip
def test_focus_area_completion_and_status(cells, completion, status, n_evaluated):
    m = matrix(*[(1, c) for c in cells])
    row = rollups.focus_area_status(m, 1).row(0, named=True)
    assert (row["completion"], row["status"], row["n_evaluated"]) == (
        completion, status, n_evaluated,
    )  # fmt: skip
    assert row["n_ej_utvarderad"] == len(cells) - n_evaluated


def test_focus_area_status_keeps_areas_without_activities_in_their_order():
    m = matrix((2, {1: ("pagar", 40)}))
    areas = pl.DataFrame(
        {"focus_area_id": [1, 2], "name": ["Tomt", "Område 2"]},
        schema={"focus_area_id": pl.Int64, "name": pl.String},
    )
    status = rollups.focus_area_status(m, 1, focus_areas=areas)
    assert status.select("focus_area", "n_activities", "status").rows() == [
        ("Tomt", 0, None), ("Område 2", 1, "pagar"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("cells", "tertial", "last"),
    [
        ([{1: ("pagar", 10), 2: ("pagar", 20)}], 3, 2),
        ([{1: ("pagar", 10), 2: ("pagar", 20)}], 1, 1),
        ([{}], 3, None),
    ],
)
def test_last_evaluated_tertial_of_an_area(cells, tertial, last):
    m = matrix(*[(1, c) for c in cells])
    assert rollups.focus_area_status(m, tertial)["last_tertial"][0] == last


@pytest.mark.parametrize(
    ("cells", "latest"),
    [([{1: ("pagar", 1)}, {2: ("pagar", 1)}], 2), ([{}], None), ([{3: ("pagar", 1)}], 3)],
)
def test_latest_evaluated_tertial(cells, latest):
    assert rollups.latest_evaluated_tertial(matrix(*[(1, c) for c in cells])) == latest


def test_completion_and_status_counts_per_tertial():
    m = matrix((1, {1: ("pagar", 40), 2: ("genomford", 100)}), (1, {1: ("forsenad", 20)}))
    per = rollups.completion_per_tertial(m)
    assert per.select("tertial", "completion", "n_evaluated").rows() == [
        (1, 30.0, 2), (2, 100.0, 1), (3, None, 0),
    ]  # fmt: skip
    counts = rollups.status_counts_per_tertial(m)
    got = {(r["tertial"], r["status"]): r["n"] for r in counts.iter_rows(named=True) if r["n"]}
    assert got == {
        (1, "pagar"): 1, (1, "forsenad"): 1, (2, "genomford"): 1,
        (2, "ej_utvarderad"): 1, (3, "ej_utvarderad"): 2,
    }  # fmt: skip


def test_with_latest_takes_the_newest_evaluation_and_comment():
    m = matrix((1, {1: ("pagar", 40), 2: ("forsenad", 50)}), (1, {}))
    rows = rollups.with_latest(m).select(
        "latest_tertial", "latest_status", "latest_completion", "latest_comment"
    )
    assert rows.rows() == [(2, "forsenad", 50, "kommentar T2"), (None, None, None, None)]
    assert rollups.with_latest(m, up_to=1)["latest_status"][0] == "pagar"


@pytest.mark.parametrize(
    ("filters", "ids"),
    [
        ({}, [1, 2, 3]),
        ({"focus_area_ids": [2]}, [3]),
        ({"statuses": ["forsenad"]}, [2]),
        ({"statuses": ["ej_utvarderad"]}, [1, 2, 3]),
        ({"statuses": ["genomford"], "focus_area_ids": [1]}, []),
    ],
)
def test_filter_matrix(filters, ids):
    m = matrix((1, {1: ("pagar", 1)}), (1, {1: ("forsenad", 1)}), (2, {1: ("genomford", 1)}))
    assert rollups.filter_matrix(m, **filters)["activity_id"].to_list() == ids


def _counts(rows):
    schema = {"year": pl.Int64, "tertial": pl.Int64, "status": pl.String, "n": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


@pytest.mark.parametrize(
    ("counts", "n_activities", "today", "expected"),
    [
        # result_tertial, share_genomford, n_delvis, n_not_evaluated, preliminary
        ([(2020, 3, "genomford", 3), (2020, 3, "pagar", 1)], 4, dt.date(2021, 1, 5),
         (3, 75.0, 1, 0, False)),
        # an activity without a T3 evaluation: reported, not counted as "not done"
        ([(2020, 3, "genomford", 2), (2020, 3, "ej_genomford", 1)], 4, dt.date(2021, 1, 5),
         (3, pytest.approx(200 / 3), 0, 1, False)),
        # the current year: preliminary, from its latest tertial
        ([(2020, 1, "pagar", 2), (2020, 2, "genomford", 1), (2020, 2, "forsenad", 1)], 2,
         dt.date(2020, 9, 1), (2, 50.0, 1, 0, True)),
        # a past year that never got its T3 evaluations is preliminary too
        ([(2020, 2, "genomford", 1)], 1, dt.date(2022, 1, 1), (2, 100.0, 0, 0, True)),
        # no evaluations at all: no share
        ([], 3, dt.date(2022, 1, 1), (None, None, 0, 3, True)),
    ],
)  # fmt: skip
def test_year_results(counts, n_activities, today, expected):
    activities = pl.DataFrame({"year": [2020], "n": [n_activities]})
    row = rollups.year_results(_counts(counts), activities, today=today).row(0, named=True)
    got = tuple(
        row[k]
        for k in ("result_tertial", "share_genomford", "n_delvis", "n_not_evaluated", "preliminary")
    )
    assert got == expected
