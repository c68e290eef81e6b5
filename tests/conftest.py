"""Shared fixtures: fresh migrated databases on SQLite and PostgreSQL, the demo, the app.

``engine`` is parametrized over both databases, so every data-layer test runs twice. The
PostgreSQL side uses the server testsupport/databases.py names (DASHBOARD_TEST_POSTGRES_URL,
else the local server CI uses); each test gets its own database, cloned from a migrated
template made once per test session. Where the server does not answer the PostgreSQL tests
skip, unless DASHBOARD_REQUIRE_POSTGRES=1 (set by .ci/run), where they fail instead.

Each test is marked with its layer, the folder it lives in (``unit``, ``data``, ``app``,
``browser``), and every test that reaches PostgreSQL with ``postgres``, so that
``-m "(unit or data) and not postgres"`` is the fast loop (``make test-fast``).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import bcrypt
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from db import make_engine, migrate
from testsupport.apptest import PASSWORD, TEST_COOKIE_KEY, USERS
from testsupport.databases import (
    FEW_KOMMUNER,
    POSTGRES_URL,
    postgres_admin,
    scratch_database,
    skip_postgres,
)

TESTS = Path(__file__).resolve().parent
LAYERS = ("unit", "data", "app", "browser")
# A test that asks for one of these (directly or through another fixture) reaches PostgreSQL.
POSTGRES_FIXTURES = {"postgres_template", "postgres_url"}


def pytest_configure(config) -> None:
    # Streamlit logs "missing ScriptRunContext" and "No runtime found" whenever a cache is made
    # or used outside an app run, as in every data test. pytest captures that in one process,
    # but pytest-xdist's workers (make test-fast) print it; there, only errors are logged.
    if os.environ.get("PYTEST_XDIST_WORKER"):
        import streamlit.config
        import streamlit.logger

        streamlit.config.set_option("logger.level", "error")  # parsing the config sets it too
        streamlit.logger.set_log_level("error")


def pytest_collection_modifyitems(items) -> None:
    """Mark every test with its layer (its folder under tests/) and, where it reaches
    PostgreSQL through a fixture, with ``postgres`` (``db_url``'s PostgreSQL half is marked
    where it is parametrized)."""
    for item in items:
        if item.path.is_relative_to(TESTS):
            layer = item.path.relative_to(TESTS).parts[0]
            if layer in LAYERS:
                item.add_marker(layer)
        if POSTGRES_FIXTURES.intersection(item.fixturenames):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session", autouse=True)
def _quick_bcrypt() -> Iterator[None]:
    """bcrypt at its lowest cost, 4, in the test process: a hash at the app's cost, 12, takes
    a quarter of a second, and the tests make and check a hundred. The hashes are still real
    bcrypt, checked by the same code; servers the browser tests start keep the app's cost."""
    real = bcrypt.gensalt
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bcrypt, "gensalt", lambda rounds=12, prefix=b"2b": real(4, prefix))
        yield


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


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[tuple[Engine, str] | None]:
    """A migrated template database on the test server, or None where there is none."""
    admin = postgres_admin(POSTGRES_URL)
    if admin is None:
        yield None
        return
    name = f"dash_tmpl_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with scratch_database(admin, name) as url:
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield admin, name
    admin.dispose()


@pytest.fixture
def postgres_url(postgres_template) -> Iterator[str]:
    """URL of a fresh migrated, empty PostgreSQL database for this test."""
    if postgres_template is None:
        skip_postgres(f"PostgreSQL on {make_url(POSTGRES_URL).host} does not answer")
    admin, template = postgres_template
    with scratch_database(admin, f"dash_{uuid.uuid4().hex[:12]}", template=template) as url:
        yield url


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
    """The demo database plus one user per role of testsupport.apptest.USERS (bcrypt is slow):
    the admin national, the others in Strängnäs (the demo's one partnership)."""
    from sqlalchemy.orm import Session

    from dashboard.admin.users import NewUser, create_user

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


@pytest.fixture(scope="session")
def few_kommuner(tmp_path_factory, sqlite_template) -> Path:
    """A migrated SQLite file with Strängnäs and ``FEW_KOMMUNER`` of the national demo
    (testsupport/databases.py)."""
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
