"""The benchmark's databases: fresh SQLite files and scratch PostgreSQL databases.

Each holds the demo data at one scale (Strängnäs alone, or the national demo: all 290
kommuner, ``demo --national``) and one administrator, ``bench``, so the login-only pages can
be timed too.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from dashboard.admin.users import NewUser, create_user
from db import demo, make_engine, migrate
from db.models import Partnership
from testsupport.databases import scratch_database

POSTGRES_URL = os.environ.get(
    "DASHBOARD_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
BENCH_USER = "bench"
BENCH_PASSWORD = "bench-lösenord-2026"


@dataclass(frozen=True)
class BenchDatabase:
    """One database the benchmark measures: its backend, scale, URL and build time."""

    backend: str  # "sqlite" or "postgres"
    national: bool
    url: str
    build_seconds: float
    partnerships: int

    @property
    def scale(self) -> str:
        """``demo`` for Strängnäs alone, ``national`` for the national demo."""
        return "national" if self.national else "demo"


def fill(url: str, *, national: bool, backend: str) -> BenchDatabase:
    """Migrate ``url``, load the demo (national or not) and add the bench administrator."""
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        migrate.upgrade(engine)
        demo.load(engine, national=national)
        seconds = time.perf_counter() - started
        add_bench_user(engine)
        with engine.connect() as conn:
            partnerships = conn.scalar(select(func.count()).select_from(Partnership))
    finally:
        engine.dispose()
    return BenchDatabase(backend, national, url, seconds, partnerships)


def add_bench_user(engine: Engine) -> None:
    """The administrator the benchmark logs in as (bcrypt hashing: once per database)."""
    user = NewUser(BENCH_USER, "Prestandamätning", "bench@example.se", "admin", national=True)
    with Session(engine) as session, session.begin():
        create_user(session, user, BENCH_PASSWORD, BENCH_PASSWORD, by="bench")


def sqlite_database(directory: Path, *, national: bool) -> BenchDatabase:
    """A fresh SQLite file in ``directory`` with the demo (national or not)."""
    path = directory / f"bench-{'national' if national else 'demo'}.sqlite3"
    path.unlink(missing_ok=True)
    return fill(f"sqlite:///{path}", national=national, backend="sqlite")


@contextmanager
def postgres_database(admin: Engine, *, national: bool) -> Iterator[BenchDatabase]:
    """A scratch database on ``admin``'s server with the demo (national or not); dropped after."""
    name = f"dashboard_bench_{'national' if national else 'demo'}_{uuid.uuid4().hex[:8]}"
    with scratch_database(admin, name) as url:
        yield fill(url, national=national, backend="postgres")
