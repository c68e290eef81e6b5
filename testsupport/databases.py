"""The tests' databases: which PostgreSQL they use, scratch databases on it, services called
in one transaction, and row counts.

The PostgreSQL is DASHBOARD_TEST_POSTGRES_URL, or where that is unset the local server CI uses
(``DEFAULT_POSTGRES_URL``), so a contributor runs what CI runs (issue 10). Where it does not
answer the PostgreSQL tests skip, unless DASHBOARD_REQUIRE_POSTGRES=1 (set by .ci/run), where
they fail instead. The benchmark makes its scratch databases with the same pieces.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from db.models import Base

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# Kommuner of the national demo with every shape of promise: Eskilstuna; Malmö's three parallel
# area promises; Uppsala's winter promise by half-year; Gotland's own named periods; Kiruna in
# Polisregion Nord.
FEW_KOMMUNER = ("0484", "1280", "0380", "0980", "2584")


def postgres_test_url(environ: dict[str, str]) -> str:
    """The PostgreSQL the tests use: DASHBOARD_TEST_POSTGRES_URL, else the local default."""
    return environ.get("DASHBOARD_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


POSTGRES_URL = postgres_test_url(os.environ)
REQUIRE_POSTGRES = os.environ.get("DASHBOARD_REQUIRE_POSTGRES") == "1"


def skip_postgres(reason: str) -> None:
    """Skip the test for want of PostgreSQL, or fail it where PostgreSQL is required."""
    import pytest  # here, not above: the benchmark imports this module without pytest

    if REQUIRE_POSTGRES:
        pytest.fail(f"PostgreSQL is required here (DASHBOARD_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(reason)


def postgres_admin(url: str) -> Engine | None:
    """An AUTOCOMMIT engine on the server's ``postgres`` database, or None if it is not there."""
    admin = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError:
        admin.dispose()
        return None
    return admin


@contextmanager
def scratch_database(admin: Engine, name: str, *, template: str | None = None) -> Iterator[str]:
    """A new database ``name`` on ``admin``'s server (a copy of ``template`` if given): its URL.

    Dropped afterwards, also while a connection to it is still open.
    """
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run_service(engine: Engine, fn, *args, **kwargs):
    """Call a service in one transaction, as the page does; returned rows stay readable."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        result = fn(session, *args, **kwargs)
        session.flush()
        return result


def counts(engine: Engine) -> dict[str, int]:
    """Rows per table: the fingerprint that "nothing was written" compares."""
    with engine.connect() as conn:
        return _counts(conn)


def counts_in(session: Session) -> dict[str, int]:
    """``counts()`` as the session's open transaction sees them."""
    return _counts(session)


def _counts(reader) -> dict[str, int]:
    return {
        t.name: reader.scalar(select(func.count()).select_from(t))
        for t in Base.metadata.sorted_tables
    }
