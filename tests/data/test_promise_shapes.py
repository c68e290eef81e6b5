"""Promises of any shape through the administration services (issue 11), SQLite and PostgreSQL.

An admin sets up (a) a promise for a named area, Resecentrum, in a kommun that already has one
for the whole kommun the same year, (b) a promise from 18 November 2026 to 31 March 2027
followed up by half-year, (c) a promise with four parties, and one with its own periods; a
coordinator's evaluation of each is saved through the entry page's save service and read back.
Refusals (the same area overlapping, a period with evaluations dropped, a party that owns
activities removed) write nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.admin import items, parties, promises
from dashboard.admin.items import ActivityFields, AdminError, FocusAreaFields
from dashboard.admin.promises import PromiseFields, PromiseShape
from dashboard.entry.evaluations import InvalidEvaluation, save_evaluations
from dashboard.entry.rules import EvaluationInput
from db.models import AuditLog, Evaluation, Organisation, Promise, PromiseParty
from db.periods import OwnPeriod
from testsupport.databases import counts, run_service
from testsupport.promises import ADMIN, COORDINATOR, FIELDS


def first_activity(engine, promise_id: int, **activity) -> int:
    """A focus area and an activity in the promise, through the services; the activity's id."""
    area = run_service(engine, items.add_focus_area, ADMIN, promise_id, FocusAreaFields("Trygghet"))
    fields = ActivityFields(area.id, "Trygghetsvandringar", **activity)
    return run_service(engine, items.add_activity, ADMIN, fields).id


def evaluate(engine, activity_id: int, year: int, number: int, **values) -> Evaluation:
    """Save a coordinator's evaluation of period ``number`` of ``year`` and read it back."""
    values = {"status": "pagar", "completion": 40, "comment": "På väg.", **values}
    entry = EvaluationInput(activity_id, year, tertial=number, **values)
    [outcome] = save_evaluations(engine, COORDINATOR, [entry])
    assert outcome.action == "insert"
    with Session(engine) as s:
        return s.get(Evaluation, outcome.evaluation_id)


def periods_of(engine, promise_id: int) -> list[tuple]:
    with Session(engine) as s:
        promise = s.get(Promise, promise_id)
        return [(p.year, p.number, p.code, p.name) for p in promise.periods]


# ---------------------------------------------------------------- (a) a named area


def test_an_area_promise_beside_the_whole_kommuns_and_its_evaluation(kommun):
    engine, partnership_id, whole_id = kommun
    shape = PromiseShape.years(2026, area="  Resecentrum ")
    area_promise, _ = run_service(
        engine, promises.create_promise, ADMIN, partnership_id=partnership_id, shape=shape,
        fields=PromiseFields("Tryggt resecentrum"),
    )  # fmt: skip
    assert (area_promise.area, area_promise.year_from, area_promise.rhythm) == (
        "Resecentrum", 2026, "tertial")  # fmt: skip
    assert [code for _, _, code, _ in periods_of(engine, area_promise.id)] == ["T1", "T2", "T3"]
    activity_id = first_activity(engine, area_promise.id)
    stored = evaluate(engine, activity_id, 2026, 3, completion=55)
    assert (stored.year, stored.period_no, stored.completion) == (2026, 3, 55)
    with Session(engine) as s:
        # the whole kommun's promise is still the year's promise for the whole kommun
        assert promises.promise_for_year(s, partnership_id, 2026).id == whole_id


def test_the_same_area_overlapping_is_refused_next_to_the_validity(kommun):
    engine, partnership_id, _ = kommun
    shape = PromiseShape.years(2026, area="Resecentrum")
    run_service(engine, promises.create_promise, ADMIN, partnership_id=partnership_id, shape=shape,
        fields=FIELDS)  # fmt: skip
    before = counts(engine)
    overlapping = PromiseShape(dt.date(2026, 6, 1), dt.date(2027, 5, 31), area="Resecentrum")
    with pytest.raises(AdminError, match="Det finns redan ett löfte för Resecentrum för 2026") as e:
        run_service(engine, promises.create_promise, ADMIN, partnership_id=partnership_id,
            shape=overlapping, fields=FIELDS)  # fmt: skip
    assert e.value.field == "year"
    assert counts(engine) == before


def test_copying_takes_the_previous_promise_of_the_same_area(kommun):
    engine, partnership_id, whole_id = kommun
    first_activity(engine, whole_id, lineage_key="hela")
    station, _ = run_service(
        engine, promises.create_promise, ADMIN, partnership_id=partnership_id,
        shape=PromiseShape.years(2026, area="Resecentrum"), fields=FIELDS,
    )  # fmt: skip
    first_activity(engine, station.id, lineage_key="station")
    copy, summary = run_service(
        engine, promises.create_promise, ADMIN, partnership_id=partnership_id,
        shape=PromiseShape.years(2027, area="Resecentrum"), fields=FIELDS, copy_previous=True,
    )  # fmt: skip
    assert (summary.focus_areas, summary.activities) == (1, 1)
    with Session(engine) as s:
        assert [a.lineage_key for a in s.get(Promise, copy.id).activities] == ["station"]
    with pytest.raises(AdminError, match="inget löfte för Centrum för 2026 att kopiera"):
        run_service(
            engine,
            promises.create_promise,
            ADMIN,
            partnership_id=partnership_id,
            shape=PromiseShape.years(2027, area="Centrum"),
            fields=FIELDS,
            copy_previous=True,
        )


# ---------------------------------------------------------------- (b) 18 November to 31 March


def test_a_promise_from_18_november_to_31_march_by_half_year(november):
    engine, _, promise_id = november
    assert periods_of(engine, promise_id) == [
        (2026, 2, "H2", "H2 18 nov–31 dec"),
        (2027, 1, "H1", "H1 1 jan–31 mar"),
    ]
    with Session(engine) as s:
        promise = s.get(Promise, promise_id)
        assert (promise.year_from, promise.year_to) == (2026, 2027)
    activity_id = first_activity(engine, promise_id)
    december = evaluate(engine, activity_id, 2026, 2, completion=20)
    march = evaluate(engine, activity_id, 2027, 1, status="genomford", completion=100)
    assert (december.year, december.period_no, december.completion) == (2026, 2, 20)
    assert (march.year, march.period_no, march.status) == (2027, 1, "genomford")
    with pytest.raises(InvalidEvaluation) as refused:
        evaluate(engine, activity_id, 2026, 1)  # H1 2026 is before the promise
    assert "ingen sådan uppföljningsperiod 2026" in refused.value.errors[activity_id]["period"]


def test_changing_the_dates_keeps_evaluated_periods_or_is_refused(november):
    engine, _, promise_id = november
    activity_id = first_activity(engine, promise_id)
    evaluate(engine, activity_id, 2026, 2)
    longer = PromiseShape(dt.date(2026, 11, 18), dt.date(2027, 6, 30), rhythm="halvar")
    run_service(engine, promises.update_promise, ADMIN, promise_id, FIELDS, longer)
    assert [name for *_, name in periods_of(engine, promise_id)] == [
        "H2 18 nov–31 dec", "H1 jan–jun",
    ]  # fmt: skip
    with Session(engine) as s:
        [entry] = s.scalars(select(AuditLog).where(AuditLog.action == "update")).all()
        assert entry.before["valid_to"] == "2027-03-31"
        assert entry.after["periods"][-1]["name"] == "H1 jan–jun"
    before = counts(engine)
    later = PromiseShape(dt.date(2027, 1, 1), dt.date(2027, 6, 30), rhythm="halvar")
    with pytest.raises(AdminError, match="redan har utvärderingar: H2 18 nov–31 dec") as e:
        run_service(engine, promises.update_promise, ADMIN, promise_id, FIELDS, later)
    assert e.value.field == "periods"
    assert counts(engine) == before


# ---------------------------------------------------------------- (c) four parties


def test_a_promise_with_four_parties_and_an_activity_of_another_party(kommun):
    engine, _, promise_id = kommun
    with Session(engine) as s, s.begin():
        s.add(Organisation(kind="annan", name="Region Sörmland", source="verklig"))
    with Session(engine) as s:
        region = s.scalar(select(Organisation.id).where(Organisation.name == "Region Sörmland"))
    run_service(engine, parties.add_party, ADMIN, promise_id, organisation_id=region)
    owners = run_service(
        engine, parties.add_party, ADMIN, promise_id, name=" Fastighetsägarna  Sörmland"
    )
    with pytest.raises(AdminError, match="Region Sörmland är redan part i löftet"):
        run_service(engine, parties.add_party, ADMIN, promise_id, name="region sörmland")
    with Session(engine) as s:
        rows = s.execute(
            select(Organisation.name, PromiseParty.role)
            .join(PromiseParty, PromiseParty.organisation_id == Organisation.id)
            .where(PromiseParty.promise_id == promise_id)
            .order_by(PromiseParty.sort_order)
        ).all()
        new = s.get(Organisation, owners.organisation_id)
        assert (new.kind, new.source) == ("annan", "verklig")
    assert rows == [
        ("Strängnäs", "kommun"),
        ("Lokalpolisområde Eskilstuna/Strängnäs", "polis"),
        ("Region Sörmland", "annan"),
        ("Fastighetsägarna Sörmland", "annan"),
    ]
    activity_id = first_activity(
        engine, promise_id, owner="annan", owner_organisation_id=owners.organisation_id
    )
    stored = evaluate(engine, activity_id, 2026, 3, completion=70)
    assert (stored.period_no, stored.completion) == (3, 70)

    before = counts(engine)
    for organisation_id, message in (
        (owners.organisation_id, "ansvarig för Trygghetsvandringar"),
        (_id(engine, "Strängnäs"), "kan inte tas bort"),
    ):
        with pytest.raises(AdminError, match=message):
            run_service(engine, parties.remove_party, ADMIN, promise_id, organisation_id)
    assert counts(engine) == before
    run_service(engine, parties.remove_party, ADMIN, promise_id, region)
    with Session(engine) as s:
        trail = [
            (a.table_name, a.action)
            for a in s.scalars(select(AuditLog).order_by(AuditLog.id))
            if a.table_name in ("promise_party", "organisation")
        ]
    assert trail == [
        ("promise_party", "insert"), ("organisation", "insert"), ("promise_party", "insert"),
        ("promise_party", "delete"),
    ]  # fmt: skip


def _id(engine, name: str) -> int:
    with Session(engine) as s:
        return s.scalar(select(Organisation.id).where(Organisation.name == name))


@pytest.mark.parametrize(
    ("owner_organisation_id", "message"),
    [(None, "Välj vilken av löftets parter"), ("police", "inte en av löftets parter")],
)
def test_an_activity_of_another_party_needs_an_added_party(kommun, owner_organisation_id, message):
    engine, _, promise_id = kommun
    area = run_service(engine, items.add_focus_area, ADMIN, promise_id, FocusAreaFields("Trygghet"))
    if owner_organisation_id == "police":
        owner_organisation_id = _id(engine, "Lokalpolisområde Eskilstuna/Strängnäs")
    before = counts(engine)
    fields = ActivityFields(
        area.id, "X", owner="annan", owner_organisation_id=owner_organisation_id
    )
    with pytest.raises(AdminError, match=message):
        run_service(engine, items.add_activity, ADMIN, fields)
    assert counts(engine) == before


# ---------------------------------------------------------------- own periods


def test_a_promise_with_its_own_periods(kommun):
    engine, partnership_id, _ = kommun
    own = (
        OwnPeriod("Vintern", dt.date(2027, 1, 1), dt.date(2027, 2, 28)),
        OwnPeriod("Våren", dt.date(2027, 3, 1), dt.date(2027, 5, 31)),
    )
    shape = PromiseShape(dt.date(2027, 1, 1), dt.date(2027, 5, 31), rhythm="egna", own_periods=own)
    promise, _ = run_service(engine, promises.create_promise, ADMIN, partnership_id=partnership_id,
                     shape=shape, fields=FIELDS)  # fmt: skip
    assert periods_of(engine, promise.id) == [
        (2027, 1, "Vintern", "Vintern"), (2027, 2, "Våren", "Våren"),
    ]  # fmt: skip
    activity_id = first_activity(engine, promise.id)
    assert evaluate(engine, activity_id, 2027, 2).period_no == 2
    renamed = (OwnPeriod("Vinter", own[0].starts_on, own[0].ends_on), own[1])
    run_service(
        engine,
        promises.update_promise,
        ADMIN,
        promise.id,
        FIELDS,
        PromiseShape(shape.valid_from, shape.valid_to, rhythm="egna", own_periods=renamed),
    )
    assert [name for *_, name in periods_of(engine, promise.id)] == ["Vinter", "Våren"]
    with pytest.raises(AdminError, match="Ange minst en egen period") as e:
        run_service(
            engine,
            promises.update_promise,
            ADMIN,
            promise.id,
            FIELDS,
            PromiseShape(shape.valid_from, shape.valid_to, rhythm="egna"),
        )
    assert e.value.field == "periods"
