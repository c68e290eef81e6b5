"""Roll-ups (docs/architecture.md) as pure polars functions on the frames of dashboard.queries.

- An activity's completion in a tertial is its evaluation's completion. No evaluation means
  "ej utvärderad": it is counted as such and left out of every mean, never read as 0 %.
- A focus area's completion is the plain mean of its evaluated activities' completion; its
  status is the most serious status among them (ej_genomford > forsenad > pagar >
  ej_paborjad > genomford; pagar and ej_paborjad are equally serious in the rule, and "pågår"
  wins the tie because it says that work in the area has started).
- A year's result is the share of evaluated activities that are genomförd at T3. A year whose
  T3 is not over (the current year) or that has no T3 evaluations yet is preliminary, and its
  figure comes from its latest evaluated tertial.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from dashboard.labels import NOT_EVALUATED, STATUSES
from db.vocabulary import PERIOD_NUMBERS, STATUS_RANKS

NOT_EVALUATED_CODE = NOT_EVALUATED.code
STATUS_CODES = (*STATUSES, NOT_EVALUATED_CODE)
# The roll-up's order of seriousness (db/vocabulary.py; pagar wins its tie with ej_paborjad).
STATUS_RANK = STATUS_RANKS
IN_PROGRESS = ("ej_paborjad", "pagar", "forsenad")  # "delvis" at year end


def period_numbers(matrix: pl.DataFrame) -> tuple[int, ...]:
    """The numbers of the periods the matrix has columns for (``status_1``, ``status_2``, …):
    the periods of the promise that end in the matrix's year, 1–3 for tertials."""
    return tuple(n for n in PERIOD_NUMBERS if f"status_{n}" in matrix.columns)


def long_by_tertial(matrix: pl.DataFrame) -> pl.DataFrame:
    """The matrix as one row per activity and tertial: status (or "ej_utvarderad"),
    completion (null where not evaluated), achieved and comment."""
    keep = ["activity_id", "focus_area_id", "focus_area", "title", "owner"]
    parts = [
        matrix.select(
            *keep,
            pl.lit(t, pl.Int64).alias("tertial"),
            pl.col(f"status_{t}").fill_null(NOT_EVALUATED_CODE).alias("status"),
            pl.col(f"completion_{t}").alias("completion"),
            pl.col(f"achieved_{t}").alias("achieved"),
            pl.col(f"comment_{t}").alias("comment"),
        )
        for t in period_numbers(matrix)
    ]
    return pl.concat(parts)


def latest_evaluated_tertial(matrix: pl.DataFrame) -> int | None:
    """The highest tertial in which at least one activity is evaluated, or None."""
    evaluated = [t for t in period_numbers(matrix) if matrix[f"status_{t}"].is_not_null().any()]
    return max(evaluated) if evaluated else None


def _most_serious(statuses: pl.Expr) -> pl.Expr:
    ranked = statuses.filter(statuses != NOT_EVALUATED_CODE)
    return ranked.sort_by(ranked.replace_strict(STATUS_RANK, return_dtype=pl.Int64)).last()


def focus_area_status(
    matrix: pl.DataFrame, tertial: int, *, focus_areas: pl.DataFrame | None = None
) -> pl.DataFrame:
    """Each focus area in ``tertial``: status, completion and activities per status.

    Args:
        matrix: ``queries.load_activity_matrix``'s frame.
        tertial: 1, 2 or 3.
        focus_areas: ``queries.load_focus_areas``'s frame; when given, areas without
            activities are kept (with ``n_activities`` 0) and the areas' order follows it.

    Returns:
        focus_area_id, focus_area, n_activities, n_evaluated, completion (mean over evaluated
        activities, null if none), status (most serious, null if none evaluated), one
        ``n_<status>`` column per status including ``n_ej_utvarderad``, and last_tertial (the
        latest tertial up to ``tertial`` with an evaluation in the area).
    """
    now = long_by_tertial(matrix).filter(pl.col("tertial") == tertial)
    counts = [(pl.col("status") == code).sum().alias(f"n_{code}") for code in STATUS_CODES]
    rolled = now.group_by("focus_area_id", maintain_order=True).agg(
        pl.col("focus_area").first(),
        pl.len().cast(pl.Int64).alias("n_activities"),
        (pl.col("status") != NOT_EVALUATED_CODE).sum().cast(pl.Int64).alias("n_evaluated"),
        pl.col("completion").mean().alias("completion"),
        _most_serious(pl.col("status")).alias("status"),
        *[c.cast(pl.Int64) for c in counts],
    )
    last = _last_tertial_per_area(matrix, tertial)
    rolled = rolled.join(last, on="focus_area_id", how="left")
    if focus_areas is None:
        return rolled
    areas = focus_areas.select("focus_area_id", pl.col("name").alias("focus_area"))
    return (
        areas.join(rolled.drop("focus_area"), on="focus_area_id", how="left", maintain_order="left")
        .with_columns(
            pl.col("n_activities", "n_evaluated", *[f"n_{c}" for c in STATUS_CODES]).fill_null(0)
        )
        .select(rolled.columns)
    )


def _last_tertial_per_area(matrix: pl.DataFrame, tertial: int) -> pl.DataFrame:
    up_to = [t for t in period_numbers(matrix) if t <= tertial]
    evaluated_in = pl.max_horizontal(
        *[pl.when(pl.col(f"status_{t}").is_not_null()).then(pl.lit(t)) for t in up_to]
    )
    return matrix.group_by("focus_area_id").agg(
        evaluated_in.max().cast(pl.Int64).alias("last_tertial")
    )


def completion_per_tertial(matrix: pl.DataFrame) -> pl.DataFrame:
    """Per tertial: the mean completion of the evaluated activities (null where none),
    ``n_evaluated`` and ``n_activities``."""
    long = long_by_tertial(matrix)
    per = long.group_by("tertial").agg(
        pl.col("completion").mean().alias("completion"),
        (pl.col("status") != NOT_EVALUATED_CODE).sum().cast(pl.Int64).alias("n_evaluated"),
        pl.len().cast(pl.Int64).alias("n_activities"),
    )
    tertials = pl.DataFrame({"tertial": list(period_numbers(matrix))}, schema={"tertial": pl.Int64})
    return tertials.join(per, on="tertial", how="left").with_columns(
        pl.col("n_evaluated", "n_activities").fill_null(0)
    )


def status_counts_per_tertial(matrix: pl.DataFrame) -> pl.DataFrame:
    """Per tertial and status (including "ej_utvarderad"): the number of activities."""
    long = long_by_tertial(matrix)
    grid = pl.DataFrame(
        {"tertial": list(period_numbers(matrix))}, schema={"tertial": pl.Int64}
    ).join(pl.DataFrame({"status": list(STATUS_CODES)}), how="cross")
    counts = long.group_by("tertial", "status").agg(pl.len().cast(pl.Int64).alias("n"))
    return grid.join(counts, on=["tertial", "status"], how="left").with_columns(
        pl.col("n").fill_null(0)
    )


def with_latest(matrix: pl.DataFrame, *, up_to: int = 3) -> pl.DataFrame:
    """The matrix plus each activity's latest evaluation up to tertial ``up_to``:
    latest_tertial, latest_status, latest_completion, latest_achieved and latest_comment
    (the most recent non-empty comment)."""
    up = [t for t in period_numbers(matrix) if t <= up_to][::-1]

    def newest(name: str) -> pl.Expr:
        return pl.coalesce(*[pl.col(f"{name}_{t}") for t in up])

    def newest_when_evaluated(t: int) -> pl.Expr:
        return pl.when(pl.col(f"status_{t}").is_not_null()).then(pl.lit(t, pl.Int64))

    comments = [pl.when(pl.col(f"comment_{t}") != "").then(pl.col(f"comment_{t}")) for t in up]
    return matrix.with_columns(
        latest_tertial=pl.coalesce(*[newest_when_evaluated(t) for t in up]),
        latest_status=newest("status"),
        latest_completion=newest("completion"),
        latest_achieved=newest("achieved"),
        latest_comment=pl.coalesce(*comments),
    )


def filter_matrix(
    matrix: pl.DataFrame,
    *,
    focus_area_ids: Iterable[int] | None = None,
    owners: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
) -> pl.DataFrame:
    """Activities matching every given filter; ``statuses`` matches an activity that has one
    of them in any tertial ("ej_utvarderad" matches a tertial with nothing entered).
    ``None`` or an empty selection means no filter."""
    out = matrix
    if focus_area_ids:
        out = out.filter(pl.col("focus_area_id").is_in(list(focus_area_ids)))
    if owners:
        out = out.filter(pl.col("owner").is_in(list(owners)))
    if statuses:
        wanted = list(statuses)
        cells = [
            pl.col(f"status_{t}").fill_null(NOT_EVALUATED_CODE) for t in period_numbers(matrix)
        ]
        out = out.filter(pl.any_horizontal(*[c.is_in(wanted) for c in cells]))
    return out


def year_results(
    counts: pl.DataFrame,
    activities: pl.DataFrame,
    *,
    today: dt.date,
    by: tuple[str, ...] = (),
    last_periods: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """The result of each year (of each group of ``by``, e.g. per partnership).

    Args:
        counts: year, tertial, status, n (evaluations per status; ``queries`` makes it in SQL),
            and the ``by`` columns.
        activities: year, n (activities of the year's promise), and the ``by`` columns.
        today: Decides which years are still open.
        by: Key columns of a result per group (issue 11: per partnership in the regional
            view); empty for one partnership's years.
        last_periods: year, last_number, last_ends_on (and the ``by`` columns): the number
            and end of the year's last period of the promises (queries.trends). A year is
            then preliminary until that period has ended and is the one evaluated; without
            it, until T3 is (the tertial rhythm).

    Returns:
        The ``by`` columns, year, n_activities, result_tertial (3, or the latest evaluated
        tertial; null if none), n_evaluated, n_genomford, n_delvis, n_ej_genomford,
        n_not_evaluated, share_genomford (percent of evaluated, null when none is evaluated)
        and preliminary.
    """
    keys = [*by, "year"]
    result_tertial = counts.group_by(keys).agg(pl.col("tertial").max().alias("result_tertial"))
    at_result = counts.join(result_tertial, on=keys).filter(
        pl.col("tertial") == pl.col("result_tertial")
    )

    def count(codes: Iterable[str]) -> pl.Expr:
        return pl.col("n").filter(pl.col("status").is_in(list(codes))).sum().cast(pl.Int64)

    per_year = at_result.group_by(keys).agg(
        pl.col("result_tertial").first(),
        pl.col("n").sum().cast(pl.Int64).alias("n_evaluated"),
        count(["genomford"]).alias("n_genomford"),
        count(IN_PROGRESS).alias("n_delvis"),
        count(["ej_genomford"]).alias("n_ej_genomford"),
    )
    evaluated = pl.col("n_evaluated")
    return (
        activities.rename({"n": "n_activities"})
        .join(per_year, on=keys, how="left")
        .with_columns(
            pl.col("n_evaluated", "n_genomford", "n_delvis", "n_ej_genomford").fill_null(0)
        )
        .with_columns(
            n_not_evaluated=(pl.col("n_activities") - evaluated).clip(lower_bound=0),
            share_genomford=pl.when(evaluated > 0).then(pl.col("n_genomford") / evaluated * 100),
            preliminary=(pl.col("year") >= today.year)
            | (pl.col("result_tertial").fill_null(0) < 3),
        )
        .pipe(_preliminary_by_periods, last_periods, keys, today)
        .sort(keys)
    )


def _preliminary_by_periods(
    results: pl.DataFrame, last_periods: pl.DataFrame | None, keys: list[str], today: dt.date
) -> pl.DataFrame:
    """``preliminary`` by the promises' own last period of the year, where it is known."""
    if last_periods is None:
        return results
    return (
        results.join(last_periods, on=keys, how="left")
        .with_columns(
            preliminary=pl.when(pl.col("last_number").is_null())
            .then(pl.col("preliminary"))
            .otherwise(
                (pl.col("last_ends_on") >= today)
                | (pl.col("result_tertial").fill_null(0) != pl.col("last_number"))
            )
        )
        .drop("last_number", "last_ends_on")
    )


PROMISE_KEYS = ("kommun_name", "kommun_code", "police_area", "region", "title", "area", "source")


def promise_status(rows: pl.DataFrame) -> pl.DataFrame:
    """Each promise's period, from one row per activity (``queries.region``, issue 11).

    Returns:
        promise_id, kommun_name, kommun_code, police_area, region, title, area, source, period
        and period_number (its name and number in the year, null when the promise has no such
        period), n_activities, n_evaluated,
        completion (mean over evaluated activities, null if none) and status (the most
        serious, null if none is evaluated): the same rules as a focus area's card.
    """
    status = pl.col("status").fill_null(NOT_EVALUATED_CODE)
    return rows.group_by("promise_id", maintain_order=True).agg(
        pl.col(*PROMISE_KEYS, "period", "period_number").first(),
        pl.len().cast(pl.Int64).alias("n_activities"),
        pl.col("status").is_not_null().sum().cast(pl.Int64).alias("n_evaluated"),
        pl.col("completion").mean().alias("completion"),
        _most_serious(status).alias("status"),
    )


def not_evaluated_last_period(last_ended: pl.DataFrame, *, today: dt.date) -> pl.DataFrame:
    """The promises that have not evaluated every activity in their last ended period.

    Args:
        last_ended: ``queries.load_last_ended``'s rows: one per promise with its last period
            that ended before ``today``, n_activities and n_evaluated in it.
        today: The day the days since the period ended are counted to.

    Returns:
        The same columns plus days_since_end, for the promises with fewer evaluated than
        activities, in the input's order (kommun, then area).
    """
    return last_ended.filter(pl.col("n_evaluated") < pl.col("n_activities")).with_columns(
        days_since_end=(pl.lit(today) - pl.col("ends_on")).dt.total_days().cast(pl.Int64)
    )


def partnership_year_results(
    counts: pl.DataFrame, last_periods: pl.DataFrame, *, today: dt.date
) -> pl.DataFrame:
    """Each partnership's result per year, from its promises' periods (issue 11).

    A promise's year result is the share genomförd at its last evaluated period ending in that
    year (docs/architecture.md, "Roll-ups"); it is preliminary while the year's last period has not
    ended by ``today`` or has no evaluation. A partnership's year pools its promises (a kommun
    with promises for several areas) and is preliminary when any of them is.

    Args:
        counts: promise_id, year, period_no, status, n (evaluations; other years are left out).
        last_periods: kommun_code, promise_id, year, last_number, last_ends_on: each promise's
            last period of each year.
        today: Decides which periods have ended.

    Returns:
        kommun_code, year, n_evaluated, n_genomford, share_genomford (percent of evaluated,
        null when none is) and preliminary, by kommun_code and year.
    """
    keys = ["promise_id", "year"]
    at = counts.with_columns(pl.col("period_no").max().over(keys).alias("result_period"))
    per_promise = (
        at.filter(pl.col("period_no") == pl.col("result_period"))
        .group_by(keys)
        .agg(
            pl.col("result_period").first(),
            pl.col("n").sum().cast(pl.Int64).alias("n_evaluated"),
            pl.col("n").filter(pl.col("status") == "genomford").sum().cast(pl.Int64)
            .alias("n_genomford"),
        )
    )  # fmt: skip
    promises = last_periods.join(per_promise, on=keys, how="left").with_columns(
        pl.col("n_evaluated", "n_genomford").fill_null(0),
        preliminary=(pl.col("last_ends_on") >= today)
        | (pl.col("result_period").fill_null(0) != pl.col("last_number")),
    )
    evaluated = pl.col("n_evaluated")
    return (
        promises.group_by("kommun_code", "year")
        .agg(pl.col("n_evaluated", "n_genomford").sum(), pl.col("preliminary").any())
        .with_columns(
            share_genomford=pl.when(evaluated > 0).then(pl.col("n_genomford") / evaluated * 100)
        )
        .select("kommun_code", "year", "n_evaluated", "n_genomford", "share_genomford",
                "preliminary")
        .sort("kommun_code", "year")
    )  # fmt: skip


def focus_area_activities(matrix: pl.DataFrame, focus_area_id: int) -> pl.DataFrame:
    """One focus area's activities with their latest evaluation (``with_latest``), plus
    ``status`` and ``completion`` set to the latest ones, ready for ``charts.completion_chart``."""
    rows = with_latest(matrix.filter(pl.col("focus_area_id") == focus_area_id))
    return rows.with_columns(status=pl.col("latest_status"), completion=pl.col("latest_completion"))
