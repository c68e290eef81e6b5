"""Import into promises of any shape (issue 11), on SQLite and PostgreSQL.

Rows land in the promise of their area (Område) and in the period they name (Period: T1, K2,
H1 or an own period's name; the old Tertial column still works); Ansvarig may name another
party of the promise. A period the promise does not have is a row-numbered error that lists
the promise's periods of that year, and nothing is written.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.admin import items, parties, promises
from dashboard.admin.items import FocusAreaFields
from dashboard.admin.promises import PromiseShape
from db.models import Activity, Evaluation, Period
from testsupport.databases import counts, run_service
from testsupport.files import csv_file, import_bytes, refused, row
from testsupport.promises import ADMIN, FIELDS


def with_place(place: str = "", **cells) -> dict:
    """A template row for ``place`` (Område; empty: the whole kommun)."""
    return {**row(**cells), "Område": place}


@pytest.fixture
def station(kommun):
    """Strängnäs: the whole kommun's 2026 promise and Resecentrum's, each with a focus area."""
    engine, partnership_id, whole_id = kommun
    area_promise, _ = run_service(
        engine, promises.create_promise, ADMIN, partnership_id=partnership_id,
        shape=PromiseShape.years(2026, area="Resecentrum"), fields=FIELDS,
    )  # fmt: skip
    for promise_id in (whole_id, area_promise.id):
        run_service(engine, items.add_focus_area, ADMIN, promise_id, FocusAreaFields("Unga"))
    return engine, partnership_id, whole_id, area_promise.id


def stored(engine) -> list[tuple]:
    """(promise, activity, year, period code, status) of every evaluation."""
    with Session(engine) as s:
        return s.execute(
            select(Activity.promise_id, Activity.title, Evaluation.year, Period.code,
                   Evaluation.status)
            .join(Evaluation, Evaluation.activity_id == Activity.id)
            .join(Period, Period.id == Evaluation.period_id)
            .order_by(Activity.promise_id, Evaluation.year, Period.number)
        ).all()  # fmt: skip


def test_rows_land_in_the_promise_of_their_area(station):
    engine, partnership_id, whole_id, station_id = station
    data = csv_file([
        with_place("Resecentrum", aktivitet="Kameror", tertial="T3", status="Pågår", klart=30),
        with_place("", aktivitet="Vandringar", tertial="T2", status="Genomförd"),
        with_place("resecentrum", aktivitet="Kameror", tertial="T1", status="Pågår", klart=10),
    ])  # fmt: skip
    summary = import_bytes(engine, partnership_id, data, "a.csv")
    assert (summary.activities_created, summary.evaluations_created) == (2, 3)
    assert stored(engine) == [
        (whole_id, "Vandringar", 2026, "T2", "genomford"),
        (station_id, "Kameror", 2026, "T1", "pagar"),
        (station_id, "Kameror", 2026, "T3", "pagar"),
    ]


def test_an_unknown_area_and_a_period_the_promise_lacks_are_refused(station):
    engine, partnership_id, *_ = station
    data = csv_file([
        with_place("Centrum", aktivitet="A"),
        with_place("Resecentrum", aktivitet="B", tertial="K3", status="Pågår", klart=10),
    ])  # fmt: skip
    assert refused(engine, partnership_id, data, "a.csv") == [
        (2, "Område", "Kommunen har inget löfte för området ”Centrum”. Kommunens områden: "
                      "Resecentrum."),
        (3, "Period", "Löftet har ingen period K3 2026; löftets perioder 2026: T1, T2, T3."),
    ]  # fmt: skip


@pytest.fixture
def half_years(november):
    engine, partnership_id, promise_id = november
    run_service(engine, items.add_focus_area, ADMIN, promise_id, FocusAreaFields("Unga"))
    return engine, partnership_id, promise_id


def test_a_november_to_march_promise_by_period_code(half_years):
    engine, partnership_id, promise_id = half_years
    data = csv_file([
        row(aktivitet="Vandringar", tertial="H2", status="Pågår", klart=20),
        row(ar=2027, aktivitet="Vandringar", tertial="h1", status="Genomförd"),
    ])  # fmt: skip
    summary = import_bytes(engine, partnership_id, data, "a.csv")
    assert (summary.activities_created, summary.evaluations_created) == (1, 2)
    assert stored(engine) == [
        (promise_id, "Vandringar", 2026, "H2", "pagar"),
        (promise_id, "Vandringar", 2027, "H1", "genomford"),
    ]
    before = counts(engine)
    again = import_bytes(engine, partnership_id, data, "a.csv")
    assert again.describe().startswith("Inget att ändra")
    assert counts(engine) == before
    wrong = csv_file(
        [
            row(aktivitet="Vandringar", tertial="K3", status="Pågår", klart=20),
            row(aktivitet="Vandringar", tertial="H1", status="Pågår", klart=20),
        ]
    )
    assert refused(engine, partnership_id, wrong, "a.csv") == [
        (2, "Period", "Löftet har ingen period K3 2026; löftets perioder 2026: H2."),
        (3, "Period", "Löftet har ingen period H1 2026; löftets perioder 2026: H2."),
    ]  # fmt: skip


def test_the_old_tertial_column_and_a_party_as_owner(kommun):
    engine, partnership_id, promise_id = kommun
    run_service(engine, items.add_focus_area, ADMIN, promise_id, FocusAreaFields("Unga"))
    run_service(engine, parties.add_party, ADMIN, promise_id, name="Fastighetsägarna Sörmland")
    old = row(aktivitet="Städdagar", ansvarig="fastighetsägarna sörmland", tertial="2",
              status="Pågår", klart=50)  # fmt: skip
    old["Tertial"] = old.pop("Period")
    del old["Område"]
    import_bytes(engine, partnership_id, csv_file([old]), "gammal.csv")
    with Session(engine) as s:
        activity = s.scalars(select(Activity)).one()
        assert activity.owner == "annan"
        assert activity.owner_organisation_id is not None
    assert stored(engine) == [(promise_id, "Städdagar", 2026, "T2", "pagar")]
    unknown = csv_file([row(aktivitet="Möten", ansvarig="Regionen")])
    [(row_no, column, message)] = refused(engine, partnership_id, unknown, "a.csv")
    assert (row_no, column) == (2, "Ansvarig")
    assert message == (
        "Okänd ansvarig ”Regionen”. Skriv Kommunen, Polisen, Gemensam eller en annan av "
        "löftets parter: Fastighetsägarna Sörmland."
    )


def test_own_periods_by_name(kommun):
    from db.periods import OwnPeriod

    engine, partnership_id, _ = kommun
    own = (OwnPeriod("Vintern", dt.date(2027, 1, 1), dt.date(2027, 2, 28)),)
    promise, _ = run_service(
        engine, promises.create_promise, ADMIN, partnership_id=partnership_id, fields=FIELDS,
        shape=PromiseShape(own[0].starts_on, own[0].ends_on, rhythm="egna", own_periods=own),
    )  # fmt: skip
    run_service(engine, items.add_focus_area, ADMIN, promise.id, FocusAreaFields("Unga"))
    data = csv_file([row(ar=2027, aktivitet="Snöröjning", tertial="vintern", status="Pågår",
                         klart=5)])  # fmt: skip
    import_bytes(engine, partnership_id, data, "a.csv")
    assert stored(engine) == [(promise.id, "Snöröjning", 2027, "Vintern", "pagar")]
