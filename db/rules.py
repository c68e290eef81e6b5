"""Rules that span rows, checked whenever a session flushes, whatever code path saves.

No two promises of one partnership may cover the same year. The database's unique
(partnership_id, year_from) catches the common case; overlapping ranges (2022–2023 beside a
new 2023) need a look at the neighbours, done here before every flush that touches a promise.
"""

from __future__ import annotations

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from db.models import Promise


class PromiseYearsOverlap(ValueError):
    """A promise would cover a year that another promise of the partnership already covers."""


def overlapping_promise(session: Session, promise: Promise) -> Promise | None:
    """The other promise of the same partnership that shares a year with ``promise``, if any."""
    partnership_id = promise.partnership_id
    if partnership_id is None and promise.partnership is not None:
        partnership_id = promise.partnership.id
    query = select(Promise).where(
        Promise.partnership_id == partnership_id,
        Promise.year_from <= promise.year_to,
        Promise.year_to >= promise.year_from,
    )
    if promise.id is not None:
        query = query.where(Promise.id != promise.id)
    with session.no_autoflush:
        return session.scalars(query.limit(1)).first()


@event.listens_for(Session, "before_flush")
def _check_promise_years(session: Session, _context, _instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Promise):
            continue
        other = overlapping_promise(session, obj)
        if other is not None:
            raise PromiseYearsOverlap(
                f"Det finns redan ett löfte för {_years(other)} ({other.title}). "
                f"Ett nytt löfte för {_years(obj)} skulle täcka samma år."
            )


def _years(promise: Promise) -> str:
    if promise.year_from == promise.year_to:
        return str(promise.year_from)
    return f"{promise.year_from}–{promise.year_to}"
