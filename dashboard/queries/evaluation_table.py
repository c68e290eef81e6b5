"""The full evaluation table of a year (issue 5's data download): every evaluation with its
activity and focus area, one row per activity and period evaluated."""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, Select, select

from dashboard.queries.base import frame, promise_of_year
from dashboard.queries.evaluations import HISTORY_SCHEMA
from dashboard.queries.promises import ACTIVITY_SCHEMA
from db.models import Activity, Evaluation, FocusArea, Period


def _pick(schema: dict[str, pl.DataType], *names: str) -> dict[str, pl.DataType]:
    return {name: schema[name] for name in names}


# The activity's and the evaluation's columns with the types their own queries give them.
EVALUATION_TABLE_SCHEMA = {
    "year": pl.Int64,
    "period": pl.String,  # the period's code: T1, K2, H1 or an own period's
    **_pick(ACTIVITY_SCHEMA, "focus_area", "activity_id", "title", "owner"),
    **_pick(ACTIVITY_SCHEMA, "target_value", "target_unit"),
    **_pick(HISTORY_SCHEMA, "status", "completion", "achieved_value", "comment"),
    **_pick(HISTORY_SCHEMA, "evaluated_by", "evaluated_at", "source"),
}


def build_evaluation_table_query(year: int, *, partnership: str) -> Select:
    """Every evaluation of ``year`` of the partnership's promise, in focus-area, activity and
    period order (archived activities and focus areas left out, as on the pages)."""
    return (
        select(
            Evaluation.year,
            Period.code,
            FocusArea.name,
            Activity.id,
            Activity.title,
            Activity.owner,
            Activity.target_value,
            Activity.target_unit,
            Evaluation.status,
            Evaluation.completion,
            Evaluation.achieved_value,
            Evaluation.comment,
            Evaluation.evaluated_by,
            Evaluation.evaluated_at,
            Evaluation.source,
        )
        .join(Activity, Activity.id == Evaluation.activity_id)
        .join(Period, Period.id == Evaluation.period_id)
        .join(FocusArea, FocusArea.id == Activity.focus_area_id)
        .where(
            Evaluation.year == year,
            Activity.promise_id == promise_of_year(year, partnership=partnership),
            Activity.archived.is_(False),
            FocusArea.archived.is_(False),
        )
        .order_by(
            FocusArea.sort_order,
            FocusArea.id,
            Activity.sort_order,
            Activity.id,
            Evaluation.period_no,
        )
    )


def load_evaluation_table(conn: Connection, year: int, *, partnership: str) -> pl.DataFrame:
    """The year's evaluations with their activity (see EVALUATION_TABLE_SCHEMA for columns)."""
    query = build_evaluation_table_query(year, partnership=partnership)
    return frame(conn, query, EVALUATION_TABLE_SCHEMA)
