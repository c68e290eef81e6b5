"""Administration of promises: create one (optionally copying the previous one), edit it.

Issue 7, widened by issue 11. Same contract as items.py: the acting user first, the admin
check (role and a grant whose scope covers the partnership) inside, audit rows in the caller's
transaction, AdminError (Swedish) for bad input.

A promise's shape (PromiseShape) is where and when it holds and how it is followed up: valid
from/to (dates; whole calendar years when made from a year), an optional named area of the
kommun, and a rhythm (tertial, kvartal, halvår, or its own named periods). Two promises of
one kommun for the same area must not overlap: db/rules.py refuses that on flush, and
``_flush_promise`` turns it into an AdminError on the validity field (``"year"``). Changing
the dates or the rhythm brings the periods in line (db/rules.sync_periods), refusing to drop
a period that has evaluations (AdminError on ``"periods"``). The promise's audit row carries
its periods, so a change of periods is in the trail with the change that caused it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard.access import Actor, require_role, require_scope
from dashboard.admin import parties, promise_copy
from dashboard.admin.items import (
    AdminError,
    audit_delete,
    get_row,
    refuse_if_evaluated,
    require_admin_of,
    require_text,
)
from db import audit, organisations
from db.models import KINDS, Promise
from db.periods import OwnPeriod, PeriodError, promise_periods, whole_years
from db.rules import PromiseYearsOverlap, sync_periods
from db.vocabulary import DEFAULT_RHYTHM, RHYTHMS

AREA_MAX = 120
CopySummary = promise_copy.CopySummary  # what create_promise returns beside the promise


@dataclass(frozen=True)
class PromiseFields:
    """What an admin edits on a promise."""

    title: str
    kind: str = "medborgarlöfte"
    signed_on: dt.date | None = None
    signatories: list[dict] = field(default_factory=list)
    summary: str = ""


@dataclass(frozen=True)
class PromiseShape:
    """Where and when a promise holds and how it is followed up.

    ``area`` names a part of the kommun (a stadsdel, a travel centre); None or empty means
    the whole kommun. ``own_periods`` are used only with the rhythm ``egna``.
    """

    valid_from: dt.date
    valid_to: dt.date
    area: str | None = None
    rhythm: str = DEFAULT_RHYTHM
    own_periods: tuple[OwnPeriod, ...] = ()

    @classmethod
    def years(cls, year_from: int, year_to: int | None = None, **rest) -> PromiseShape:
        """Whole calendar years: 1 January ``year_from`` to 31 December ``year_to``."""
        start, end = whole_years(year_from, year_from if year_to is None else year_to)
        return cls(start, end, **rest)


def create_promise(
    session: Session,
    actor: Actor,
    *,
    partnership_id: int,
    fields: PromiseFields,
    year: int | None = None,
    shape: PromiseShape | None = None,
    copy_previous: bool = False,
    source: str = "verklig",
) -> tuple[Promise, CopySummary]:
    """Create a promise, for ``year`` (whole year, tertials) or of ``shape``.

    With ``copy_previous`` it starts as a copy of the previous promise of the same area (the
    latest one that ended within the year before this one starts): its focus areas that are
    not archived, their recurring activities (those with a lineage key, which they keep) and
    its added parties. One-off activities are counted, not copied.

    Raises:
        AdminError: Bad fields or shape, a validity that overlaps another promise of the same
            area, or ``copy_previous`` without a previous promise.
    """
    require_role(actor, "admin")
    _validate_promise(fields)
    require_scope(session, actor, "admin", partnership_id)
    if shape is None:
        if year is None or not 2000 <= year <= 2100:
            raise AdminError("Året måste vara mellan 2000 och 2100.", "year")
        shape = PromiseShape.years(year)
    shape = _validate_shape(shape)
    previous = None
    if copy_previous:
        previous = promise_copy.previous_promise(
            session, partnership_id, shape.area, shape.valid_from
        )
        if previous is None:
            raise AdminError(
                promise_copy.nothing_to_copy(shape.area, shape.valid_from), "copy_previous"
            )
    promise = Promise(partnership_id=partnership_id, source=source, periods=[])
    _apply_promise(promise, fields)
    _apply_shape(session, promise, shape)
    session.add(promise)
    _flush_promise(session)
    # The partnership's kommun and police area sign it (issue 11).
    organisations.link_partnerships(session.connection())
    organisations.add_default_parties(session.connection())
    _audit(session, actor, promise, "insert", after=snapshot(promise))
    summary = CopySummary()
    if previous is not None:
        parties.copy_parties(session, actor, previous, promise)
        summary = promise_copy.copy_contents(session, actor, previous, promise)
    return promise, summary


def update_promise(
    session: Session,
    actor: Actor,
    promise_id: int,
    fields: PromiseFields,
    shape: PromiseShape | None = None,
) -> Promise:
    """Change a promise's title, kind, signing date, signatories and summary, and its shape.

    Without ``shape`` the validity, area and rhythm stay as they are.

    Raises:
        AdminError: Bad fields or shape, an overlap with another promise of the same area, or
            a change that would drop a period with evaluations (``"periods"``).
    """
    require_role(actor, "admin")
    _validate_promise(fields)
    shape = _validate_shape(shape) if shape is not None else None
    promise = get_row(session, Promise, promise_id)
    require_admin_of(session, actor, promise)
    before = snapshot(promise)
    _apply_promise(promise, fields)
    if shape is not None:
        _apply_shape(session, promise, shape)
    _flush_promise(session)
    after = snapshot(promise)
    if after != before:  # not items.change_row: the flush may be refused
        _audit(session, actor, promise, "update", before=before, after=after)
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
    parties.remove_all(session, actor, promise)
    _audit(session, actor, promise, "delete", before=snapshot(promise))
    session.delete(promise)
    session.flush()


def promise_for_year(session: Session, partnership_id: int, year: int) -> Promise | None:
    """The partnership's whole-kommun promise that covers ``year`` (the latest, if two do)."""
    return session.scalars(
        select(Promise)
        .where(
            Promise.partnership_id == partnership_id,
            Promise.area.is_(None),
            Promise.year_from <= year,
            Promise.year_to >= year,
        )
        .order_by(Promise.valid_from.desc())
    ).first()


def parse_signatories(text: str) -> list[dict]:
    """One signatory a line, ``Namn, roll`` (the role is optional); blank lines are skipped."""
    signatories = []
    for line in text.splitlines():
        name, _, role = (part.strip() for part in line.partition(","))
        if name:
            signatories.append({"name": name, "role": role} if role else {"name": name})
    return signatories


def snapshot(promise: Promise) -> dict:
    """The promise's columns and its periods (code, name, dates), as its audit rows hold them."""
    return {
        **audit.row_snapshot(promise),
        "periods": [
            {key: audit.row_snapshot(p)[key] for key in ("code", "name", "starts_on", "ends_on")}
            for p in sorted(promise.periods, key=lambda p: p.starts_on)
        ],
    }


def _validate_promise(fields: PromiseFields) -> None:
    require_text(fields.title, "title", "Titeln", 300)
    if fields.kind not in KINDS:
        raise AdminError(f"Okänd typ av löfte: {fields.kind!r}.", "kind")
    for signatory in fields.signatories:
        if not str(signatory.get("name", "")).strip():
            raise AdminError("Varje undertecknare behöver ett namn.", "signatories")


def _validate_shape(shape: PromiseShape) -> PromiseShape:
    """The shape tidied (area trimmed, None for the whole kommun), or AdminError by field."""
    if shape.valid_from is None or shape.valid_to is None:
        raise AdminError("Ange både start- och slutdatum.", "year")
    if not (2000 <= shape.valid_from.year <= 2100 and 2000 <= shape.valid_to.year <= 2100):
        raise AdminError("Datumen måste ligga mellan år 2000 och 2100.", "year")
    if shape.valid_to < shape.valid_from:
        raise AdminError("Slutdatum måste vara samma dag som eller efter startdatum.", "year")
    area = " ".join((shape.area or "").split()) or None
    if area and len(area) > AREA_MAX:
        raise AdminError(f"Områdets namn får vara högst {AREA_MAX} tecken.", "area")
    if shape.rhythm not in RHYTHMS:
        raise AdminError(f"Okänd uppföljningsrytm {shape.rhythm!r}.", "rhythm")
    own = tuple(shape.own_periods) if shape.rhythm == "egna" else ()
    try:
        promise_periods(shape.valid_from, shape.valid_to, shape.rhythm, own)
    except PeriodError as exc:
        raise AdminError(str(exc), "periods") from exc
    return replace(shape, area=area, own_periods=own)


def _apply_promise(promise: Promise, fields: PromiseFields) -> None:
    promise.title = fields.title.strip()
    promise.kind = fields.kind
    promise.signed_on = fields.signed_on
    promise.signatories = [dict(s) for s in fields.signatories]
    promise.summary = fields.summary.strip()


def _apply_shape(session: Session, promise: Promise, shape: PromiseShape) -> None:
    """Set validity, area and rhythm, and bring the periods in line (before any flush)."""
    promise.valid_from, promise.valid_to = shape.valid_from, shape.valid_to
    promise.area, promise.rhythm = shape.area, shape.rhythm
    own = list(shape.own_periods) if shape.rhythm == "egna" else None
    try:
        with session.no_autoflush:  # the overlap check comes with _flush_promise
            sync_periods(session, promise, own)
    except PeriodError as exc:
        raise AdminError(str(exc), "periods") from exc


def _flush_promise(session: Session) -> None:
    """Flush, turning the no-overlap rule (db/rules.py) into an AdminError on the validity."""
    try:
        session.flush()
    except PromiseYearsOverlap as exc:
        raise AdminError(str(exc), "year") from exc
    except IntegrityError as exc:
        # Two admins creating the same promise at once: the database's constraints win.
        raise AdminError("Det finns redan ett löfte för den tiden.", "year") from exc


def _audit(session: Session, actor: Actor, promise: Promise, action: str, **change) -> None:
    audit.record(
        session,
        username=actor.username,
        table_name="promise",
        row_id=promise.id,
        action=action,
        **change,
    )
