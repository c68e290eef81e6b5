"""Cells of an import file to typed values, row by row, with a Swedish reason per bad cell.

No Streamlit, no database. The activity rules are items.py's (validate_activity)
and the evaluation rules dashboard/entry/rules.py's, so an imported row meets exactly
what the Administration page and the entry page demand. Which promise, period and party a
row names is the importer's to find (it needs the database); ``find_period`` is the rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import polars as pl

from dashboard import labels
from dashboard.admin.import_file import ALIASES, COLUMNS, ROW, RowError
from dashboard.admin.items import ActivityFields, AdminError, validate_activity
from dashboard.entry.rules import FIELD_LABELS, EvaluationInput, normalise, validate

# Kommunen, Polisen, Gemensam; any other text names another party of the promise.
OWNER_WORDS = {
    **{code: code for code in labels.OWNERS if code != "annan"},
    **{label.casefold(): code for code, label in labels.OWNERS.items() if code != "annan"},
}
STATUS_WORDS = {
    **{code: code for code in labels.STATUSES},
    **{s.label.casefold(): code for code, s in labels.STATUSES.items()},
}
# T1, K2, H1 (any case), or a bare number as older files wrote tertials (1, 1.0).
PERIOD_PATTERN = re.compile(r"^([tkh]?)\s*([1-9])(?:[.,]0+)?$", re.IGNORECASE)
EVALUATION_COLUMNS = ("Period", "Status", "Klart (%)", "Uppnått värde", "Kommentar")
# What citizens may see once published (issue 13). Optional: a file without them leaves a
# stored mark and line alone, and "Nej" alone does not make a row an evaluation.
PUBLIC_COLUMNS = {"comment_public": "Kommentar publik", "public_line": "Rad för invånare"}
YES_NO = {"ja": True, "nej": False}
# ActivityFields attribute -> the template column it comes from.
ACTIVITY_COLUMNS = {
    "title": "Aktivitet",
    "owner": "Ansvarig",
    "description": "Beskrivning",
    "partners": "Samverkanspartner",
    "target_value": "Målvärde",
    "target_unit": "Enhet",
    "lineage_key": "Linjenyckel",
    "owner_party": "Ansvarig",  # the name of another party; the importer finds its id
}
RULE_COLUMNS = {
    "activity": "Aktivitet",
    **{name: label for name, label in FIELD_LABELS.items() if label in EVALUATION_COLUMNS},
    **PUBLIC_COLUMNS,
}


@dataclass(frozen=True)
class ParsedRow:
    """One good row: where it belongs, the activity values it gives, its evaluation if any.

    ``values`` holds only the activity fields whose cells were filled in (an empty cell
    leaves a stored value alone); ``activity_key`` identifies the activity within the file.
    ``place`` is the promise's area (None: the whole kommun's promise), ``area`` the focus
    area. ``period`` is the period as written; the evaluation's ``tertial`` (the period's
    number) is 0 until the importer has found the period in the promise. ``public_given``
    names the public fields (comment_public, public_line) whose cells were filled in.
    """

    row: int
    year: int
    area: str
    activity_key: str
    values: dict[str, Any]
    evaluation: EvaluationInput | None
    place: str | None = None
    period: str | None = None
    period_column: str = "Period"
    public_given: tuple[str, ...] = ()


class CellError(ValueError):
    """A cell that cannot be read; ``column`` names it."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def parse_rows(frame: pl.DataFrame) -> tuple[list[ParsedRow], list[RowError]]:
    """Every row that reads well and meets the rules, and a RowError for every one that not."""
    columns = {name.casefold(): name for name in frame.columns}
    canonical = {c.name: columns.get(c.name.casefold()) for c in COLUMNS}
    for alias, name in ALIASES.items():
        canonical[name] = canonical[name] or columns.get(alias.casefold())
    period_column = canonical["Period"] or "Period"
    rows, errors = [], []
    for record in frame.iter_rows(named=True):
        cells = {name: record[source] if source else None for name, source in canonical.items()}
        row, problems = _read_row(record[ROW], cells, period_column)
        errors += [RowError(record[ROW], column, message) for column, message in problems]
        if row is not None and not problems:
            rows.append(row)
    return rows, errors


def _read_row(
    number: int, cells: dict, period_column: str
) -> tuple[ParsedRow | None, list[tuple[str, str]]]:
    """The parsed row and its problems as (column, reason)."""
    missing = [
        (column, f"{column} saknas.")
        for column in ("År", "Fokusområde", "Aktivitet", "Ansvarig")
        if cells[column] is None
    ]
    if missing:
        return None, missing
    try:
        row = _parse_row(number, cells, period_column)
    except CellError as exc:
        return None, [(exc.column, str(exc))]
    return row, _rule_problems(row)


def _rule_problems(row: ParsedRow) -> list[tuple[str, str]]:
    problems = _activity_problems(row)
    if row.evaluation is not None:
        has_target = row.values.get("target_value") is not None
        for name, message in validate(row.evaluation, has_target=has_target).items():
            if name != "period":  # the importer finds the period in the promise
                problems.append((RULE_COLUMNS.get(name, name), message))
    return problems


def _activity_problems(row: ParsedRow) -> list[tuple[str, str]]:
    values = {k: v for k, v in row.values.items() if k != "owner_party"}
    if "owner_party" in row.values:
        values["owner_organisation_id"] = 0  # which party: the importer looks it up
    fields = ActivityFields(0, **values)
    try:
        validate_activity(fields)
    except AdminError as exc:
        return [(ACTIVITY_COLUMNS.get(exc.field or "", "Aktivitet"), str(exc))]
    return []


def _parse_row(number: int, cells: dict, period_column: str) -> ParsedRow:
    year = read_integer(cells["År"], "År", "Ange året som ett heltal, t.ex. 2027.")
    owner = OWNER_WORDS.get(cells["Ansvarig"].casefold())
    values: dict[str, Any] = {"title": cells["Aktivitet"], "owner": owner or "annan"}
    if owner is None:
        values["owner_party"] = cells["Ansvarig"]
    optional = {
        "description": cells["Beskrivning"],
        "partners": _partners(cells["Samverkanspartner"]),
        "target_value": read_number(cells["Målvärde"], "Målvärde"),
        "target_unit": cells["Enhet"],
        "lineage_key": cells["Linjenyckel"],
    }
    values.update({k: v for k, v in optional.items() if v is not None})
    key = values.get("lineage_key") or values["title"].casefold()
    evaluation = _evaluation(cells, year, period_column)
    given = tuple(name for name, column in PUBLIC_COLUMNS.items() if cells[column] is not None)
    return ParsedRow(
        number, year, cells["Fokusområde"], key, values, evaluation,
        place=cells["Område"], period=cells["Period"], period_column=period_column,
        public_given=given if evaluation is not None else (),
    )  # fmt: skip


def find_period(periods, year: int, text: str):
    """The period of ``periods`` (Period rows) in ``year`` that ``text`` names, or None.

    ``T2``/``K2``/``H2`` name the period with that code and number; a bare ``2`` the second
    period of the year whatever the rhythm (older files wrote tertials so); anything else an
    own period by name or short name, case ignored.
    """
    in_year = [p for p in periods if p.year == year]
    match = PERIOD_PATTERN.match(text.strip())
    if match:
        letter, number = match.group(1).upper(), int(match.group(2))
        found = next((p for p in in_year if p.number == number), None)
        if found is not None and (not letter or found.code.upper() == f"{letter}{number}"):
            return found
    wanted = " ".join(text.split()).casefold()
    return next((p for p in in_year if wanted in (p.code.casefold(), p.name.casefold())), None)


def _evaluation(cells: dict, year: int, period_column: str) -> EvaluationInput | None:
    public = _yes_no(cells["Kommentar publik"], "Kommentar publik")
    if public is not True and all(
        cells[column] is None for column in (*EVALUATION_COLUMNS, "Rad för invånare")
    ):
        return None
    if cells["Period"] is None:
        raise CellError(
            period_column,
            "Ange perioden när raden har en utvärdering: T1–T3, K1–K4, H1–H2 eller en egen "
            "periods namn.",
        )
    status = cells["Status"]
    code = STATUS_WORDS.get(status.casefold(), status) if status else None
    entry = EvaluationInput(
        activity_id=0,
        year=year,
        tertial=0,
        status=code,
        completion=read_number(cells["Klart (%)"], "Klart (%)", percent=True),
        achieved_value=read_number(cells["Uppnått värde"], "Uppnått värde"),
        comment=cells["Kommentar"] or "",
        comment_public=bool(public),
        public_line=cells["Rad för invånare"] or "",
    )
    return normalise(entry)[0]


def _yes_no(text: str | None, column: str) -> bool | None:
    if text is None:
        return None
    if text.casefold() not in YES_NO:
        raise CellError(column, f"{column} ska vara Ja eller Nej, inte ”{text}”.")
    return YES_NO[text.casefold()]


def _partners(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [part.strip() for part in text.split(",") if part.strip()]


def read_integer(text: str, column: str, message: str) -> int:
    value = read_number(text, column)
    if value is None or not float(value).is_integer():
        raise CellError(column, message)
    return int(value)


def read_number(text: str | None, column: str, *, percent: bool = False) -> float | None:
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
