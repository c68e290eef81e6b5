"""Lockout rules and cookie-key rules: pure functions with frozen time. The database side of
the lockout: tests/data/test_auth.py."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from dashboard import lockout
from dashboard.cookie_key import (
    MIN_KEY_BYTES,
    CookieKeyError,
    key_problem,
    resolve_cookie_key,
    write_key,
)
from dashboard.lockout import LoginRecord, after_failure, after_success, is_locked
from dashboard.settings import Settings

T0 = dt.datetime(2026, 11, 26, 9, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)
EXAMPLE = Path(__file__).resolve().parents[2] / ".streamlit" / "secrets.toml.example"


def _fail(times: list[int], record: LoginRecord | None = None) -> LoginRecord:
    record = record or LoginRecord()
    for minute in times:
        record = after_failure(record, T0 + minute * MIN)
    return record


# ------------------------------------------------------------------ lockout rules

LOCKOUT_CASES = [
    # failures at these minutes, checked at this minute, locked?
    ([0, 1, 2, 3], 4, False),  # four failures: not yet
    ([0, 1, 2, 3, 4], 4, True),  # the fifth within 15 minutes locks
    ([0, 1, 2, 3, 14], 14, True),  # still inside the window
    ([0, 1, 2, 3, 16], 16, False),  # the window ran out: a new one starts at 16
    ([0, 1, 2, 3, 4], 18, True),  # locked for 15 minutes from the fifth failure...
    ([0, 1, 2, 3, 4], 19, False),  # ...and no longer after that
    ([0, 1, 2, 3, 4, 10, 11, 12], 19, False),  # failures while locked neither count nor extend
]


@pytest.mark.parametrize(("minutes", "at", "locked"), LOCKOUT_CASES)
def test_five_failures_in_fifteen_minutes_lock_for_fifteen_minutes(minutes, at, locked):
    assert is_locked(_fail(minutes), T0 + at * MIN) is locked


def test_after_the_lock_the_count_starts_again():
    record = _fail([0, 1, 2, 3, 4, 20, 21, 22, 23])
    assert not is_locked(record, T0 + 23 * MIN)
    assert record.failed_count == 4
    assert is_locked(_fail([24], record), T0 + 24 * MIN)


def test_a_success_resets_everything():
    assert after_success() == LoginRecord(0, None, None)


def test_naive_times_from_sqlite_are_read_as_utc():
    record = LoginRecord(0, None, (T0 + 15 * MIN).replace(tzinfo=None))
    assert is_locked(record, T0)


def test_failed_usernames_reads_the_library_counter():
    credentials = {"usernames": {"a": {"failed_login_attempts": 1}, "b": {}}}
    assert lockout.failed_usernames(credentials) == ["a"]


# ------------------------------------------------------------------ cookie key


def test_the_example_key_is_known_as_a_default():
    example = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))["cookie_key"]
    assert "exempelnyckeln" in key_problem(example)


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("", "saknas"),
        ("   ", "saknas"),
        ("some_key", "exempelnyckeln"),
        ("k" * (MIN_KEY_BYTES - 1), "för kort: 31 byte"),
        ("å" * 15, "för kort: 30 byte"),  # bytes, not characters
    ],
)
def test_bad_keys_are_named(key, problem):
    assert problem in key_problem(key)


def test_a_long_random_key_is_fine():
    assert key_problem("k" * MIN_KEY_BYTES) is None


@pytest.mark.parametrize("key", ["", "some_key", "kort"])
def test_outside_demo_mode_a_bad_key_refuses_to_start_and_says_how(tmp_path, key):
    settings = Settings(demo_mode=False, cookie_key=key)
    with pytest.raises(CookieKeyError, match=r"secrets\.token_urlsafe") as refused:
        resolve_cookie_key(settings, secrets_file=tmp_path / "secrets.toml")
    assert "DASHBOARD_COOKIE_KEY" in str(refused.value)
    assert not (tmp_path / "secrets.toml").exists()


def test_in_demo_mode_the_first_start_writes_a_random_key(tmp_path):
    secrets_file = tmp_path / ".streamlit" / "secrets.toml"
    key = resolve_cookie_key(Settings(demo_mode=True, cookie_key=""), secrets_file=secrets_file)
    assert key_problem(key) is None
    assert tomllib.loads(secrets_file.read_text())["cookie_key"] == key
    assert secrets_file.stat().st_mode & 0o077 == 0
    # The next start reads it back through Settings and keeps it.
    settings = Settings.load(environ={}, secrets_file=secrets_file)
    assert resolve_cookie_key(settings, secrets_file=secrets_file) == key


def test_writing_the_key_keeps_other_settings_and_stays_out_of_tables(tmp_path):
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('database_url = "sqlite:///x.db"\n\n[connections.x]\nurl = "y"\n')
    write_key(secrets_file, "n" * 64)
    data = tomllib.loads(secrets_file.read_text())
    assert data["cookie_key"] == "n" * 64
    assert data["database_url"] == "sqlite:///x.db" and data["connections"]["x"]["url"] == "y"
    write_key(secrets_file, "m" * 64)  # an existing line is replaced, not duplicated
    assert secrets_file.read_text().count("cookie_key") == 1
