"""The entry grid (issue 4): a tertial's entries as the grid shows them, and back.

Pure, no Streamlit: ``grid_frame`` gives the rows ``st.data_editor`` draws (Swedish headers,
status as icon + label); ``changed_entries`` turns the editor's ``edited_rows`` into
save-service input, each with the version the optimistic lock needs.
"""

from __future__ import annotations

import polars as pl

from dashboard import labels
from dashboard.entry.rules import EvaluationInput

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
