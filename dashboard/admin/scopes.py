"""Where a role may be held (issue 11): the scope of a new user's grant, the scopes an admin
may grant, and which users an admin administers. No Streamlit.

A grant is held in a kommun, a lokalpolisområde, a polisregion or the nation. A new user's
grant without a given scope is held in the kommun of the database's only partnership; where
there is not exactly one, the caller must say (``SCOPE_NEEDED``). An admin administers the
users all of whose grants lie in the admin's scope, and grants only inside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.access import (
    NATION,
    Actor,
    covers,
    kommun_label,
    organisation_ancestors,
    scope_organisations,
    stored_actor,
)
from db.models import AppUser, Organisation, Partnership

SCOPE_NEEDED = (
    "Ange var rollen gäller: en kommun, ett lokalpolisområde, en polisregion eller hela "
    "landet (databasen har {n} samverkanspar, så det går inte att välja åt dig)."
)
SCOPE_KINDS = ("kommun", "lokalpolisomrade", "polisregion")


class UserError(ValueError):
    """Bad input for a user; the message is Swedish and says what to fix."""


@dataclass(frozen=True)
class NewUser:
    """A user to create with one role grant.

    The scope is ``organisation_id`` (a kommun, lokalpolisområde or polisregion), or the nation
    with ``national=True``; with neither, the kommun of the one partnership the database holds
    (see ``default_scope``).
    """

    username: str
    display_name: str
    email: str
    role: str
    organisation_id: int | None = None
    national: bool = False


def scope_of(session: Session, user: NewUser) -> int | None:
    """The organisation id the new user's grant is held in (None: the nation)."""
    if user.national:
        return None
    if user.organisation_id is None:
        return default_scope(session)
    check_scope(session, user.organisation_id)
    return user.organisation_id


def default_scope(session: Session) -> int:
    """The kommun of the database's one partnership; UserError asking for a scope otherwise."""
    kommuner = session.scalars(select(Partnership.kommun_id).limit(2)).all()
    if len(kommuner) != 1 or kommuner[0] is None:
        total = session.scalar(select(func.count()).select_from(Partnership))
        raise UserError(SCOPE_NEEDED.format(n=total))
    return kommuner[0]


def check_scope(session: Session, organisation_id: int) -> Organisation:
    """The organisation a grant may be held in: a kommun, a lokalpolisområde or a polisregion."""
    org = session.get(Organisation, organisation_id)
    if org is None or org.kind not in SCOPE_KINDS:
        raise UserError(
            "En roll gäller en kommun, ett lokalpolisområde, en polisregion eller hela landet."
        )
    return org


def find_scope(
    session: Session,
    *,
    kommun: str | None = None,
    police_area: str | None = None,
    region: str | None = None,
) -> int:
    """The organisation id of a kommun (SCB code or name), a lokalpolisområde or a polisregion
    (code or name, with or without "Polisregion"); UserError naming what was not found."""
    given = [(k, v) for k, v in (("kommun", kommun), ("lokalpolisomrade", police_area),
                                 ("polisregion", region)) if v]  # fmt: skip
    if len(given) != 1:
        raise UserError("Ange ett område: en kommun, ett lokalpolisområde eller en polisregion.")
    kind, wanted = given[0]
    wanted = " ".join(wanted.split()).casefold()
    candidates = session.execute(
        select(Organisation.id, Organisation.code, Organisation.name).where(
            Organisation.kind == kind
        )
    ).all()
    for org_id, code, name in candidates:
        names = {(code or "").casefold(), name.casefold()}
        if kind == "polisregion":
            names.add(name.casefold().removeprefix("polisregion "))
        if wanted in names:
            return org_id
    noun = {"kommun": "Kommunen", "lokalpolisomrade": "Lokalpolisområdet",
            "polisregion": "Polisregionen"}[kind]  # fmt: skip
    raise UserError(f"{noun} {' '.join((kommun or police_area or region).split())} finns inte.")


def scope_choices(session: Session, actor: Actor | None) -> dict[int | None, str]:
    """The scopes ``actor`` (as stored) may grant, in words: the nation first if the actor is a
    national admin, then police regions, lokalpolisområden and kommuner by name."""
    admin = stored_actor(session, actor)
    if admin is None:
        return {}
    inside = scope_organisations(session, admin.grants, "admin")
    query = select(Organisation.id, Organisation.kind, Organisation.name, Organisation.code)
    query = query.where(Organisation.kind.in_(SCOPE_KINDS))
    if inside is not None:
        query = query.where(Organisation.id.in_(inside))
    order = {kind: n for n, kind in enumerate(reversed(SCOPE_KINDS))}
    named = sorted(
        (
            (order[kind], f"{kommun_label(name)} ({code})" if kind == "kommun" else name, org_id)
            for org_id, kind, name, code in session.execute(query)
        ),
        key=lambda row: (row[0], row[1].casefold()),
    )
    choices: dict[int | None, str] = {None: NATION.capitalize()} if inside is None else {}
    return choices | {org_id: name for _, name, org_id in named}


def visible_users(session: Session, actor: Actor | None) -> set[str]:
    """Usernames ``actor`` administers: everyone for a national admin, else users with a
    grant inside the admin's scope, and users without any grant."""
    admin = stored_actor(session, actor)
    if admin is None:
        return set()
    inside = scope_organisations(session, admin.grants, "admin")
    return {
        user.username
        for user in session.scalars(select(AppUser))
        if inside is None
        or not user.grants
        or any(g.organisation_id in inside for g in user.grants)
    }


def user_in_scope(session: Session, admin: Actor, user: AppUser) -> bool:
    """Whether every grant of ``user`` lies within a scope where ``admin`` is admin."""
    return all(
        covers(admin.grants, "admin", organisation_ancestors(session, g.organisation_id))
        for g in user.grants
    )


def administrable_kommuner(session: Session, actor: Actor | None) -> list[tuple[str, str]]:
    """(SCB code, name) of every kommun the actor's admin grants cover, by name: the kommuner
    the Administration page lets them choose (one without a partnership yet is set up there)."""
    stored = stored_actor(session, actor)
    if stored is None:
        return []
    inside = scope_organisations(session, stored.grants, "admin")
    if inside is not None and not inside:
        return []
    query = select(Organisation.code, Organisation.name).where(Organisation.kind == "kommun")
    if inside is not None:
        query = query.where(Organisation.id.in_(inside))
    return [tuple(row) for row in session.execute(query.order_by(Organisation.name))]
