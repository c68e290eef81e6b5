"""A new kommun's first step (issue 11): set up its partnership from nothing.

On a fresh database without the demo, the kommun the app is configured for
(``DASHBOARD_PARTNERSHIP``) has no partnership yet, so no promise can be made. An admin names
its lokalpolisområde (one that exists, e.g. shared with a neighbouring kommun, or a new one)
and this makes the partnership: the kommun comes from the reference list of migration 0002
(SCB's code and name), the police area is placed in the police region of the kommun's län.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.access import Actor, require_organisation_scope, require_role
from dashboard.admin.items import AdminError, audit_insert
from db import organisations
from db.models import Organisation, Partnership

POLICE_AREA_MAX = 150


def reference_kommun(session: Session, code: str) -> Organisation | None:
    """The kommun with SCB code ``code`` from the reference list, or None."""
    return session.scalar(
        select(Organisation).where(Organisation.kind == "kommun", Organisation.code == code)
    )


def police_areas(session: Session, kommun_code: str) -> list[str]:
    """Names of the lokalpolisområden in the police region of the kommun's län, by name."""
    region = organisations.region_code_by_lan().get(kommun_code[:2])
    parent = select(Organisation.id).where(
        Organisation.kind == "polisregion", Organisation.code == region
    )
    return list(
        session.scalars(
            select(Organisation.name)
            .where(Organisation.kind == "lokalpolisomrade", Organisation.parent_id.in_(parent))
            .order_by(Organisation.name)
        )
    )


def create_partnership(
    session: Session, actor: Actor, *, kommun_code: str, police_area: str, source: str
) -> Partnership:
    """The partnership of kommun ``kommun_code`` and the lokalpolisområde ``police_area``.

    Raises:
        NotPermitted: ``actor`` is no admin, or not of a scope covering the kommun (an admin
            of the kommun, of a police area or region it lies in, or national).
        AdminError: The kommun is not in SCB's list or already has its partnership, or the
            police area's name is empty or too long (Swedish message, by field).
    """
    require_role(actor, "admin")
    kommun = reference_kommun(session, kommun_code)
    if kommun is None:
        raise AdminError(f"Kommunkoden {kommun_code} finns inte i SCB:s kommunlista.", None)
    require_organisation_scope(session, actor, "admin", kommun.id)
    if session.scalar(select(Partnership.id).where(Partnership.kommun_code == kommun_code)):
        raise AdminError(f"{kommun.name} har redan sin samverkan.", None)
    name = " ".join(police_area.split())
    if not name:
        raise AdminError("Skriv lokalpolisområdets namn.", "police_area")
    if len(name) > POLICE_AREA_MAX:
        raise AdminError(
            f"Namnet får vara högst {POLICE_AREA_MAX} tecken; korta det med "
            f"{len(name) - POLICE_AREA_MAX}.",
            "police_area",
        )
    partnership = Partnership(
        kommun_name=kommun.name, kommun_code=kommun.code, police_area=name, source=source
    )
    session.add(partnership)
    session.flush()
    organisations.link_partnerships(session.connection())
    session.refresh(partnership)
    audit_insert(session, actor, partnership)
    return partnership
