"""Lockout in the database (SQLite and PostgreSQL): failures counted and locking, a locked user's
password never matching, unknown usernames not recorded. The rules themselves and the cookie
key: tests/unit/test_auth.py."""

from __future__ import annotations

import datetime as dt

import bcrypt
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import lockout
from db.models import AppUser
from testsupport import builders

T0 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)


@pytest.fixture
def user(engine) -> str:
    password_hash = bcrypt.hashpw(b"hemligt-1234", bcrypt.gensalt(rounds=4)).decode()
    with Session(engine) as session, session.begin():
        kommun = builders.organisation_id(session, "kommun", "0486")
        builders.make_user(session, "sam", ("samordnare", kommun), password_hash=password_hash)
        builders.make_user(
            session, "old", ("lasare", kommun), active=False, password_hash=password_hash
        )
    return password_hash


def test_failures_are_counted_in_the_database_and_lock(engine, user):
    for minute in range(5):
        with Session(engine) as session, session.begin():
            locked = lockout.record_failure(session, "sam", T0 + minute * MIN)
    assert locked
    with Session(engine) as session:
        credentials = lockout.load_credentials(session, T0 + 5 * MIN)
        later = lockout.load_credentials(session, T0 + 20 * MIN)
    assert list(credentials["usernames"]) == ["sam"]  # inactive users are not listed
    assert credentials["usernames"]["sam"]["password"] != user  # locked: no password matches
    assert not bcrypt.checkpw(b"hemligt-1234", credentials["usernames"]["sam"]["password"].encode())
    assert later["usernames"]["sam"]["password"] == user
    assert later["usernames"]["sam"]["roles"] == ["samordnare"]
    [grant] = later["usernames"]["sam"]["grants"]
    assert (grant.role, grant.kind) == ("samordnare", "kommun")
    with Session(engine) as session, session.begin():
        lockout.record_success(session, "sam")
    with Session(engine) as session:
        row = session.scalar(select(AppUser).where(AppUser.username == "sam"))
        assert (row.failed_login_count, row.first_failed_at, row.locked_until) == (0, None, None)


def test_unknown_usernames_are_not_recorded(engine, user):
    with Session(engine) as session, session.begin():
        assert lockout.record_failure(session, "ingen", T0) is False
