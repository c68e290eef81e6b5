"""The save service for evaluations of a period: validate, role check, optimistic lock, audit.

No Streamlit here. Every save is one transaction that holds the evaluations and their audit
rows together; anything refused (role, validation, conflict) rolls back and writes nothing.

Optimistic locking (issue 4): the caller passes the ``version`` it loaded (``None`` when there
was no evaluation). If the stored version has moved on since, the save is refused with
SaveConflict carrying both sides, so neither is lost. Saving values identical to what is
stored is a no-op, so a double click on save makes one evaluation and one audit row.

The comment is internal; ``comment_public`` marks it for citizens and ``public_line`` is a
separate line for them. Saving either publishes nothing: only a published snapshot
(dashboard/publication) reads them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from dashboard.access import Actor, require_role, require_scope
from dashboard.entry.rules import EvaluationInput, normalise, validate
from db import audit
from db.engine import unavailable_message
from db.models import Activity, AppUser, Evaluation, Period, Promise

ENTRY_ROLE = "samordnare"
NO_SUCH_PERIOD = "Löftet har ingen sådan uppföljningsperiod {year}; välj en av löftets perioder."
# The saved fields: compared for the no-op, shown in a conflict, written (audit rows hold every
# column). comment_public and public_line say what citizens may see once published (issue 13).
FIELDS = ("status", "completion", "achieved_value", "comment", "comment_public", "public_line")


class InvalidEvaluation(ValueError):
    """Input the rules refuse: ``errors[activity_id][field]`` is a Swedish message."""

    def __init__(self, errors: dict[int, dict[str, str]]) -> None:
        super().__init__("Utvärderingen sparades inte: rätta de markerade fälten.")
        self.errors = errors


@dataclass(frozen=True)
class Conflict:
    """Someone saved the same evaluation after this form was loaded."""

    yours: EvaluationInput
    theirs: dict  # the stored row: status, completion, ..., evaluated_by, evaluated_at, version


class SaveConflict(Exception):
    """The save was refused because of one or more conflicts; nothing was written."""

    def __init__(self, conflicts: list[Conflict]) -> None:
        super().__init__(
            "Någon annan har sparat samma utvärdering efter att du öppnade den. "
            "Inget sparades; jämför era värden nedan."
        )
        self.conflicts = conflicts


class SaveUnavailable(RuntimeError):
    """The database did not answer or was busy; nothing was written. Message in Swedish."""


@dataclass(frozen=True)
class SaveOutcome:
    """What happened to one entry: ``insert``, ``update`` or ``unchanged``."""

    activity_id: int
    evaluation_id: int
    version: int
    action: str
    notes: tuple[str, ...] = field(default=())


def save_evaluation(
    engine: Engine, actor: Actor | None, entry: EvaluationInput, *, source: str = "verklig"
) -> SaveOutcome:
    """Save one evaluation; see save_evaluations."""
    return save_evaluations(engine, actor, [entry], source=source)[0]


def save_evaluations(
    engine: Engine,
    actor: Actor | None,
    entries: Sequence[EvaluationInput],
    *,
    source: str = "verklig",
    now: dt.datetime | None = None,
) -> list[SaveOutcome]:
    """Save evaluations in one transaction, all or nothing.

    Args:
        engine: The database.
        actor: The logged-in user; must hold samordnare (or admin) in the session and, checked
            again here, in the database (an active account with a grant whose scope covers
            the partnership of every activity saved).
        entries: One entry per activity, with the version each was loaded at.
        source: ``verklig`` for real entries, ``exempel`` in demo mode.
        now: The time stamp to write (tests freeze it).

    Raises:
        NotPermitted: No user, or one without the role (checked before anything is read), or
            one whose grants do not cover an activity's partnership.
        InvalidEvaluation: Some entries break the rules; nothing was written.
        SaveConflict: Someone else saved one of them first; nothing was written.
        SaveUnavailable: The database did not answer or stayed locked; nothing was written.
    """
    require_role(actor, ENTRY_ROLE)
    now = now or dt.datetime.now(dt.UTC)
    try:
        try:
            return _save_all(engine, actor, entries, source=source, now=now)
        except IntegrityError:
            # Two saves inserted the same (activity, year, tertial) at once and the other won.
            # Run again: the stored row now decides between "unchanged" and a conflict.
            return _save_all(engine, actor, entries, source=source, now=now)
    except (OperationalError, InterfaceError) as exc:
        raise SaveUnavailable(unavailable_message(exc)) from exc


def _save_all(engine, actor, entries, *, source, now) -> list[SaveOutcome]:
    with Session(engine) as session, session.begin():
        user = _require_account(session, actor)
        targets = _activity_targets(session, actor, {e.activity_id for e in entries})
        periods = _period_ids(session, targets.values(), entries)
        prepared, errors = [], {}
        for entry in entries:
            target_value, promise_id = targets[entry.activity_id]
            entry, notes, problems = normalise_and_check(entry, target_value)
            if not problems and (promise_id, entry.year, entry.tertial) not in periods:
                problems = {"period": NO_SUCH_PERIOD.format(year=entry.year)}
            if problems:
                errors[entry.activity_id] = problems
            prepared.append((entry, notes))
        if errors:
            raise InvalidEvaluation(errors)
        outcomes, conflicts = [], []
        for entry, notes in prepared:
            period_id = periods[(targets[entry.activity_id][1], entry.year, entry.tertial)]
            result = _save_one(session, entry, period_id, user, source=source, now=now)
            if isinstance(result, Conflict):
                conflicts.append(result)
            else:
                outcomes.append(SaveOutcome(*result, notes=notes))
        if conflicts:
            raise SaveConflict(conflicts)  # leaving the block rolls everything back
        return outcomes


def normalise_and_check(
    entry: EvaluationInput, target_value: float | None
) -> tuple[EvaluationInput, tuple[str, ...], dict[str, str]]:
    """The entry as it will be stored, notes about what was filled in, and the errors."""
    entry, notes = normalise(entry)
    return entry, notes, validate(entry, has_target=target_value is not None)


def _require_account(session: Session, actor: Actor) -> AppUser:
    """The actor's account, re-checked in the database: active and still holding the role."""
    user = session.scalar(select(AppUser).where(AppUser.username == actor.username))
    if user is None or not user.active:
        require_role(None, ENTRY_ROLE)
    require_role(Actor.of(user.username, user.roles), ENTRY_ROLE)
    return user


def _activity_targets(
    session: Session, actor: Actor, activity_ids: set[int]
) -> dict[int, tuple[float | None, int]]:
    """Each activity's target value and promise id, once the actor's grants cover every
    activity's partnership."""
    rows = session.execute(
        select(Activity.id, Activity.target_value, Promise.partnership_id, Promise.id)
        .join(Promise, Promise.id == Activity.promise_id)
        .where(Activity.id.in_(activity_ids))
    ).all()
    missing = activity_ids - {row[0] for row in rows}
    if missing:
        raise InvalidEvaluation(
            {i: {"activity": "Aktiviteten finns inte längre."} for i in sorted(missing)}
        )
    for partnership_id in sorted({row[2] for row in rows}):
        require_scope(session, actor, ENTRY_ROLE, partnership_id)
    return {row[0]: (row[1], row[3]) for row in rows}


def _period_ids(session: Session, targets, entries) -> dict[tuple[int, int, int], int]:
    """Period ids by (promise, year, number) for the promises and years being saved."""
    promise_ids = {promise_id for _, promise_id in targets}
    years = {entry.year for entry in entries}
    rows = session.execute(
        select(Period.promise_id, Period.year, Period.number, Period.id).where(
            Period.promise_id.in_(promise_ids), Period.year.in_(years)
        )
    )
    return {(p, y, n): i for p, y, n, i in rows}


def _save_one(
    session: Session, entry: EvaluationInput, period_id: int, user: AppUser, *, source, now
):
    existing = session.scalar(
        select(Evaluation).where(
            Evaluation.activity_id == entry.activity_id,
            Evaluation.year == entry.year,
            Evaluation.period_no == entry.tertial,
        )
    )
    values = {name: getattr(entry, name) for name in FIELDS}
    if existing is None:
        return _insert(session, entry, period_id, values, user, source=source, now=now)
    if _same_values(existing, values):
        return (entry.activity_id, existing.id, existing.version, "unchanged")
    if existing.version != entry.expected_version:
        return Conflict(entry, stored_values(existing))
    before = audit.row_snapshot(existing)
    changed = session.execute(
        update(Evaluation)
        .where(Evaluation.id == existing.id, Evaluation.version == entry.expected_version)
        .values(
            **values,
            version=Evaluation.version + 1,
            evaluated_by=user.display_name,
            evaluated_at=now,
            source=source,
            source_url=existing.source_url if source == "verklig" else None,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    session.refresh(existing)
    if changed == 0:  # someone updated it between our read and our write
        if _same_values(existing, values):
            return (entry.activity_id, existing.id, existing.version, "unchanged")
        return Conflict(entry, stored_values(existing))
    return _audited(session, user, entry, existing, "update", before)


def _insert(session: Session, entry, period_id: int, values, user: AppUser, *, source, now):
    row = Evaluation(
        activity_id=entry.activity_id,
        period_id=period_id,
        year=entry.year,
        period_no=entry.tertial,
        **values,
        evaluated_by=user.display_name,
        evaluated_at=now,
        source=source,
        version=1,
    )
    session.add(row)
    session.flush()
    return _audited(session, user, entry, row, "insert", None)


def _audited(session, user: AppUser, entry, row: Evaluation, action: str, before):
    """Add the audit row of a change to the same session (so the same transaction)."""
    after = audit.row_snapshot(row)
    audit.record(
        session, username=user.username, table_name="evaluation", row_id=row.id,
        action=action, before=before, after=after,
    )  # fmt: skip
    return (entry.activity_id, row.id, row.version, action)


def stored_values(row: Evaluation) -> dict:
    """The fields a conflict shows of the stored evaluation, plus who, when and version."""
    return {
        **{name: getattr(row, name) for name in FIELDS},
        "evaluated_by": row.evaluated_by,
        "evaluated_at": row.evaluated_at,
        "version": row.version,
    }


def _same_values(row: Evaluation, values: dict) -> bool:
    return all(getattr(row, name) == value for name, value in values.items())
