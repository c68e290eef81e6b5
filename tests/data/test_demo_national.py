"""The national demo (``python -m dashboard demo --national``): all 290 kommuner, real where
facts exist, invented and marked ``exempel`` everywhere else, with promises of every shape.

One SQLite database loaded once through the command line serves the module (the load takes
seconds); the same checks on PostgreSQL run on a few kommuner in tests/data/test_demo.py.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter, defaultdict
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import aliased

from dashboard.cli import main
from db import demo, make_engine
from db.models import (
    Activity,
    Evaluation,
    FocusArea,
    Organisation,
    Partnership,
    Period,
    PoliceAreaKommun,
    Promise,
    PromiseParty,
)


@pytest.fixture(scope="module")
def national(sqlite_template, tmp_path_factory) -> Iterator[tuple[Engine, dt.date]]:
    path = tmp_path_factory.mktemp("national") / "national.sqlite3"
    shutil.copy(sqlite_template, path)
    today = dt.date.today()
    assert main(["--database-url", f"sqlite:///{path}", "demo", "--national"]) == 0
    engine = make_engine(f"sqlite:///{path}")
    yield engine, today
    engine.dispose()


def _all(engine: Engine, query) -> list:
    with engine.connect() as conn:
        return conn.execute(query).all()


def test_every_kommun_is_a_partnership_under_its_real_code_and_name(national):
    engine, _ = national
    rows = _all(
        engine,
        select(Partnership.kommun_code, Partnership.kommun_name, Organisation.code,
               Organisation.name, Organisation.source)
        .join(Organisation, Organisation.id == Partnership.kommun_id),
    )  # fmt: skip
    assert len(rows) == 290
    assert all(code == org_code and name == f"{org_name} kommun" for code, name, org_code,
               org_name, _ in rows)  # fmt: skip
    assert {source for *_, source in rows} == {"verklig"}  # the reference kommuner
    names = {code: name for code, name, *_ in rows}
    assert (names["0486"], names["0484"], names["0180"]) == (
        "Strängnäs kommun", "Eskilstuna kommun", "Stockholm kommun",
    )  # fmt: skip


def test_police_areas_group_kommuner_of_one_region_and_eskilstuna_shares_strangnas_one(national):
    engine, _ = national
    region = aliased(Organisation)
    kommun = aliased(Organisation)
    rows = _all(
        engine,
        select(Organisation.name, Organisation.source, region.code, kommun.code, kommun.lan_code)
        .join(region, region.id == Organisation.parent_id)
        .join(PoliceAreaKommun, PoliceAreaKommun.police_area_id == Organisation.id)
        .join(kommun, kommun.id == PoliceAreaKommun.kommun_id)
        .where(Organisation.kind == "lokalpolisomrade"),
    )
    regions = {r.code for r in _all(engine, select(Organisation.code).where(
        Organisation.kind == "polisregion"))}  # fmt: skip
    assert len(regions) == 7 and {r[2] for r in rows} == regions
    areas = defaultdict(set)
    for name, source, _, code, lan in rows:
        areas[name, source].add((code, lan))
    assert sum(len(v) for v in areas.values()) == 290, "every kommun in exactly one police area"
    assert len({code for v in areas.values() for code, _ in v}) == 290
    assert all(len({lan for _, lan in v}) == 1 for v in areas.values()), "one län each"
    assert sum(len(v) >= 2 for v in areas.values()) >= 50
    shared = areas["Lokalpolisområde Eskilstuna/Strängnäs", "verklig"]
    assert {code for code, _ in shared} == {"0484", "0486"}
    assert {source for _, source in areas} == {"verklig", "exempel"}
    assert [name for name, source in areas if source == "verklig"] == [
        "Lokalpolisområde Eskilstuna/Strängnäs"
    ]
    police_of = dict(_all(engine, select(Partnership.kommun_code, Partnership.police_area_id)))
    assert police_of["0484"] == police_of["0486"]


def test_strangnas_is_exactly_the_single_demo(national, engine):
    national_engine, today = national
    demo.load(engine, today=today)

    def content(db: Engine) -> list[tuple]:
        query = (
            select(
                Promise.title, Promise.valid_from, Promise.valid_to, Promise.area, Promise.rhythm,
                Promise.signed_on, Promise.signatories, Promise.source, Promise.source_url,
                FocusArea.name, FocusArea.theme, Activity.title, Activity.owner,
                Activity.target_value, Activity.source, Evaluation.year, Evaluation.period_no,
                Evaluation.status, Evaluation.completion, Evaluation.achieved_value,
                Evaluation.comment, Evaluation.evaluated_by, Evaluation.source,
            )
            .join(Partnership, Partnership.id == Promise.partnership_id)
            .join(Activity, Activity.promise_id == Promise.id)
            .join(FocusArea, FocusArea.id == Activity.focus_area_id)
            .outerjoin(Evaluation, Evaluation.activity_id == Activity.id)
            .where(Partnership.kommun_code == "0486")
            .order_by(Promise.id, Activity.id, Evaluation.year, Evaluation.period_no)
        )  # fmt: skip
        return [tuple(row) for row in _all(db, query)]

    single = content(engine)
    assert len(single) > 400 and content(national_engine) == single


def test_the_shapes_of_real_promises_are_all_there(national):
    engine, _ = national
    promises = _all(
        engine,
        select(Partnership.kommun_code, Promise.area, Promise.valid_from, Promise.valid_to,
               Promise.rhythm, Promise.id)
        .join(Partnership, Partnership.id == Promise.partnership_id),
    )  # fmt: skip
    areas = defaultdict(set)
    for code, area, *_ in promises:
        if area is not None:
            areas[code].add(area)
    assert len(areas["0180"]) == 3 and len(areas["1280"]) == 3 and len(areas["1480"]) == 2
    assert "Resecentrum" in areas["1480"] | areas["1280"]
    rhythms = Counter(p.rhythm for p in promises)
    assert all(rhythms[r] >= 5 for r in ("tertial", "kvartal", "halvar", "egna")), rhythms
    winter = [p for p in promises if (p.valid_from.month, p.valid_from.day) == (11, 18)]
    assert winter and all(
        (p.valid_to.year - p.valid_from.year, p.valid_to.month, p.valid_to.day, p.rhythm)
        == (1, 3, 31, "halvar")
        for p in winter
    )
    assert any(p.valid_from.month == 7 for p in promises), "a promise from 1 July"
    parties = Counter(
        n
        for (n,) in _all(
            engine, select(func.count()).select_from(PromiseParty).group_by(PromiseParty.promise_id)
        )
    )
    assert parties[2] > 0 and parties[3] > 0 and parties[4] > 0
    covered = defaultdict(set)
    for code, area, start, end, *_ in promises:
        if area is None:
            covered[code] |= set(range(start.year, end.year + 1))
    gaps = [code for code, years in covered.items() if max(years) - min(years) + 1 > len(years)]
    assert len(gaps) >= 10, "some kommuner have years without a promise"


def test_no_two_promises_of_one_kommun_and_area_overlap(national):
    engine, _ = national
    rows = _all(engine, select(Promise.partnership_id, Promise.area, Promise.valid_from,
                               Promise.valid_to).order_by(Promise.valid_from))  # fmt: skip
    last_end: dict = {}
    for partnership_id, area, start, end in rows:
        key = (partnership_id, area)
        assert key not in last_end or last_end[key] < start, key
        last_end[key] = end


def test_every_invented_row_is_exempel(national):
    engine, _ = national
    outside = Partnership.kommun_code != "0486"  # only Strängnäs has published facts
    promise = select(Promise.source).join(Partnership).where(outside)
    activity = select(Activity.source).join(Promise).join(Partnership).where(outside)
    evaluation = (
        select(Evaluation.source).join(Activity).join(Promise).join(Partnership).where(outside)
    )
    for query in (promise, activity, evaluation):
        assert {source for (source,) in _all(engine, query.distinct())} == {"exempel"}
    partnerships = dict(_all(engine, select(Partnership.kommun_code, Partnership.source)))
    others = _all(engine, select(Organisation.source).where(Organisation.kind == "annan"))
    assert {c for c, s in partnerships.items() if s == "verklig"} == {"0484", "0486"}
    assert others and {s for (s,) in others} == {"exempel"}


def test_evaluations_only_in_their_promises_started_periods(national):
    engine, today = national
    rows = _all(
        engine,
        select(Period.promise_id, Activity.promise_id, Period.starts_on, Period.year,
               Period.number, Evaluation.year, Evaluation.period_no, Activity.owner,
               Activity.owner_organisation_id)
        .join(Evaluation, Evaluation.period_id == Period.id)
        .join(Activity, Activity.id == Evaluation.activity_id),
    )  # fmt: skip
    assert len(rows) > 100_000
    for period_promise, activity_promise, starts_on, year, number, e_year, e_no, *_ in rows:
        assert period_promise == activity_promise and (year, number) == (e_year, e_no)
        assert starts_on <= today
    owners = {(owner, org is not None) for *_, owner, org in rows}
    assert ("annan", True) in owners and ("kommun", False) in owners
