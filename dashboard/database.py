"""The one owner of the app's database connections (issue 11).

Pages never touch an engine: they call the ``*_ui`` modules, which read and write through
``reading()``, ``session()`` and ``writing()`` here, on the engine of the configured database
(one per process, dashboard/cache.py). What a user is told when the database does not answer
comes from one place, db/engine.py (``unavailable_message`` for a save, DatabaseUnavailable
for a connection), in Swedish and without the technical detail, which goes to the server log
(components.log_database_error) and, for an admin, under *Teknisk information*.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

from dashboard import cache
from db.engine import unavailable_message


def engine() -> Engine:
    """The engine of the configured database (made once per process)."""
    return cache.engine(cache.settings().database_url)


@contextmanager
def reading() -> Iterator[Connection]:
    """A connection for reads."""
    with engine().connect() as connection:
        yield connection


@contextmanager
def session(**options) -> Iterator[Session]:
    """A session for reads that need the models (no transaction is committed)."""
    with Session(engine(), **options) as opened:
        yield opened


@contextmanager
def writing(**options) -> Iterator[Session]:
    """A session in one transaction: committed when the block ends, rolled back if it raises.

    Afterwards this run's cached reads ask the database for its data version again
    (``cache.forget_data_version``), so they never show what was there before the write.
    """
    try:
        with Session(engine(), **options) as opened, opened.begin():
            yield opened
    finally:
        cache.forget_data_version()


__all__ = ["engine", "reading", "session", "unavailable_message", "writing"]
