"""The promise of a year: its partnership, signatories, focus areas and activities."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, Select, func, select

from dashboard.queries.base import frame, in_partnership, promise_of_year, split_key
from db.models import Activity, FocusArea, Partnership, Period, Promise

SIGNATORY = pl.Struct({"name": pl.String, "role": pl.String})

YEARS_SCHEMA = {
    "promise_id": pl.Int64,
    "year_from": pl.Int64,
    "year_to": pl.Int64,
    "kind": pl.String,
    "source": pl.String,
}
PROMISE_SCHEMA = {
    "promise_id": pl.Int64,
    "year_from": pl.Int64,
    "year_to": pl.Int64,
    "kind": pl.String,
    "title": pl.String,
    "signed_on": pl.Date,
    "signatories": pl.List(SIGNATORY),
    "summary": pl.String,
    "source": pl.String,
    "source_url": pl.String,
    "kommun_name": pl.String,
    "police_area": pl.String,
    "valid_from": pl.Date,
    "valid_to": pl.Date,
    "area": pl.String,
    "rhythm": pl.String,
}
FOCUS_AREA_SCHEMA = {
    "focus_area_id": pl.Int64,
    "name": pl.String,
    "description": pl.String,
    "theme": pl.String,
    "sort_order": pl.Int64,
    "n_activities": pl.Int64,
}
ACTIVITY_SCHEMA = {
    "activity_id": pl.Int64,
    "focus_area_id": pl.Int64,
    "focus_area": pl.String,
    "title": pl.String,
    "description": pl.String,
    "owner": pl.String,
    "partners": pl.List(pl.String),
    "target_value": pl.Float64,
    "target_unit": pl.String,
    "lineage_key": pl.String,
    "source": pl.String,
    "source_url": pl.String,
}


PERIODS_SCHEMA = {
    "period_id": pl.Int64,
    "number": pl.Int64,
    "code": pl.String,
    "name": pl.String,
    "starts_on": pl.Date,
    "ends_on": pl.Date,
}
PARTNERSHIPS_SCHEMA = {"code": pl.String, "name": pl.String, "police_area": pl.String}


def build_partnerships_query() -> Select:
    """Every partnership with a promise: its kommun's SCB code and name, by name (issue 11)."""
    with_promise = select(Promise.partnership_id).distinct()
    return (
        select(Partnership.kommun_code, Partnership.kommun_name, Partnership.police_area)
        .where(Partnership.id.in_(with_promise))
        .order_by(Partnership.kommun_name, Partnership.kommun_code)
    )


def load_partnerships(conn: Connection) -> pl.DataFrame:
    """The partnerships a visitor can choose between: code, name, police_area."""
    return frame(conn, build_partnerships_query(), PARTNERSHIPS_SCHEMA)


def build_years_query(*, partnership: str | None) -> Select:
    """Every promise of the partnership with its years, oldest first."""
    query = select(
        Promise.id, Promise.year_from, Promise.year_to, Promise.kind, Promise.source
    ).order_by(Promise.year_from)
    return in_partnership(query, partnership)


def load_years(conn: Connection, *, partnership: str | None) -> pl.DataFrame:
    """One row per year covered by a promise: year, promise_id, kind, source.

    A two-year promise (2022–2023) gives two rows with the same promise_id.
    """
    promises = frame(conn, build_years_query(partnership=partnership), YEARS_SCHEMA)
    return (
        promises.with_columns(year=pl.int_ranges("year_from", pl.col("year_to") + 1))
        .explode("year")
        .select("year", "promise_id", "kind", "source")
        .sort("year")
    )


# A promise's own columns, in PROMISE_SCHEMA's order: the browse pages' promise below and the
# Administration page's list (dashboard/admin/queries.py) select the same columns.
PROMISE_COLUMNS = (
    Promise.id,
    Promise.year_from,
    Promise.year_to,
    Promise.kind,
    Promise.title,
    Promise.signed_on,
    Promise.signatories,
    Promise.summary,
    Promise.source,
)


def build_promise_query(year: int, *, partnership: str) -> Select:
    """The promise covering ``year`` with its partnership's names."""
    return (
        select(
            *PROMISE_COLUMNS,
            Promise.source_url,
            Partnership.kommun_name,
            Partnership.police_area,
            Promise.valid_from,
            Promise.valid_to,
            Promise.area,
            Promise.rhythm,
        )
        .join(Partnership, Partnership.id == Promise.partnership_id)
        .where(Promise.id == promise_of_year(year, partnership=partnership))
    )


def load_promise(conn: Connection, year: int, *, partnership: str) -> pl.DataFrame:
    """The promise of ``year`` as one row (no rows when there is none).

    ``signatories`` is a list of {name, role}.
    """
    return frame(conn, build_promise_query(year, partnership=partnership), PROMISE_SCHEMA)


YEAR_PROMISES_SCHEMA = {
    "promise_id": pl.Int64,
    "area": pl.String,
    "valid_from": pl.Date,
    "valid_to": pl.Date,
    "title": pl.String,
    "rhythm": pl.String,
}


def build_year_promises_query(year: int, *, partnership: str) -> Select:
    """Every promise of the kommun covering ``year``: the whole kommun's first, then by area."""
    code, _ = split_key(partnership)
    query = select(
        Promise.id, Promise.area, Promise.valid_from, Promise.valid_to, Promise.title,
        Promise.rhythm,
    ).where(Promise.year_from <= year, Promise.year_to >= year)  # fmt: skip
    return in_partnership(query, code).order_by(
        Promise.area.is_not(None), Promise.area, Promise.valid_from
    )


def load_year_promises(conn: Connection, year: int, *, partnership: str) -> pl.DataFrame:
    """The promises a page can show for ``year`` (the promise picker's options)."""
    return frame(conn, build_year_promises_query(year, partnership=partnership),
                 YEAR_PROMISES_SCHEMA)  # fmt: skip


def build_periods_query(year: int, *, partnership: str) -> Select:
    """The periods of the year's promise that end in ``year``, in order."""
    return (
        select(Period.id, Period.number, Period.code, Period.name, Period.starts_on, Period.ends_on)
        .where(
            Period.promise_id == promise_of_year(year, partnership=partnership),
            Period.year == year,
        )
        .order_by(Period.number)
    )


def load_periods(conn: Connection, year: int, *, partnership: str) -> pl.DataFrame:
    """The year's follow-up periods of the shown promise: number, code ("T1", "K2"), name
    ("T1 jan–apr"), dates. Pages offer these in the period picker."""
    return frame(conn, build_periods_query(year, partnership=partnership), PERIODS_SCHEMA)


# A focus area's own columns: its list below and the Administration page's
# (dashboard/admin/queries.py, which adds archived ones) select the same first columns.
FOCUS_AREA_COLUMNS = (
    FocusArea.id,
    FocusArea.name,
    FocusArea.description,
    FocusArea.theme,
    FocusArea.sort_order,
)


def build_focus_areas_query(year: int, *, partnership: str) -> Select:
    """The focus areas of the year's promise with their number of activities."""
    n_activities = (
        select(func.count(Activity.id))
        .where(Activity.focus_area_id == FocusArea.id, Activity.archived.is_(False))
        .correlate(FocusArea)
        .scalar_subquery()
    )
    return (
        select(*FOCUS_AREA_COLUMNS, n_activities)
        .where(
            FocusArea.promise_id == promise_of_year(year, partnership=partnership),
            FocusArea.archived.is_(False),
        )
        .order_by(FocusArea.sort_order, FocusArea.id)
    )


def load_focus_areas(conn: Connection, year: int, *, partnership: str) -> pl.DataFrame:
    """Focus areas of the year's promise in their sort order, with ``n_activities``."""
    query = build_focus_areas_query(year, partnership=partnership)
    return frame(conn, query, FOCUS_AREA_SCHEMA)


def build_activities_query(year: int, *, partnership: str) -> Select:
    """The (not archived) activities of the year's promise, in focus-area order."""
    return (
        select(
            Activity.id,
            Activity.focus_area_id,
            FocusArea.name,
            Activity.title,
            Activity.description,
            Activity.owner,
            Activity.partners,
            Activity.target_value,
            Activity.target_unit,
            Activity.lineage_key,
            Activity.source,
            Activity.source_url,
        )
        .join(FocusArea, FocusArea.id == Activity.focus_area_id)
        .where(
            Activity.promise_id == promise_of_year(year, partnership=partnership),
            Activity.archived.is_(False),
            FocusArea.archived.is_(False),
        )
        .order_by(FocusArea.sort_order, FocusArea.id, Activity.sort_order, Activity.id)
    )


def load_activities(conn: Connection, year: int, *, partnership: str) -> pl.DataFrame:
    """Activities of the year's promise with their focus area, owner, partners and target."""
    query = build_activities_query(year, partnership=partnership)
    return frame(conn, query, ACTIVITY_SCHEMA)
