"""Administration of focus areas and activities (issue 7); promises: promises.py.

No Streamlit here.

Every function takes the acting user first and refuses anyone without the admin role itself,
whatever page or script calls it, and anyone whose admin grant, read from the database as it
writes, does not cover the partnership of the promise it changes (issue 11). Every change
adds its audit row to the caller's session, so the caller's one transaction holds the change
and its trail together:

    with Session(engine) as session, session.begin():
        items.add_focus_area(session, actor, promise_id, FocusAreaFields("Unga", "", "ungdomar"))

Bad input raises AdminError with a Swedish message and the field it concerns; the caller's
transaction then rolls back and nothing is written. Archiving keeps history and evaluations;
a hard delete is refused for anything that has evaluations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.access import Actor, require_role, require_scope
from db import audit
from db.models import OWNERS, Activity, Evaluation, FocusArea, Promise, PromiseParty

THEME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,49}$")
LINEAGE_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")


class AdminError(ValueError):
    """Bad input for an administration change; Swedish message, and the field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FocusAreaFields:
    name: str
    description: str = ""
    theme: str = "ovrigt"


@dataclass(frozen=True)
class ActivityFields:
    focus_area_id: int
    title: str
    owner: str = "gemensam"
    description: str = ""
    partners: list[str] = field(default_factory=list)
    target_value: float | None = None
    target_unit: str | None = None
    lineage_key: str | None = None
    # The party that carries out an activity owned by "annan": another party of the promise.
    owner_organisation_id: int | None = None


# ---------------------------------------------------------------- focus areas


def add_focus_area(
    session: Session, actor: Actor, promise_id: int, fields: FocusAreaFields
) -> FocusArea:
    """Add a focus area last in the promise's order."""
    require_role(actor, "admin")
    _validate_focus_area(fields)
    promise = get_row(session, Promise, promise_id)
    require_admin_of(session, actor, promise)
    last = session.scalar(
        select(func.max(FocusArea.sort_order)).where(FocusArea.promise_id == promise.id)
    )
    area = FocusArea(promise_id=promise.id, sort_order=(last or 0) + 1)
    _apply_focus_area(area, fields)
    session.add(area)
    session.flush()
    audit_insert(session, actor, area)
    return area


def update_focus_area(
    session: Session, actor: Actor, focus_area_id: int, fields: FocusAreaFields
) -> FocusArea:
    """Change a focus area's name, description and theme."""
    require_role(actor, "admin")
    _validate_focus_area(fields)
    area = get_row(session, FocusArea, focus_area_id)
    require_admin_of(session, actor, area.promise)
    return change_row(session, actor, area, lambda row: _apply_focus_area(row, fields))


def _validate_focus_area(fields: FocusAreaFields) -> None:
    require_text(fields.name, "name", "Namnet", 200)
    if not THEME_PATTERN.match(fields.theme):
        raise AdminError(
            "Temat är en fast nyckel med små bokstäver a–z, siffror och understreck, "
            "t.ex. ungdomar eller trygghet_offentlig_miljo.",
            "theme",
        )


def _apply_focus_area(area: FocusArea, fields: FocusAreaFields) -> None:
    area.name = fields.name.strip()
    area.description = fields.description.strip()
    area.theme = fields.theme


# ---------------------------------------------------------------- activities


def add_activity(session: Session, actor: Actor, fields: ActivityFields) -> Activity:
    """Add an activity last in its focus area."""
    require_role(actor, "admin")
    validate_activity(fields)
    area = get_row(session, FocusArea, fields.focus_area_id)
    require_admin_of(session, actor, area.promise)
    require_owner_party(session, area.promise_id, fields)
    return add_activity_row(session, actor, area.promise, area, fields)


def update_activity(
    session: Session, actor: Actor, activity_id: int, fields: ActivityFields
) -> Activity:
    """Change an activity; it may move to another focus area of the same promise."""
    require_role(actor, "admin")
    validate_activity(fields)
    activity = get_row(session, Activity, activity_id)
    require_admin_of(session, actor, activity.promise)
    area = get_row(session, FocusArea, fields.focus_area_id)
    if area.promise_id != activity.promise_id:
        raise AdminError("Fokusområdet hör till ett annat löfte.", "focus_area_id")
    require_owner_party(session, activity.promise_id, fields)
    return change_row(session, actor, activity, lambda row: apply_activity(row, fields))


def validate_activity(fields: ActivityFields) -> None:
    """Raise AdminError for the first problem in ``fields`` (shared with the importer)."""
    require_text(fields.title, "title", "Titeln", 300)
    if fields.owner not in OWNERS:
        raise AdminError(
            "Ansvarig ska vara kommunen, polisen, gemensam eller en annan av löftets parter.",
            "owner",
        )
    if fields.owner == "annan" and fields.owner_organisation_id is None:
        raise AdminError("Välj vilken av löftets parter som är ansvarig.", "owner")
    if fields.target_value is not None and fields.target_value < 0:
        raise AdminError("Målvärdet får inte vara negativt.", "target_value")
    if fields.target_unit and len(fields.target_unit) > 60:
        raise AdminError("Enheten får vara högst 60 tecken.", "target_unit")
    if fields.lineage_key and not LINEAGE_PATTERN.match(fields.lineage_key):
        raise AdminError(
            "Linjenyckeln får bara innehålla små bokstäver a–z, siffror, punkt, bindestreck "
            "och understreck (högst 80 tecken).",
            "lineage_key",
        )


def require_owner_party(session: Session, promise_id: int, fields: ActivityFields) -> None:
    """AdminError unless an activity owned by "annan" names an added party of the promise."""
    if fields.owner != "annan":
        return
    party = session.get(PromiseParty, (promise_id, fields.owner_organisation_id))
    if party is None or party.role != "annan":
        raise AdminError(
            "Den ansvariga parten är inte en av löftets parter. Lägg till den under Löften "
            "först, eller välj en annan ansvarig.",
            "owner",
        )


def apply_activity(activity: Activity, fields: ActivityFields) -> None:
    """Copy ``fields`` onto ``activity`` (trimmed; empty optional text becomes None)."""
    activity.focus_area_id = fields.focus_area_id
    activity.title = fields.title.strip()
    activity.owner = fields.owner
    activity.owner_organisation_id = (
        fields.owner_organisation_id if fields.owner == "annan" else None
    )
    activity.description = fields.description.strip()
    activity.partners = [p.strip() for p in fields.partners if p.strip()]
    activity.target_value = fields.target_value
    activity.target_unit = (fields.target_unit or "").strip() or None
    activity.lineage_key = (fields.lineage_key or "").strip() or None


def fields_of(activity: Activity) -> ActivityFields:
    """The editable fields of a stored activity, as ActivityFields."""
    return ActivityFields(
        focus_area_id=activity.focus_area_id,
        title=activity.title,
        owner=activity.owner,
        description=activity.description,
        partners=list(activity.partners or []),
        target_value=activity.target_value,
        target_unit=activity.target_unit,
        lineage_key=activity.lineage_key,
        owner_organisation_id=activity.owner_organisation_id,
    )


def add_activity_row(
    session: Session,
    actor: Actor,
    promise: Promise,
    area: FocusArea,
    fields: ActivityFields,
    *,
    source: str | None = None,
) -> Activity:
    """Insert and audit an activity last in ``area`` (no role check: callers have made it).

    ``source`` defaults to the promise's (an activity of a demo promise is demo data too).
    """
    last = session.scalar(
        select(func.max(Activity.sort_order)).where(Activity.focus_area_id == area.id)
    )
    activity = Activity(
        promise_id=promise.id, sort_order=(last or 0) + 1, source=source or promise.source
    )
    apply_activity(activity, fields)
    session.add(activity)
    session.flush()
    audit_insert(session, actor, activity)
    return activity


# ---------------------------------------------------------------- both: order, archive, delete


def move(session: Session, actor: Actor, kind: type[FocusArea | Activity], row_id: int, step: int):
    """Move a focus area (within its promise) or an activity (within its focus area).

    ``step`` is -1 for up, +1 for down; at either end nothing changes. Siblings are numbered
    1..n afresh, so orders made elsewhere (gaps, ties) come out tidy; each changed row is
    audited.
    """
    require_role(actor, "admin")
    row = get_row(session, kind, row_id)
    require_admin_of(session, actor, row.promise)
    siblings = _siblings(session, row)
    index = siblings.index(row)
    target = index + step
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for order, sibling in enumerate(siblings, start=1):
        change_row(session, actor, sibling, lambda r, order=order: setattr(r, "sort_order", order))


def set_archived(
    session: Session, actor: Actor, kind: type[FocusArea | Activity], row_id: int, archived: bool
) -> None:
    """Archive (or bring back) a focus area or an activity; history and evaluations stay."""
    require_role(actor, "admin")
    row = get_row(session, kind, row_id)
    require_admin_of(session, actor, row.promise)
    change_row(session, actor, row, lambda r: setattr(r, "archived", archived))


def delete(session: Session, actor: Actor, kind: type[FocusArea | Activity], row_id: int) -> None:
    """Hard-delete a focus area (with its activities) or an activity that has no evaluations.

    Raises:
        AdminError: Something to be deleted has evaluations; archive it instead.
    """
    require_role(actor, "admin")
    row = get_row(session, kind, row_id)
    require_admin_of(session, actor, row.promise)
    activities = list(row.activities) if isinstance(row, FocusArea) else [row]
    noun = "Fokusområdet" if isinstance(row, FocusArea) else "Aktiviteten"
    refuse_if_evaluated(session, activities, noun)
    for activity in activities if isinstance(row, FocusArea) else []:
        audit_delete(session, actor, activity)
        session.delete(activity)
    audit_delete(session, actor, row)
    session.delete(row)
    session.flush()


def count_evaluations(session: Session, activity_ids: list[int]) -> int:
    """How many evaluations the activities have (what a hard delete would destroy)."""
    if not activity_ids:
        return 0
    return session.scalar(
        select(func.count(Evaluation.id)).where(Evaluation.activity_id.in_(activity_ids))
    )


def refuse_if_evaluated(session: Session, activities: list[Activity], noun: str) -> None:
    """AdminError if any of ``activities`` has an evaluation: a hard delete would lose it."""
    evaluated = count_evaluations(session, [a.id for a in activities])
    if evaluated:
        raise AdminError(
            f"{noun} har {evaluated} utvärdering{'ar' if evaluated > 1 else ''} och kan inte "
            "tas bort. Arkivera i stället: då finns historiken kvar."
        )


def _siblings(session: Session, row: FocusArea | Activity) -> list:
    if isinstance(row, FocusArea):
        query = select(FocusArea).where(FocusArea.promise_id == row.promise_id)
        query = query.order_by(FocusArea.sort_order, FocusArea.id)
    else:
        query = select(Activity).where(Activity.focus_area_id == row.focus_area_id)
        query = query.order_by(Activity.sort_order, Activity.id)
    return list(session.scalars(query))


# ---------------------------------------------------------------- helpers


_NOT_FOUND = {Promise: "Löftet", FocusArea: "Fokusområdet", Activity: "Aktiviteten"}


def require_text(value: str, field: str, label: str, max_length: int) -> None:
    """AdminError unless ``value`` has text and at most ``max_length`` characters."""
    if not value.strip():
        raise AdminError(f"{label} får inte vara tom{'t' if label.endswith('et') else ''}.", field)
    if len(value) > max_length:
        raise AdminError(f"{label} får vara högst {max_length} tecken.", field)


def require_admin_of(session: Session, actor: Actor, promise: Promise) -> Actor:
    """NotPermitted unless the actor's admin grant covers the promise's partnership (issue 11)."""
    return require_scope(session, actor, "admin", promise.partnership_id)


def change_row(session: Session, actor: Actor, row, apply: Callable[[Any], None]):
    """Apply a change to ``row``, flush, and audit it with before and after; returns the row."""
    before = audit.row_snapshot(row)
    apply(row)
    session.flush()
    audit_update(session, actor, row, before)
    return row


def get_row(session: Session, kind: type, row_id: int):
    """The row of ``kind`` with ``row_id``; AdminError if it is gone (deleted meanwhile)."""
    row = session.get(kind, row_id)
    if row is None:
        raise AdminError(f"{_NOT_FOUND[kind]} finns inte längre (id {row_id}).")
    return row


def audit_insert(session: Session, actor: Actor, row) -> None:
    """Audit a new row (flushed, so it has its id)."""
    audit.record(
        session,
        username=actor.username,
        table_name=row.__tablename__,
        row_id=row.id,
        action="insert",
        after=audit.row_snapshot(row),
    )


def audit_update(session: Session, actor: Actor, row, before: dict) -> None:
    """Audit a changed row, given its snapshot before the change; no change, no row."""
    after = audit.row_snapshot(row)
    if after == before:
        return
    audit.record(
        session,
        username=actor.username,
        table_name=row.__tablename__,
        row_id=row.id,
        action="update",
        before=before,
        after=after,
    )


def audit_delete(session: Session, actor: Actor, row) -> None:
    """Audit a row about to be deleted."""
    audit.record(
        session,
        username=actor.username,
        table_name=row.__tablename__,
        row_id=row.id,
        action="delete",
        before=audit.row_snapshot(row),
    )
