"""Who is acting, and the role and scope checks every write service makes itself. No Streamlit.

Pages hide what a role may not use, but a hidden page is not a lock: every service function
that writes (evaluations, administration, users, import) takes the acting user and checks,
in the database at the moment of writing, that the account is active and holds the role in
a scope that covers what is written (``require_scope``, ``require_organisation_scope``).

Roles (db.models.ROLES): ``lasare`` browses, ``samordnare`` enters evaluations, ``admin``
administers; ``admin`` satisfies every role check within its scope. Roles are held in a scope
(issue 11, db.models.RoleGrant): a kommun, a lokalpolisområde, a polisregion or the nation
(``organisation_id`` None). A grant on a kommun covers that kommun's partnership; on a
lokalpolisområde the partnerships of that police area; on a polisregion those whose police
area belongs to the region; a national grant covers everything.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from db import organisations
from db.models import ROLES, AppUser, Organisation, Partnership, PoliceAreaKommun, RoleGrant

ROLE_LABELS = {"lasare": "läsare", "samordnare": "samordnare", "admin": "administratör"}
# What a refusal says the user may not do, by the role the action needs.
ACTIONS = {"lasare": "se uppgifter", "samordnare": "registrera", "admin": "administrera"}
NATION = "hela landet"
_VOWELS_AND_S = set("aeiouyåäösxz")


class NotPermitted(PermissionError):
    """The acting user lacks the role or scope an action needs; the message is Swedish."""


@dataclass(frozen=True)
class Grant:
    """A role held in a scope: an organisation (id and kind), or the nation (both None)."""

    role: str
    organisation_id: int | None = None
    kind: str | None = None

    @property
    def national(self) -> bool:
        return self.organisation_id is None


@dataclass(frozen=True)
class Actor:
    """The user on whose behalf a service acts: username, roles and grants, nothing secret.

    ``roles`` (every role the user holds in some scope) decides which pages are shown; the
    services decide by the grants as the database holds them when they write.
    """

    username: str
    roles: frozenset[str]
    grants: frozenset[Grant] = frozenset()

    @classmethod
    def of(cls, username: str, roles: Iterable[str], grants: Iterable[Grant] = ()) -> Actor:
        grants = frozenset(grants)
        return cls(username, frozenset(roles) | {g.role for g in grants}, grants)

    def has_role(self, role: str) -> bool:
        """Whether the actor may act as ``role`` somewhere (admin may act as anyone)."""
        return role in self.roles or "admin" in self.roles

    @property
    def national_reader(self) -> bool:
        """Whether some grant covers the whole country (any role reads where it is held)."""
        return any(g.national for g in self.grants)


def require_role(actor: Actor | None, role: str) -> Actor:
    """Return ``actor`` if it has ``role`` (or admin) in some scope; raise NotPermitted otherwise.

    Raises:
        NotPermitted: No user is logged in, or the user lacks the role.
        ValueError: ``role`` is not one of db.models.ROLES (a programming error).
    """
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if actor is None or not actor.username:
        raise NotPermitted("Du måste vara inloggad för att göra det här.")
    if not actor.has_role(role):
        raise NotPermitted(
            f"Du saknar behörighet: det här kräver rollen {ROLE_LABELS[role]}. "
            f"{actor.username} har {_roles_text(actor.roles)}."
        )
    return actor


def stored_actor(session: Session, actor: Actor | None) -> Actor | None:
    """``actor`` with the grants the database holds now; None if the account is gone or inactive."""
    if actor is None or not actor.username:
        return None
    user = session.scalar(select(AppUser).where(AppUser.username == actor.username))
    if user is None or not user.active:
        return None
    return Actor.of(user.username, (), load_grants(session, [user.id]).get(user.id, ()))


def load_grants(session: Session, user_ids: Iterable[int]) -> dict[int, list[Grant]]:
    """user id → their grants (with each organisation's kind), in the order they were given."""
    rows = session.execute(
        select(RoleGrant.user_id, RoleGrant.role, RoleGrant.organisation_id, Organisation.kind)
        .outerjoin(Organisation, Organisation.id == RoleGrant.organisation_id)
        .where(RoleGrant.user_id.in_(list(user_ids)))
        .order_by(RoleGrant.id)
    ).all()
    grants: dict[int, list[Grant]] = {}
    for user_id, role, organisation_id, kind in rows:
        grants.setdefault(user_id, []).append(Grant(role, organisation_id, kind))
    return grants


def require_scope(session: Session, actor: Actor | None, role: str, partnership_id: int) -> Actor:
    """The actor as stored, if it holds ``role`` (or admin) in a scope covering the partnership.

    Read from the database now: a role or grant taken away since the page was drawn, or a
    deactivated account, stops the write.

    Raises:
        NotPermitted: Not logged in, account gone or inactive, no such role anywhere, or not
            in a scope that covers the partnership ("Du har inte behörighet att registrera
            för Eskilstuna kommun.").
    """
    stored = _stored_with_role(session, actor, role)
    row = session.execute(
        select(Partnership.kommun_id, Partnership.police_area_id, Partnership.kommun_name)
        .where(Partnership.id == partnership_id)
    ).first()  # fmt: skip
    if row is None:
        raise NotPermitted("Samverkan finns inte längre.")
    kommun_id, area_id, kommun_name = row
    places = {kommun_id, area_id, _parent(session, area_id)} - {None}
    if not covers(stored.grants, role, places):
        name = session.get(Organisation, kommun_id).name if kommun_id else kommun_name
        raise NotPermitted(f"Du har inte behörighet att {ACTIONS[role]} för {kommun_label(name)}.")
    return stored


def require_organisation_scope(
    session: Session, actor: Actor | None, role: str, organisation_id: int | None
) -> Actor:
    """The actor as stored, if it holds ``role`` in a scope covering the organisation (None:
    the nation, which only a national grant covers). See ``require_scope``."""
    stored = _stored_with_role(session, actor, role)
    if not covers(stored.grants, role, organisation_ancestors(session, organisation_id)):
        raise NotPermitted(
            f"Du har inte behörighet att {ACTIONS[role]} för "
            f"{scope_name(session, organisation_id)}."
        )
    return stored


def covers(grants: Iterable[Grant], role: str, places: set[int]) -> bool:
    """Whether a grant of ``role`` (or admin) is national or held in one of ``places``."""
    return any(
        g.role in (role, "admin") and (g.national or g.organisation_id in places) for g in grants
    )


def organisation_ancestors(session: Session, organisation_id: int | None) -> set[int]:
    """The organisation and every organisation whose scope contains it (empty for the nation).

    A kommun lies in the lokalpolisområden that cover it (and those of its partnership), in
    their police regions, and in the police region of its län; a lokalpolisområde in its
    region.
    """
    if organisation_id is None:
        return set()
    org = session.get(Organisation, organisation_id)
    if org is None:
        return set()
    places = {org.id}
    if org.kind == "kommun":
        areas = set(
            session.scalars(
                select(PoliceAreaKommun.police_area_id).where(PoliceAreaKommun.kommun_id == org.id)
            )
        ) | set(
            session.scalars(
                select(Partnership.police_area_id).where(
                    Partnership.kommun_id == org.id, Partnership.police_area_id.is_not(None)
                )
            )
        )
        places |= areas | {_parent(session, area) for area in areas}
        region = organisations.region_code_by_lan().get(org.lan_code or "")
        if region:
            places |= set(
                session.scalars(
                    select(Organisation.id).where(
                        Organisation.kind == "polisregion", Organisation.code == region
                    )
                )
            )
    elif org.parent_id is not None:
        places.add(org.parent_id)
    return places - {None}


def scope_organisations(session: Session, grants: Iterable[Grant], role: str) -> set[int] | None:
    """Ids of every organisation inside the scopes where ``grants`` hold ``role`` (or admin);
    None when one of them is national (everything)."""
    held = [g for g in grants if g.role in (role, "admin")]
    if any(g.national for g in held):
        return None
    inside: set[int] = set()
    for grant in held:
        inside.add(grant.organisation_id)
        if grant.kind == "polisregion":
            region = session.get(Organisation, grant.organisation_id)
            areas = set(
                session.scalars(select(Organisation.id).where(Organisation.parent_id == region.id))
            )
            lan = [k for k, v in organisations.region_code_by_lan().items() if v == region.code]
            inside |= areas | set(
                session.scalars(
                    select(Organisation.id).where(
                        Organisation.kind == "kommun", Organisation.lan_code.in_(lan)
                    )
                )
            )
        else:
            areas = {grant.organisation_id} if grant.kind == "lokalpolisomrade" else set()
        if areas:
            inside |= set(
                session.scalars(
                    select(PoliceAreaKommun.kommun_id).where(
                        PoliceAreaKommun.police_area_id.in_(areas)
                    )
                )
            ) | set(
                session.scalars(
                    select(Partnership.kommun_id).where(
                        Partnership.police_area_id.in_(areas), Partnership.kommun_id.is_not(None)
                    )
                )
            )
    return inside


def partnership_scope_clause(grants: Iterable[Grant]):
    """A WHERE clause on Partnership for the partnerships ``grants`` cover (any role); None
    when one of them is national."""
    grants = list(grants)
    if any(g.national for g in grants):
        return None
    ids = {g.organisation_id for g in grants}
    parents = select(Organisation.id).where(Organisation.parent_id.in_(ids))
    return or_(
        Partnership.kommun_id.in_(ids),
        Partnership.police_area_id.in_(ids),
        Partnership.police_area_id.in_(parents),
    )


def scope_name(session: Session, organisation_id: int | None) -> str:
    """The scope in words: "hela landet", "Strängnäs kommun", "Polisregion Öst"…"""
    if organisation_id is None:
        return NATION
    org = session.get(Organisation, organisation_id)
    if org is None:
        return f"organisation {organisation_id}"
    return kommun_label(org.name) if org.kind == "kommun" else org.name


def kommun_label(name: str) -> str:
    """``Strängnäs`` → ``Strängnäs kommun``, ``Vingåker`` → ``Vingåkers kommun``."""
    if "kommun" in name.casefold() or name.endswith(" stad"):
        return name
    return f"{name} kommun" if name[-1:].casefold() in _VOWELS_AND_S else f"{name}s kommun"


def _stored_with_role(session: Session, actor: Actor | None, role: str) -> Actor:
    require_role(actor, role)  # the session's own view first: a clear message, no query
    stored = stored_actor(session, actor)
    if stored is None:
        require_role(None, role)
    return require_role(stored, role)


def _parent(session: Session, organisation_id: int | None) -> int | None:
    if organisation_id is None:
        return None
    return session.scalar(select(Organisation.parent_id).where(Organisation.id == organisation_id))


def _roles_text(roles: Iterable[str]) -> str:
    named = [ROLE_LABELS.get(r, r) for r in sorted(roles)]
    return "rollen " + ", ".join(named) if named else "ingen roll"
