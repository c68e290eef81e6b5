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
from dashboard.entry.rules import EvaluationInput
from dashboard.queries.base import frame, promise_of_year
from dashboard.queries.evaluations import EVALUATION_VALUES, HISTORY_SCHEMA
from db.models import Activity, Evaluation

# The stored evaluation of one tertial, keyed by activity: the history columns less the period,
# plus what citizens may see once published (issue 13), which only this page edits.
EVALUATION_SCHEMA = {
    "activity_id": pl.Int64,
    **{k: v for k, v in HISTORY_SCHEMA.items() if k not in ("year", "tertial")},
    "comment_public": pl.Boolean,
    "public_line": pl.String,
}
# The fields added since 0006: audit rows written before it lack them, so they read as these.
PUBLIC_DEFAULTS = {"comment_public": False, "public_line": ""}
CHANGE_TITLES = (
    ("status", "Status"),
    ("completion", "Klart"),
    ("achieved_value", "Uppnått"),
    ("comment", "Kommentar"),
    ("comment_public", "Kommentar publik"),
    ("public_line", "Rad för invånare"),
)
ACTIONS = {"insert": "Ny", "update": "Ändrad", "delete": "Borttagen", "load": "Inläst"}


def build_tertial_evaluations_query(year: int, tertial: int, *, partnership: str) -> Select:
    """The evaluations of one tertial for the activities of the year's promise."""
    e = Evaluation
    return (
        select(e.activity_id, e.id, *EVALUATION_VALUES, e.comment_public, e.public_line)
        .join(Activity, Activity.id == e.activity_id)
        .where(
            Activity.promise_id == promise_of_year(year, partnership=partnership),
            e.year == year,
            e.period_no == tertial,
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
    for name, title in CHANGE_TITLES:
        default = PUBLIC_DEFAULTS.get(name)
        old = before.get(name, default) if before else default
        new = after.get(name, default)
        if old == new:
            continue
        if not before:
            parts.append(f"{title}: {show_value(name, new)}")
        else:
            parts.append(f"{title}: {show_value(name, old)} → {show_value(name, new)}")
    return "; ".join(parts) or "Inga ändrade värden"


def show_value(name: str, value) -> str:
    """One evaluation field as Swedish text: status with icon, percent, number, Ja/Nej, quoted
    text."""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if value is None or value == "":
        return "–"
    if name == "status":
        return labels.status_text(value) if value in labels.STATUSES else str(value)
    if name in ("completion", "achieved_value") and not isinstance(value, int | float):
        return str(value)
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
    number = values.get("period_no", values.get("tertial"))  # audit rows from before 0004
    return f"{values['year']} {labels.period_code(number)}"


# ------------------------------------------------------------------ the entry grid

GRID_COLUMNS = {
    "focus_area": "Fokusområde",
    "title": "Aktivitet",
    "target": "Mål",
    "status": "Status",
    "completion": "Klart (%)",
    "achieved_value": "Uppnått",
    "comment": "Kommentar",
    "comment_public": "Kommentar publik",
    "public_line": "Rad för invånare",
}
TEXT_FIELDS = ("comment", "public_line")
STATUS_BY_TEXT = {labels.status_text(code): code for code in labels.STATUSES}


def grid_frame(entries: pl.DataFrame) -> pl.DataFrame:
    """The tertial's entries as the grid shows them: Swedish headers, status as icon + label."""
    target = [
        "" if value is None else f"{labels.format_number(value, 0)} {unit or ''}".strip()
        for value, unit in zip(entries["target_value"], entries["target_unit"], strict=True)
    ]
    status = [None if code is None else labels.status_text(code) for code in entries["status"]]
    return pl.DataFrame(
        {
            GRID_COLUMNS["focus_area"]: entries["focus_area"],
            GRID_COLUMNS["title"]: entries["title"],
            GRID_COLUMNS["target"]: pl.Series(target, dtype=pl.String),
            GRID_COLUMNS["status"]: pl.Series(status, dtype=pl.String),
            GRID_COLUMNS["completion"]: entries["completion"],
            GRID_COLUMNS["achieved_value"]: entries["achieved_value"],
            GRID_COLUMNS["comment"]: entries["comment"],
            GRID_COLUMNS["comment_public"]: entries["comment_public"].fill_null(False),
            GRID_COLUMNS["public_line"]: entries["public_line"],
        }
    )


def changed_entries(
    entries: pl.DataFrame, edited_rows: dict, *, year: int, tertial: int
) -> list[EvaluationInput]:
    """The rows the user changed in the grid, as save-service input.

    Args:
        entries: The frame the grid was built from (its ``version`` is the optimistic lock).
        edited_rows: ``st.data_editor``'s ``edited_rows``: ``{row: {header: new value}}``.
    """
    field_by_header = {header: name for name, header in GRID_COLUMNS.items()}
    result = []
    for index, changes in sorted(edited_rows.items(), key=lambda item: int(item[0])):
        row = entries.row(int(index), named=True)
        values = {name: row[name] for name in ("status", "completion", "achieved_value")}
        values["comment"] = row["comment"] or ""
        values["comment_public"] = bool(row["comment_public"])
        values["public_line"] = row["public_line"] or ""
        for header, value in changes.items():
            name = field_by_header.get(header)
            if name == "status":
                value = STATUS_BY_TEXT.get(value, value)
            if name == "comment_public":
                value = bool(value)
            if name in values:
                values[name] = "" if name in TEXT_FIELDS and value is None else value
        result.append(
            EvaluationInput(
                activity_id=row["activity_id"],
                year=year,
                tertial=tertial,
                expected_version=row["version"],
                **values,
            )
        )
    return result
