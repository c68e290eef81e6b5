"""One activity's change history told in Swedish (issue 4): pure, no Streamlit.

The rows are the audit log's (``queries.load_audit_history``); each change is written as the
fields that changed, ``Status: Pågår → Genomförd; Klart: 60 % → 100 %``. ``show_value`` also
words a field in the entry form's conflict message.
"""

from __future__ import annotations

import json

import polars as pl

from dashboard import labels

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
