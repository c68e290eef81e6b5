"""App users: create, list, check passwords (bcrypt), and their administration. No Streamlit.

``create_user`` serves the CLI (whoever runs it has the database already). The functions
after it serve the Administration page (issue 7): each takes the acting user and refuses
anyone without the admin role itself; an admin cannot take away their own admin role or
deactivate themselves (so at least one active admin always remains); every change is audited
in the caller's transaction, without the password hash.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

import bcrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.access import Actor, require_role
from db import audit
from db.models import ROLES, AppUser

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
MIN_PASSWORD_LENGTH = 10
# No 0/O, 1/l/I: the generated password is read off a screen and typed in by hand.
PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
PASSWORD_GROUPS = 4
PASSWORD_GROUP_LENGTH = 5


class UserError(ValueError):
    """Bad input for a user; the message is Swedish and says what to fix."""


@dataclass(frozen=True)
class NewUser:
    username: str
    display_name: str
    email: str
    role: str


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


def create_user(
    session: Session, user: NewUser, password: str, repeated: str, *, by: str
) -> AppUser:
    """Validate and add a user (with its audit row) to ``session``; the caller commits."""
    validate_new_user(session, user, password, repeated)
    row = AppUser(
        username=user.username,
        display_name=user.display_name.strip(),
        email=user.email.strip(),
        password_hash=hash_password(password),
        roles=[user.role],
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
    """``actor`` with the roles the database holds now; None if the account is gone or inactive.

    A page's user was read at the start of the previous run; a role taken away since (or a
    deactivation) must stop the very next write, so the Administration page passes this to
    the services instead.
    """
    if actor is None:
        return None
    row = session.scalars(select(AppUser).where(AppUser.username == actor.username)).first()
    if row is None or not row.active:
        return None
    return Actor.of(row.username, row.roles)


def add_user(session: Session, actor: Actor, user: NewUser) -> tuple[AppUser, str]:
    """Add a user with a generated password; returns the row and the password (show it once)."""
    require_role(actor, "admin")
    password = generate_password()
    row = create_user(session, user, password, password, by=actor.username)
    return row, password


def set_roles(session: Session, actor: Actor, username: str, roles: list[str]) -> AppUser:
    """Give ``username`` exactly ``roles`` (at least one, each from ROLES)."""
    require_role(actor, "admin")
    if not roles or set(roles) - set(ROLES):
        raise UserError(f"Välj minst en roll av: {', '.join(ROLES)}.")
    roles = [r for r in ROLES if r in set(roles)]  # the canonical order, no duplicates
    if username == actor.username and "admin" not in roles:
        raise UserError("Du kan inte ta bort din egen administratörsroll.")
    return _change(session, actor, username, roles=roles)


def set_active(session: Session, actor: Actor, username: str, active: bool) -> AppUser:
    """Activate or deactivate ``username``; a deactivated user cannot log in."""
    require_role(actor, "admin")
    if username == actor.username and not active:
        raise UserError("Du kan inte inaktivera dig själv.")
    return _change(session, actor, username, active=active)


def reset_password(session: Session, actor: Actor, username: str) -> str:
    """Give ``username`` a new generated password (returned, to show once) and lift a lockout."""
    require_role(actor, "admin")
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


def _change(session: Session, actor: Actor, username: str, **values) -> AppUser:
    row = session.scalars(select(AppUser).where(AppUser.username == username)).first()
    if row is None:
        raise UserError(f"Användaren {username!r} finns inte.")
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
