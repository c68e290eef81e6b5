"""Schema 0005–0007, each upgrade keeping every row of the schema before it (SQLite and
PostgreSQL), and indicators in the database (issue 12): the database refuses bad values, one
writer stores a batch and says what changed, and the demo's values are marked as invented."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import MetaData, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard.admin.indicator_values import Changes, ValueRow, ValuesRefused, save_values
from db import demo, migrate
from db.models import AuditLog, FocusAreaIndicator, Indicator, IndicatorValue, Organisation
from testsupport.migrations import database_at, plain

TABLES_AT_0004 = [
    "organisation", "police_area_kommun", "partnership", "app_user", "role_grant", "promise",
    "period", "promise_party", "focus_area", "activity", "evaluation", "audit_log",
]  # fmt: skip
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def _rows(engine, metadata: MetaData) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {
            name: sorted(
                tuple(plain(v) for v in row)
                for row in conn.execute(select(*metadata.tables[name].c))
            )
            for name in TABLES_AT_0004
        }


def test_upgrade_from_0004_keeps_every_row_and_adds_empty_indicator_tables(engine, demo_template):
    old = database_at("0004", engine, demo_template, TABLES_AT_0004)
    before = _rows(engine, old)
    assert len(before["evaluation"]) > 400 and len(before["period"]) > 50
    migrate.upgrade(engine)
    assert _rows(engine, old) == before
    with engine.connect() as conn:
        for model in (Indicator, IndicatorValue, FocusAreaIndicator):
            assert conn.scalar(select(func.count()).select_from(model)) == 0
    assert migrate.model_differences(engine) == []


def _kommun(session: Session, code: str = "0486") -> int:
    return session.scalar(
        select(Organisation.id).where(Organisation.kind == "kommun", Organisation.code == code)
    )


def _indicator(session: Session, code: str = "TEST1") -> Indicator:
    indicator = Indicator(code=code, name="Testindikator", unit="procent", better="hogre",
                          source_name="Test", attribution="Källa: Test")  # fmt: skip
    session.add(indicator)
    session.flush()
    return indicator


@pytest.mark.parametrize(
    "overrides",
    [
        {"year": 1999},
        {"year": 2101},
        {"period_no": 7},
        {"origin": "gissning"},
        {"source": "kanske"},
    ],
    ids=lambda o: next(iter(o)),
)
def test_database_refuses_a_bad_indicator_value(engine, overrides):
    with Session(engine) as session:
        indicator = _indicator(session)
        values = dict(indicator_id=indicator.id, organisation_id=_kommun(session), year=2020,
                      value=1.0, origin="import", fetched_at=NOW)  # fmt: skip
        session.add(IndicatorValue(**values | overrides))
        with pytest.raises(IntegrityError):
            session.flush()


def test_database_refuses_the_same_indicator_organisation_area_and_year_twice(engine):
    with Session(engine) as session:
        indicator = _indicator(session)
        row = dict(indicator_id=indicator.id, organisation_id=_kommun(session), year=2020,
                   value=1.0, origin="import", fetched_at=NOW)  # fmt: skip
        session.add_all([IndicatorValue(**row), IndicatorValue(**row | {"area": "Mariefred"})])
        session.flush()  # another area of the same kommun and year is another value
        session.add(IndicatorValue(**row | {"value": 2.0}))
        with pytest.raises(IntegrityError):
            session.flush()


def test_save_values_adds_updates_and_reports_what_changed_with_one_audit_row(engine):
    with Session(engine) as session, session.begin():
        indicator = _indicator(session)
        kommun = _kommun(session)
        first = save_values(
            session, indicator, [ValueRow(kommun, 2020, 10.0), ValueRow(kommun, 2021, 12.5)],
            origin="import", source="verklig", username="test", now=NOW,
        )  # fmt: skip
        second = save_values(
            session, indicator, [ValueRow(kommun, 2020, 10.0), ValueRow(kommun, 2021, 13.0)],
            origin="import", source="verklig", username="test", now=NOW,
        )  # fmt: skip
        audits = session.scalars(
            select(AuditLog.after).where(AuditLog.table_name == "indicator_value")
        ).all()
        stored = session.scalars(
            select(IndicatorValue.value)
            .where(IndicatorValue.indicator_id == indicator.id)
            .order_by(IndicatorValue.year)
        ).all()
    assert first.text() == "2 nya värden, 0 ändrade, 0 oförändrade"
    assert second.changed == [((kommun, "", 2021, 0), 12.5, 13.0)]
    assert second.text() == "0 nya värden, 1 ändrat, 1 oförändrat"
    assert stored == [10.0, 13.0]
    assert [a["added"] for a in audits] == [2, 0] and audits[1]["changed"] == 1


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([ValueRow(1, 1999, 1.0)], "Året 1999 ligger utanför 2000–2100."),
        ([ValueRow(1, 2020, float("nan"))], "Värdet för 2020 är inte ett tal."),
        ([ValueRow(1, 2020, 1.0), ValueRow(1, 2020, 2.0)], "Samma år (2020) och område"),
        ([ValueRow(1, 2020, 1.0, period_no=9)], "Period 9 finns inte"),
    ],
)
def test_a_bad_batch_is_refused_in_swedish_and_nothing_is_written(engine, rows, message):
    with Session(engine) as session:
        indicator = _indicator(session)
        kommun = _kommun(session)
        rows = [ValueRow(kommun, r.year, r.value, period_no=r.period_no) for r in rows]
        with pytest.raises(ValuesRefused, match=message.replace("(", r"\(").replace(")", r"\)")):
            save_values(session, indicator, rows, origin="import", source="verklig",
                        username="test")  # fmt: skip
        assert session.scalar(select(func.count()).select_from(IndicatorValue)) == 0
        assert session.scalar(select(func.count()).select_from(AuditLog)) == 0


def test_changes_text_counts_in_swedish():
    assert Changes(added=[((1, "", 2020, 0), 1.0)]).text() == (
        "1 nytt värde, 0 ändrade, 0 oförändrade"
    )


def test_the_demo_marks_every_indicator_value_invented_and_links_by_theme(demo_template):
    from db import make_engine

    engine = make_engine(f"sqlite:///{demo_template}")
    with engine.connect() as conn:
        origins = set(conn.execute(select(IndicatorValue.origin, IndicatorValue.source)).all())
        kolada = conn.execute(
            select(Indicator.kolada_kpi, Indicator.attribution).where(
                Indicator.kolada_kpi.is_not(None)
            )
        ).all()
        links = conn.scalar(select(func.count()).select_from(FocusAreaIndicator))
        violence = conn.execute(
            select(func.min(IndicatorValue.value), func.max(IndicatorValue.value))
            .join(Indicator)
            .where(Indicator.code == "N07403")
        ).one()
        index = conn.execute(
            select(func.min(IndicatorValue.value), func.max(IndicatorValue.value))
            .join(Indicator)
            .where(Indicator.code == "trygghetsmatning-problemindex")
        ).one()
    engine.dispose()
    assert origins == {("demo", "exempel")}
    assert kolada == [("N07403", "Källa: Kolada")]
    assert links > 10
    assert violence[0] >= 100 and violence[1] < 3000  # shaped like the real series
    assert index[0] >= 0 and index[1] <= 6


def test_a_second_demo_load_keeps_the_definitions_once(engine):
    demo.load(engine, today=dt.date(2026, 11, 26))
    demo.load(engine, today=dt.date(2026, 11, 26), replace=True)
    with engine.connect() as conn:
        codes = conn.scalars(select(Indicator.code).order_by(Indicator.code)).all()
    assert codes == ["N07403", "enkat-unga-trygga", "trygghetsmatning-problemindex"]


TABLES_AT_0005 = [*TABLES_AT_0004, "indicator", "indicator_value", "focus_area_indicator"]


def test_upgrade_from_0005_keeps_every_row_and_every_comment_internal(engine, demo_template):
    """Migration 0006 (publication, issue 13): no row changes and nothing becomes public."""
    old = database_at("0005", engine, demo_template, TABLES_AT_0005)
    with engine.connect() as conn:
        before = {
            name: sorted(
                tuple(plain(v) for v in row) for row in conn.execute(select(*old.tables[name].c))
            )
            for name in TABLES_AT_0005
        }
    assert len(before["indicator_value"]) > 50
    migrate.upgrade(engine)
    with engine.connect() as conn:
        after = {
            name: sorted(
                tuple(plain(v) for v in row) for row in conn.execute(select(*old.tables[name].c))
            )
            for name in TABLES_AT_0005
        }
        from db.models import Evaluation, Publication

        public = conn.execute(
            select(func.count()).where(
                (Evaluation.comment_public.is_(True)) | (Evaluation.public_line != "")
            )
        ).scalar()
        publications = conn.scalar(select(func.count()).select_from(Publication))
    assert after == before
    assert public == 0 and publications == 0
    assert migrate.model_differences(engine) == []


TABLES_AT_0006 = [*TABLES_AT_0005, "publication"]


def test_upgrade_from_0006_keeps_every_row_and_links_no_one(engine, demo_template):
    """Migration 0007 (sign-in and reminders, issue 14): no row changes; no user is linked to
    an identity provider and no reminder counts as sent."""
    old = database_at("0006", engine, demo_template, TABLES_AT_0006)
    with engine.begin() as conn:
        conn.execute(old.tables["app_user"].insert(), [
            {"id": 1, "username": "ada", "display_name": "Ada", "email": "ada@example.se",
             "password_hash": "x", "active": True, "failed_login_count": 0},
        ])  # fmt: skip

    def rows():
        with engine.connect() as conn:
            return {
                name: sorted(
                    tuple(plain(v) for v in row)
                    for row in conn.execute(select(*old.tables[name].c))
                )
                for name in TABLES_AT_0006
            }

    before = rows()
    migrate.upgrade(engine)
    assert rows() == before
    from db.models import AppUser, RefusedSignIn, ReminderSent

    with engine.connect() as conn:
        assert conn.execute(select(AppUser.oidc_issuer, AppUser.oidc_subject)).all() == [
            (None, None)
        ]
        for model in (RefusedSignIn, ReminderSent):
            assert conn.scalar(select(func.count()).select_from(model)) == 0
    assert migrate.model_differences(engine) == []
