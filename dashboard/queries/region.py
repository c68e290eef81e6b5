"""The view above one partnership (issue 11): every promise of a police region or the nation.

One row per promise, so a kommun with promises for several areas has several. Rows are few
even nationally (one per activity of the year, about 3,000; one per promise with its last
ended period, a few hundred; evaluations counted per promise, year, period and status, a few
ten thousand), so the SQL groups what it can and polars rolls the rest up with the same rules
as one partnership's pages (dashboard/rollups.py).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import Connection, Select, and_, func, select
from sqlalchemy.orm import aliased

from dashboard import rollups
from dashboard.queries.base import FIRST_YEAR, frame
from db.models import Activity, Evaluation, FocusArea, Organisation, Partnership, Period, Promise

REGIONS_SCHEMA = {"code": pl.String, "name": pl.String}
_PROMISE_SCHEMA = {
    "kommun_code": pl.String,
    "kommun_name": pl.String,
    "police_area": pl.String,
    "region": pl.String,
    "promise_id": pl.Int64,
    "title": pl.String,
    "area": pl.String,
    "source": pl.String,
}
ACTIVITY_STATUS_SCHEMA = _PROMISE_SCHEMA | {
    "period": pl.String,
    "period_number": pl.Int64,
    "activity_id": pl.Int64,
    "status": pl.String,
    "completion": pl.Int64,
}
LAST_ENDED_SCHEMA = _PROMISE_SCHEMA | {
    "period": pl.String,
    "year": pl.Int64,
    "number": pl.Int64,
    "ends_on": pl.Date,
    "n_activities": pl.Int64,
    "n_evaluated": pl.Int64,
}
PROMISE_COUNTS_SCHEMA = {
    "promise_id": pl.Int64,
    "year": pl.Int64,
    "period_no": pl.Int64,
    "status": pl.String,
    "n": pl.Int64,
}
LAST_PERIODS_SCHEMA = {
    "kommun_code": pl.String,
    "promise_id": pl.Int64,
    "year": pl.Int64,
    "last_number": pl.Int64,
    "last_ends_on": pl.Date,
}
THEMES_SCHEMA = {"region": pl.String, "theme": pl.String, "n_promises": pl.Int64}

_AREA = aliased(Organisation, name="area")
_REGION = aliased(Organisation, name="region")


def _with_region(query: Select, region: str | None) -> Select:
    """``query`` (joined to Partnership) joined to its police area's region, limited to one."""
    query = query.outerjoin(_AREA, _AREA.id == Partnership.police_area_id).outerjoin(
        _REGION, _REGION.id == _AREA.parent_id
    )
    return query if region is None else query.where(_REGION.code == region)


def _promise_columns() -> tuple:
    """The columns of ``_PROMISE_SCHEMA``: the partnership, its region and the promise."""
    return (
        Partnership.kommun_code,
        Partnership.kommun_name,
        Partnership.police_area,
        _REGION.name,
        Promise.id,
        Promise.title,
        Promise.area,
        Promise.source,
    )


def _valid_in(year: int):
    return and_(Promise.year_from <= year, Promise.year_to >= year)


def build_regions_query() -> Select:
    """The seven police regions, by name."""
    return (
        select(Organisation.code, Organisation.name)
        .where(Organisation.kind == "polisregion")
        .order_by(Organisation.name)
    )


def load_regions(conn: Connection) -> pl.DataFrame:
    """code, name of every police region."""
    return frame(conn, build_regions_query(), REGIONS_SCHEMA)


CURRENT = 0  # the period number that means "each promise's current period"


def _period_of_promise(year: int, number: int, day: dt.date | None):
    """The join condition for the promise's period shown: number ``number`` of ``year``, or
    with ``CURRENT`` the promise's latest period of ``year`` that has begun by ``day`` (its
    current one this year; the year's last for a past year)."""
    if number != CURRENT:
        return and_(Period.promise_id == Promise.id, Period.year == year, Period.number == number)
    day = day or dt.date(year, 12, 31)
    latest = aliased(Period)
    current = (
        select(latest.id)
        .where(latest.promise_id == Promise.id, latest.year == year, latest.starts_on <= day)
        .order_by(latest.starts_on.desc())
        .limit(1)
        .correlate(Promise)
        .scalar_subquery()
    )
    return Period.id == current


def build_activity_status_query(
    year: int, number: int, *, region: str | None, day: dt.date | None = None
) -> Select:
    """Every (not archived) activity of the year's promises in ``region`` (None: the nation),
    with its promise, the promise's period shown (``number`` of ``year``, or with ``CURRENT``
    each promise's current period on ``day``; its name, null when the promise has none) and
    the activity's evaluation of it (null when none)."""
    query = (
        select(
            *_promise_columns(),
            Period.name,
            Period.number,
            Activity.id,
            Evaluation.status,
            Evaluation.completion,
        )
        .select_from(Activity)
        .join(Promise, Promise.id == Activity.promise_id)
        .join(Partnership, Partnership.id == Promise.partnership_id)
        .outerjoin(Period, _period_of_promise(year, number, day))
        .outerjoin(
            Evaluation,
            and_(Evaluation.activity_id == Activity.id, Evaluation.period_id == Period.id),
        )
        .where(_valid_in(year), Activity.archived.is_(False))
        .order_by(Partnership.kommun_name, Promise.area.is_not(None), Promise.area, Activity.id)
    )
    return _with_region(query, region)


def load_activity_status(
    conn: Connection, year: int, number: int, *, region: str | None, day: dt.date | None = None
) -> pl.DataFrame:
    """``build_activity_status_query``'s rows (see ``rollups.promise_status``)."""
    query = build_activity_status_query(year, number, region=region, day=day)
    return frame(conn, query, ACTIVITY_STATUS_SCHEMA)


def last_ended_periods(today: dt.date, *, ended_after: dt.date | None = None):
    """Each promise's last period that ended before ``today`` (``db.periods.last_ended``), as
    a subquery of promise_id and ends_on; join Period on both to get the period. With
    ``ended_after``, a promise whose last ended period ended before that day is left out."""
    query = select(Period.promise_id, func.max(Period.ends_on).label("ends_on")).where(
        Period.ends_on < today
    )
    ended = query.group_by(Period.promise_id)
    if ended_after is not None:
        ended = ended.having(func.max(Period.ends_on) >= ended_after)
    return ended.subquery()


def build_last_ended_query(year: int, *, region: str | None, today: dt.date) -> Select:
    """Each promise of ``year`` in ``region`` with the last of its periods that ended before
    ``today`` (``db.periods.last_ended``), its activities and how many have an evaluation of
    that period. Promises with no ended period yet are left out."""
    ended = last_ended_periods(today)
    live = Activity.archived.is_(False)
    n_activities = (
        select(func.count(Activity.id)).where(Activity.promise_id == Promise.id, live)
    ).scalar_subquery()
    n_evaluated = (
        select(func.count(Evaluation.id))
        .join(Activity, Activity.id == Evaluation.activity_id)
        .where(Evaluation.period_id == Period.id, live)
    ).scalar_subquery()
    query = (
        select(
            *_promise_columns(),
            Period.name,
            Period.year,
            Period.number,
            Period.ends_on,
            n_activities,
            n_evaluated,
        )
        .select_from(Promise)
        .join(Partnership, Partnership.id == Promise.partnership_id)
        .join(ended, ended.c.promise_id == Promise.id)
        .join(Period, and_(Period.promise_id == Promise.id, Period.ends_on == ended.c.ends_on))
        .where(_valid_in(year))
        .order_by(Partnership.kommun_name, Promise.area.is_not(None), Promise.area)
    )
    return _with_region(query, region)


def load_last_ended(
    conn: Connection, year: int, *, region: str | None, today: dt.date
) -> pl.DataFrame:
    """``build_last_ended_query``'s rows (see ``rollups.not_evaluated_last_period``)."""
    return frame(conn, build_last_ended_query(year, region=region, today=today), LAST_ENDED_SCHEMA)


def build_promise_counts_query(*, region: str | None) -> Select:
    """Evaluations per promise, year, period and status of its (not archived) activities.

    Every year: evaluations exist only in periods that have started, and the year's promises
    (``build_last_periods_query``) pick the years wanted. Without a year filter SQLite reads
    the evaluations by their (activity, year, period) index, twice as fast at national scale.
    """
    query = (
        select(
            Activity.promise_id,
            Evaluation.year,
            Evaluation.period_no,
            Evaluation.status,
            func.count(),
        )
        .select_from(Evaluation)
        .join(Activity, Activity.id == Evaluation.activity_id)
        .where(Activity.archived.is_(False))
        .group_by(Activity.promise_id, Evaluation.year, Evaluation.period_no, Evaluation.status)
    )
    if region is None:
        return query
    in_region = _with_region(
        select(Promise.id).join(Partnership, Partnership.id == Promise.partnership_id), region
    )
    return query.where(Activity.promise_id.in_(in_region))


def build_last_periods_query(first_year: int, last_year: int, *, region: str | None):
    """Each promise's last period in each year: its number and the day it ends."""
    query = (
        select(
            Partnership.kommun_code,
            Period.promise_id,
            Period.year,
            func.max(Period.number),
            func.max(Period.ends_on),
        )
        .select_from(Period)
        .join(Promise, Promise.id == Period.promise_id)
        .join(Partnership, Partnership.id == Promise.partnership_id)
        .where(Period.year.between(first_year, last_year))
        .group_by(Partnership.kommun_code, Period.promise_id, Period.year)
    )
    return _with_region(query, region)


def load_year_result_distribution(
    conn: Connection, *, region: str | None, today: dt.date, first_year: int = FIRST_YEAR
) -> pl.DataFrame:
    """Each partnership's year result in ``region`` since 2007: kommun_code, year,
    share_genomford, preliminary (``rollups.partnership_year_results``)."""
    counts = frame(conn, build_promise_counts_query(region=region), PROMISE_COUNTS_SCHEMA)
    last_periods = frame(
        conn,
        build_last_periods_query(first_year, today.year, region=region),
        LAST_PERIODS_SCHEMA,
    )
    results = rollups.partnership_year_results(counts, last_periods, today=today)
    return results.select("kommun_code", "year", "share_genomford", "preliminary")


def build_themes_query(year: int, *, codes: tuple[str, ...] | None = None) -> Select:
    """Promises of ``year`` per police region and focus-area theme (of the partnerships of
    ``codes`` only, when given: a reader's scope)."""
    query = (
        select(_REGION.name, FocusArea.theme, func.count(func.distinct(Promise.id)))
        .select_from(FocusArea)
        .join(Promise, Promise.id == FocusArea.promise_id)
        .join(Partnership, Partnership.id == Promise.partnership_id)
        .where(Promise.year_from <= year, Promise.year_to >= year, FocusArea.archived.is_(False))
    )
    query = _with_region(query, None)
    if codes is not None:
        query = query.where(Partnership.kommun_code.in_(codes))
    return query.group_by(_REGION.name, FocusArea.theme).order_by(_REGION.name, FocusArea.theme)


def load_themes(
    conn: Connection, year: int, *, codes: tuple[str, ...] | None = None
) -> pl.DataFrame:
    """region, theme, n_promises for ``year`` (region null: a police area without one)."""
    return frame(conn, build_themes_query(year, codes=codes), THEMES_SCHEMA)
