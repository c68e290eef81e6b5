"""Import of activities, and optionally their evaluations, from a spreadsheet (issue 7).

No Streamlit here. ``plan_import`` validates everything and returns what would change, or
raises ImportRefused listing every bad row with its number and reason; it writes nothing.
``run_import`` plans and applies in the caller's one transaction, so an import is all or
nothing. The file format lives in import_file.py beside it.

Placing, issue 11: a row belongs to the kommun's promise for its area (Område; empty: the
whole kommun) that covers its year (År) and, if the row carries an evaluation, has its period
(Period, or Tertial in older files: T1, K2, H1 or an own period's name; import_values.
find_period). Ansvarig names the kommun, the police, both, or another party of that promise.

Matching, so that importing the same file twice changes nothing: a row's activity is the
promise's activity with the row's lineage key (Linjenyckel) if it has one, else the activity of
the same focus area with the same title (case and surrounding spaces ignored). An empty cell
never erases what is stored; it leaves the stored value as it is. An evaluation that already
exists must match the file exactly: import never overwrites an evaluation (that is the entry
page's job, with its conflict check), so a differing one is reported as an error. The public
cells (Kommentar publik, Rad för invånare; issue 13) count in that comparison only where the row
fills them in, so an older file without them still imports again unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field, replace

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import labels
from dashboard.access import Actor, require_role, require_scope
from dashboard.admin import import_values, items
from dashboard.admin.import_context import ImportContext, placement_problem
from dashboard.admin.import_file import ALIASES, COLUMNS, ROW, Column, RowError
from dashboard.admin.items import ActivityFields
from dashboard.entry.rules import EvaluationInput
from db.models import (
    Activity,
    AppUser,
    Evaluation,
    FocusArea,
)

EVALUATION_FIELDS = ("status", "completion", "achieved_value", "comment")
# Written with every new evaluation (False and "" when the file has no such cells); compared
# with a stored evaluation only where the row's cells were filled in.
PUBLIC_FIELDS = ("comment_public", "public_line")
DUPLICATE = "Dubblett av rad {other}: samma aktivitet och period finns redan i filen."
CONTRADICTS = "Raden beskriver aktiviteten annorlunda än rad {other} ({names})."
SAME_ACTIVITY = "Samma aktivitet som rad {other} (titel eller linjenyckel)."
STORED_DIFFERS = (
    "Det finns redan en utvärdering för {code} {year} med andra värden. Ändra den på "
    "sidan Registrera utvärdering; importen skriver inte över."
)
NO_PERIOD = "Löftet har ingen period {period} {year}; löftets perioder {year}: {names}."
NO_PARTY = (
    "Okänd ansvarig ”{name}”. Skriv Kommunen, Polisen, Gemensam eller en annan av löftets "
    "parter: {names}."
)


class ImportRefused(ValueError):
    """The file has errors; nothing was written. ``errors`` lists every one."""

    def __init__(self, errors: list[RowError]) -> None:
        rows = {e.row for e in errors if e.row is not None}
        super().__init__(
            f"Inget importerades: {len(errors)} fel"
            + (f" på {labels.count(len(rows), 'rad', 'rader')}." if rows else ".")
            + " Rätta filen och försök igen."
        )
        self.errors = sorted(errors, key=lambda e: (e.row or 0, e.column or ""))


@dataclass
class PlannedActivity:
    """One activity of the file: its fields as they will be stored, and what is new."""

    rows: list[int]
    area: FocusArea
    fields: ActivityFields
    existing: Activity | None
    changed: bool
    evaluations: list[EvaluationInput] = field(default_factory=list)
    periods: dict[tuple[int, int], int] = field(default_factory=dict)  # (year, number) -> id


@dataclass(frozen=True)
class ImportSummary:
    """What an import did (or, from plan_import, would do)."""

    rows: int
    activities_created: int
    activities_updated: int
    evaluations_created: int
    unchanged: int

    def describe(self) -> str:
        if not (self.activities_created or self.activities_updated or self.evaluations_created):
            return f"Inget att ändra: alla {self.rows} rader finns redan i databasen."
        return (
            f"{labels.count(self.rows, 'rad', 'rader')}: "
            f"{labels.count(self.activities_created, 'ny aktivitet', 'nya aktiviteter')}, "
            f"{labels.count(self.activities_updated, 'ändrad aktivitet', 'ändrade aktiviteter')}, "
            f"{labels.count(self.evaluations_created, 'ny utvärdering', 'nya utvärderingar')}, "
            f"{labels.count(self.unchanged, 'aktivitet', 'aktiviteter')} oförändrade."
        )


def plan_import(
    session: Session, actor: Actor, partnership_id: int, frame: pl.DataFrame
) -> tuple[list[PlannedActivity], ImportSummary]:
    """Validate ``frame`` (from import_file.read_upload) against the database; write nothing.

    Raises:
        NotPermitted: The actor is not an admin, or not of a scope covering the partnership.
        ImportRefused: Any error in any row; every one is listed.
    """
    require_role(actor, "admin")
    require_scope(session, actor, "admin", partnership_id)
    check_columns(frame)
    rows, errors = import_values.parse_rows(frame)
    groups = _group(rows, errors)
    plan = _resolve(session, partnership_id, groups, errors)
    if errors:
        raise ImportRefused(errors)
    summary = ImportSummary(
        rows=frame.height,
        activities_created=sum(p.existing is None for p in plan),
        activities_updated=sum(p.existing is not None and p.changed for p in plan),
        evaluations_created=sum(len(p.evaluations) for p in plan),
        unchanged=sum(p.existing is not None and not p.changed for p in plan),
    )
    return plan, summary


def run_import(
    session: Session,
    actor: Actor,
    partnership_id: int,
    frame: pl.DataFrame,
    *,
    source: str = "verklig",
    now: dt.datetime | None = None,
) -> ImportSummary:
    """Plan, then write every change with its audit row into ``session`` (caller commits)."""
    plan, summary = plan_import(session, actor, partnership_id, frame)
    now = now or dt.datetime.now(dt.UTC)
    account = session.scalar(select(AppUser).where(AppUser.username == actor.username))
    evaluated_by = account.display_name if account else actor.username
    activities = _write_activities(session, actor, plan, source)
    evaluations = [
        Evaluation(
            activity_id=activity.id,
            period_id=item.periods[(entry.year, entry.tertial)],
            year=entry.year,
            period_no=entry.tertial,
            **{name: getattr(entry, name) for name in EVALUATION_FIELDS + PUBLIC_FIELDS},
            evaluated_by=evaluated_by,
            evaluated_at=now,
            source=source,
            version=1,
        )
        for item, activity in zip(plan, activities, strict=True)
        for entry in item.evaluations
    ]
    _insert_all(session, actor, evaluations)
    return summary


def _write_activities(
    session: Session, actor: Actor, plan: list[PlannedActivity], source: str
) -> list[Activity]:
    """The stored activity of every planned one: changed ones updated, new ones inserted.

    New rows go in as one batch (one flush, then their audit rows): row by row, a 5,000-row
    file spent most of its time in per-row flushes and sort-order queries.
    """
    next_order: dict[int, int] = {}
    result, new = [], []
    for item in plan:
        if item.existing is not None:
            if item.changed:
                items.change_row(
                    session,
                    actor,
                    item.existing,
                    lambda r, f=item.fields: items.apply_activity(r, f),
                )
            result.append(item.existing)
            continue
        area = item.area
        order = next_order.get(area.id) or 1 + max(
            (a.sort_order for a in area.activities), default=0
        )
        next_order[area.id] = order + 1
        activity = Activity(promise_id=area.promise_id, sort_order=order, source=source)
        items.apply_activity(activity, item.fields)
        new.append(activity)
        result.append(activity)
    _insert_all(session, actor, new)
    return result


def _insert_all(session: Session, actor: Actor, rows: list) -> None:
    session.add_all(rows)
    session.flush()
    for row in rows:
        items.audit_insert(session, actor, row)
    session.flush()


def check_columns(
    frame: pl.DataFrame, columns: tuple[Column, ...] = COLUMNS, aliases: dict = ALIASES
) -> None:
    """ImportRefused if a required column is missing, an unknown one is present, or a column
    is there under both its name and an alias. Also the indicator import's header check."""
    template = {c.name.casefold(): c.name for c in columns}
    known = template | {alias.casefold(): alias for alias in aliases}
    present = {name.casefold() for name in frame.columns if name != ROW}
    errors = [
        RowError(None, c.name, f"Kolumnen ”{c.name}” saknas i rubrikraden.")
        for c in columns
        if c.required and c.name.casefold() not in present
    ]
    errors += [
        RowError(None, alias, f"Filen har både kolumnen {name} och {alias}; behåll bara {name}.")
        for alias, name in aliases.items()
        if alias.casefold() in present and name.casefold() in present
    ]
    errors += [
        RowError(
            None, name, f"Okänd kolumn ”{name}”. Mallens kolumner: {', '.join(template.values())}."
        )
        for name in frame.columns
        if name != ROW and name.casefold() not in known
    ]
    if errors:
        raise ImportRefused(errors)


def _group(rows: list[import_values.ParsedRow], errors: list[RowError]) -> dict:
    """Rows by activity and year; duplicates and contradicting rows become errors."""
    groups: dict[tuple, list[import_values.ParsedRow]] = defaultdict(list)
    seen: dict[tuple, int] = {}
    for row in rows:
        key = (row.year, (row.place or "").casefold(), row.area.casefold(), row.activity_key)
        period = (key, row.period.casefold() if row.evaluation else None)
        if period in seen:
            errors.append(RowError(row.row, None, DUPLICATE.format(other=seen[period])))
            continue
        seen[period] = row.row
        clash = _contradiction(row, groups[key])
        if clash is not None:
            errors.append(clash)
        groups[key].append(row)
    return groups


def _contradiction(row, others) -> RowError | None:
    """An error if ``row`` describes the activity otherwise than one of ``others``."""
    for other in others:
        clash = [k for k, v in row.values.items() if other.values.get(k, v) != v]
        if clash:
            names = ", ".join(import_values.ACTIVITY_COLUMNS[name] for name in clash)
            return RowError(row.row, None, CONTRADICTS.format(other=other.row, names=names))
    return None


def _resolve(session, partnership_id: int, groups: dict, errors: list) -> list[PlannedActivity]:
    """Find each group's promise, focus area and stored activity; plan what to write.

    Groups of different years that land in the same promise (one that spans the turn of a
    year) are one activity.
    """
    context = ImportContext(session, partnership_id)
    placed: dict[tuple, tuple] = {}
    for (year, _place, _area, key), rows in groups.items():
        first = rows[0]
        wanted = [r.period for r in rows if r.evaluation is not None]
        promise = context.promise(year, first.place, wanted)
        area = context.area(promise, first.area) if promise else None
        problem = placement_problem(context, first, promise, area)
        if problem:
            errors += [RowError(r.row, problem[0], problem[1]) for r in rows]
            continue
        _, _, earlier = placed.setdefault((promise.id, area.id, key), (promise, area, []))
        clash = _contradiction(first, earlier)
        if clash is not None:
            errors.append(clash)
            continue
        earlier.extend(rows)
    plan, taken = [], {}
    for promise, area, rows in placed.values():
        first = rows[0]
        existing = context.activity(promise, area, first)
        if existing is not None and existing.id in taken:
            errors.append(
                RowError(first.row, "Aktivitet", SAME_ACTIVITY.format(other=taken[existing.id]))
            )
            continue
        if existing is not None:
            taken[existing.id] = first.row
        plan.append(_plan_activity(context, area, existing, rows, errors))
    return plan


def _plan_activity(context, area, existing, rows, errors) -> PlannedActivity:
    merged = {k: v for r in rows for k, v in r.values.items()}
    promise = area.promise
    party = merged.pop("owner_party", None)
    if party is not None:
        found = context.party(promise, party)
        if found is None:
            names = ", ".join(context.parties(promise)) or "löftet har inga andra parter"
            message = NO_PARTY.format(name=party, names=names)
            errors += [RowError(r.row, "Ansvarig", message) for r in rows]
        merged["owner_organisation_id"] = found
    base = items.fields_of(existing) if existing is not None else ActivityFields(area.id, "")
    fields = replace(base, focus_area_id=area.id, **merged)
    changed = existing is None or fields != base
    item = PlannedActivity([r.row for r in rows], area, fields, existing, changed)
    stored = context.evaluations(existing)
    item.periods = {(p.year, p.number): p.id for p in promise.periods}
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        if row.evaluation is None:
            continue
        period = import_values.find_period(promise.periods, row.year, row.period)
        if period is None:
            names = ", ".join(p.code for p in promise.periods if p.year == row.year)
            message = NO_PERIOD.format(period=row.period, year=row.year, names=names or "inga")
            errors.append(RowError(row.row, row.period_column, message))
            continue
        entry = replace(row.evaluation, tertial=period.number)
        key = (entry.year, entry.tertial)
        if key in seen:
            errors.append(RowError(row.row, None, DUPLICATE.format(other=seen[key])))
            continue
        seen[key] = row.row
        old = stored.get(key)
        if old is None:
            item.evaluations.append(entry)
        elif any(
            getattr(old, n) != getattr(entry, n) for n in EVALUATION_FIELDS + row.public_given
        ):
            message = STORED_DIFFERS.format(code=period.code, year=entry.year)
            errors.append(RowError(row.row, row.period_column, message))
    return item
