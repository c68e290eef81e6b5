"""Audit trail: every insert, update and delete of promise data, in the same transaction.

Callers pass the session that makes the change; the audit row is added to it, so a rollback
takes the audit row with it and a refused save leaves no trace.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from db.models import AuditLog, Base


def row_snapshot(obj: Base) -> dict[str, Any]:
    """The column values of an ORM object as JSON-ready data."""
    return {
        column.key: _jsonable(getattr(obj, column.key))
        for column in inspect(obj).mapper.column_attrs
    }


def record(
    session: Session,
    *,
    username: str,
    table_name: str,
    row_id: int | None,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Add one audit row to ``session`` (flushed with the change it describes)."""
    entry = AuditLog(
        at=dt.datetime.now(dt.UTC),
        username=username,
        table_name=table_name,
        row_id=row_id,
        action=action,
        before=before,
        after=after,
    )
    session.add(entry)
    return entry


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value
