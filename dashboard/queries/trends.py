"""Trends since 2007: year results, activities per theme and owner, recurring activities.

Everything here is aggregated in SQL (GROUP BY year, ...), so a page receives a few hundred
rows however many evaluations the database holds (290 partnerships ≈ 200 000 evaluations).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import polars as pl
from sqlalchemy import Connection, Integer, Select, func, literal, select

from dashboard import rollups
from dashboard.queries.base import FIRST_YEAR, frame, in_series
from db.models import Activity, Evaluation, FocusArea, Period, Promise

STATUS_COUNTS_SCHEMA = {
    "year": pl.Int64,
    "tertial": pl.Int64,
    "status": pl.String,
    "n": pl.Int64,
}
ACTIVITY_COUNTS_SCHEMA = {"year": pl.Int64, "key": pl.String, "n": pl.Int64}
LINEAGE_SCHEMA = {
    "lineage_key": pl.String,
    "year": pl.Int64,
    "activity_id": pl.Int64,
    "title": pl.String,
    "owner": pl.String,
    "tertial": pl.Int64,
    "status": pl.String,
    "completion": pl.Int64,
}


def years_cte(first_year: int, last_year: int):
    """A recursive CTE with one row per year from ``first_year`` to ``last_year``.

    Works the same on SQLite and PostgreSQL; a two-year promise then joins to both its years.
    """
    years = select(literal(first_year, Integer).label("year")).cte("years", recursive=True)
    step = select((years.c.year + 1).label("year")).where(years.c.year < last_year)
    return years.union_all(step)


def build_status_counts_query(
    first_year: int, last_year: int, *, partnership: str | None
) -> Select:
    """Evaluations per year, tertial and status (only evaluations inside their promise's years)."""
    query = (
        select(Evaluation.year, Evaluation.period_no, Evaluation.status, func.count())
        .join(Activity, Activity.id == Evaluation.activity_id)
        .join(Promise, Promise.id == Activity.promise_id)
        .where(
            Evaluation.year.between(first_year, last_year),
            Evaluation.year.between(Promise.year_from, Promise.year_to),
            Activity.archived.is_(False),
        )
        .group_by(Evaluation.year, Evaluation.period_no, Evaluation.status)
        .order_by(Evaluation.year, Evaluation.period_no, Evaluation.status)
    )
    return in_series(query, partnership)


def build_activity_counts_query(
    first_year: int,
    last_year: int,
    *,
    partnership: str | None,
    by: Literal["theme", "owner", "all"],
) -> Select:
    """Number of activities per year, split by focus-area theme, by owner or not at all."""
    years = years_cte(first_year, last_year)
    key = {"theme": FocusArea.theme, "owner": Activity.owner, "all": literal("alla")}[by]
    query = (
        select(years.c.year, key.label("key"), func.count(Activity.id))
        .select_from(years)
        .join(Promise, years.c.year.between(Promise.year_from, Promise.year_to))
        .join(Activity, Activity.promise_id == Promise.id)
        .join(FocusArea, FocusArea.id == Activity.focus_area_id)
        .where(Activity.archived.is_(False))
        .group_by(years.c.year, key)
        .order_by(years.c.year, key)
    )
    return in_series(query, partnership)


def load_activity_counts(
    conn: Connection,
    *,
    partnership: str | None,
    by: Literal["theme", "owner", "all"],
    first_year: int = FIRST_YEAR,
    last_year: int,
) -> pl.DataFrame:
    """Activities per year and ``key`` (a theme code, an owner code or "alla")."""
    query = build_activity_counts_query(first_year, last_year, partnership=partnership, by=by)
    return frame(conn, query, ACTIVITY_COUNTS_SCHEMA)


def load_year_results(
    conn: Connection,
    *,
    partnership: str | None,
    today: dt.date,
    first_year: int = FIRST_YEAR,
) -> pl.DataFrame:
    """The result of every year from ``first_year`` to ``today``'s year.

    See ``rollups.year_results`` for the columns; years without a promise are left out.
    """
    last_year = today.year
    counts = frame(
        conn,
        build_status_counts_query(first_year, last_year, partnership=partnership),
        STATUS_COUNTS_SCHEMA,
    )
    activities = load_activity_counts(
        conn, partnership=partnership, by="all", first_year=first_year, last_year=last_year
    )
    last_periods = frame(
        conn,
        build_last_periods_query(first_year, last_year, partnership=partnership),
        LAST_PERIODS_SCHEMA,
    )
    return rollups.year_results(
        counts, activities.drop("key"), today=today, last_periods=last_periods
    )


LAST_PERIODS_SCHEMA = {"year": pl.Int64, "last_number": pl.Int64, "last_ends_on": pl.Date}


def build_last_periods_query(first_year: int, last_year: int, *, partnership: str | None):
    """The number and end of the last period ending in each year, of the series' promises."""
    query = (
        select(Period.year, func.max(Period.number), func.max(Period.ends_on))
        .select_from(Period)
        .join(Promise, Promise.id == Period.promise_id)
        .where(Period.year.between(first_year, last_year))
        .group_by(Period.year)
    )
    return in_series(query, partnership)


def build_lineage_query(first_year: int, last_year: int, *, partnership: str | None) -> Select:
    """Activities that share a lineage key with an activity of another year, with the status
    of their latest evaluated tertial in each year."""
    years = years_cte(first_year, last_year)
    per_year = (
        select(Activity.id.label("activity_id"), years.c.year, Activity.lineage_key)
        .select_from(years)
        .join(Promise, years.c.year.between(Promise.year_from, Promise.year_to))
        .join(Activity, Activity.promise_id == Promise.id)
        .where(Activity.lineage_key.is_not(None), Activity.archived.is_(False))
    )
    # One CTE, used three times below: SQLite and PostgreSQL materialise it once, from the
    # partnership's own promises; as a subquery SQLite planned one copy from every activity
    # of the country (200 ms per kommun at national scale, issue 15).
    per_year = in_series(per_year, partnership).cte("per_year")
    recurring = (
        select(per_year.c.lineage_key)
        .group_by(per_year.c.lineage_key)
        .having(func.count(func.distinct(per_year.c.year)) > 1)
    )
    # Only the evaluations of these activities: at national scale grouping every evaluation
    # would cost a second on SQLite; this way the unique (activity, year, tertial) index serves.
    latest = (
        select(Evaluation.activity_id, Evaluation.year, func.max(Evaluation.period_no).label("t"))
        .where(Evaluation.activity_id.in_(select(per_year.c.activity_id)))
        .group_by(Evaluation.activity_id, Evaluation.year)
        .subquery()
    )
    return (
        select(
            per_year.c.lineage_key,
            per_year.c.year,
            Activity.id,
            Activity.title,
            Activity.owner,
            latest.c.t,
            Evaluation.status,
            Evaluation.completion,
        )
        .join(Activity, Activity.id == per_year.c.activity_id)
        .outerjoin(
            latest,
            (latest.c.activity_id == per_year.c.activity_id) & (latest.c.year == per_year.c.year),
        )
        .outerjoin(
            Evaluation,
            (Evaluation.activity_id == latest.c.activity_id)
            & (Evaluation.year == latest.c.year)
            & (Evaluation.period_no == latest.c.t),
        )
        .where(per_year.c.lineage_key.in_(recurring))
        .order_by(per_year.c.lineage_key, per_year.c.year)
    )


def load_lineage(
    conn: Connection,
    *,
    partnership: str | None,
    last_year: int,
    first_year: int = FIRST_YEAR,
) -> pl.DataFrame:
    """Recurring activities followed across years: one row per lineage key and year."""
    query = build_lineage_query(first_year, last_year, partnership=partnership)
    return frame(conn, query, LINEAGE_SCHEMA)


PROMISE_PERIODS_SCHEMA = {"year_from": pl.Int64, "year_to": pl.Int64, "title": pl.String}


def build_promise_periods_query(*, partnership: str | None) -> Select:
    """The years and title of every promise of the series, oldest first (issue 12: the
    promise periods marked on an indicator's time axis)."""
    query = select(Promise.year_from, Promise.year_to, Promise.title).order_by(
        Promise.year_from, Promise.id
    )
    return in_series(query, partnership)


def load_promise_periods(conn: Connection, *, partnership: str | None) -> pl.DataFrame:
    """``year_from``, ``year_to`` and ``title`` of the series' promises (PROMISE_PERIODS_SCHEMA)."""
    return frame(conn, build_promise_periods_query(partnership=partnership), PROMISE_PERIODS_SCHEMA)
