"""Reads only the entry page needs: a tertial's activities with their evaluation and version,
and one activity's change history told in Swedish. No Streamlit here.

The activities come from dashboard.queries (shared with the browse pages); this module adds
the evaluation of the chosen tertial, including the ``version`` the optimistic lock needs.
"""

from __future__ import annotations

import json

import polars as pl
from sqlalchemy import Connection, Select, select

from dashboard import labels, queries
from dashboard.queries.base import frame, promise_of_year
from dashboard.queries.evaluations import HISTORY_SCHEMA
from db.models import Activity, Evaluation

# The stored evaluation of one tertial, keyed by activity: the history columns less the period.
EVALUATION_SCHEMA = {
    "activity_id": pl.Int64,
    **{k: v for k, v in HISTORY_SCHEMA.items() if k not in ("year", "tertial")},
}
ACTIONS = {"insert": "Ny", "update": "Ändrad", "delete": "Borttagen", "load": "Inläst"}


def build_tertial_evaluations_query(year: int, tertial: int, *, partnership: str) -> Select:
    """The evaluations of one tertial for the activities of the year's promise."""
    e = Evaluation
    return (
        select(
            e.activity_id,
            e.id,
            e.status,
            e.completion,
            e.achieved_value,
            e.comment,
            e.evaluated_by,
            e.evaluated_at,
            e.source,
            e.version,
        )
        .join(Activity, Activity.id == e.activity_id)
        .where(
            Activity.promise_id == promise_of_year(year, partnership=partnership),
            e.year == year,
            e.tertial == tertial,
        )
    )


def load_tertial_entries(
    conn: Connection, year: int, tertial: int, *, partnership: str
) -> pl.DataFrame:
    """Every activity of the year's promise with its evaluation of ``tertial`` (or nulls)."""
    activities = queries.load_activities(conn, year, partnership=partnership)
    query = build_tertial_evaluations_query(year, tertial, partnership=partnership)
    evaluations = frame(conn, query, EVALUATION_SCHEMA)
    return activities.join(evaluations, on="activity_id", how="left", maintain_order="left")


def history_table(audit_rows: pl.DataFrame) -> pl.DataFrame:
    """Audit rows of an activity's evaluations as a read-only Swedish table, newest first.

    Args:
        audit_rows: The frame of ``queries.load_audit_history`` (before/after as JSON).
    """
    rows = []
    for row in audit_rows.filter(pl.col("table_name") == "evaluation").iter_rows(named=True):
        before, after = _as_dict(row["before"]), _as_dict(row["after"])
        rows.append(
            {
                "När": labels.format_datetime(row["at"]),
                "Vem": row["username"],
                "Vad": ACTIONS.get(row["action"], row["action"]),
                "Period": _period(after or before or {}),
                "Ändring": describe_change(before, after),
            }
        )
    schema = dict.fromkeys(("När", "Vem", "Vad", "Period", "Ändring"), pl.String)
    return pl.DataFrame(rows, schema=schema, orient="row")


def describe_change(before: dict | None, after: dict | None) -> str:
    """``Status: Pågår → Genomförd; Klart: 60 % → 100 %`` (only the fields that changed)."""
    before, after = before or {}, after or {}
    parts = []
    for name, title in (
        ("status", "Status"),
        ("completion", "Klart"),
        ("achieved_value", "Uppnått"),
        ("comment", "Kommentar"),
    ):
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if not before:
            parts.append(f"{title}: {_show(name, new)}")
        else:
            parts.append(f"{title}: {_show(name, old)} → {_show(name, new)}")
    return "; ".join(parts) or "Inga ändrade värden"


def _show(name: str, value) -> str:
    if value is None or value == "":
        return "–"
    if name == "status":
        return labels.status_text(value)
    if name == "completion":
        return labels.format_percent(value, 0)
    if name == "achieved_value":
        return labels.format_number(value, 0 if float(value).is_integer() else 1)
    return f"”{value}”"


def _as_dict(value) -> dict | None:
    """Audit snapshots arrive as JSON text from the query layer (or as dicts)."""
    return json.loads(value) if isinstance(value, str) else value


def _period(values: dict) -> str:
    if "year" not in values:
        return ""
    return f"{values['year']} T{values['tertial']}"
