"""Organisations (issue 11): the reference list, the links a load or an admin makes, and
migration 0002, by which a database made by schema 0001 keeps every row and gains its
organisations, on SQLite and PostgreSQL.

The 0001 database is the demo as schema 0001 held it: the demo is loaded into the newest
schema, the columns 0001 had are copied into a database migrated down to 0001, and that one
is upgraded. Every row of every old table, column by column, must be the same afterwards.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData, exists, func, select

from db import migrate
from db.models import Organisation, Partnership, PoliceAreaKommun, Promise, PromiseParty
from testsupport.migrations import database_at, snapshot


def _database_at_0001_with_the_demo(engine, demo_template) -> MetaData:
    return database_at("0001", engine, demo_template)


def test_upgrade_from_0001_keeps_every_row_and_links_the_organisations(engine, demo_template):
    old = _database_at_0001_with_the_demo(engine, demo_template)
    before = snapshot(engine, old)
    assert len(before["evaluation"]) > 400 and before["audit_log"]
    migrate.upgrade(engine, "0002")  # 0003 moves app_user's roles: tests/data/test_role_grants.py
    assert snapshot(engine, old) == before  # every row, every old column
    with engine.connect() as conn:
        strangnas = conn.execute(
            select(Partnership.kommun_id, Partnership.police_area_id).where(
                Partnership.kommun_code == "0486"
            )
        ).one()
        kommun = conn.execute(select(Organisation).where(Organisation.id == strangnas[0])).one()
        area = conn.execute(select(Organisation).where(Organisation.id == strangnas[1])).one()
        region = conn.scalar(select(Organisation.name).where(Organisation.id == area.parent_id))
        covered = conn.scalars(
            select(PoliceAreaKommun.kommun_id).where(PoliceAreaKommun.police_area_id == area.id)
        ).all()
        parties = conn.execute(
            select(PromiseParty.promise_id, func.count()).group_by(PromiseParty.promise_id)
        ).all()
        promises = conn.scalar(select(func.count()).select_from(old.tables["promise"]))
    assert (kommun.kind, kommun.code, kommun.name) == ("kommun", "0486", "Strängnäs")
    assert (kommun.lan_name, kommun.source) == ("Södermanlands län", "verklig")
    assert (area.kind, area.name) == ("lokalpolisomrade", "Lokalpolisområde Eskilstuna/Strängnäs")
    assert region == "Polisregion Öst" and covered == [kommun.id]
    assert len(parties) == promises and {n for _, n in parties} == {2}
    migrate.upgrade(engine)
    assert migrate.model_differences(engine) == []


def test_the_reference_organisations_come_with_the_schema(engine):
    with engine.connect() as conn:
        kinds = dict(
            conn.execute(select(Organisation.kind, func.count()).group_by(Organisation.kind)).all()
        )
        lan = conn.scalar(select(func.count(func.distinct(Organisation.lan_code))))
        wrong_lan = conn.scalar(
            select(func.count())
            .select_from(Organisation)
            .where(Organisation.kind == "kommun", func.substr(Organisation.code, 1, 2)
                   != Organisation.lan_code)
        )  # fmt: skip
        known = dict(
            conn.execute(
                select(Organisation.code, Organisation.name).where(
                    Organisation.code.in_(["0180", "0486", "0484", "1480", "1280", "2584"])
                )
            ).all()
        )
    assert kinds == {"kommun": 290, "polisregion": 7}
    assert lan == 21 and wrong_lan == 0
    assert known == {"0180": "Stockholm", "0486": "Strängnäs", "0484": "Eskilstuna",
                     "1480": "Göteborg", "1280": "Malmö", "2584": "Kiruna"}  # fmt: skip


def test_a_demo_load_links_its_partnerships_and_parties(engine):
    from db import demo

    demo.load(engine, national=True, kommuner=("0484",), today=dt.date(2026, 11, 26))
    with engine.connect() as conn:
        unlinked = conn.scalar(
            select(func.count()).select_from(Partnership).where(Partnership.kommun_id.is_(None))
        )
        lonely = conn.scalar(
            select(func.count())
            .select_from(Promise)
            .where(~exists().where(PromiseParty.promise_id == Promise.id))
        )
    assert unlinked == 0 and lonely == 0


def test_a_kommun_code_outside_the_reference_list_gets_a_demo_kommun(engine):
    from sqlalchemy.orm import Session

    from db import organisations

    with Session(engine) as session, session.begin():
        session.add(Partnership(kommun_code="E002", kommun_name="Exempelkommun 002",
                                police_area="Exempel-LPO 002", source="exempel"))  # fmt: skip
    with engine.begin() as conn:
        assert organisations.link_partnerships(conn) == 1
        invented = conn.execute(
            select(Organisation.name, Organisation.source).where(Organisation.code == "E002")
        ).one()
    assert invented == ("Exempelkommun 002", "exempel")


def test_a_promise_an_admin_creates_is_signed_by_the_kommun_and_the_police_area(engine):
    from sqlalchemy.orm import Session

    from dashboard.access import Actor
    from dashboard.admin.promises import PromiseFields, create_promise
    from testsupport import builders

    fields = PromiseFields("Medborgarlöfte 2027", "medborgarlöfte", None, [], "")
    with Session(engine) as session, session.begin():
        partnership = builders.make_partnership(session)  # Strängnäs, 0486
        builders.make_user(session, "ada", ("admin", None))
        promise, _ = create_promise(
            session, Actor.of("ada", ["admin"]), partnership_id=partnership.id, year=2027,
            fields=fields, copy_previous=False,
        )  # fmt: skip
        promise_id = promise.id
    with engine.connect() as conn:
        parties = conn.execute(
            select(Organisation.kind, Organisation.code, Organisation.name, PromiseParty.role)
            .join(PromiseParty, PromiseParty.organisation_id == Organisation.id)
            .where(PromiseParty.promise_id == promise_id)
            .order_by(PromiseParty.sort_order)
        ).all()
    assert parties == [
        ("kommun", "0486", "Strängnäs", "kommun"),
        ("lokalpolisomrade", None, "Lokalpolisområde Eskilstuna/Strängnäs", "polis"),
    ]
