"""What a logged-in reader sees when login is required (issue 11), in AppTest.

With DASHBOARD_REQUIRE_LOGIN=1 the kommun choice offers only the partnerships the reader's
grants cover, and Region och riket shows only those; an address naming a kommun outside the
scope gives the short note and the default, never that kommun's data. Without login required
every visitor still sees every partnership (tests/test_kommun_choice.py, test_region.py).
The database is the two-partnership demo: Strängnäs and Eskilstuna, one police area.
"""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from dashboard.admin.scopes import NewUser, find_scope
from dashboard.admin.users import create_user
from db import make_engine
from tests.apptest_support import PASSWORD, log_in, start_app

pytestmark = pytest.mark.usefixtures("like_a_server")

READERS = {  # username → the scope of their läsare grant
    "lasse": {"kommun": "0486"},
    "erik": {"kommun": "0484"},  # Eskilstuna
    "lpo": {"police_area": "Lokalpolisområde Eskilstuna/Strängnäs"},
    "nina": None,  # the nation
    "utan": {"kommun": "0428"},  # Vingåker: no partnership
}


@pytest.fixture(scope="module")
def readers_template(two_partnerships, tmp_path_factory):
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
    path = tmp_path / "readers.sqlite3"
    shutil.copy(readers_template, path)
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")


def _as(username: str, page: str | None = None, **params: str) -> AppTest:
    at = start_app()
    for key, value in {"ar": "2021", "period": "3", **params}.items():
        at.query_params[key] = value
    log_in(at, username)
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _shown(at: AppTest) -> str:
    return " ".join(h.value for h in at.header) + " ".join(t.value for t in at.text)


def _pickers(at: AppTest) -> list:
    return [s for s in at.sidebar.selectbox if s.key == "valt_kommun"]


def _region_rows(at: AppTest) -> list[str]:
    table = next(d.value for d in at.dataframe if "Översikt" in d.value.columns)
    return table["Kommun"].to_list()


@pytest.mark.usefixtures("login_required")
def test_a_kommun_reader_sees_only_their_kommun_and_a_foreign_address_gets_the_default():
    at = _as("lasse")
    assert not _pickers(at)  # one partnership in scope: nothing to choose
    assert "Strängnäs" in _shown(at) and "Eskilstuna kommun" not in _shown(at)
    at = _as("erik", kommun="0486")
    assert any("kommun=0486 finns inte" in w.value for w in at.warning)
    assert "Eskilstuna kommun" in _shown(at) and "Strängnäs kommun" not in _shown(at)
    at.switch_page("pages/fokusomraden.py").run()
    assert "Strängnäs kommun" not in _shown(at)


@pytest.mark.usefixtures("login_required")
def test_a_national_reader_chooses_between_every_partnership():
    at = _as("nina", kommun="0484")
    [picker] = _pickers(at)
    assert picker.value == "0484" and len(picker.options) == 2
    at = _as("nina", "pages/region.py")
    assert sorted(_region_rows(at)) == ["Eskilstuna kommun", "Strängnäs kommun"]


@pytest.mark.usefixtures("login_required")
def test_region_och_riket_shows_only_what_the_scope_covers():
    at = _as("lpo", "pages/region.py")  # the police area covers both kommuner
    assert sorted(_region_rows(at)) == ["Eskilstuna kommun", "Strängnäs kommun"]
    assert at.selectbox(key="valt_region").options == ["Hela ditt område", "Polisregion Öst"]
    at = _as("erik", "pages/region.py", region="syd")
    assert any("region=syd finns inte" in w.value for w in at.warning)
    assert _region_rows(at) == ["Eskilstuna kommun"]
    assert next(m.value for m in at.metric) == "1 löfte"


@pytest.mark.usefixtures("login_required")
def test_a_reader_whose_scope_holds_no_promise_is_told_so():
    at = _as("utan")
    assert any("ingen behörighet för något medborgarlöfte" in i.value for i in at.info)
    assert "Strängnäs" not in _shown(at) and "Eskilstuna kommun" not in _shown(at)
