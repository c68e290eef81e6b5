"""AppTest: login, lockout, the role × page × action matrix and the entry page's messages."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from dashboard import cache
from dashboard.access import Actor, NotPermitted
from dashboard.entry.evaluations import save_evaluation
from dashboard.entry.rules import EvaluationInput
from db.models import AppUser, AuditLog, Evaluation
from testsupport.apptest import (
    APP,
    ENTRY_PAGE,
    ENTRY_TABS,
    PASSWORD,
    TIMEOUT,
    Outage,
    entry_page,
    error_texts,
    form_key,
    headings,
    log_in,
    login_button,
    open_tab,
    start_app,
    text_input,
)

pytestmark = pytest.mark.usefixtures("like_a_server")


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (
            conn.scalar(select(func.count()).select_from(Evaluation)),
            conn.scalar(select(func.count()).select_from(AuditLog)),
        )


# ------------------------------------------------------------------ login


def test_login_good_shows_the_user_and_the_entry_page(db):
    at = log_in(start_app(), "sam")
    assert not at.exception
    assert any("Inloggad: Sam (samordnare)" in t.value for t in at.sidebar.text)
    assert any("Behörighet: samordnare i Strängnäs kommun" in t.value for t in at.sidebar.text)
    at.switch_page(ENTRY_PAGE).run()
    assert at.title[0].value == "Registrera utvärdering"
    assert not error_texts(at)


def _cookie_components(at: AppTest) -> list[str]:
    """The methods of the login library's cookie components drawn in the last run."""
    return [
        json.loads(c.proto.json_args)["method"]
        for c in at.get("component_instance")
        if c.proto.component_name.endswith("cookie_manager")
    ]


def test_the_cookie_component_is_drawn_only_to_set_and_to_delete_the_cookie(db):
    # It was drawn on every logged-in run to read the cookies (issue 15): an iframe and a rerun.
    at = start_app()
    at.button(key="login_open_button").click().run()
    assert _cookie_components(at) == []  # the open form writes nothing
    text_input(at, "Användarnamn").input("sam")
    text_input(at, "Lösenord").input(PASSWORD)
    login_button(at).click().run()
    assert _cookie_components(at) == ["set"]
    at.run()
    assert _cookie_components(at) == [] and any("Inloggad" in t.value for t in at.sidebar.text)
    at.switch_page(ENTRY_PAGE).run()
    assert _cookie_components(at) == []
    at.switch_page("pages/oversikt.py").run()
    at.button(key="logout_button").click().run()
    assert _cookie_components(at) == ["delete"]
    at.run()  # in a browser, the component's answer
    assert not any("Inloggad" in t.value for t in at.sidebar.text)


def test_the_login_library_still_makes_its_cookie_manager_where_it_is_replaced():
    # dashboard.auth gives streamlit-authenticator its CookieWriter through the name the
    # library's CookieModel calls; an upgrade that makes the manager elsewhere fails here.
    import inspect

    from streamlit_authenticator.models import cookie_model

    from dashboard import authenticator

    assert "stx.CookieManager()" in inspect.getsource(cookie_model.CookieModel.__init__)
    assert cookie_model.stx.CookieManager is authenticator.CookieWriter


def test_the_grid_is_drawn_once_its_tab_is_opened_and_the_form_stays(db):
    # The grid's canvas was the largest part of the page in the browser (issue 15).
    at = log_in(start_app(), "sam")
    at.switch_page(ENTRY_PAGE).run()

    def editors() -> list[str]:
        return [k for k in at.session_state if str(k).endswith(":editor")]

    assert form_key(at) and not editors()
    open_tab(at, ENTRY_TABS, "Hela perioden i en tabell")
    assert editors() and form_key(at)  # the form's tab, once opened, stays drawn
    assert "Historik" in headings(at)


def test_login_bad_password_says_so_and_counts_in_the_database(db):
    at = log_in(start_app(), "sam", "fel")
    assert "Fel användarnamn eller lösenord." in error_texts(at)
    with Session(db) as session:
        assert (
            session.scalar(select(AppUser.failed_login_count).where(AppUser.username == "sam")) == 1
        )


def test_five_failures_lock_the_username_with_the_same_message(db):
    at = start_app()
    for _ in range(5):
        log_in(at, "sam", "fel")
    at = log_in(at, "sam", PASSWORD)  # the right password, but locked now
    assert "Fel användarnamn eller lösenord." in error_texts(at)
    assert not any("Inloggad" in t.value for t in at.sidebar.text)
    with Session(db) as session:
        locked_until = session.scalar(select(AppUser.locked_until).where(AppUser.username == "sam"))
    assert locked_until is not None


def test_a_lock_from_the_database_refuses_and_its_end_lets_in(db):
    with Session(db) as session, session.begin():
        user = session.scalar(select(AppUser).where(AppUser.username == "sam"))
        user.locked_until = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)
    assert "Fel användarnamn eller lösenord." in error_texts(log_in(start_app(), "sam"))
    with Session(db) as session, session.begin():
        user = session.scalar(select(AppUser).where(AppUser.username == "sam"))
        user.locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    at = log_in(start_app(), "sam")
    assert any("Inloggad" in t.value for t in at.sidebar.text)


# ------------------------------------------------------------------ role × page × action


def _fill(at: AppTest, *, status=None, completion=None, comment=None) -> str:
    key = form_key(at)
    if status is not None:
        at.selectbox(key=f"{key}:status").set_value(status)
    if completion is not None:
        at.number_input(key=f"{key}:completion").set_value(completion)
    if comment is not None:
        at.text_area(key=f"{key}:comment").input(comment)
    next(b for b in at.button if b.label == "Spara").click().run()
    return key


@pytest.mark.parametrize("username", [None, "lasse"], ids=["logged-out", "lasare"])
def test_the_entry_page_is_absent_for_readers_and_the_logged_out(db, username):
    at = start_app() if username is None else log_in(start_app(), username)
    assert not at.exception
    with pytest.raises(ValueError, match="registered"):
        at.switch_page(ENTRY_PAGE)
    with pytest.raises(NotPermitted):  # and no other route writes either
        save_evaluation(
            db, None if username is None else Actor.of(username, ["lasare"]), _any_entry(db)
        )


def test_the_entry_page_itself_refuses_a_reader_who_reaches_it(db):
    at = AppTest.from_file(str(APP.parent / ENTRY_PAGE), default_timeout=TIMEOUT)
    at.session_state["current_user"] = Actor.of("lasse", ["lasare"])
    at.run()
    assert "Logga in som samordnare eller administratör" in error_texts(at)[0]
    assert not at.get("form")


@pytest.mark.parametrize("username", ["sam", "ada"])
def test_coordinators_and_admins_save_with_an_audit_row(db, username):
    before = _counts(db)
    at = entry_page(username)
    _fill(at, status="pagar", completion=35, comment="Två möten av fyra genomförda.")
    assert not at.exception
    assert any("Sparat: 1 utvärdering." in s.value for s in at.success)
    _, audits = _counts(db)
    assert audits == before[1] + 1
    with Session(db) as session:
        entry = session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert (entry.username, entry.table_name) == (username, "evaluation")
    assert (
        entry.after["completion"] == 35
        and entry.after["comment"] == "Två möten av fyra genomförda."
    )


def test_a_role_taken_away_in_the_database_stops_the_next_save(db):
    at = entry_page("sam")
    with Session(db) as session, session.begin():
        session.scalar(select(AppUser).where(AppUser.username == "sam")).grants[0].role = "lasare"
    before = _counts(db)
    _fill(at, status="pagar", completion=10)
    assert _counts(db) == before
    with pytest.raises(ValueError):
        at.switch_page(ENTRY_PAGE)  # the next run built the page list without it


# ------------------------------------------------------------------ bad input


BAD_INPUT = [
    ({"status": "forsenad", "comment": ""}, "krävs när statusen är Försenad"),
    ({"status": "ej_genomford", "comment": ""}, "krävs när statusen är Ej genomförd"),
    ({"status": "genomford", "completion": 60}, "Genomförd betyder att aktiviteten är klar"),
    ({"status": "pagar", "comment": "x" * 2001}, "Korta den med 1 tecken"),
]


@pytest.mark.parametrize(("fields", "message"), BAD_INPUT)
def test_bad_input_gets_its_message_and_keeps_what_was_typed(db, fields, message):
    at = entry_page("sam")
    before = _counts(db)
    key = _fill(at, **fields)
    assert any(message in e for e in error_texts(at)), error_texts(at)
    assert any("det du skrev finns kvar" in e for e in error_texts(at))
    assert _counts(db) == before  # a refused save writes nothing, no audit row either
    for name, value in fields.items():
        widget = {"status": at.selectbox, "completion": at.number_input, "comment": at.text_area}[
            name
        ]
        assert widget(key=f"{key}:{name}").value == value


def test_a_conflict_shows_both_and_overwriting_keeps_mine(db):
    at = entry_page("sam")
    key = form_key(at)
    activity, year, tertial = int(key.split(":")[3]), int(key.split(":")[1]), int(key.split(":")[2])
    # Someone else saves the same evaluation after this form was loaded.
    with Session(db) as session:
        version = session.scalar(
            select(Evaluation.version).where(
                Evaluation.activity_id == activity,
                Evaluation.year == year,
                Evaluation.period_no == tertial,
            )
        )
    save_evaluation(
        db,
        Actor.of("ada", ["admin"]),
        EvaluationInput(
            activity,
            year,
            tertial,
            "forsenad",
            20,
            comment="Deras kommentar",
            expected_version=version,
        ),
    )
    _fill(at, status="pagar", completion=55, comment="Min kommentar")
    assert any("Någon annan har sparat" in w.value for w in at.warning)
    shown = next(d.value for d in at.dataframe if "Sparat värde" in d.value.columns)
    assert "Deras kommentar" in str(shown["Sparat värde"].to_list())
    assert "Min kommentar" in str(shown["Ditt värde"].to_list())
    assert at.text_area(key=f"{key}:comment").value == "Min kommentar"
    at.button(key=f"{key}:overwrite").click().run()
    with Session(db) as session:
        stored = session.scalar(
            select(Evaluation).where(
                Evaluation.activity_id == activity,
                Evaluation.year == year,
                Evaluation.period_no == tertial,
            )
        )
    assert (stored.comment, stored.completion) == ("Min kommentar", 55)


def test_a_locked_database_at_save_time_keeps_the_form_and_a_retry_succeeds(db):
    at = entry_page("sam")
    # The app's own engine (shared by its sessions): wait 0.1 s for a lock instead of 5 s.
    app_engine = cache.engine(str(db.url))
    event.listen(app_engine, "connect", lambda conn, _: conn.execute("PRAGMA busy_timeout=100"))
    app_engine.dispose()
    blocker = sqlite3.connect(db.url.database, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the database
    key = _fill(at, status="pagar", completion=45, comment="Sparas efter låset")
    assert any("Databasen är upptagen" in e for e in error_texts(at)), error_texts(at)
    assert at.text_area(key=f"{key}:comment").value == "Sparas efter låset"
    assert at.number_input(key=f"{key}:completion").value == 45
    blocker.execute("ROLLBACK")
    blocker.close()
    next(b for b in at.button if b.label == "Spara").click().run()
    assert any("Sparat: 1 utvärdering." in s.value for s in at.success)


def _any_entry(engine) -> EvaluationInput:
    with Session(engine) as session:
        activity = session.scalar(select(Evaluation.activity_id).limit(1))
    return EvaluationInput(activity, 2026, 3, "pagar", 10)


# ------------------------------------------------------------------ settings at the gate


def test_with_login_required_nothing_shows_before_login(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_REQUIRE_LOGIN", "1")
    at = start_app()
    assert not at.exception
    assert [t.value for t in at.title] == []  # no page ran
    assert text_input(at, "Användarnamn") is not None and not at.sidebar.text_input
    text_input(at, "Användarnamn").input("lasse")
    text_input(at, "Lösenord").input(PASSWORD)
    login_button(at).click().run()
    at.run()
    assert [t.value for t in at.title] == ["Översikt"]


@pytest.mark.parametrize(
    "key", ["", "kort-nyckel", "byt-mot-en-lang-slumpmassig-nyckel-pa-minst-32-tecken"]
)
def test_outside_demo_mode_a_weak_cookie_key_stops_the_app_with_instructions(db, monkeypatch, key):
    monkeypatch.setenv("DASHBOARD_DEMO_MODE", "0")
    monkeypatch.setenv("DASHBOARD_COOKIE_KEY", key)
    at = start_app()
    assert "Appen kan inte starta" in error_texts(at)[0]
    assert "secrets.token_urlsafe(48)" in error_texts(at)[0]
    assert [t.value for t in at.title] == []


# -------------------------------------------------------- the database goes away (issue 10)

UNREACHABLE = "postgresql+psycopg://nobody:hemligt@127.0.0.1:9/ingen?connect_timeout=1"


def _page_text(at: AppTest) -> str:
    """Every string the run put on screen (main area and sidebar)."""
    parts = []
    for kind in ("error", "warning", "info", "text", "markdown", "caption", "title", "header"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [e.label + " " + " ".join(t.value for t in e.text) for e in at.expander]
    return "\n".join(parts)


@pytest.mark.parametrize("grid_drawn", [True, False], ids=["grid-drawn", "grid-never-opened"])
def test_the_database_gone_when_spara_is_pressed_keeps_what_was_typed(db, grid_drawn):
    # The form must not lean on the grid's rows: its tab is drawn only once opened (issue 15).
    if grid_drawn:
        at = entry_page("sam")
    else:
        at = log_in(start_app(), "sam")
        at.switch_page(ENTRY_PAGE).run()
    outage = Outage(str(db.url))
    key = form_key(at)
    outage.stop()
    _fill(at, status="pagar", completion=65, comment="Skrivet när databasen var borta")
    assert not at.exception
    assert any("Databasen går inte att nå just nu" in e for e in error_texts(at)), error_texts(at)
    assert any("Databasen svarar inte just nu" in w.value for w in at.warning)
    assert at.text_area(key=f"{key}:comment").value == "Skrivet när databasen var borta"
    assert at.number_input(key=f"{key}:completion").value == 65
    assert at.selectbox(key=f"{key}:status").value == "pagar"
    at.run()  # any further run while it is down keeps it too
    assert at.text_area(key=f"{key}:comment").value == "Skrivet när databasen var borta"
    outage.start()
    next(b for b in at.button if b.label == "Spara").click().run()
    assert any("Sparat: 1 utvärdering." in s.value for s in at.success), error_texts(at)
    with Session(db) as session:
        stored = session.scalar(
            select(Evaluation.comment).where(Evaluation.comment.like("Skrivet när%"))
        )
    assert stored == "Skrivet när databasen var borta"


def test_the_database_gone_keeps_the_grid_edits(db):
    at = entry_page("sam")
    outage = Outage(str(db.url))
    grid = next(k for k in at.session_state if str(k).endswith(":editor"))
    outage.stop()
    # What the browser's grid sends when a cell is edited, then Spara tabellen.
    at.session_state[grid] = {"edited_rows": {0: {"Kommentar": "Tabellrad utan databas"}}}
    next(b for b in at.button if b.label == "Spara tabellen").click().run()
    assert not at.exception
    assert any("Databasen går inte att nå just nu" in e for e in error_texts(at)), error_texts(at)
    assert at.session_state[grid]["edited_rows"] == {0: {"Kommentar": "Tabellrad utan databas"}}
    outage.start()
    next(b for b in at.button if b.label == "Spara tabellen").click().run()
    assert any("Sparat: 1 utvärdering." in s.value for s in at.success), error_texts(at)
    with Session(db) as session:
        assert session.scalar(
            select(func.count()).where(Evaluation.comment == "Tabellrad utan databas")
        )


def test_a_visitor_learns_nothing_about_the_server_when_it_is_down(db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", UNREACHABLE)
    at = start_app()
    shown = _page_text(at)
    assert "Databasen går inte att nå just nu" in shown
    for secret in ("127.0.0.1", "nobody", "ingen", "psycopg", "connection", "DASHBOARD_", "9"):
        assert secret not in shown, secret
    assert not at.expander


def test_a_logged_in_admin_sees_the_technical_detail(db):
    at = log_in(start_app(), "ada")
    Outage(str(db.url)).stop()
    at.run()
    assert "Databasen går inte att nå just nu" in _page_text(at)
    detail = [e for e in at.expander if "Teknisk information" in e.label]
    assert detail and "unable to open database file" in " ".join(t.value for t in detail[0].text)


def test_a_logged_in_reader_sees_no_technical_detail(db):
    at = log_in(start_app(), "lasse")
    Outage(str(db.url)).stop()
    at.run()
    assert "Databasen går inte att nå just nu" in _page_text(at)
    assert "unable to open" not in _page_text(at)
    assert not any("Teknisk" in e.label for e in at.expander)
