"""Evaluations of a year: the activity × tertial matrix, changes, one activity's history."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, Select, case, func, select
from sqlalchemy.orm import aliased

from dashboard import rollups
from dashboard.queries.base import activities_of_year, frame
from dashboard.queries.promises import (
    ACTIVITY_SCHEMA,
    build_activities_query,
    load_focus_areas,
    load_periods,
)
from db.models import Activity, AuditLog, Evaluation, FocusArea, Period

PER_TERTIAL = {
    "status": pl.String,
    "completion": pl.Int64,
    "achieved": pl.Float64,
    "comment": pl.String,
}
TERTIAL_NUMBERS = (1, 2, 3)


def matrix_schema(numbers: tuple[int, ...]) -> dict[str, pl.DataType]:
    """The matrix's columns for a year whose periods have ``numbers`` (1, 2, 3 for tertials)."""
    return {
        **ACTIVITY_SCHEMA,
        **{f"{name}_{t}": kind for t in numbers for name, kind in PER_TERTIAL.items()},
        "n_demo_evaluations": pl.Int64,
    }


MATRIX_SCHEMA = matrix_schema(TERTIAL_NUMBERS)
CHANGES_SCHEMA = {
    "activity_id": pl.Int64,
    "focus_area": pl.String,
    "title": pl.String,
    "from_status": pl.String,
    "to_status": pl.String,
    "evaluated_by": pl.String,
    "evaluated_at": pl.Datetime("us", "UTC"),
    "source": pl.String,
}
HISTORY_SCHEMA = {
    "evaluation_id": pl.Int64,
    "year": pl.Int64,
    "tertial": pl.Int64,
    "status": pl.String,
    "completion": pl.Int64,
    "achieved_value": pl.Float64,
    "comment": pl.String,
    "evaluated_by": pl.String,
    "evaluated_at": pl.Datetime("us", "UTC"),
    "source": pl.String,
    "version": pl.Int64,
}
# What an evaluation holds besides its id and period, in HISTORY_SCHEMA's order: the history
# below and the entry page's tertial (dashboard/entry/queries.py) select the same columns.
EVALUATION_VALUES = (
    Evaluation.status,
    Evaluation.completion,
    Evaluation.achieved_value,
    Evaluation.comment,
    Evaluation.evaluated_by,
    Evaluation.evaluated_at,
    Evaluation.source,
    Evaluation.version,
)
AUDIT_SCHEMA = {
    "audit_id": pl.Int64,
    "at": pl.Datetime("us", "UTC"),
    "username": pl.String,
    "table_name": pl.String,
    "row_id": pl.Int64,
    "action": pl.String,
    "before": pl.String,
    "after": pl.String,
}


def build_matrix_query(
    year: int, *, partnership: str, numbers: tuple[int, ...] = TERTIAL_NUMBERS
) -> Select:
    """Activities of the year with status, completion, achieved value and comment per period.

    The evaluations are pivoted in SQL (one conditional aggregate per period and field,
    grouped by activity) and then joined to the activities, so JSON columns are never grouped.
    ``numbers`` are the numbers of the promise's periods ending in ``year`` (load_periods).
    """
    pivot = [
        func.max(case((Evaluation.period_no == t, getattr(Evaluation, column)))).label(
            f"{name}_{t}"
        )
        for t in numbers
        for name, column in (
            ("status", "status"),
            ("completion", "completion"),
            ("achieved", "achieved_value"),
            ("comment", "comment"),
        )
    ]
    n_demo = func.sum(case((Evaluation.source == "exempel", 1), else_=0)).label("n_demo")
    per_activity = (
        select(Evaluation.activity_id, *pivot, n_demo)
        .where(
            Evaluation.activity_id.in_(activities_of_year(year, partnership=partnership)),
            Evaluation.year == year,
        )
        .group_by(Evaluation.activity_id)
        .subquery()
    )
    activities = build_activities_query(year, partnership=partnership)
    pivoted = [c for c in per_activity.c if c.name not in ("activity_id", "n_demo")]
    return activities.outerjoin(
        per_activity, per_activity.c.activity_id == Activity.id
    ).add_columns(*pivoted, func.coalesce(per_activity.c.n_demo, 0))


def load_activity_matrix(conn: Connection, year: int, *, partnership: str) -> pl.DataFrame:
    """One row per activity of the year: its details and, per period number t of the year,
    ``status_t``, ``completion_t``, ``achieved_t`` and ``comment_t`` (null where nothing is
    entered). A year without periods (no promise) has the tertials' columns, and no rows."""
    periods = load_periods(conn, year, partnership=partnership)
    numbers = tuple(periods["number"]) or TERTIAL_NUMBERS
    query = build_matrix_query(year, partnership=partnership, numbers=numbers)
    return frame(conn, query, matrix_schema(numbers))


def load_focus_area_status(
    conn: Connection, year: int, tertial: int, *, partnership: str
) -> pl.DataFrame:
    """Each focus area's roll-up in one tertial (see ``rollups.focus_area_status``)."""
    matrix = load_activity_matrix(conn, year, partnership=partnership)
    areas = load_focus_areas(conn, year, partnership=partnership)
    return rollups.focus_area_status(matrix, tertial, focus_areas=areas)


def build_status_changes_query(year: int, tertial: int, *, partnership: str) -> Select:
    """Activities whose status in the period (year, number) differs from the period before it.

    The period before is the promise's period that ended last before this one began (T3 of
    the year before comes before T1 in a two-year promise; K4 before K1). An activity
    evaluated now but not in the previous period, or in a promise's first period, counts as
    a change from "ej utvärderad" (``from_status`` is NULL).
    """
    now, before = aliased(Evaluation), aliased(Evaluation)
    current, earlier = aliased(Period), aliased(Period)
    previous_period = (
        select(earlier.id)
        .where(earlier.promise_id == current.promise_id, earlier.ends_on < current.starts_on)
        .order_by(earlier.ends_on.desc())
        .limit(1)
        .correlate(current)
        .scalar_subquery()
    )
    return (
        select(
            Activity.id,
            FocusArea.name,
            Activity.title,
            before.status,
            now.status,
            now.evaluated_by,
            now.evaluated_at,
            now.source,
        )
        .join(FocusArea, FocusArea.id == Activity.focus_area_id)
        .join(
            now, (now.activity_id == Activity.id) & (now.year == year) & (now.period_no == tertial)
        )
        .join(current, current.id == now.period_id)
        .outerjoin(
            before,
            (before.activity_id == Activity.id) & (before.period_id == previous_period),
        )
        .where(
            Activity.id.in_(activities_of_year(year, partnership=partnership)),
            before.status.is_distinct_from(now.status),
        )
        .order_by(now.evaluated_at.desc(), Activity.id)
    )


def load_status_changes(
    conn: Connection, year: int, tertial: int, *, partnership: str
) -> pl.DataFrame:
    """Status changes since the previous period: from → to, who and when, newest first."""
    query = build_status_changes_query(year, tertial, partnership=partnership)
    return frame(conn, query, CHANGES_SCHEMA)


def build_evaluation_history_query(activity_id: int) -> Select:
    """Every evaluation of one activity, oldest first."""
    e = Evaluation
    return (
        select(e.id, e.year, e.period_no, *EVALUATION_VALUES)
        .where(e.activity_id == activity_id)
        .order_by(e.year, e.period_no)
    )


def load_evaluation_history(conn: Connection, activity_id: int) -> pl.DataFrame:
    """One activity's evaluations (year, tertial, status, completion, comment, who, when)."""
    return frame(conn, build_evaluation_history_query(activity_id), HISTORY_SCHEMA)


def build_audit_history_query(activity_id: int) -> Select:
    """Audit rows of the activity itself and of its evaluations, newest first."""
    evaluation_ids = select(Evaluation.id).where(Evaluation.activity_id == activity_id)
    return (
        select(
            AuditLog.id,
            AuditLog.at,
            AuditLog.username,
            AuditLog.table_name,
            AuditLog.row_id,
            AuditLog.action,
            AuditLog.before,
            AuditLog.after,
        )
        .where(
            ((AuditLog.table_name == "activity") & (AuditLog.row_id == activity_id))
            | ((AuditLog.table_name == "evaluation") & AuditLog.row_id.in_(evaluation_ids))
        )
        .order_by(AuditLog.id.desc())
    )


def load_audit_history(conn: Connection, activity_id: int) -> pl.DataFrame:
    """Who changed the activity or its evaluations, when, with before/after (JSON text)."""
    return frame(conn, build_audit_history_query(activity_id), AUDIT_SCHEMA)


PUBLIC_LINES_SCHEMA = {
    "activity_id": pl.Int64,
    "public_line": pl.String,
    "comment_public": pl.Boolean,
    "comment": pl.String,
}


def build_public_lines_query(year: int, number: int, *, partnership: str) -> Select:
    """What coordinators wrote for citizens in period ``number`` of ``year`` (issue 13): the
    public line, and the comment with its mark (only a marked comment is public)."""
    return select(
        Evaluation.activity_id, Evaluation.public_line, Evaluation.comment_public,
        Evaluation.comment,
    ).where(
        Evaluation.activity_id.in_(activities_of_year(year, partnership=partnership)),
        Evaluation.year == year,
        Evaluation.period_no == number,
    )  # fmt: skip


def load_public_lines(conn: Connection, year: int, number: int, *, partnership: str) -> dict:
    """``{activity id: [lines for citizens]}`` for period ``number`` of ``year``; internal
    comments are not in it (see publication.snapshot.public_lines)."""
    from dashboard.publication.snapshot import public_lines

    rows = frame(conn, build_public_lines_query(year, number, partnership=partnership),
                 PUBLIC_LINES_SCHEMA)  # fmt: skip
    return {
        row["activity_id"]: public_lines(row["public_line"], row["comment_public"], row["comment"])
        for row in rows.iter_rows(named=True)
    }
