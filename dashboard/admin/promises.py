"""Administration of promises: create a year's promise (optionally copying last year's), edit it.

Issue 7. Same contract as items.py: the acting user first, the admin check (role and, issue
11, a grant whose scope covers the partnership) inside,
audit rows in the caller's transaction, AdminError (Swedish) for bad input. A year that
already has a promise cannot get a second: db/rules.py refuses the overlap on flush, and
``_flush_promise`` turns that into an AdminError on the year field.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard.access import Actor, require_role, require_scope
from dashboard.admin.items import (
    AdminError,
    add_activity_row,
    audit_delete,
    audit_insert,
    audit_update,
    fields_of,
    get_row,
    refuse_if_evaluated,
    require_admin_of,
    require_text,
)
from db import audit, organisations
from db.models import KINDS, FocusArea, Promise
from db.rules import PromiseYearsOverlap


@dataclass(frozen=True)
class PromiseFields:
    """What an admin edits on a promise."""

    title: str
    kind: str = "medborgarlöfte"
    signed_on: dt.date | None = None
    signatories: list[dict] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True)
class CopySummary:
    """What ``create_promise`` copied from the previous promise."""

    focus_areas: int = 0
    activities: int = 0
    skipped_one_off: int = 0


def create_promise(
    session: Session,
    actor: Actor,
    *,
    partnership_id: int,
    year: int,
    fields: PromiseFields,
    copy_previous: bool = False,
    source: str = "verklig",
) -> tuple[Promise, CopySummary]:
    """Create the promise for ``year``, optionally as a copy of the previous year's.

    The copy takes the previous promise's focus areas that are not archived and, of their
    activities, the recurring ones (those with a lineage key), keeping the key so the
    activity can be followed across years. One-off activities are counted, not copied.

    Raises:
        AdminError: Bad fields, a year out of range, a year that already has a promise, or
            ``copy_previous`` without a previous promise.
    """
    require_role(actor, "admin")
    _validate_promise(fields)
    require_scope(session, actor, "admin", partnership_id)
    if not 2000 <= year <= 2100:
        raise AdminError("Året måste vara mellan 2000 och 2100.", "year")
    previous = promise_for_year(session, partnership_id, year - 1) if copy_previous else None
    if copy_previous and previous is None:
        raise AdminError(f"Det finns inget löfte för {year - 1} att kopiera.", "copy_previous")
    promise = Promise(partnership_id=partnership_id, year_from=year, year_to=year, source=source)
    _apply_promise(promise, fields)
    session.add(promise)
    _flush_promise(session)
    # The partnership's kommun and police area sign it (issue 11).
    organisations.link_partnerships(session.connection())
    organisations.add_default_parties(session.connection())
    audit_insert(session, actor, promise)
    summary = _copy_contents(session, actor, previous, promise) if previous else CopySummary()
    return promise, summary


def update_promise(
    session: Session, actor: Actor, promise_id: int, fields: PromiseFields
) -> Promise:
    """Change a promise's title, kind, signing date, signatories and summary."""
    require_role(actor, "admin")
    _validate_promise(fields)
    promise = get_row(session, Promise, promise_id)
    require_admin_of(session, actor, promise)
    before = audit.row_snapshot(promise)
    _apply_promise(promise, fields)
    _flush_promise(session)
    audit_update(session, actor, promise, before)  # not change_row: the flush may be refused
    return promise


def delete_promise(session: Session, actor: Actor, promise_id: int) -> None:
    """Delete a promise with its focus areas and activities, only if nothing is evaluated."""
    require_role(actor, "admin")
    promise = get_row(session, Promise, promise_id)
    require_admin_of(session, actor, promise)
    activities = list(promise.activities)
    refuse_if_evaluated(session, activities, "Löftet")
    for activity in activities:
        audit_delete(session, actor, activity)
        session.delete(activity)
    for area in list(promise.focus_areas):
        audit_delete(session, actor, area)
        session.delete(area)
    audit_delete(session, actor, promise)
    session.delete(promise)
    session.flush()


def promise_for_year(session: Session, partnership_id: int, year: int) -> Promise | None:
    """The partnership's promise that covers ``year``, if any."""
    return session.scalars(
        select(Promise).where(
            Promise.partnership_id == partnership_id,
            Promise.year_from <= year,
            Promise.year_to >= year,
        )
    ).first()


def parse_signatories(text: str) -> list[dict]:
    """One signatory a line, ``Namn, roll`` (the role is optional); blank lines are skipped."""
    signatories = []
    for line in text.splitlines():
        name, _, role = (part.strip() for part in line.partition(","))
        if name:
            signatories.append({"name": name, "role": role} if role else {"name": name})
    return signatories


def _validate_promise(fields: PromiseFields) -> None:
    require_text(fields.title, "title", "Titeln", 300)
    if fields.kind not in KINDS:
        raise AdminError(f"Okänd typ av löfte: {fields.kind!r}.", "kind")
    for signatory in fields.signatories:
        if not str(signatory.get("name", "")).strip():
            raise AdminError("Varje undertecknare behöver ett namn.", "signatories")


def _apply_promise(promise: Promise, fields: PromiseFields) -> None:
    promise.title = fields.title.strip()
    promise.kind = fields.kind
    promise.signed_on = fields.signed_on
    promise.signatories = [dict(s) for s in fields.signatories]
    promise.summary = fields.summary.strip()


def _flush_promise(session: Session) -> None:
    """Flush, turning the one-promise-per-year rule (db/rules.py) into an AdminError."""
    try:
        session.flush()
    except PromiseYearsOverlap as exc:
        raise AdminError(str(exc), "year") from exc
    except IntegrityError as exc:
        # Two admins creating the same year at once: the unique (partnership, year_from) wins.
        raise AdminError("Det finns redan ett löfte för det året.", "year") from exc


def _copy_contents(
    session: Session, actor: Actor, previous: Promise, promise: Promise
) -> CopySummary:
    areas = activities = skipped = 0
    for old_area in previous.focus_areas:
        if old_area.archived:
            continue
        area = FocusArea(
            promise_id=promise.id,
            name=old_area.name,
            description=old_area.description,
            theme=old_area.theme,
            sort_order=old_area.sort_order,
        )
        session.add(area)
        session.flush()
        audit_insert(session, actor, area)
        areas += 1
        for old in old_area.activities:
            if old.archived:
                continue
            if not old.lineage_key:
                skipped += 1
                continue
            add_activity_row(
                session, actor, promise, area, replace(fields_of(old), focus_area_id=area.id)
            )
            activities += 1
    return CopySummary(areas, activities, skipped)
