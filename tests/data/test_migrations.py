"""Migrations and models agree, and the database itself enforces the data model's rules."""

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db import migrate
from db.models import Activity, Evaluation, FocusArea, Partnership, Promise
from db.rules import PromiseYearsOverlap


def test_migrations_match_models(engine):
    assert migrate.model_differences(engine) == []


def test_migration_creates_every_table(engine):
    tables = set(inspect(engine).get_table_names())
    assert {"partnership", "promise", "focus_area", "activity", "evaluation", "audit_log",
            "app_user", "alembic_version"} <= tables  # fmt: skip


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(sqlite_url):
    from db import make_engine

    engine = make_engine(sqlite_url)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    engine.dispose()


def _seed(session: Session) -> Activity:
    partnership = Partnership(kommun_name="Testby", kommun_code="9999", police_area="LPO Test")
    promise = Promise(
        partnership=partnership, year_from=2021, year_to=2021, kind="medborgarlöfte", title="T"
    )
    area = FocusArea(promise=promise, name="Unga", theme="ungdomar")
    activity = Activity(promise=promise, focus_area=area, title="Vandring", owner="gemensam")
    session.add(activity)
    session.flush()
    return activity


def _evaluation(activity: Activity, **overrides) -> Evaluation:
    period = activity.promise.periods[0]
    values = dict(
        activity=activity, period_id=period.id, year=2021, period_no=1, status="pagar",
        completion=50,
        evaluated_by="test", evaluated_at=dt.datetime(2021, 4, 30, tzinfo=dt.UTC),
    )  # fmt: skip
    values.update(overrides)
    return Evaluation(**values)


@pytest.mark.parametrize(
    "overrides",
    [
        {"completion": 101},
        {"completion": -1},
        {"period_no": 4},
        {"period_no": 0},
        {"year": 2022},
        {"status": "klar"},
        {"achieved_value": -1.0},
        {"source": "kanske"},
    ],
    ids=lambda o: next(iter(o.items())).__repr__(),
)
def test_database_refuses_bad_evaluation(engine, overrides):
    with Session(engine) as session:
        activity = _seed(session)
        session.add(_evaluation(activity, **overrides))
        with pytest.raises(IntegrityError):
            session.flush()


def test_one_evaluation_per_activity_year_and_tertial(engine):
    with Session(engine) as session:
        activity = _seed(session)
        session.add(_evaluation(activity))
        session.flush()
        session.add(_evaluation(activity, completion=60))
        with pytest.raises(IntegrityError):
            session.flush()


def test_activity_owner_and_foreign_keys_are_enforced(engine):
    with Session(engine) as session:
        activity = _seed(session)
        activity.owner = "region"
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
    with Session(engine) as session, pytest.raises(IntegrityError):
        session.execute(
            text(
                "INSERT INTO focus_area (promise_id, name, description, theme, sort_order, "
                "archived) VALUES (424242, 'x', '', 'x', 0, false)"
            )
        )
        session.flush()


def test_promise_year_order_is_enforced(engine):
    with Session(engine) as session:
        partnership = Partnership(kommun_name="A", kommun_code="0001", police_area="P")
        session.add(
            Promise(
                partnership=partnership,
                year_from=2022,
                year_to=2021,
                kind="medborgarlöfte",
                title="Bakvänt",
            )
        )
        with pytest.raises(IntegrityError):
            session.flush()


@pytest.mark.parametrize(
    ("years", "overlaps"),
    [((2023, 2023), True), ((2021, 2022), True), ((2024, 2024), False), ((2021, 2021), False)],
)
def test_promises_of_one_partnership_cannot_share_a_year(engine, years, overlaps):
    with Session(engine) as session:
        partnership = Partnership(kommun_name="A", kommun_code="0001", police_area="P")
        session.add(
            Promise(
                partnership=partnership,
                year_from=2022,
                year_to=2023,
                kind="medborgarlöfte",
                title="Två år",
            )
        )
        session.flush()
        session.add(
            Promise(
                partnership=partnership,
                year_from=years[0],
                year_to=years[1],
                kind="medborgarlöfte",
                title="Nytt",
            )
        )
        if overlaps:
            with pytest.raises(PromiseYearsOverlap, match="2022–2023"):
                session.flush()
        else:
            session.flush()


@pytest.mark.parametrize(
    ("values", "refused"),
    [
        ("'2021-01-01', '2021-12-31', 'tertial'", False),
        ("'2021-12-31', '2021-01-01', 'tertial'", True),  # ends before it starts
        ("'2021-01-01', '2021-12-31', 'manad'", True),  # no such rhythm
    ],
)
def test_promise_dates_and_rhythm_are_checked_by_the_database_itself(engine, values, refused):
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO partnership (id, kommun_name, kommun_code, police_area, source) "
            "VALUES (1, 'A', '0001', 'P', 'exempel')"
        ))  # fmt: skip
    insert = text(
        "INSERT INTO promise (partnership_id, year_from, year_to, valid_from, valid_to, rhythm,"
        " kind, title, signatories, summary, source) VALUES (1, 2021, 2021, "
        f"{values}, 'medborgarlöfte', 'x', '[]', '', 'exempel')"
    )
    if refused:
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(insert)
    else:
        with engine.begin() as connection:
            connection.execute(insert)


def test_an_evaluation_cannot_name_another_year_than_its_period(engine):
    """The composite foreign key holds an evaluation's year and number to its period's."""
    with Session(engine) as session:
        activity = _seed(session)
        t1, t2 = activity.promise.periods[:2]
        session.add(_evaluation(activity, period_id=t1.id, period_no=t2.number))
        with pytest.raises(IntegrityError):
            session.flush()
