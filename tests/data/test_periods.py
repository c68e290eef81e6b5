"""Periods (issue 11) in the database: a promise's periods derived from its validity and
rhythm (the rule itself: tests/unit/test_periods.py), and migration 0004, by which every
evaluation of a database made by the previous schema moves from (year, tertial) to its
promise's tertial period, on SQLite and PostgreSQL, keeping every row."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db import migrate, rules
from db.models import Evaluation, Period, Promise
from db.periods import PeriodError
from testsupport import builders
from testsupport.migrations import OLD_TABLES, RENAMED, database_at, plain, snapshot

PREVIOUS = "0003"  # the revision before 0004
D = dt.date


def test_a_new_promise_gets_its_periods_and_dates_from_its_years(engine):
    with Session(engine) as session:
        promise = builders.make_promise(session, builders.make_partnership(session), year=2022,
                                        year_to=2023)  # fmt: skip
        session.commit()
        assert (promise.valid_from, promise.valid_to) == (D(2022, 1, 1), D(2023, 12, 31))
        assert [(p.year, p.code) for p in promise.periods] == [
            (y, f"T{t}") for y in (2022, 2023) for t in (1, 2, 3)
        ]


def test_promises_for_different_areas_may_overlap_but_not_for_the_same(engine):
    with Session(engine) as session:
        partnership = builders.make_partnership(session)
        builders.make_promise(session, partnership, year=2026)
        centre = builders.make_promise(session, partnership, year=2026, area="Resecentrum")
        session.commit()
        assert centre.area == "Resecentrum"
        later = Promise(partnership=partnership, valid_from=D(2026, 11, 18),
                        valid_to=D(2027, 3, 31), area="Resecentrum", rhythm="halvar",
                        kind="medborgarlöfte", title="Vinter")  # fmt: skip
        session.add(later)
        with pytest.raises(rules.PromiseYearsOverlap, match="Resecentrum"):
            session.flush()


def test_changing_dates_keeps_evaluated_periods_and_refuses_to_drop_them(engine):
    with Session(engine) as session:
        promise = builders.make_promise(session, builders.make_partnership(session), year=2026)
        area = builders.make_focus_area(session, promise)
        builders.make_evaluation(session, builders.make_activity(session, area), tertial=1,
                                 status="pagar")  # fmt: skip
        session.commit()
        t1 = promise.periods[0].id
        promise.valid_to = D(2027, 12, 31)
        rules.sync_periods(session, promise)
        session.commit()
        assert len(promise.periods) == 6 and promise.periods[0].id == t1
        promise.valid_from = D(2026, 6, 1)
        with pytest.raises(PeriodError, match="T1 jan–apr"):
            rules.sync_periods(session, promise)
        promise.valid_from, promise.rhythm = D(2026, 1, 1), "kvartal"  # T1 would become K1
        with pytest.raises(PeriodError, match="T1 jan–apr"):
            rules.sync_periods(session, promise)


def test_upgrade_moves_every_evaluation_to_its_tertial_period(engine, demo_template):
    tables = ["organisation", "police_area_kommun", *OLD_TABLES, "promise_party"]
    old = database_at(PREVIOUS, engine, demo_template, tables)
    before = snapshot(engine, old)
    with engine.connect() as conn:
        evaluations = conn.execute(
            select(
                old.tables["evaluation"].c.id,
                old.tables["evaluation"].c.year,
                old.tables["evaluation"].c.tertial,
            )
        ).all()
    assert len(evaluations) > 400
    migrate.upgrade(engine)
    renamed = old.tables["evaluation"]
    renamed_columns = {RENAMED.get(("evaluation", c.name), c.name) for c in renamed.c}
    assert "period_no" in renamed_columns
    with engine.connect() as conn:
        after = {name: rows for name, rows in _snapshot_renamed(conn, old).items()}
        moved = conn.execute(
            select(Evaluation.id, Period.year, Period.number, Period.code).join(
                Period, Period.id == Evaluation.period_id
            )
        ).all()
        whole_years = conn.scalar(
            select(func.count()).select_from(Promise).where(Promise.rhythm == "tertial")
        )
        promises = conn.scalar(select(func.count()).select_from(Promise))
    assert after == before  # every row, every old column (tertial now period_no)
    assert sorted((i, y, t) for i, y, t, _ in moved) == sorted(evaluations)
    assert {code for *_, code in moved} == {"T1", "T2", "T3"}
    assert whole_years == promises
    assert migrate.model_differences(engine) == []


def _snapshot_renamed(conn, old) -> dict[str, list[tuple]]:
    result = {}
    for name in OLD_TABLES:
        table = old.tables[name]
        from sqlalchemy import MetaData

        current = MetaData()
        current.reflect(conn, only=[name])
        columns = [current.tables[name].c[RENAMED.get((name, c.name), c.name)] for c in table.c]
        result[name] = [
            tuple(plain(v) for v in row)
            for row in conn.execute(select(*columns).order_by(current.tables[name].c.id))
        ]
    return result
