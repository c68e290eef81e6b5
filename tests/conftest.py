"""Shared fixtures: fresh migrated databases on SQLite and PostgreSQL.

``engine`` is parametrized over both databases, so every data-layer test runs twice. The
PostgreSQL side uses the server on DASHBOARD_TEST_POSTGRES_URL, or where that is unset the
local server CI uses (``DEFAULT_POSTGRES_URL``), so a contributor runs what CI runs (issue 10);
each test gets its own database, cloned from a migrated template made once per test session.
Where the server does not answer the PostgreSQL tests skip, unless DASHBOARD_REQUIRE_POSTGRES=1
(set by .ci/run), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from db import make_engine, migrate

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_test_url(environ: dict[str, str]) -> str:
    """The PostgreSQL the tests use: DASHBOARD_TEST_POSTGRES_URL, else the local default."""
    return environ.get("DASHBOARD_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


POSTGRES_URL = postgres_test_url(os.environ)
REQUIRE_POSTGRES = os.environ.get("DASHBOARD_REQUIRE_POSTGRES") == "1"


# ---------------------------------------------------------------- SQLite


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated, empty SQLite file that tests copy."""
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture
def sqlite_url(sqlite_template, tmp_path) -> str:
    """URL of a fresh migrated, empty SQLite database for this test."""
    path = tmp_path / "test.sqlite3"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


# ---------------------------------------------------------------- PostgreSQL


def _postgres_admin() -> Engine | None:
    # The benchmark's check, shared: an AUTOCOMMIT engine on the server, or None.
    from bench.databases import postgres_admin

    return postgres_admin(POSTGRES_URL)


def _skip_postgres(reason: str) -> None:
    if REQUIRE_POSTGRES:
        pytest.fail(f"PostgreSQL is required here (DASHBOARD_REQUIRE_POSTGRES=1): {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[tuple[Engine, str] | None]:
    """A migrated template database on the test server, or None where there is none."""
    admin = _postgres_admin()
    if admin is None:
        yield None
        return
    name = f"dash_tmpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(make_url(POSTGRES_URL).set(database=name).render_as_string(False))
    migrate.upgrade(engine)
    engine.dispose()
    yield admin, name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def postgres_url(postgres_template) -> Iterator[str]:
    """URL of a fresh migrated, empty PostgreSQL database for this test."""
    if postgres_template is None:
        _skip_postgres(f"PostgreSQL on {make_url(POSTGRES_URL).host} does not answer")
    admin, template = postgres_template
    name = f"dash_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


# ---------------------------------------------------------------- both


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request) -> str:
    """A fresh migrated, empty database on SQLite and on PostgreSQL."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def engine(db_url) -> Iterator[Engine]:
    """An engine on ``db_url``, disposed after the test."""
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


# ---------------------------------------------------------------- demo data


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """A migrated SQLite file with the demo data loaded (today fixed to 2026-11-26)."""
    import datetime as dt

    from db import demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    demo.load(engine, today=dt.date(2026, 11, 26))
    engine.dispose()
    return path


@pytest.fixture
def demo_url(demo_template, tmp_path) -> str:
    """URL of a fresh copy of the demo database, free to write to."""
    path = tmp_path / "demo.sqlite3"
    shutil.copy(demo_template, path)
    return f"sqlite:///{path}"


@pytest.fixture(scope="session")
def demo_exports(demo_template):
    """Everything the Export page offers for 2021 T3 of the demo data (read-only)."""
    import datetime as dt

    from dashboard.export import content

    engine = make_engine(f"sqlite:///{demo_template}")
    with engine.connect() as conn:
        exports = content.load_year_exports(
            conn, 2021, 3, partnership="0486", today=dt.date(2026, 11, 26)
        )
    engine.dispose()
    return exports


# ---------------------------------------------------------------- the app


TEST_COOKIE_KEY = "test-cookie-key-" + "x" * 40


@pytest.fixture
def app_env(monkeypatch, demo_url) -> dict[str, str]:
    """Environment for an app run on a fresh demo database; tests may change it first."""
    env = {
        "DASHBOARD_DATABASE_URL": demo_url,
        "DASHBOARD_COOKIE_KEY": TEST_COOKIE_KEY,
        "DASHBOARD_DEMO_MODE": "1",
        "DASHBOARD_REQUIRE_LOGIN": "0",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


# ---------------------------------------------------------------- the app behind the login


@pytest.fixture
def like_a_server(monkeypatch):
    """Run app.py on every AppTest run, as `streamlit run` does.

    AppTest resets Streamlit's "pages/ folder" flag before each run, so on a rerun it runs the
    page script of the previous run directly, without app.py and so without the auth gate. A
    real server runs app.py (which calls st.navigation) every time; so does this.
    """
    import streamlit_authenticator.params

    from dashboard import streamlit_adapter

    # Tests only: the library sleeps 0.7 s before every logged-out login() call.
    monkeypatch.setattr(streamlit_authenticator.params, "PRE_LOGIN_SLEEP_TIME", 0)
    with streamlit_adapter.entrypoint_on_every_run():
        yield


@pytest.fixture(scope="module")
def users_template(demo_template, tmp_path_factory) -> Path:
    """The demo database plus one user per role of apptest_support.USERS (bcrypt is slow):
    the admin national, the others in Strängnäs (the demo's one partnership)."""
    from sqlalchemy.orm import Session

    from dashboard.admin.users import NewUser, create_user
    from tests.apptest_support import PASSWORD, USERS

    path = tmp_path_factory.mktemp("entry") / "users.sqlite3"
    shutil.copy(demo_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session, session.begin():
        for name, role in USERS.items():
            user = NewUser(name, name.title(), f"{name}@example.se", role, national=role == "admin")
            create_user(session, user, PASSWORD, PASSWORD, by="test")
    engine.dispose()
    return path


@pytest.fixture
def db(users_template, tmp_path, app_env, monkeypatch) -> Iterator[Engine]:
    """A fresh copy of the demo database with users; the app points at it."""
    path = tmp_path / "app.sqlite3"
    shutil.copy(users_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
    engine = make_engine(url)
    yield engine
    engine.dispose()


def _national_demo(tmp_path_factory, sqlite_template, name: str, kommuner) -> Path:
    import datetime as dt

    from db import demo

    path = tmp_path_factory.mktemp(name) / f"{name}.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    demo.load(engine, national=True, kommuner=kommuner, today=dt.date(2026, 11, 26))
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def two_partnerships(tmp_path_factory, sqlite_template) -> Path:
    """A migrated SQLite file with two kommuner of the national demo: Strängnäs and Eskilstuna
    (0484, invented promises), which share Lokalpolisområde Eskilstuna/Strängnäs."""
    return _national_demo(tmp_path_factory, sqlite_template, "two", ("0484",))


# Kommuner of the national demo with every shape of promise: Eskilstuna; Malmö's three parallel
# area promises; Uppsala's winter promise by half-year; Gotland's own named periods; Kiruna in
# Polisregion Nord.
FEW_KOMMUNER = ("0484", "1280", "0380", "0980", "2584")


@pytest.fixture(scope="session")
def few_kommuner(tmp_path_factory, sqlite_template) -> Path:
    """A migrated SQLite file with Strängnäs and ``FEW_KOMMUNER`` of the national demo."""
    return _national_demo(tmp_path_factory, sqlite_template, "few", FEW_KOMMUNER)


@pytest.fixture
def two_partnerships_env(two_partnerships, tmp_path, app_env, monkeypatch) -> None:
    """The app on a fresh copy of ``two_partnerships``."""
    path = tmp_path / "two.sqlite3"
    shutil.copy(two_partnerships, path)
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"sqlite:///{path}")


@pytest.fixture
def few_kommuner_env(few_kommuner, tmp_path, app_env, monkeypatch) -> None:
    """The app on a fresh copy of ``few_kommuner``."""
    path = tmp_path / "few.sqlite3"
    shutil.copy(few_kommuner, path)
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"sqlite:///{path}")
