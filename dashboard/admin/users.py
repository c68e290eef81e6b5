"""App users and their role grants: create, list, check passwords (bcrypt). No Streamlit.

``create_user`` serves the CLI (whoever runs it has the database already). The functions
after it serve the Administration page (issues 7 and 11): each takes the acting user and
refuses anyone without the admin role, read from the database as it writes, in a scope that
covers what it changes: an admin creates and changes users and grants only within their own
scope (a user is within it when every grant the user holds is), and cannot grant a wider scope
than their own; a national admin may do anything. An admin cannot take away their own last
admin grant or deactivate themselves (so at least one active admin always remains); every
change is audited in the caller's transaction, without the password hash.
"""

from __future__ import annotations

import re
import secrets

import bcrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.access import (
    Actor,
    NotPermitted,
    require_organisation_scope,
    require_role,
    scope_name,
    stored_actor,
)
from dashboard.admin.scopes import (
    NewUser,
    UserError,
    check_scope,
    scope_of,
    user_in_scope,
)
from db import audit
from db.models import ROLES, AppUser, RoleGrant

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
MIN_PASSWORD_LENGTH = 10
# No 0/O, 1/l/I: the generated password is read off a screen and typed in by hand.
PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_GROUPS = 4
PASSWORD_GROUP_LENGTH = 5


def hash_password(password: str) -> str:
    """A bcrypt hash of ``password`` (cost 12)."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=12)).decode()


def verify_password(password: str, password_hash: str) -> bool:
    """Whether ``password`` matches the bcrypt ``password_hash``."""
    try:
        return bcrypt.checkpw(password.encode(), password_hash.encode())
    except ValueError:
        return False


def validate_new_user(session: Session, user: NewUser, password: str, repeated: str) -> None:
    """Raise UserError with a Swedish message for the first problem found."""
    if not USERNAME_PATTERN.match(user.username):
        raise UserError(
            "Användarnamnet får bara innehålla små bokstäver a–z, siffror, punkt, "
            "bindestreck och understreck (2–60 tecken)."
        )
    if user.role not in ROLES:
        raise UserError(f"Okänd roll {user.role!r}. Välj en av: {', '.join(ROLES)}.")
    if not user.display_name.strip():
        raise UserError("Namn saknas.")
    if not password:
        raise UserError("Lösenordet får inte vara tomt.")
    if password != repeated:
        raise UserError("Lösenorden stämmer inte överens.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken.")
    if session.scalar(select(AppUser.id).where(AppUser.username == user.username)) is not None:
        raise UserError(f"Användaren {user.username!r} finns redan.")
    scope_of(session, user)


def create_user(
    session: Session, user: NewUser, password: str, repeated: str, *, by: str
) -> AppUser:
    """Validate and add a user with its grant (and their audit rows) to ``session``; the
    caller commits."""
    validate_new_user(session, user, password, repeated)
    row = AppUser(
        username=user.username,
        display_name=user.display_name.strip(),
        email=user.email.strip(),
        password_hash=hash_password(password),
        active=True,
        failed_login_count=0,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        username=by,
        table_name="app_user",
        row_id=row.id,
        action="insert",
        after=_snapshot(row),
    )
    _insert_grant(session, by, row, user.role, scope_of(session, user))
    return row


def list_users(session: Session) -> list[AppUser]:
    """All users, by username."""
    return list(session.scalars(select(AppUser).order_by(AppUser.username)))


# ---------------------------------------------------------------- administration (issue 7)


def generate_password() -> str:
    """A strong random password, e.g. ``k7Hq2-Wm9xP-…`` (4 groups of 5, about 117 bits)."""
    groups = (
        "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_GROUP_LENGTH))
        for _ in range(PASSWORD_GROUPS)
    )
    return "-".join(groups)


def as_stored(session: Session, actor: Actor | None) -> Actor | None:
    """``actor`` with the grants the database holds now; None if the account is gone or inactive.

    A page's user was read at the start of the previous run; a grant taken away since (or a
    deactivation) must stop the very next write, so the Administration page passes this to
    the services instead (which read the database again themselves).
    """
    return stored_actor(session, actor)


def add_user(session: Session, actor: Actor, user: NewUser) -> tuple[AppUser, str]:
    """Add a user with a generated password; returns the row and the password (show it once).

    The user's grant must lie within the acting admin's scope.
    """
    require_role(actor, "admin")
    require_organisation_scope(session, actor, "admin", scope_of(session, user))
    password = generate_password()
    row = create_user(session, user, password, password, by=actor.username)
    return row, password


def add_grant(
    session: Session, actor: Actor, username: str, role: str, organisation_id: int | None
) -> RoleGrant:
    """Give ``username`` ``role`` in the scope ``organisation_id`` (None: the nation)."""
    require_role(actor, "admin")
    if role not in ROLES:
        raise UserError(f"Okänd roll {role!r}. Välj en av: {', '.join(ROLES)}.")
    if organisation_id is not None:
        check_scope(session, organisation_id)
    require_organisation_scope(session, actor, "admin", organisation_id)
    row = _user(session, username)
    if any(g.role == role and g.organisation_id == organisation_id for g in row.grants):
        raise UserError(
            f"{username} har redan rollen {role} för {scope_name(session, organisation_id)}."
        )
    return _insert_grant(session, actor.username, row, role, organisation_id)


def remove_grant(session: Session, actor: Actor, grant_id: int) -> None:
    """Take a grant away; an admin cannot take away their own last admin grant."""
    require_role(actor, "admin")
    grant = session.get(RoleGrant, grant_id)
    if grant is None:
        raise UserError("Behörigheten finns inte längre.")
    require_organisation_scope(session, actor, "admin", grant.organisation_id)
    user = grant.user
    own_last = user.username == actor.username and grant.role == "admin"
    if own_last and sum(g.role == "admin" for g in user.grants) == 1:
        raise UserError("Du kan inte ta bort din egen administratörsroll.")
    before = audit.row_snapshot(grant)
    user.grants.remove(grant)
    session.flush()
    audit.record(
        session, username=actor.username, table_name="role_grant", row_id=before["id"],
        action="delete", before=before,
    )  # fmt: skip


def set_active(session: Session, actor: Actor, username: str, active: bool) -> AppUser:
    """Activate or deactivate ``username``; a deactivated user cannot log in."""
    require_role(actor, "admin")
    if username == actor.username and not active:
        raise UserError("Du kan inte inaktivera dig själv.")
    _require_user_in_scope(session, actor, username)
    return _change(session, actor, username, active=active)


def reset_password(session: Session, actor: Actor, username: str) -> str:
    """Give ``username`` a new generated password (returned, to show once) and lift a lockout."""
    require_role(actor, "admin")
    _require_user_in_scope(session, actor, username)
    password = generate_password()
    _change(
        session,
        actor,
        username,
        password_hash=hash_password(password),
        failed_login_count=0,
        first_failed_at=None,
        locked_until=None,
    )
    return password


def _require_user_in_scope(session: Session, actor: Actor, username: str) -> None:
    row = _user(session, username)
    admin = stored_actor(session, actor)
    require_role(admin, "admin")
    if not user_in_scope(session, admin, row):
        raise NotPermitted(
            f"Du har inte behörighet att ändra {username}: användaren har roller utanför "
            "ditt område."
        )


def _insert_grant(session: Session, by: str, user: AppUser, role: str, organisation_id):
    grant = RoleGrant(role=role, organisation_id=organisation_id)
    user.grants.append(grant)
    session.flush()
    audit.record(
        session, username=by, table_name="role_grant", row_id=grant.id, action="insert",
        after=audit.row_snapshot(grant),
    )  # fmt: skip
    return grant


def _user(session: Session, username: str) -> AppUser:
    row = session.scalars(select(AppUser).where(AppUser.username == username)).first()
    if row is None:
        raise UserError(f"Användaren {username!r} finns inte.")
    return row


def _change(session: Session, actor: Actor, username: str, **values) -> AppUser:
    row = _user(session, username)
    before = _snapshot(row)
    old_hash = row.password_hash
    for key, value in values.items():
        setattr(row, key, value)
    session.flush()
    after = _snapshot(row)
    if row.password_hash != old_hash:
        after["password_reset"] = True  # the audit row says so without holding the hash
    if after != before:
        audit.record(
            session,
            username=actor.username,
            table_name="app_user",
            row_id=row.id,
            action="update",
            before=before,
            after=after,
        )
    return row


def _snapshot(row: AppUser) -> dict:
    snapshot = audit.row_snapshot(row)
    snapshot.pop("password_hash")  # a hash is a secret too; the audit log is readable by admins
    return snapshot
