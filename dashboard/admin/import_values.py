"""Cells of an import file to typed values, row by row, with a Swedish reason per bad cell.

No Streamlit, no database. The activity rules are items.py's (validate_activity)
and the evaluation rules dashboard/entry/rules.py's, so an imported row meets exactly
what the Administration page and the entry page demand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import polars as pl

from dashboard import labels
from dashboard.admin.import_file import COLUMNS, ROW, RowError
from dashboard.admin.items import ActivityFields, AdminError, validate_activity
from dashboard.entry.rules import FIELD_LABELS, EvaluationInput, normalise, validate

OWNER_WORDS = {
    **{code: code for code in labels.OWNERS},
    **{label.casefold(): code for code, label in labels.OWNERS.items()},
}
STATUS_WORDS = {
    **{code: code for code in labels.STATUSES},
    **{s.label.casefold(): code for code, s in labels.STATUSES.items()},
}
TERTIAL_PATTERN = re.compile(r"^[tT]?\s*([123])(?:[.,]0+)?$")
EVALUATION_COLUMNS = ("Tertial", "Status", "Klart (%)", "Uppnått värde", "Kommentar")
# ActivityFields attribute -> the template column it comes from.
ACTIVITY_COLUMNS = {
    "title": "Aktivitet",
    "owner": "Ansvarig",
    "description": "Beskrivning",
    "partners": "Samverkanspartner",
    "target_value": "Målvärde",
    "target_unit": "Enhet",
    "lineage_key": "Linjenyckel",
}
RULE_COLUMNS = {
    "period": "Tertial",
    "activity": "Aktivitet",
    **{name: label for name, label in FIELD_LABELS.items() if label in EVALUATION_COLUMNS},
}


@dataclass(frozen=True)
class ParsedRow:
    """One good row: where it belongs, the activity values it gives, its evaluation if any.

    ``values`` holds only the activity fields whose cells were filled in (an empty cell
    leaves a stored value alone); ``activity_key`` identifies the activity within the file.
    """

    row: int
    year: int
    area: str
    activity_key: str
    values: dict[str, Any]
    evaluation: EvaluationInput | None


class CellError(ValueError):
    """A cell that cannot be read; ``column`` names it."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def parse_rows(frame: pl.DataFrame) -> tuple[list[ParsedRow], list[RowError]]:
    """Every row that reads well and meets the rules, and a RowError for every one that not."""
    columns = {name.casefold(): name for name in frame.columns}
    canonical = {c.name: columns.get(c.name.casefold()) for c in COLUMNS}
    rows, errors = [], []
    for record in frame.iter_rows(named=True):
        cells = {name: record[source] if source else None for name, source in canonical.items()}
        row, problems = _read_row(record[ROW], cells)
        errors += [RowError(record[ROW], column, message) for column, message in problems]
        if row is not None and not problems:
            rows.append(row)
    return rows, errors


def _read_row(number: int, cells: dict) -> tuple[ParsedRow | None, list[tuple[str, str]]]:
    """The parsed row and its problems as (column, reason)."""
    missing = [
        (column, f"{column} saknas.")
        for column in ("År", "Fokusområde", "Aktivitet", "Ansvarig")
        if cells[column] is None
    ]
    if missing:
        return None, missing
    try:
        row = _parse_row(number, cells)
    except CellError as exc:
        return None, [(exc.column, str(exc))]
    return row, _rule_problems(row)


def _rule_problems(row: ParsedRow) -> list[tuple[str, str]]:
    problems = _activity_problems(row)
    if row.evaluation is not None:
        has_target = row.values.get("target_value") is not None
        for name, message in validate(row.evaluation, has_target=has_target).items():
            problems.append((RULE_COLUMNS.get(name, name), message))
    return problems


def _activity_problems(row: ParsedRow) -> list[tuple[str, str]]:
    fields = ActivityFields(0, **row.values)
    try:
        validate_activity(fields)
    except AdminError as exc:
        return [(ACTIVITY_COLUMNS.get(exc.field or "", "Aktivitet"), str(exc))]
    return []


def _parse_row(number: int, cells: dict) -> ParsedRow:
    year = _integer(cells["År"], "År", "Ange året som ett heltal, t.ex. 2027.")
    owner = OWNER_WORDS.get(cells["Ansvarig"].casefold())
    if owner is None:
        message = f"Okänd ansvarig ”{cells['Ansvarig']}”. Skriv Kommunen, Polisen eller Gemensam."
        raise CellError("Ansvarig", message)
    values: dict[str, Any] = {"title": cells["Aktivitet"], "owner": owner}
    optional = {
        "description": cells["Beskrivning"],
        "partners": _partners(cells["Samverkanspartner"]),
        "target_value": _number(cells["Målvärde"], "Målvärde"),
        "target_unit": cells["Enhet"],
        "lineage_key": cells["Linjenyckel"],
    }
    values.update({k: v for k, v in optional.items() if v is not None})
    key = values.get("lineage_key") or values["title"].casefold()
    return ParsedRow(number, year, cells["Fokusområde"], key, values, _evaluation(cells, year))


def _evaluation(cells: dict, year: int) -> EvaluationInput | None:
    if all(cells[column] is None for column in EVALUATION_COLUMNS):
        return None
    tertial_text = cells["Tertial"] or ""
    match = TERTIAL_PATTERN.match(tertial_text)
    if match is None:
        raise CellError("Tertial", "Ange tertial T1, T2 eller T3 när raden har en utvärdering.")
    status = cells["Status"]
    code = STATUS_WORDS.get(status.casefold(), status) if status else None
    entry = EvaluationInput(
        activity_id=0,
        year=year,
        tertial=int(match.group(1)),
        status=code,
        completion=_number(cells["Klart (%)"], "Klart (%)", percent=True),
        achieved_value=_number(cells["Uppnått värde"], "Uppnått värde"),
        comment=cells["Kommentar"] or "",
    )
    return normalise(entry)[0]


def _partners(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def _integer(text: str, column: str, message: str) -> int:
    value = _number(text, column)
    if value is None or not float(value).is_integer():
        raise CellError(column, message)
    return int(value)


def _number(text: str | None, column: str, *, percent: bool = False) -> float | None:
    """``4``, ``4,5``, ``1 234,5`` and (for percentages) ``40 %`` read as numbers."""
    if text is None:
        return None
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if percent:
        cleaned = cleaned.removesuffix("%")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise CellError(column, f"{column} ska vara ett tal, inte ”{text}”.") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError(column, f"{column} ska vara ett tal, inte ”{text}”.")
    return int(value) if value.is_integer() else value
