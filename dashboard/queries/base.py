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
from db.vocabulary import FIRST_YEAR

__all__ = ["FIRST_YEAR", "frame", "promise_key", "promise_of_year", "split_key"]


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


def split_key(partnership: str) -> tuple[str, int | None]:
    """A view key's kommun code and promise id: ``"0486"`` or ``"0180/57"``.

    The browse pages name what they show by one string, which the caches key on: the kommun's
    SCB code alone means its promise for the whole kommun; ``code/id`` names one of several
    promises (a named area, or two promises in one year) chosen in the promise picker.
    """
    code, _, promise = partnership.partition("/")
    return code, int(promise) if promise.isdigit() else None


def promise_key(code: str, promise_id: int | None) -> str:
    """The view key for ``promise_id`` of kommun ``code`` (the code alone for ``None``)."""
    return code if promise_id is None else f"{code}/{promise_id}"


def promise_of_year(year: int, *, partnership: str | None):
    """The promise (or promises, nationally) covering ``year``, as a subquery of ids.

    Args:
        year: The year the promise must cover (year_from <= year <= year_to).
        partnership: A view key (``split_key``): the kommun's promise for the whole kommun,
            or the named promise; ``None`` means every partnership's whole-kommun promises.
    """
    query = select(Promise.id).where(Promise.year_from <= year, Promise.year_to >= year)
    if partnership is not None and split_key(partnership)[1] is not None:
        query = query.where(Promise.id == split_key(partnership)[1])
    elif partnership is not None:
        query = query.where(Promise.area.is_(None)).order_by(Promise.valid_from.desc()).limit(1)
    else:
        query = query.where(Promise.area.is_(None))
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
        Partnership.kommun_code == split_key(partnership)[0]
    )


def in_partnership(query: Select, partnership: str | None) -> Select:
    """``query`` (already joined to Promise) limited to one partnership's rows."""
    return _in_partnership(query, partnership)


def in_series(query: Select, partnership: str | None) -> Select:
    """``query`` (already joined to Promise) limited to one series of promises followed across
    years: the kommun's promises for the whole kommun, or for the area of the named promise
    (``code/id``). ``None``: every promise of every partnership."""
    if partnership is None:
        return query
    code, promise_id = split_key(partnership)
    if promise_id is None:
        return _in_partnership(query, code).where(Promise.area.is_(None))
    area = select(Promise.area).where(Promise.id == promise_id).scalar_subquery()
    return _in_partnership(query, code).where(Promise.area == area)


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
