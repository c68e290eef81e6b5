"""What every query module shares: rows to a typed frame, the year's promise, data_version.

Frames are built with an explicit schema rather than inferred, so an empty result has the same
columns and types as a full one and the pages can treat "no rows" as an ordinary frame.
"""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
from sqlalchemy import Connection, Select, func, select

from db.models import Activity, AuditLog, Evaluation, Partnership, Promise

FIRST_YEAR = 2007  # Strängnäs kommun and the police have cooperated since 2007 (DESIGN.md).


def frame(conn: Connection, query: Select, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Run ``query`` and return its rows as a frame with exactly ``schema``.

    Naive datetimes (SQLite keeps no time zone) are read as UTC, which is what the app writes.
    JSON objects become JSON text, so frames pickle into Streamlit's cache.
    """
    rows = [tuple(_cell(value) for value in row) for row in conn.execute(query)]
    return pl.DataFrame(rows, schema=schema, orient="row")


def _cell(value):
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    if isinstance(value, dict):  # JSON objects (audit before/after) travel as JSON text
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def promise_of_year(year: int, *, partnership: str | None):
    """The promise (or promises, nationally) covering ``year``, as a subquery of ids.

    Args:
        year: The year the promise must cover (year_from <= year <= year_to).
        partnership: SCB code of the kommun; ``None`` means every partnership.
    """
    query = select(Promise.id).where(Promise.year_from <= year, Promise.year_to >= year)
    return _in_partnership(query, partnership).scalar_subquery()


def activities_of_year(year: int, *, partnership: str | None):
    """Ids of the (not archived) activities of the year's promise, as an IN-able subquery.

    Filtering evaluations with ``activity_id IN (...)`` lets the database use the unique
    (activity_id, year, tertial) index instead of scanning every evaluation of the year, which
    matters at national scale (290 partnerships).
    """
    return select(Activity.id).where(
        Activity.promise_id == promise_of_year(year, partnership=partnership),
        Activity.archived.is_(False),
    )


def _in_partnership(query: Select, partnership: str | None) -> Select:
    if partnership is None:
        return query
    return query.join(Partnership, Partnership.id == Promise.partnership_id).where(
        Partnership.kommun_code == partnership
    )


def in_partnership(query: Select, partnership: str | None) -> Select:
    """``query`` (already joined to Promise) limited to one partnership's rows."""
    return _in_partnership(query, partnership)


def build_data_version_query() -> Select:
    """The latest audit-log id, the number of audit rows and the newest evaluation/activity id.

    Every write through the app adds an audit row in its own transaction. The count is there
    because PostgreSQL hands out ids before commit: a transaction holding a lower id can commit
    after one with a higher id, leaving max(id) unchanged. The max ids of evaluation and
    activity catch loaders that write without audit rows. All four are index lookups or one
    narrow count: well under a millisecond for one partnership, a few at national scale.
    """
    return select(
        select(func.max(AuditLog.id)).scalar_subquery(),
        select(func.count(AuditLog.id)).scalar_subquery(),
        select(func.max(Evaluation.id)).scalar_subquery(),
        select(func.max(Activity.id)).scalar_subquery(),
        select(func.max(Promise.id)).scalar_subquery(),
    )


def data_version(conn: Connection) -> str:
    """A short string that changes after every write of promise data (for cache keys)."""
    values = conn.execute(build_data_version_query()).one()
    return ":".join("-" if value is None else str(value) for value in values)
