"""Fixtures more than one AppTest module uses: the readers of the two-partnership demo, with
login required (tests/app/test_read_scope.py, test_region_indicators.py)."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy.orm import Session

from dashboard.admin.scopes import NewUser, find_scope
from dashboard.admin.users import create_user
from db import make_engine
from testsupport.apptest import PASSWORD

READERS = {  # username → the scope of their läsare grant
    "lasse": {"kommun": "0486"},
    "erik": {"kommun": "0484"},  # Eskilstuna
    "lpo": {"police_area": "Lokalpolisområde Eskilstuna/Strängnäs"},
    "nina": None,  # the nation
    "utan": {"kommun": "0428"},  # Vingåker: no partnership
}


@pytest.fixture(scope="module")
def readers_template(two_partnerships, tmp_path_factory):
    """The two-partnership demo with one läsare per scope of ``READERS``."""
    path = tmp_path_factory.mktemp("readers") / "readers.sqlite3"
    shutil.copy(two_partnerships, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session, session.begin():
        for name, scope in READERS.items():
            org = find_scope(session, **scope) if scope else None
            user = NewUser(name, name.title(), "", "lasare", org, national=scope is None)
            create_user(session, user, PASSWORD, PASSWORD, by="test")
    engine.dispose()
    return path


@pytest.fixture
def login_required(readers_template, tmp_path, app_env, monkeypatch):
    """The app on a fresh copy of ``readers_template``, with login required."""
    path = tmp_path / "readers.sqlite3"
    shutil.copy(readers_template, path)
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
