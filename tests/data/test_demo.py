"""The demo loader: deterministic, every year covered once, real facts real and the rest marked.

Runs on SQLite and PostgreSQL through the ``engine`` fixture, on Strängnäs and a few kommuner
of the national demo (tests/data/test_demo_national.py has all 290). ``TODAY`` is fixed so the
current year and its started periods never depend on the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import nullcontext
from typing import NamedTuple

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from dashboard.cli import main
from db import demo, make_engine
from db import demo_facts as facts
from db.models import (
    Activity,
    AppUser,
    AuditLog,
    Evaluation,
    FocusArea,
    Organisation,
    Partnership,
    Period,
    Promise,
    PromiseParty,
)
from testsupport.databases import FEW_KOMMUNER, scratch_database, skip_postgres

TODAY = dt.date(2026, 11, 26)
COMPARED = (Partnership, Promise, Period, PromiseParty, FocusArea, Activity, Evaluation)
PARTNERSHIPS = 1 + len(FEW_KOMMUNER)
STRANGNAS = 1  # the partnership id of Strängnäs, first in every load


class Loaded(NamedTuple):
    engine: Engine
    summary: str


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def loaded(request, sqlite_template, tmp_path_factory) -> Iterator[Loaded]:
    """One database per backend holding Strängnäs and ``FEW_KOMMUNER`` of the national demo,
    for read-only tests.

    Shared by the module because a fresh PostgreSQL database costs about a second; tests that
    write use the per-test ``engine`` fixture instead.
    """
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
        shutil.copy(sqlite_template, path)
        database = nullcontext(f"sqlite:///{path}")
    else:
        template = request.getfixturevalue("postgres_template")
        if template is None:
            skip_postgres("the tests' PostgreSQL does not answer")
        admin, template_name = template
        name = f"dash_demo_{uuid.uuid4().hex[:12]}"
        database = scratch_database(admin, name, template=template_name)
    with database as url:
        engine = make_engine(url)
        summary = demo.load(engine, national=True, kommuner=FEW_KOMMUNER, today=TODAY)
        yield Loaded(engine, summary)
        engine.dispose()


def _rows(engine: Engine, model) -> list[tuple]:
    table = model.__table__
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key))]


def _fingerprint(engine: Engine) -> dict[str, str]:
    """A hash per table; datetimes as naive UTC, since PostgreSQL returns them tz-aware."""

    def plain(value):
        if isinstance(value, dt.datetime) and value.tzinfo is not None:
            return value.astimezone(dt.UTC).replace(tzinfo=None)
        return value

    return {
        model.__tablename__: hashlib.sha256(
            repr([tuple(plain(v) for v in row) for row in _rows(engine, model)]).encode()
        ).hexdigest()
        for model in COMPARED
    }


def _strangnas_promise(engine: Engine, year_from: int):
    with engine.connect() as conn:
        return conn.execute(
            select(Promise)
            .join(Partnership)
            .where(Partnership.kommun_code == "0486", Promise.year_from == year_from)
        ).one()


def _evaluations(engine: Engine, *where):
    query = (
        select(Evaluation, Activity.target_value, Activity.source.label("activity_source"))
        .join(Activity)
        .where(*where)
    )
    with Session(engine) as session:
        return session.execute(query).all()


def test_load_is_deterministic_across_databases(engine, sqlite_template, tmp_path):
    other_path = tmp_path / "other.sqlite3"
    shutil.copy(sqlite_template, other_path)
    other = make_engine(f"sqlite:///{other_path}")
    try:
        demo.load(engine, national=True, kommuner=("1280",), today=TODAY)
        demo.load(other, national=True, kommuner=("1280",), today=TODAY)
        assert _fingerprint(engine) == _fingerprint(other)
    finally:
        other.dispose()


def test_summary_counts_what_was_written(loaded):
    with loaded.engine.connect() as conn:
        promises = conn.scalar(select(func.count()).select_from(Promise))
        evaluations = conn.scalar(select(func.count()).select_from(Evaluation))
    assert loaded.summary.startswith(f"{PARTNERSHIPS} samverkanspar, {promises} löften, ")
    assert loaded.summary.replace("\u00a0", "").endswith(f" {evaluations} utvärderingar")


def test_every_year_of_strangnas_is_covered_by_exactly_one_promise(loaded):
    engine = loaded.engine
    with engine.connect() as conn:
        promises = conn.execute(select(Promise)).all()
    covered = Counter(
        year for p in promises if p.partnership_id == STRANGNAS
        for year in range(p.year_from, p.year_to + 1)
    )  # fmt: skip
    assert [covered[y] for y in range(2007, TODAY.year + 1)] == [1] * 20
    assert max(covered) == TODAY.year
    for p in promises:
        expected = "samverkansöverenskommelse" if p.valid_from.year < 2016 else "medborgarlöfte"
        assert p.kind == expected


def test_published_2021_promise(loaded):
    engine = loaded.engine
    promise = _strangnas_promise(engine, 2021)
    assert promise.signed_on == dt.date(2021, 3, 11)
    assert promise.signatories == [
        {"name": "Lars Ekström", "role": "kommundirektör"},
        {"name": "Christer Sjöqvist", "role": "polischef"},
    ]
    assert (promise.source, promise.source_url) == ("verklig", facts.URL_2021)
    assert promise.title.startswith("Medborgarlöfte 2021 – Strängnäs kommun")


def test_published_dates_only_where_a_source_gives_one(loaded):
    engine = loaded.engine
    signed = {y: _strangnas_promise(engine, y).signed_on for y in (2018, 2019, 2020, 2022)}
    assert signed == {
        2018: dt.date(2018, 2, 5),
        2019: None,
        2020: dt.date(2020, 3, 16),
        2022: None,
    }


def test_2019_grannsamverkan_target_and_published_outcome(loaded):
    engine = loaded.engine
    with Session(engine) as session:
        activity = session.scalars(
            select(Activity).join(Promise).where(
                Promise.year_from == 2019, Activity.lineage_key == "grannsamverkan",
                Promise.partnership_id == STRANGNAS,
            )
        ).one()  # fmt: skip
    assert (activity.target_value, activity.target_unit) == (8, "nya områden")
    assert activity.source == "verklig"
    t3 = next(row.Evaluation for row in _evaluations(engine, Evaluation.activity_id == activity.id)
              if row.Evaluation.period_no == 3)  # fmt: skip
    assert (t3.status, t3.completion, t3.achieved_value) == ("genomford", 100, 20)
    assert (t3.source, t3.source_url) == ("verklig", facts.URL_2019_FOLLOW_UP)
    assert "20" in t3.comment


def test_2022_2023_is_one_promise_evaluated_in_both_years(loaded):
    engine = loaded.engine
    promise = _strangnas_promise(engine, 2022)
    assert promise.year_to == 2023
    rows = _evaluations(engine, Activity.promise_id == promise.id)
    per_activity_year = Counter((r.Evaluation.activity_id, r.Evaluation.year) for r in rows)
    assert {year for _, year in per_activity_year} == {2022, 2023}
    assert set(per_activity_year.values()) == {3}


def test_only_published_rows_are_verklig(loaded):
    engine = loaded.engine
    with Session(engine) as session:
        promises = session.scalars(select(Promise)).all()
        activities = session.execute(
            select(Activity, Promise.year_from, Promise.partnership_id).join(Promise)
        ).all()
    published = {(1, p["year_from"]) for p in facts.PROMISES}
    for p in promises:
        assert (p.source == "verklig") == ((p.partnership_id, p.year_from) in published)
    # The 2018 action plan was never published: its activities are invented.
    published_activities = published - {(1, 2018)}
    for row in activities:
        key = (row.partnership_id, row.year_from)
        assert (row.Activity.source == "verklig") == (key in published_activities)
    for row in [*promises, *(r.Activity for r in activities)]:
        assert (row.source == "verklig") == (row.source_url or "").startswith("https://")


def test_evaluations_are_exempel_unless_a_published_outcome_backs_them(loaded):
    engine = loaded.engine
    rows = _evaluations(engine)
    real = [r.Evaluation for r in rows if r.Evaluation.source == "verklig"]
    outcomes = sum(
        len(activity["outcomes"])
        for promise in facts.PROMISES
        for area in promise["focus_areas"]
        for activity in area["activities"] or ()
    )
    assert len(real) == outcomes == 12
    assert all(e.period_no == 3 and e.source_url.startswith("https://") for e in real)
    assert all(r.activity_source == "verklig" for r in rows if r.Evaluation.source == "verklig")
    assert all(r.Evaluation.source_url is None for r in rows if r.Evaluation.source == "exempel")


def test_evaluation_invariants(loaded):
    engine = loaded.engine
    rows = _evaluations(engine)
    by_activity_year = defaultdict(list)
    for row in rows:
        e = row.Evaluation
        assert e.comment.strip()
        assert e.status != "genomford" or e.completion == 100
        assert e.evaluated_at.date() <= TODAY
        assert e.evaluated_by in ("samordnare.kommun", "samordnare.polis")
        if row.target_value is not None and e.source == "exempel":
            assert e.achieved_value is not None
        by_activity_year[e.activity_id, e.year].append((e.period_no, e.completion))
    with engine.connect() as conn:
        started = defaultdict(list)
        for activity_id, year, number in conn.execute(
            select(Activity.id, Period.year, Period.number)
            .join(Period, Period.promise_id == Activity.promise_id)
            .where(Period.starts_on <= TODAY)
            .order_by(Period.starts_on)
        ):
            started[activity_id, year].append(number)
        strangnas = set(
            conn.scalars(
                select(Activity.id).join(Promise).where(Promise.partnership_id == STRANGNAS)
            )
        )
    assert by_activity_year.keys() <= started.keys()
    for key, periods in by_activity_year.items():
        # Only periods started by TODAY, from the first on; a few kommuner lag behind.
        numbers = [number for number, _ in sorted(periods)]
        assert numbers == sorted(started[key])[: len(numbers)]
        if key[0] in strangnas:
            assert numbers == sorted(started[key]), "Strängnäs has evaluated every period"
        completions = [completion for _, completion in sorted(periods)]
        assert completions == sorted(completions), "completion never falls within a year"


def test_year_results_vary_within_a_plausible_range(loaded):
    last = {}  # each activity's evaluation of the last period of each ended year
    for row in _evaluations(loaded.engine, Evaluation.year < TODAY.year):
        e = row.Evaluation
        if last.get((e.activity_id, e.year), e).period_no <= e.period_no:
            last[e.activity_id, e.year] = e
    finals = defaultdict(list)
    for e in last.values():
        finals[e.year].append(e.status == "genomford")
    shares = {year: sum(done) / len(done) for year, done in finals.items()}
    assert sorted(shares) == list(range(2007, TODAY.year))
    assert all(0.45 <= share <= 0.95 for share in shares.values()), shares
    assert len({round(share, 2) for share in shares.values()}) > 5


def test_current_year_has_only_started_tertials(engine):
    demo.load(engine, today=dt.date(2026, 5, 2))
    rows = _evaluations(engine, Evaluation.year == 2026)
    assert {r.Evaluation.period_no for r in rows} == {1, 2}
    t2 = [r.Evaluation for r in rows if r.Evaluation.period_no == 2]
    assert all(e.evaluated_at.date() <= dt.date(2026, 5, 2) for e in t2)
    assert Counter(e.status for e in t2).most_common(1)[0][0] == "pagar"


def test_replace_deletes_promise_data_but_keeps_users(engine):
    demo.load(engine, national=True, kommuner=("1280",), today=TODAY)
    with engine.begin() as conn:
        conn.execute(
            insert(AppUser.__table__),
            [{"username": "anna", "display_name": "Anna", "password_hash": "x"}],
        )
        first_audit_id = conn.scalar(select(AuditLog.id))
    demo.load(engine, replace=True, today=TODAY)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Partnership)) == 1
        assert conn.scalar(select(AppUser.username)) == "anna"
        audit = conn.execute(select(AuditLog)).all()
    assert len(audit) == 1
    assert audit[0].id > first_audit_id, "a new audit id, so the app's data version changes"


def test_load_writes_exactly_one_audit_row(loaded):
    engine = loaded.engine
    with engine.connect() as conn:
        audit = conn.execute(select(AuditLog)).one()
    assert (audit.action, audit.table_name, audit.username, audit.row_id) == (
        "load", "demo", "demo", None,
    )  # fmt: skip
    assert audit.after["partnerships"] == PARTNERSHIPS


def test_the_kommuner_are_real_and_strangnas_comes_first(loaded):
    engine = loaded.engine
    with engine.connect() as conn:
        rows = conn.execute(select(Partnership).order_by(Partnership.id)).all()
    assert [(r.kommun_code, r.kommun_name, r.source) for r in rows] == [
        ("0486", "Strängnäs kommun", "verklig"),
        ("0380", "Uppsala kommun", "exempel"),
        ("0484", "Eskilstuna kommun", "verklig"),  # a real kommun in its real police area
        ("0980", "Gotland kommun", "exempel"),
        ("1280", "Malmö kommun", "exempel"),
        ("2584", "Kiruna kommun", "exempel"),
    ]


def test_a_replace_after_a_national_load_reuses_its_organisations(engine):
    demo.load(engine, national=True, kommuner=("1280",), today=TODAY)
    with engine.connect() as conn:
        before = _rows(engine, Organisation)
    demo.load(engine, national=True, kommuner=("1280",), replace=True, today=TODAY)
    assert _rows(engine, Organisation) == before
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Partnership)) == 2


def test_cli_demo_refuses_a_non_empty_database_without_replace(db_url, capsys):
    assert main(["--database-url", db_url, "demo"]) == 0
    assert main(["--database-url", db_url, "demo"]) == 2
    assert "databasen har redan data" in capsys.readouterr().err
    assert main(["--database-url", db_url, "demo", "--replace"]) == 0
    assert "Exempeldata laddade: 1 samverkanspar" in capsys.readouterr().out


def test_cli_setup_loads_the_demo_only_into_an_empty_database(engine, db_url, capsys):
    assert main(["--database-url", db_url, "setup"]) == 0
    assert "Exempeldata laddade" in capsys.readouterr().out
    before = _rows(engine, AuditLog)
    assert main(["--database-url", db_url, "setup"]) == 0
    assert "inga exempeldata laddades" in capsys.readouterr().out
    assert _rows(engine, AuditLog) == before


@pytest.mark.parametrize("today", [dt.date(2026, 1, 1), dt.date(2026, 9, 1)])
def test_first_day_of_a_tertial_is_evaluated_no_later_than_today(engine, today):
    demo.load(engine, today=today)
    rows = _evaluations(engine, Evaluation.year == 2026)
    assert {r.Evaluation.period_no for r in rows} == set(range(1, (today.month - 1) // 4 + 2))
    assert all(r.Evaluation.evaluated_at.date() == today for r in rows
               if r.Evaluation.period_no == (today.month - 1) // 4 + 1)  # fmt: skip
