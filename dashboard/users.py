"""App users: create, list and check passwords (bcrypt). No Streamlit here."""

from __future__ import annotations

import re
from dataclasses import dataclass

import bcrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from db import audit
from db.models import ROLES, AppUser

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,59}$")
MIN_PASSWORD_LENGTH = 10


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
    after = audit.row_snapshot(row)
    after.pop("password_hash")  # a hash is a secret too; the audit log is readable by admins
    audit.record(
        session, username=by, table_name="app_user", row_id=row.id, action="insert", after=after
    )
    return row


def list_users(session: Session) -> list[AppUser]:
    """All users, by username."""
    return list(session.scalars(select(AppUser).order_by(AppUser.username)))
