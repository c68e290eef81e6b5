"""Login lockout and the credentials handed to streamlit-authenticator. No Streamlit here.

Issue 4: after 5 failed logins for a username within 15 minutes the username is refused for
15 minutes, with the same message as a wrong password. The counters live in ``app_user`` so
they survive restarts and are shared by every app process; a successful login resets them.
The library's own ``max_login_attempts`` keeps its count in the credentials dict of one
session, so it throttles nothing; this module is the lockout.

The rules are pure functions of a ``LoginRecord`` and the time, so tests freeze time by
passing ``now``.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from dataclasses import dataclass

import bcrypt
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.access import ROLE_LABELS, load_grants, scope_name
from db.models import AppUser

MAX_FAILURES = 5
FAILURE_WINDOW = dt.timedelta(minutes=15)
LOCK_DURATION = dt.timedelta(minutes=15)


@dataclass(frozen=True)
class LoginRecord:
    """The lockout state of one username (the three app_user columns)."""

    failed_count: int = 0
    first_failed_at: dt.datetime | None = None
    locked_until: dt.datetime | None = None


def is_locked(record: LoginRecord, now: dt.datetime) -> bool:
    """Whether the username is refused at ``now``."""
    return record.locked_until is not None and now < _utc(record.locked_until)


def after_failure(record: LoginRecord, now: dt.datetime) -> LoginRecord:
    """The record after one more failed login at ``now``.

    Failures while locked neither count nor extend the lock. A failure more than 15 minutes
    after the first one of the window starts a new window. The fifth failure of a window locks
    the username until ``now + 15 min`` and clears the count for the time after the lock.
    """
    if is_locked(record, now):
        return record
    first = record.first_failed_at and _utc(record.first_failed_at)
    if first is None or now - first > FAILURE_WINDOW:
        record = LoginRecord(0, now, None)
    count = record.failed_count + 1
    if count >= MAX_FAILURES:
        return LoginRecord(0, None, now + LOCK_DURATION)
    return LoginRecord(count, record.first_failed_at, None)


def after_success() -> LoginRecord:
    """A successful login resets everything."""
    return LoginRecord()


def load_credentials(session: Session, now: dt.datetime) -> dict:
    """The credentials dict streamlit-authenticator wants, built from ``app_user``.

    Only active users are listed. Passwords are the stored bcrypt hashes (the library runs
    with ``auto_hash=False``). A locked user is listed with a hash no password matches: the
    login then fails exactly like a wrong password (same message, same time), while a valid
    login cookie of that user still works.
    """
    users = {}
    active = list(session.scalars(select(AppUser).where(AppUser.active.is_(True))))
    grants = load_grants(session, [user.id for user in active])
    for user in active:
        locked = is_locked(_record(user), now)
        users[user.username] = {
            "name": user.display_name,
            "email": user.email or f"{user.username}@example.invalid",
            "password": _unmatchable_hash() if locked else user.password_hash,
            "roles": list(user.roles),
            "grants": grants.get(user.id, []),  # access.Grant: role and scope (issue 11)
            "scopes": grants_text(session, grants.get(user.id, [])),
        }
    return {"usernames": users}


def grants_text(session: Session, grants) -> str:
    """The grants in words, for the sidebar: "samordnare i Strängnäs kommun"."""
    return "; ".join(
        f"{ROLE_LABELS.get(g.role, g.role)} i {scope_name(session, g.organisation_id)}"
        for g in grants
    )


def failed_usernames(credentials: dict) -> list[str]:
    """Usernames the library counted a failed password for in this run.

    streamlit-authenticator increments ``failed_login_attempts`` in the credentials dict on
    a wrong password; the dict is built fresh each run, so any count means "failed just now".
    """
    return [
        name
        for name, user in credentials["usernames"].items()
        if user.get("failed_login_attempts", 0) > 0
    ]


def record_failure(session: Session, username: str, now: dt.datetime) -> bool:
    """Count a failed login in the database; returns whether the username is now locked."""
    user = _locked_row(session, username)
    if user is None:
        return False
    record = after_failure(_record(user), now)
    user.failed_login_count = record.failed_count
    user.first_failed_at = record.first_failed_at
    user.locked_until = record.locked_until
    return is_locked(record, now)


def record_success(session: Session, username: str) -> None:
    """Reset the username's failure count and lock after a successful login."""
    user = _locked_row(session, username)
    if user is not None:
        user.failed_login_count, user.first_failed_at, user.locked_until = 0, None, None


def _locked_row(session: Session, username: str) -> AppUser | None:
    # FOR UPDATE serialises two processes counting failures for the same user on PostgreSQL;
    # SQLite serialises writers anyway.
    query = select(AppUser).where(AppUser.username == username).with_for_update()
    return session.scalar(query)


def _record(user: AppUser) -> LoginRecord:
    return LoginRecord(user.failed_login_count or 0, user.first_failed_at, user.locked_until)


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite returns naive datetimes; the app writes UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


@functools.cache
def _unmatchable_hash() -> str:
    """A bcrypt hash of a random secret nobody knows, at the cost of real hashes (12)."""
    return bcrypt.hashpw(secrets.token_bytes(32), bcrypt.gensalt(rounds=12)).decode()
