"""AppTest: Administration sets up promises of any shape (issue 11), then a coordinator saves.

On the demo (Strängnäs, whose 2026 promise is for the whole kommun): (a) a promise for
Resecentrum for the same year, and the same area once more refused next to the validity;
(b) a promise from 18 November 2026 to 31 March 2027 followed up by half-year, for the area
Centrum; (c) four parties, one of which carries out an activity; own periods typed in the
table. Each promise's evaluation is saved through the save service and read back.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.access import Actor
from dashboard.entry.evaluations import save_evaluations
from dashboard.entry.rules import EvaluationInput
from db.models import Activity, AuditLog, Evaluation, Organisation, Promise, PromiseParty
from testsupport.apptest import (
    admin_page,
    click,
    edit_promise,
    html_table,
    messages,
    open_new_promise,
    whole_kommun_promise,
)

pytestmark = pytest.mark.usefixtures("like_a_server")


def new_promise(at, *, area: str = "", rhythm: str = "tertial", dates=None, year=None):
    """Open Nytt löfte, fill it in (without copying) and press Skapa löfte."""
    open_new_promise(at)
    at.selectbox(key="new_promise:rhythm").set_value(rhythm)
    if dates:
        at.radio(key="new_promise:span").set_value("dates").run()
        at.date_input(key="new_promise:valid_from").set_value(dates[0])
        at.date_input(key="new_promise:valid_to").set_value(dates[1])
    else:
        at.run()
        at.number_input(key="new_promise:year").set_value(year)
    at.text_input(key="new_promise:area").input(area)
    at.checkbox(key="new_promise:copy").uncheck()
    return click(at, "Skapa löfte")


def add_activity(at, db, promise_id: int, owner: str = "gemensam") -> int:
    """A focus area and an activity in the promise through the items tab; the activity id."""
    at.selectbox(key="items_promise").set_value(promise_id).run()
    key = f"area:{promise_id}:0"
    at.text_input(key=f"{key}:name").input("Trygghet")
    at.text_input(key=f"{key}:theme").input("trygghet_offentlig_miljo")
    click(at, "Lägg till fokusområde")
    key = f"activity:{promise_id}:0"
    at.text_input(key=f"{key}:title").input("Trygghetsvandringar")
    at.selectbox(key=f"{key}:owner").set_value(owner)
    click(at, "Lägg till aktivitet")
    assert not messages(at)[1], messages(at)
    with Session(db) as s:
        return s.scalar(select(func.max(Activity.id)).where(Activity.promise_id == promise_id))


def evaluate(db, activity_id: int, year: int, number: int) -> Evaluation:
    entry = EvaluationInput(activity_id, year, number, "pagar", 30, comment="Påbörjat.")
    [outcome] = save_evaluations(db, Actor.of("sam", ["samordnare"]), [entry])
    with Session(db) as s:
        return s.get(Evaluation, outcome.evaluation_id)


def test_an_area_promise_for_the_same_year_then_the_same_area_refused(db):
    at = admin_page()
    new_promise(at, area="Resecentrum", year=2026)
    assert messages(at) == (["Löftet för Resecentrum 2026 är skapat."], [])
    with Session(db) as s:
        promise = s.scalars(select(Promise).where(Promise.area == "Resecentrum")).one()
        assert (promise.year_from, promise.rhythm) == (2026, "tertial")
    table = html_table(at, "Giltighet")  # every promise of the kommun, area and validity
    assert table.filter(Giltighet="2026")["Område"].to_list() == ["Hela kommunen", "Resecentrum"]
    assert at.selectbox(key="edit_promise").value == promise.id
    assert any("2026 · Resecentrum – " in o for o in at.selectbox(key="edit_promise").options)

    new_promise(at, area="Resecentrum", year=2026)
    [], [error] = messages(at)
    assert error.startswith("Det finns redan ett löfte för Resecentrum för 2026")
    assert at.session_state["admin_errors"]["field"] == "year"  # drawn below the validity

    activity_id = add_activity(at, db, promise.id)
    stored = evaluate(db, activity_id, 2026, 3)
    assert (stored.year, stored.period_no, stored.completion) == (2026, 3, 30)


def test_a_promise_from_18_november_to_31_march_by_half_year(db):
    at = admin_page()
    new_promise(
        at, area="Centrum", rhythm="halvar", dates=(dt.date(2026, 11, 18), dt.date(2027, 3, 31))
    )
    assert messages(at) == (["Löftet för Centrum 18 november 2026–31 mars 2027 är skapat."], [])
    with Session(db) as s:
        promise = s.scalars(select(Promise).where(Promise.area == "Centrum")).one()
        assert [(p.year, p.number, p.name) for p in promise.periods] == [
            (2026, 2, "H2 18 nov–31 dec"), (2027, 1, "H1 1 jan–31 mar"),
        ]  # fmt: skip
        promise_id = promise.id
    activity_id = add_activity(at, db, promise_id)
    assert evaluate(db, activity_id, 2026, 2).period_no == 2
    assert evaluate(db, activity_id, 2027, 1).year == 2027

    # Moving the start past December would drop H2, which has an evaluation: refused.
    key = f"promise:{promise_id}"
    at.selectbox(key="edit_promise").set_value(promise_id).run()
    at.date_input(key=f"{key}:valid_from").set_value(dt.date(2027, 1, 1))
    click(at, "Spara ändringar")
    [], [error] = messages(at)
    assert error.startswith("Ändringen skulle ta bort perioder som redan har utvärderingar: H2")
    assert at.session_state["admin_errors"]["field"] == "periods"
    with Session(db) as s:
        assert s.get(Promise, promise_id).valid_from == dt.date(2026, 11, 18)


def test_four_parties_and_an_activity_of_another_party(db):
    at = admin_page()
    promise_id = edit_promise(at, whole_kommun_promise(db))  # 2026, the whole kommun
    for name in ("Fastighetsägarna Sörmland", "Strängnäs Centrumförening"):
        at.text_input(key="party_add:name").input(name)
        click(at, "Lägg till part")
        assert messages(at) == ([f"{name} är nu part i löftet."], [])
    parties = html_table(at, "Part")
    assert parties["Part"].to_list() == [
        "Strängnäs", "Lokalpolisområde Eskilstuna/Strängnäs", "Fastighetsägarna Sörmland",
        "Strängnäs Centrumförening",
    ]  # fmt: skip
    with Session(db) as s:
        owner = s.scalar(
            select(Organisation).where(Organisation.name == "Strängnäs Centrumförening")
        )
        assert (owner.kind, owner.source) == ("annan", "exempel")  # the demo is on
        owner_id = owner.id
        assert s.scalar(
            select(AuditLog.id).where(AuditLog.table_name == "promise_party",
                                      AuditLog.action == "insert")
        )  # fmt: skip

    activity_id = add_activity(at, db, promise_id, owner=f"annan:{owner_id}")
    with Session(db) as s:
        assert s.get(Activity, activity_id).owner_organisation_id == owner_id
    stored = evaluate(db, activity_id, 2026, 3)
    assert (stored.activity_id, stored.period_no) == (activity_id, 3)

    click(at, "Ta bort Strängnäs Centrumförening som part")  # it carries out an activity
    assert messages(at)[1][0].startswith("Strängnäs Centrumförening är ansvarig för")
    click(at, "Ta bort Fastighetsägarna Sörmland som part")
    assert messages(at)[0] == ["Fastighetsägarna Sörmland är inte längre part i löftet."]
    with Session(db) as s:
        left = s.scalars(select(PromiseParty.role).where(PromiseParty.promise_id == promise_id))
        assert sorted(left) == ["annan", "kommun", "polis"]


def test_own_periods_typed_in_the_table(db):
    at = open_new_promise(admin_page())
    at.selectbox(key="new_promise:rhythm").set_value("egna")
    at.radio(key="new_promise:span").set_value("dates").run()
    at.date_input(key="new_promise:valid_from").set_value(dt.date(2027, 1, 1))
    at.date_input(key="new_promise:valid_to").set_value(dt.date(2027, 5, 31))
    at.text_input(key="new_promise:area").input("Hamnen")
    at.checkbox(key="new_promise:copy").uncheck()
    # What the browser's table sends when two rows are typed in.
    at.session_state["new_promise:own"] = {
        "edited_rows": {}, "deleted_rows": [],
        "added_rows": [
            {"Namn": "Vintern", "Från": "2027-01-01", "Till": "2027-02-28"},
            {"Namn": "Våren", "Från": "2027-03-01", "Till": "2027-05-31"},
        ],
    }  # fmt: skip
    click(at, "Skapa löfte")
    assert not messages(at)[1], messages(at)
    with Session(db) as s:
        promise = s.scalars(select(Promise).where(Promise.area == "Hamnen")).one()
        assert [(p.number, p.name) for p in promise.periods] == [(1, "Vintern"), (2, "Våren")]
