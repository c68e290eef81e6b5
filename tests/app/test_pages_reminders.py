"""AppTest (issue 14): Registrera shows the shown promise's missing evaluations of its last
ended period, by owner; Administration → Påminnelser lists the admin's whole scope with whom
the reminder goes to and whether it has."""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from dashboard import cache, reminders
from db.models import Activity, Evaluation, Partnership, Period, Promise, ReminderSent
from testsupport.apptest import (
    ADMIN_TABS,
    APP,
    TIMEOUT,
    headings,
    html_table,
    log_in,
    open_tab,
    start_app,
    texts,
)

pytestmark = pytest.mark.usefixtures("like_a_server")


@pytest.fixture
def missing(db) -> list[str]:
    """Two activities of Strängnäs' 2026 promise lose their evaluation of the promise's last
    ended period; returns the titles the service now finds missing there, by owner."""
    today = dt.date.today()
    with Session(db) as session:
        promise_id = session.scalar(
            select(Promise.id)
            .join(Partnership, Partnership.id == Promise.partnership_id)
            .where(Partnership.kommun_code == "0486", Promise.year_from <= 2026,
                   Promise.year_to >= 2026, Promise.area.is_(None))
        )  # fmt: skip
        period_id = session.scalar(
            select(Period.id)
            .where(Period.promise_id == promise_id, Period.ends_on < today)
            .order_by(Period.ends_on.desc())
            .limit(1)
        )
        two = session.scalars(
            select(Activity.id).where(Activity.promise_id == promise_id).order_by(Activity.id)
        ).all()[:2]
        session.execute(
            delete(Evaluation).where(Evaluation.period_id == period_id,
                                     Evaluation.activity_id.in_(two))
        )  # fmt: skip
        session.commit()
    cache.clear_data()
    with db.connect() as conn:
        rows = reminders.load_missing(conn, today, year=2026, promise="0486")
    assert rows.height >= 2
    return reminders.missing_table(rows)["Aktivitet"].to_list()


def _page(username: str, page: str, **params: str):
    at = log_in(start_app(), username)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_registrera_lists_the_missing_evaluations_by_owner(db, missing):
    at = _page("sam", "pages/registrera.py", kommun="0486", ar="2026")
    assert "Saknade utvärderingar" in headings(at)
    assert f"{len(missing)} aktiviteter saknar utvärdering för" in texts(at)
    table = html_table(at, "Dagar sedan")
    assert list(table.columns) == [
        "Ansvarig", "Aktivitet", "Fokusområde", "Period", "Slutade", "Dagar sedan",
    ]  # fmt: skip
    assert list(table["Aktivitet"]) == missing
    assert list(table["Ansvarig"]) == sorted(table["Ansvarig"])


def test_registrera_says_so_when_nothing_is_missing(db):
    at = _page("sam", "pages/registrera.py", kommun="0486", ar="2025")
    assert "Saknade utvärderingar" in headings(at)
    assert "Inga aktiviteter saknar utvärdering" in texts(at)


def test_the_admin_sees_the_scope_whom_the_reminder_goes_to_and_whether_it_has(db, missing):
    def overview():
        at = _page("ada", "pages/administration.py")
        assert "Påminnelser" in [t.label for t in at.tabs]
        open_tab(at, ADMIN_TABS, "Påminnelser")  # its content is drawn once opened
        return html_table(at, "Påminns")

    table = overview()
    assert set(table["Aktivitet"]) >= set(missing)
    assert set(table["Påminns"]) == {"Sam (sam@example.se)"}
    assert set(table["Påmind"]) == {"Nej"}
    # Once paminnelser has mailed Sam about them, the list says so.
    with db.connect() as conn:
        due = reminders.due_reminders(conn, dt.date.today(), days=0)
    with Session(db) as session, session.begin():
        for reminder in due:
            session.add(reminders.record(reminder, dt.datetime.now(dt.UTC)))
    assert due
    cache.clear_data()
    assert set(overview()["Påmind"]) == {"Ja"}
    with db.connect() as conn:
        assert conn.scalar(select(ReminderSent.recipient).limit(1)) == "sam@example.se"


def test_the_mails_link_opens_the_entry_page_on_that_period(db, missing):
    with db.connect() as conn:
        row = reminders.load_missing(conn, dt.date.today(), year=2026, promise="0486").row(
            0, named=True
        )
    link = reminders.entry_link("https://uppfoljning.example.se", row)
    params = dict(parse_qsl(urlsplit(link).query))
    assert urlsplit(link).path == "/registrera" and set(params) == {"kommun", "lofte", "ar",
                                                                     "period"}  # fmt: skip
    # A link opens a new session: the address is read before anything else is chosen.
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    log_in(at.run(), "sam").switch_page("pages/registrera.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.warning or all("finns inte" not in w.value for w in at.warning)
    assert at.selectbox(key="valt_ar").value == row["year"]
    assert at.get("segmented_control")[0].value == row["number"]
    assert row["activity_title"] in [str(o) for o in at.selectbox(key="entry_activity").options]
