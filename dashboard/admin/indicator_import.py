"""Import of indicator values from CSV or .xlsx (issue 12, item 3). No Streamlit here.

The file is read as the activity import reads its own (import_file.read_upload: every cell
text, rows numbered as the spreadsheet shows them) and refused the same way (importer.
ImportRefused with one RowError per problem): all or nothing. A row names an indicator by its
code, a kommun by its SCB code (or a lokalpolisområde by name, for the trygghetsmätning's
figures per police area), optionally a named part of it (Område, "" the whole), a year, an
optional period (blank: the whole year) and the value, with a decimal comma or point.

The template holds one example row per indicator defined (the kommun's code, the next year to
fill in, the value left blank), each marked in the column Exempel. Rows marked there are never
imported (and never checked): the template uploaded unchanged is refused nothing and writes
nothing, and an invented example can never become a value labelled real. Clearing the mark and
filling in the value makes a row an ordinary one.

Good rows are written with the one writer of values, indicator_values.save_values (origin
``import``, source ``verklig``), one call per indicator in the caller's one transaction, after
require_values_scope has checked that the admin's scope covers every organisation named.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard import labels
from dashboard.access import Actor, require_role
from dashboard.admin import import_file
from dashboard.admin.import_file import ROW, Column, ImportFileError, RowError
from dashboard.admin.import_values import PERIOD_PATTERN, CellError, read_integer, read_number
from dashboard.admin.importer import ImportRefused, check_columns
from dashboard.admin.indicator_values import Changes, ValueRow, require_values_scope, save_values
from db.models import Indicator, IndicatorValue, Organisation
from db.vocabulary import INDICATOR_YEARS, MAX_PERIODS_PER_YEAR, WHOLE_YEAR

SHEET_NAME = "Indikatorvärden"
EXAMPLE_MARK = "Exempelrad – töm cellen och fyll i Värde för att importera raden"
MAX_AREA, MAX_URL = 120, 500  # the columns' lengths in db/models.py
EXAMPLE_ROWS = 20  # at most this many indicators get an example row in the template
CODE_PATTERN = re.compile(r"^\d{1,4}(?:[.,]0+)?$")  # 0486, or 486 as Excel shortens it
DUPLICATE = (
    "Dubblett av rad {other}: samma indikator, organisation, område, år och period finns "
    "redan i filen."
)
HELP = {
    "Indikator": "Indikatorns kod, t.ex. N07403 (fliken Indikatorer visar dem).",
    "Kommunkod": "Kommunens fyrsiffriga SCB-kod, t.ex. 0486. Lämnas tom bara när "
    "Lokalpolisområde är ifyllt.",
    "Lokalpolisområde": "I stället för Kommunkod: lokalpolisområdets namn, för värden som "
    "gäller hela polisområdet (t.ex. trygghetsmätningens index).",
    "Område": "Tomt för hela kommunen; annars en del av den, t.ex. Mariefred.",
    "År": f"Året värdet gäller, {INDICATOR_YEARS[0]}–{INDICATOR_YEARS[1]}.",
    "Period": f"Tomt för helår; annars periodens nummer i året, 1–{MAX_PERIODS_PER_YEAR} "
    "(T2, K3 och H1 går också bra).",
    "Värde": "Ett tal, med decimalkomma eller decimalpunkt, t.ex. 2,8.",
    "Källa-URL": "Adressen till källan, börjar med https:// eller http://.",
    "Exempel": "Mallens exempelrader är markerade här och importeras inte. Töm cellen (eller "
    "ta bort raden) när du har fyllt i raden.",
}
REQUIRED = {"Indikator", "Kommunkod", "År", "Värde"}  # in the header; see Kommunkod's help
COLUMNS = tuple(Column(name, name in REQUIRED, text, "") for name, text in HELP.items())
COLUMN_NAMES = tuple(c.name for c in COLUMNS)


class FileRefused(ValueError):
    """For the command line: the file was not imported; the message lists every reason."""


@dataclass(frozen=True)
class PlannedValue:
    """A good row: which indicator and organisation, and the value as save_values takes it."""

    row: int
    indicator: Indicator
    code: str  # the indicator's, kept for the preview after the session has closed
    organisation: str
    value: ValueRow


@dataclass
class Plan:
    """What an import will write: the good rows, the example rows left out, what changes."""

    rows: list[PlannedValue] = field(default_factory=list)
    examples: list[int] = field(default_factory=list)
    changes: Changes = field(default_factory=Changes)
    states: dict[int, str] = field(default_factory=dict)  # file row -> what happens to it

    def describe(self) -> str:
        """``"3 rader: 2 nya värden, 1 ändrat, 0 oförändrade"`` (and the examples left out)."""
        skipped = labels.count(len(self.examples), "exempelrad", "exempelrader")
        if not self.rows:
            return (
                f"Inget att importera: filen har bara {skipped} från mallen. Töm cellen Exempel "
                "och fyll i Värde på de rader du vill importera."
            )
        text = f"{labels.count(len(self.rows), 'rad', 'rader')}: {self.changes.text()}"
        if self.examples:
            text += f"; {skipped} från mallen importeras inte"
        return text + "."

    @property
    def writes(self) -> bool:
        return bool(self.changes.added or self.changes.changed)

    def preview(self) -> pl.DataFrame:
        """One line per row of the file that is imported, with what happens to it."""
        schema = {
            "Rad": pl.Int64,
            "Indikator": pl.String,
            "Organisation": pl.String,
            "Område": pl.String,
            "År": pl.Int64,
            "Period": pl.String,
            "Värde": pl.String,
            "Ändring": pl.String,
        }
        lines = [
            (
                p.row,
                p.code,
                p.organisation,
                p.value.area or "Hela",
                p.value.year,
                str(p.value.period_no) if p.value.period_no else "Helår",
                labels.format_number(p.value.value, _decimals(p.value.value)),
                self.states[p.row],
            )
            for p in self.rows
        ]
        return pl.DataFrame(lines, schema=schema, orient="row")


# ---------------------------------------------------------------- the file


def read_file(data: bytes, name: str = "") -> pl.DataFrame:
    """The upload as a frame of text (import_file.read_upload), its header checked.

    Raises:
        ImportFileError: The file cannot be read at all.
        ImportRefused: A required column is missing or an unknown one present.
    """
    frame = import_file.read_upload(data, name, sheet=SHEET_NAME)
    check_columns(frame, COLUMNS, {})
    return frame


def template_frame(session: Session, kommun_code: str) -> pl.DataFrame:
    """The template's rows: one example per indicator (at most EXAMPLE_ROWS), marked Exempel,
    for ``kommun_code`` in the year after its latest value, the value left to fill in."""
    indicators = session.scalars(select(Indicator).order_by(Indicator.code).limit(EXAMPLE_ROWS))
    kommun = session.scalar(
        select(Organisation.id).where(
            Organisation.kind == "kommun", Organisation.code == kommun_code
        )
    )
    latest = dict(
        session.execute(
            select(IndicatorValue.indicator_id, func.max(IndicatorValue.year))
            .where(IndicatorValue.organisation_id == kommun)
            .group_by(IndicatorValue.indicator_id)
        ).all()
    )
    fallback = dt.date.today().year - 1  # a year's figures are published the year after
    rows = [
        {
            "Indikator": indicator.code,
            "Kommunkod": kommun_code,
            "År": str(
                min(latest[indicator.id] + 1, fallback) if indicator.id in latest else fallback
            ),
            "Källa-URL": indicator.source_url or "",
        }
        for indicator in indicators
    ] or [{"Indikator": "N07403", "Kommunkod": kommun_code, "År": str(fallback)}]
    return pl.DataFrame(
        [
            {name: row.get(name, "") for name in COLUMN_NAMES} | {"Exempel": EXAMPLE_MARK}
            for row in rows
        ],
        schema=dict.fromkeys(COLUMN_NAMES, pl.String),
    )


def template_csv(session: Session, kommun_code: str) -> bytes:
    """The template as CSV (``;``, byte-order mark), every cell inert (dashboard.spreadsheets)."""
    return import_file.template_csv(template_frame(session, kommun_code))


def template_xlsx(session: Session, kommun_code: str) -> bytes:
    """The template as .xlsx: the rows to fill in, and a sheet that explains each column."""
    return import_file.template_xlsx(template_frame(session, kommun_code), COLUMNS, SHEET_NAME)


def columns_frame() -> pl.DataFrame:
    """The template's columns explained, for the page."""
    return import_file.columns_frame(COLUMNS)


# ---------------------------------------------------------------- planning and writing


def plan_rows(session: Session, frame: pl.DataFrame) -> Plan:
    """Check every row of ``frame`` (from read_file) against the database; write nothing.

    Raises:
        ImportRefused: Any bad row; every problem is listed with its row and column.
    """
    lookup = _Lookup(session)
    plan, errors, seen = Plan(), [], {}
    for record in frame.iter_rows(named=True):
        cells = {name: record.get(name) for name in COLUMN_NAMES}
        if cells["Exempel"] is not None:
            plan.examples.append(record[ROW])
            continue
        planned, problems = _read_row(lookup, record[ROW], cells)
        errors += problems
        if planned is None:
            continue
        key = (
            planned.indicator.id,
            planned.value.organisation_id,
            planned.value.area.casefold(),
            planned.value.year,
            planned.value.period_no,
        )
        if key in seen:
            errors.append(RowError(planned.row, None, DUPLICATE.format(other=seen[key])))
            continue
        seen[key] = planned.row
        plan.rows.append(planned)
    if errors:
        raise ImportRefused(errors)
    _compare(session, plan)
    return plan


def plan_import(session: Session, actor: Actor | None, frame: pl.DataFrame) -> Plan:
    """plan_rows, for an admin whose scope covers every organisation of the file.

    Raises:
        NotPermitted: Not an admin, or an organisation of the file lies outside the scope.
        ImportRefused: See plan_rows.
    """
    require_role(actor, "admin")  # before reading a row: a non-admin learns nothing of the file
    plan = plan_rows(session, frame)
    if plan.rows:  # nothing to write (only the template's examples): no organisation to check
        require_values_scope(session, actor, {p.value.organisation_id for p in plan.rows})
    return plan


def run_import(
    session: Session, actor: Actor | None, frame: pl.DataFrame, *, now: dt.datetime | None = None
) -> Plan:
    """Plan (scope-checked), then write every value in ``session``'s transaction (the caller
    commits). Returns the plan, whose ``changes`` are what was written."""
    plan = plan_import(session, actor, frame)
    write_plan(session, plan, actor.username, now=now)
    return plan


def write_plan(
    session: Session, plan: Plan, username: str, *, now: dt.datetime | None = None
) -> Changes:
    """Every planned value through save_values, one call per indicator (and one audit row)."""
    by_indicator: dict[int, list[PlannedValue]] = defaultdict(list)
    for planned in plan.rows:
        by_indicator[planned.indicator.id].append(planned)
    total = Changes()
    for rows in by_indicator.values():
        done = save_values(
            session,
            rows[0].indicator,
            [p.value for p in rows],
            origin="import",
            source="verklig",
            username=username,
            now=now,
        )
        total.added += done.added
        total.changed += done.changed
        total.unchanged += done.unchanged
    plan.changes = total
    return total


def import_file_cli(engine: Engine, path: str | Path) -> str:
    """``python -m dashboard indikatorer importera FIL``: import as the server's operator
    (no account, like ``indikatorer hamta``), all or nothing; returns what was done.

    Raises:
        FileRefused: The file is missing, unreadable or has bad rows (every one listed).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileRefused(f"Filen {path} går inte att läsa ({exc.strerror}).") from exc
    try:
        frame = read_file(data, path.name)
        with Session(engine) as session, session.begin():
            plan = plan_rows(session, frame)
            changes = write_plan(session, plan, "kommandorad")
    except ImportFileError as exc:
        raise FileRefused(str(exc)) from exc
    except ImportRefused as exc:
        lines = [
            f"rad {e.row or '–'}" + (f", {e.column}" if e.column else "") + f": {e.message}"
            for e in exc.errors
        ]
        raise FileRefused("\n".join([str(exc), *lines])) from exc
    skipped = f" ({len(plan.examples)} exempelrader hoppades över)" if plan.examples else ""
    return f"Indikatorvärden från {path.name}: {changes.text()}{skipped}."


# ---------------------------------------------------------------- rows


class _Lookup:
    """The indicators, kommuner and police areas a file may name, read once per import."""

    def __init__(self, session: Session) -> None:
        self.indicators = {i.code.casefold(): i for i in session.scalars(select(Indicator))}
        organisations = session.execute(
            select(Organisation.id, Organisation.kind, Organisation.code, Organisation.name).where(
                Organisation.kind.in_(("kommun", "lokalpolisomrade"))
            )
        ).all()
        self.kommuner = {c: (i, n) for i, k, c, n in organisations if k == "kommun" and c}
        self.areas = {n.casefold(): (i, n) for i, k, _, n in organisations if k != "kommun"}


def _read_row(lookup: _Lookup, row: int, cells: dict) -> tuple[PlannedValue | None, list[RowError]]:
    """The row's planned value, or None and every problem of the row."""
    errors: list[RowError] = []

    def check(column: str, read):
        try:
            return read(cells[column])
        except CellError as exc:
            errors.append(RowError(row, exc.column, str(exc)))
            return None

    indicator = check("Indikator", lambda text: _indicator(lookup, text))
    organisation = _organisation(lookup, cells, errors, row)
    area = check("Område", lambda text: _text(text, "Område", MAX_AREA))
    year = check("År", _year)
    period = check("Period", _period)
    value = check("Värde", _value)
    url = check("Källa-URL", _url)
    if errors:
        return None, errors
    (organisation_id, name) = organisation
    entry = ValueRow(organisation_id, year, value, area or "", period, url)
    return PlannedValue(row, indicator, indicator.code, name, entry), []


def _indicator(lookup: _Lookup, text: str | None) -> Indicator:
    if text is None:
        raise CellError("Indikator", "Indikator saknas: skriv indikatorns kod, t.ex. N07403.")
    found = lookup.indicators.get(text.casefold())
    if found is None:
        known = ", ".join(sorted(i.code for i in lookup.indicators.values())[:10]) or "inga ännu"
        raise CellError("Indikator", f"Okänd indikator ”{text}”. Kända koder: {known}.")
    return found


def _organisation(lookup: _Lookup, cells: dict, errors: list, row: int) -> tuple[int, str] | None:
    code, area = cells["Kommunkod"], cells["Lokalpolisområde"]
    if code is not None and area is not None:
        errors.append(
            RowError(
                row,
                "Lokalpolisområde",
                "Fyll i antingen Kommunkod eller Lokalpolisområde, inte båda.",
            )
        )
    elif code is not None:
        digits = re.split(r"[.,]", code)[0].zfill(4) if CODE_PATTERN.match(code) else None
        if digits in lookup.kommuner:
            return lookup.kommuner[digits]
        message = f"Kommunkoden ”{code}” finns inte i SCB:s kommunlista."
        errors.append(RowError(row, "Kommunkod", message))
    elif area is not None:
        if area.casefold() in lookup.areas:
            return lookup.areas[area.casefold()]
        errors.append(RowError(row, "Lokalpolisområde", f"Lokalpolisområdet ”{area}” finns inte."))
    else:
        errors.append(
            RowError(row, "Kommunkod", "Kommunkod saknas: skriv kommunens SCB-kod, t.ex. 0486.")
        )
    return None


def _year(text: str | None) -> int:
    if text is None:
        raise CellError("År", "År saknas.")
    year = read_integer(text, "År", f"Ange året som ett heltal, t.ex. {INDICATOR_YEARS[0] + 25}.")
    low, high = INDICATOR_YEARS
    if not low <= year <= high:
        raise CellError("År", f"Året {year} ligger utanför {low}–{high}.")
    return year


def _period(text: str | None) -> int:
    if text is None:
        return WHOLE_YEAR
    match = PERIOD_PATTERN.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= MAX_PERIODS_PER_YEAR:
        raise CellError(
            "Period",
            f"Period ska vara tom (helår) eller periodens nummer 1–{MAX_PERIODS_PER_YEAR}, "
            f"t.ex. 2 eller T2, inte ”{text}”.",
        )
    return int(match.group(2))


def _value(text: str | None) -> float:
    if text is None:
        raise CellError("Värde", "Värde saknas.")
    return float(read_number(text, "Värde"))  # refuses NaN and infinities too


def _url(text: str | None) -> str | None:
    if text is None:
        return None
    _text(text, "Källa-URL", MAX_URL)
    if not text.startswith(("https://", "http://")):
        raise CellError("Källa-URL", "Källa-URL ska börja med https:// eller http://.")
    return text


def _text(text: str | None, column: str, max_length: int) -> str | None:
    if text is not None and len(text) > max_length:
        raise CellError(column, f"{column} får vara högst {max_length} tecken.")
    return text


def _compare(session: Session, plan: Plan) -> None:
    """What each planned row does to the stored values, as save_values will count it."""
    if not plan.rows:
        return
    stored = {
        (v.indicator_id, v.organisation_id, v.area, v.year, v.period_no): v
        for v in session.scalars(
            select(IndicatorValue).where(
                IndicatorValue.indicator_id.in_({p.indicator.id for p in plan.rows}),
                IndicatorValue.organisation_id.in_({p.value.organisation_id for p in plan.rows}),
            )
        )
    }
    for planned in plan.rows:
        entry = planned.value
        old = stored.get((planned.indicator.id, *entry.key))
        if old is None:
            plan.changes.added.append((entry.key, entry.value))
            plan.states[planned.row] = "Nytt värde"
        elif old.value != entry.value or (old.origin, old.source) != ("import", "verklig"):
            plan.changes.changed.append((entry.key, old.value, entry.value))
            plan.states[planned.row] = (
                f"Ändras från {labels.format_number(old.value, _decimals(old.value))}"
                if old.value != entry.value
                else f"Samma värde, nu inläst från fil (var: {labels.VALUE_ORIGINS[old.origin]})"
            )
        else:
            plan.changes.unchanged += 1
            plan.states[planned.row] = "Oförändrat"


def _decimals(value: float) -> int:
    """As many decimals as the value has (at most 3): 812, 2,8, 61,25."""
    return 0 if float(value).is_integer() else min(len(repr(float(value)).split(".")[1]), 3)
