"""The one place an engine is made.

SQLite gets WAL (readers never wait for the writer), foreign keys and a busy timeout on every
connection; PostgreSQL gets pre-ping so a restarted server does not hand out dead connections.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

SQLITE_BUSY_TIMEOUT_MS = 5_000


class DatabaseUnavailable(RuntimeError):
    """The database URL is malformed or the server does not answer. The message is Swedish."""


BUSY = (
    "Databasen är upptagen just nu (någon annan sparar). Inget sparades och det du skrev finns "
    "kvar: försök spara igen om en stund."
)
DOWN = (
    "Databasen går inte att nå just nu. Inget sparades och det du skrev finns kvar: försök "
    "spara igen om en stund, och kontakta förvaltaren om felet består."
)


def unavailable_message(exc: BaseException) -> str:
    """What a user is told when a save met a database that is busy or does not answer (a
    DBAPIError); the technical detail is for the server log, never the screen."""
    text = str(getattr(exc, "orig", None) or exc).lower()
    return BUSY if "locked" in text or "busy" in text else DOWN


def make_engine(url: str, *, create_dirs: bool = True) -> Engine:
    """Create an engine for ``url`` with the project's connection settings.

    Args:
        url: A SQLAlchemy URL, e.g. ``sqlite:///data/dashboard.sqlite3`` or
            ``postgresql+psycopg://user@127.0.0.1:5432/db``.
        create_dirs: Create the parent folder of a SQLite file if it is missing.

    Raises:
        DatabaseUnavailable: The URL cannot be parsed or names an unknown driver.
    """
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailable(f"Databasadressen går inte att tolka: {url!r}.") from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed, create_dirs=create_dirs)
        return create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=5)
    except NoSuchModuleError as exc:
        raise DatabaseUnavailable(
            f"Databasadressen anger en okänd databasdrivrutin: {parsed.drivername!r}."
        ) from exc


def _sqlite_engine(parsed, *, create_dirs: bool) -> Engine:
    database = parsed.database
    if database and database != ":memory:" and create_dirs:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        parsed,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # pysqlite opens transactions lazily; these pragmas must run outside one.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def describe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<ogiltig adress>"


def check_connection(engine: Engine) -> None:
    """Open and close one connection.

    Raises:
        DatabaseUnavailable: The database does not answer (message in Swedish).
    """
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as exc:
        raise DatabaseUnavailable(
            f"Databasen {describe_url(str(engine.url))} svarar inte: {_first_line(exc.orig)}"
        ) from exc


def _first_line(error: BaseException | None) -> str:
    text = str(error or "").strip()
    return text.splitlines()[0] if text else "okänt fel"
