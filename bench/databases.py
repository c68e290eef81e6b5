"""The benchmark's databases: fresh SQLite files and scratch PostgreSQL databases.

Each holds the demo data at one scale (1 partnership, or 290 for national scale) and one
administrator, ``bench``, so the login-only pages can be timed too.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from dashboard.admin.users import NewUser, create_user
from db import demo, make_engine, migrate

POSTGRES_URL = os.environ.get(
    "DASHBOARD_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BENCH_USER = "bench"
BENCH_PASSWORD = "bench-lösenord-2026"


@dataclass(frozen=True)
class BenchDatabase:
    """One database the benchmark measures: its backend, scale, URL and build time."""

    backend: str  # "sqlite" or "postgres"
    partnerships: int
    url: str
    build_seconds: float

    @property
    def scale(self) -> str:
        """``demo`` for one partnership, ``national`` for more."""
        return "demo" if self.partnerships == 1 else "national"


def fill(url: str, *, partnerships: int, backend: str) -> BenchDatabase:
    """Migrate ``url``, load the demo at ``partnerships`` and add the bench administrator."""
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        migrate.upgrade(engine)
        demo.load(engine, partnerships=partnerships)
        seconds = time.perf_counter() - started
        add_bench_user(engine)
    finally:
        engine.dispose()
    return BenchDatabase(backend, partnerships, url, seconds)


def add_bench_user(engine: Engine) -> None:
    """The administrator the benchmark logs in as (bcrypt hashing: once per database)."""
    user = NewUser(BENCH_USER, "Prestandamätning", "bench@example.se", "admin", national=True)
    with Session(engine) as session, session.begin():
        create_user(session, user, BENCH_PASSWORD, BENCH_PASSWORD, by="bench")


def sqlite_database(directory: Path, *, partnerships: int) -> BenchDatabase:
    """A fresh SQLite file in ``directory`` with the demo at ``partnerships``."""
    path = directory / f"bench-{partnerships}.sqlite3"
    path.unlink(missing_ok=True)
    return fill(f"sqlite:///{path}", partnerships=partnerships, backend="sqlite")


def postgres_admin(url: str = POSTGRES_URL) -> Engine | None:
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
def postgres_database(admin: Engine, *, partnerships: int) -> Iterator[BenchDatabase]:
    """A scratch database on ``admin``'s server with the demo at ``partnerships``; dropped after."""
    name = f"dashboard_bench_{partnerships}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = admin.url.set(database=name).render_as_string(hide_password=False)
        yield fill(url, partnerships=partnerships, backend="postgres")
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
