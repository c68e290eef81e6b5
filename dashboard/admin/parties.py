"""The parties of a promise (issue 11): the kommun and its police area, and any others.

No Streamlit here. A promise is signed by its kommun and lokalpolisområde (they become its
parties when it is made, db/organisations.add_default_parties) and sometimes by others: a
property owners' association, a town-centre association, a housing company, a region. An
admin adds such a party, an organisation that exists or a new one of kind ``annan``, and can
remove it again while none of the promise's activities is carried out by it. The kommun and
the police area stay. Every change is audited in the caller's transaction, like items.py.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.access import Actor, require_role, require_scope
from dashboard.admin.items import AdminError, audit_insert, get_row
from db import audit
from db.models import Activity, Organisation, Promise, PromiseParty

NAME_MAX = 200
ADDED_ROLE = "annan"  # kommun and polis are the partnership's own parties


def add_party(
    session: Session,
    actor: Actor,
    promise_id: int,
    *,
    organisation_id: int | None = None,
    name: str = "",
    source: str = "verklig",
) -> PromiseParty:
    """Make an organisation a party of the promise: ``organisation_id``, or a new one by name.

    A new organisation is of kind ``annan`` with ``source`` (``exempel`` in demo mode); a name
    that an organisation of that kind already has names that organisation.

    Raises:
        AdminError: No organisation chosen or named, a name too long, an organisation that
            does not exist, or one that is a party already (Swedish message, by field).
    """
    require_role(actor, "admin")
    promise = get_row(session, Promise, promise_id)
    require_scope(session, actor, "admin", promise.partnership_id)
    if organisation_id is not None:
        organisation = session.get(Organisation, organisation_id)
        if organisation is None:
            raise AdminError("Organisationen finns inte längre.", "organisation")
    else:
        organisation = _named_organisation(session, actor, name, source)
    stored = session.get(PromiseParty, (promise.id, organisation.id))
    if stored is not None:
        raise AdminError(f"{organisation.name} är redan part i löftet.", "organisation")
    last = session.scalar(
        select(func.max(PromiseParty.sort_order)).where(PromiseParty.promise_id == promise.id)
    )
    party = PromiseParty(
        promise_id=promise.id,
        organisation_id=organisation.id,
        role=ADDED_ROLE,
        sort_order=(last if last is not None else -1) + 1,
    )
    session.add(party)
    session.flush()
    _audit(session, actor, party, "insert", after=audit.row_snapshot(party))
    return party


def remove_party(session: Session, actor: Actor, promise_id: int, organisation_id: int) -> None:
    """Remove an added party from the promise (the organisation itself stays).

    Raises:
        AdminError: The party is the kommun or the police area, is not a party, or carries
            out activities of the promise (change their owner first).
    """
    require_role(actor, "admin")
    promise = get_row(session, Promise, promise_id)
    require_scope(session, actor, "admin", promise.partnership_id)
    party = session.get(PromiseParty, (promise.id, organisation_id))
    if party is None:
        raise AdminError("Organisationen är inte part i löftet (längre).", "party")
    name = session.get(Organisation, organisation_id).name
    if party.role != ADDED_ROLE:
        raise AdminError(
            f"{name} är en av samverkans två parter (kommunen och lokalpolisområdet) och kan "
            "inte tas bort från löftet.",
            "party",
        )
    owned = session.scalars(
        select(Activity.title)
        .where(Activity.promise_id == promise.id, Activity.owner_organisation_id == organisation_id)
        .order_by(Activity.sort_order, Activity.id)
    ).all()
    if owned:
        raise AdminError(
            f"{name} är ansvarig för {', '.join(owned)}. Ge aktiviteterna en annan ansvarig först.",
            "party",
        )
    _audit(session, actor, party, "delete", before=audit.row_snapshot(party))
    session.delete(party)
    session.flush()


def copy_parties(session: Session, actor: Actor, previous: Promise, promise: Promise) -> int:
    """Give ``promise`` the parties ``previous`` added (for its copied activities); how many."""
    added = session.scalars(
        select(PromiseParty)
        .where(PromiseParty.promise_id == previous.id, PromiseParty.role == ADDED_ROLE)
        .order_by(PromiseParty.sort_order)
    ).all()
    for party in added:
        if session.get(PromiseParty, (promise.id, party.organisation_id)) is None:
            add_party(session, actor, promise.id, organisation_id=party.organisation_id)
    return len(added)


def remove_all(session: Session, actor: Actor, promise: Promise) -> None:
    """Audit the removal of the promise's added parties (its deletion cascades to them)."""
    for party in session.scalars(
        select(PromiseParty).where(
            PromiseParty.promise_id == promise.id, PromiseParty.role == ADDED_ROLE
        )
    ):
        _audit(session, actor, party, "delete", before=audit.row_snapshot(party))


def _named_organisation(session: Session, actor: Actor, name: str, source: str) -> Organisation:
    name = " ".join((name or "").split())
    if not name:
        raise AdminError("Välj en organisation eller skriv namnet på en ny part.", "organisation")
    if len(name) > NAME_MAX:
        raise AdminError(f"Namnet får vara högst {NAME_MAX} tecken.", "organisation")
    others = session.scalars(select(Organisation).where(Organisation.kind == ADDED_ROLE))
    existing = next((o for o in others if o.name.casefold() == name.casefold()), None)
    if existing is not None:
        return existing
    organisation = Organisation(kind=ADDED_ROLE, name=name, source=source)
    session.add(organisation)
    session.flush()
    audit_insert(session, actor, organisation)
    return organisation


def _audit(session: Session, actor: Actor, party: PromiseParty, action: str, **change) -> None:
    # promise_party has no id of its own: the row is the promise's, the organisation in it.
    audit.record(
        session,
        username=actor.username,
        table_name=PromiseParty.__tablename__,
        row_id=party.promise_id,
        action=action,
        **change,
    )
