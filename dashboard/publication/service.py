"""Publishing a promise's follow-up for citizens, and withdrawing it (issue 13).

Publishing is a decision: the admin sees the snapshot (``preview``), confirms, and ``publish``
stores exactly that snapshot, refusing if anything changed since the preview. Each publish and
withdrawal is checked against the admin's role and scope in the database and audited in the
same transaction. The public side (``live_publications``, ``find_live``) reads only live
snapshots: never the promise tables themselves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import Session

from dashboard.access import Actor, require_scope
from dashboard.publication.snapshot import build_snapshot
from db import audit
from db.models import Partnership, Period, Promise, Publication


class PublishRefused(ValueError):
    """A publish or withdrawal that cannot be made; the message is Swedish."""


@dataclass(frozen=True)
class LivePublication:
    """A published snapshot as the public side reads it."""

    id: int
    promise_id: int
    period_code: str
    year: int
    published_at: dt.datetime
    content: dict[str, Any]

    @property
    def period_key(self) -> str:
        """``T3-2021``: the period in the public address."""
        return f"{self.content['period']['code']}-{self.year}"


def preview(session: Session, actor: Actor | None, promise_id: int, period_id: int, *,
            contact: str, today: dt.date | None = None) -> dict[str, Any]:  # fmt: skip
    """The snapshot that ``publish`` would store, for the admin to read before confirming.

    Raises:
        NotPermitted: Not an admin in a scope covering the promise's kommun.
        PublishRefused: The period does not belong to the promise or has not ended.
    """
    promise, period = _promise_and_period(session, promise_id, period_id)
    require_scope(session, actor, "admin", promise.partnership_id)
    today = today or dt.date.today()
    if period.ends_on >= today:
        raise PublishRefused(
            f"{period.code} {period.year} är inte slut än; en period publiceras när den är slut."
        )
    if not contact.strip():
        raise PublishRefused("Skriv hur invånare når samverkan (kontaktuppgifter).")
    return build_snapshot(session, promise_id, period_id, contact=contact)


def publish(session: Session, actor: Actor | None, promise_id: int, period_id: int, *,
            contact: str, previewed: dict[str, Any], today: dt.date | None = None,
            now: dt.datetime | None = None) -> Publication:  # fmt: skip
    """Store the previewed snapshot as the live publication of the promise at the period.

    A live publication of the same period is replaced (withdrawn, then the new one made), so
    one is live at a time. Runs in the caller's transaction.

    Raises:
        PublishRefused: What would be published is not what was previewed (someone saved in
            between), or see ``preview``.
    """
    content = preview(session, actor, promise_id, period_id, contact=contact, today=today)
    if content != previewed:
        raise PublishRefused(
            "Uppgifterna har ändrats sedan förhandsvisningen. Titta på den nya förhandsvisningen "
            "och publicera igen."
        )
    username = actor.username  # preview checked the actor
    now = now or dt.datetime.now(dt.UTC)
    current = _live(session, promise_id, period_id)
    if current is not None:
        _withdraw(session, current, username, now)
    publication = Publication(
        promise_id=promise_id, period_id=period_id, published_at=now, published_by=username,
        content=content,
    )  # fmt: skip
    session.add(publication)
    session.flush()
    audit.record(session, username=username, table_name="publication", row_id=publication.id,
                 action="insert", after=_audited(publication))  # fmt: skip
    return publication


def withdraw(
    session: Session, actor: Actor | None, publication_id: int, *, now: dt.datetime | None = None
) -> Publication:
    """Take a live publication off the public page (the row stays, with who and when).

    Raises:
        NotPermitted: Not an admin in a scope covering the promise's kommun.
        PublishRefused: No such live publication.
    """
    publication = session.get(Publication, publication_id)
    if publication is None or publication.withdrawn_at is not None:
        raise PublishRefused("Publiceringen finns inte eller är redan återkallad.")
    promise = session.get(Promise, publication.promise_id)
    stored = require_scope(session, actor, "admin", promise.partnership_id)
    _withdraw(session, publication, stored.username, now or dt.datetime.now(dt.UTC))
    return publication


def publications_of(session: Session, promise_id: int) -> list[Publication]:
    """Every publication of a promise, newest first, withdrawn ones included (for admins)."""
    return list(
        session.scalars(
            select(Publication)
            .where(Publication.promise_id == promise_id)
            .order_by(Publication.published_at.desc(), Publication.id.desc())
        )
    )


def build_live_query(kommun_code: str) -> Select:
    """The kommun's live publications with their period, newest period first."""
    return (
        select(
            Publication.id,
            Publication.promise_id,
            Period.code,
            Period.year,
            Publication.published_at,
            Publication.content,
        )
        .join(Period, Period.id == Publication.period_id)
        .join(Promise, Promise.id == Publication.promise_id)
        .join(Partnership, Partnership.id == Promise.partnership_id)
        .where(Partnership.kommun_code == kommun_code, Publication.withdrawn_at.is_(None))
        .order_by(Period.ends_on.desc(), Publication.id.desc())
    )


def live_publications(conn: Connection | Session, kommun_code: str) -> list[LivePublication]:
    """The kommun's live publications, newest period first (the public list). Reads only the
    snapshots, on a connection (cacheable) or a session."""
    return [
        LivePublication(id_, promise_id, code, year, _utc(at), content)
        for id_, promise_id, code, year, at, content in conn.execute(build_live_query(kommun_code))
    ]


def kommuner_with_publications(conn: Connection | Session) -> list[tuple[str, str]]:
    """(code, name) of every kommun with a live publication, by name (the public index)."""
    return [
        tuple(row)
        for row in conn.execute(
            select(Partnership.kommun_code, Partnership.kommun_name)
            .join(Promise, Promise.partnership_id == Partnership.id)
            .join(Publication, Publication.promise_id == Promise.id)
            .where(Publication.withdrawn_at.is_(None))
            .distinct()
            .order_by(Partnership.kommun_name)
        )
    ]


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def find_live(
    conn: Connection | Session, kommun_code: str, promise_id: int, period_key: str
) -> LivePublication | None:
    """The live publication at ``/medborgare?kommun=…&lofte=…&period=T3-2021``, or None
    (unknown kommun, promise or period, or not published: the public page says the same
    "finns inte" for all of them)."""
    for live in live_publications(conn, kommun_code):
        if live.promise_id == promise_id and live.period_key == period_key:
            return live
    return None


def _promise_and_period(session: Session, promise_id: int, period_id: int):
    promise = session.get(Promise, promise_id)
    period = session.get(Period, period_id)
    if promise is None or period is None or period.promise_id != promise_id:
        raise PublishRefused("Perioden hör inte till löftet.")
    return promise, period


def _live(session: Session, promise_id: int, period_id: int) -> Publication | None:
    return session.scalar(
        select(Publication).where(
            Publication.promise_id == promise_id,
            Publication.period_id == period_id,
            Publication.withdrawn_at.is_(None),
        )
    )


def _withdraw(session: Session, publication: Publication, username: str, now) -> None:
    before = _audited(publication)
    publication.withdrawn_at, publication.withdrawn_by = now, username
    session.flush()
    audit.record(session, username=username, table_name="publication", row_id=publication.id,
                 action="update", before=before, after=_audited(publication))  # fmt: skip


def _audited(publication: Publication) -> dict[str, Any]:
    """The publication's columns for the audit log (the snapshot itself is in the row)."""
    return {
        "promise_id": publication.promise_id,
        "period_id": publication.period_id,
        "published_at": publication.published_at.isoformat(),
        "published_by": publication.published_by,
        "withdrawn_at": publication.withdrawn_at.isoformat() if publication.withdrawn_at else None,
        "withdrawn_by": publication.withdrawn_by,
    }
