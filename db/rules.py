"""Rules that span rows, checked whenever a session flushes, whatever code path saves.

- A promise's years follow its dates: ``year_from``/``year_to`` are the calendar years of
  ``valid_from``/``valid_to`` (a promise given only years gets whole years).
- Two promises of one kommun for the same area (``None``: the whole kommun) must not overlap
  in time; different areas may. Checked against the neighbours before every flush that
  touches a promise.
- A promise with a calendar rhythm has its periods (db/periods.py): a new promise gets them,
  and ``sync_periods`` brings them in line after its dates or rhythm change, refusing to drop
  a period that holds evaluations.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from db.models import Evaluation, Period, Promise
from db.periods import MONTHS, OwnPeriod, PeriodError, PeriodSpec, promise_periods, whole_years
from db.vocabulary import CALENDAR_RHYTHMS


class PromiseYearsOverlap(ValueError):
    """A promise would overlap in time another promise of the same kommun and area."""


def overlapping_promise(session: Session, promise: Promise) -> Promise | None:
    """The other promise of the same kommun and area that shares a day with ``promise``."""
    partnership_id = promise.partnership_id
    if partnership_id is None and promise.partnership is not None:
        partnership_id = promise.partnership.id
    same_area = Promise.area.is_(None) if promise.area is None else Promise.area == promise.area
    query = select(Promise).where(
        Promise.partnership_id == partnership_id,
        same_area,
        Promise.valid_from <= promise.valid_to,
        Promise.valid_to >= promise.valid_from,
    )
    if promise.id is not None:
        query = query.where(Promise.id != promise.id)
    with session.no_autoflush:
        return session.scalars(query.limit(1)).first()


def fill_dates(promise: Promise) -> None:
    """Whole years for a promise given only years; the years of its dates otherwise."""
    if promise.valid_from is None or promise.valid_to is None:
        promise.valid_from, promise.valid_to = whole_years(promise.year_from, promise.year_to)
    promise.year_from, promise.year_to = promise.valid_from.year, promise.valid_to.year
    if promise.rhythm is None:
        promise.rhythm = "tertial"


@event.listens_for(Session, "before_flush")
def _check_promises(session: Session, _context, _instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Promise):
            continue
        fill_dates(obj)
        other = overlapping_promise(session, obj)
        if other is not None:
            where = f" för {obj.area}" if obj.area else ""
            raise PromiseYearsOverlap(
                f"Det finns redan ett löfte{where} för {validity_text(other)} ({other.title}). "
                f"Ett nytt löfte{where} för {validity_text(obj)} skulle överlappa det."
            )
        derivable = obj.valid_from <= obj.valid_to and obj.rhythm in CALENDAR_RHYTHMS
        if obj in session.new and not obj.periods and derivable:  # else the database refuses
            obj.periods = [_period(spec) for spec in specs_of(obj)]


def specs_of(promise: Promise, own: list[OwnPeriod] | None = None) -> list[PeriodSpec]:
    """The periods ``promise`` should have (own periods: ``own``, or the stored ones)."""
    if own is None and promise.rhythm == "egna":
        own = [OwnPeriod(p.name, p.starts_on, p.ends_on) for p in promise.periods]
    return promise_periods(promise.valid_from, promise.valid_to, promise.rhythm, own or ())


def sync_periods(
    session: Session, promise: Promise, own: list[OwnPeriod] | None = None
) -> list[Period]:
    """Bring ``promise``'s stored periods in line with its dates and rhythm.

    A period keeps its row (and so its evaluations) when one with the same year, number and
    code is still wanted (T2 cut to 1 jul–31 aug is still T2); its name and dates follow.
    Every other period is deleted: a new rhythm (T1 → K1) or a renamed own period makes new
    periods, so an evaluation never moves to a period it was not made for.

    Raises:
        PeriodError: A period that would go holds evaluations (nothing is changed), or the
            dates and own periods do not make valid periods.
    """
    fill_dates(promise)
    wanted = {(s.year, s.number): s for s in specs_of(promise, own)}
    stored = {
        (p.year, p.number): p
        for p in promise.periods
        if (p.year, p.number) in wanted and wanted[p.year, p.number].code == p.code
    }
    gone = [p for p in promise.periods if (p.year, p.number) not in stored]
    if gone:
        used = session.scalars(
            select(Period.name)
            .join(Evaluation, Evaluation.period_id == Period.id)
            .where(Period.id.in_([p.id for p in gone if p.id is not None]))
            .group_by(Period.name)
            .order_by(func.min(Period.starts_on))
        ).all()
        if used:
            raise PeriodError(
                "Ändringen skulle ta bort perioder som redan har utvärderingar: "
                f"{', '.join(used)}. Ändra datumen så att de perioderna finns kvar."
            )
    for period in gone:
        promise.periods.remove(period)
    if gone and promise.id is not None:
        session.flush()  # the deletes first: a new K1 may take the old T1's year and number
    for key, spec in wanted.items():
        period = stored.get(key)
        if period is None:
            promise.periods.append(_period(spec))
        else:
            period.code, period.name = spec.code, spec.name
            period.starts_on, period.ends_on = spec.starts_on, spec.ends_on
    return promise.periods


def period_of(session: Session, promise_id: int, year: int, number: int) -> Period | None:
    """The period of ``promise_id`` with ``number`` in ``year``, if it has one."""
    return session.scalar(
        select(Period).where(
            Period.promise_id == promise_id, Period.year == year, Period.number == number
        )
    )


def _period(spec: PeriodSpec) -> Period:
    return Period(
        year=spec.year,
        number=spec.number,
        code=spec.code,
        name=spec.name,
        starts_on=spec.starts_on,
        ends_on=spec.ends_on,
    )


def validity_text(promise: Promise) -> str:
    """``2022–2023`` for whole years, ``18 november 2026–31 mars 2027`` otherwise."""
    return dates_text(promise.valid_from, promise.valid_to)


def dates_text(start: dt.date, end: dt.date) -> str:
    """A validity from ``start`` to ``end`` as validity_text says it."""
    if (start, end) == whole_years(start.year, end.year):
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    return (
        f"{start.day} {MONTHS[start.month - 1]} {start.year}–"
        f"{end.day} {MONTHS[end.month - 1]} {end.year}"
    )


__all__ = ["PeriodError", "PromiseYearsOverlap", "overlapping_promise", "period_of", "sync_periods"]
