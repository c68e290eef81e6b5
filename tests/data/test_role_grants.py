"""Migration 0003 (issue 11): every user's roles become grants in a scope, on SQLite and
PostgreSQL, and every other row stays as it was.

The 0002 database is a demo (one partnership, two, or none) copied into a database migrated
down to 0002, with users as schema 0002 held them (roles as a list, an optional
partnership); it is upgraded, and each user's grants must follow the rule of the migration's
docstring (and docs/drift.md, "Uppgradera databasen").
"""

from __future__ import annotations

import pytest
from sqlalchemy import MetaData, delete, select

from db import make_engine, migrate
from db.models import AppUser, Organisation, Partnership, RoleGrant
from testsupport.migrations import RENAMED, plain

USERS = [  # username, roles, partnership (by kommun code) as schema 0002 held them
    ("ada", ["admin"], None),
    ("sam", ["samordnare"], "0484"),
    ("lo", ["lasare", "samordnare"], None),
    ("bo", ["samordnare", "admin"], "0486"),
]
EXPECTED = {
    "one": {  # exactly one partnership: everyone in Strängnäs
        "ada": [("admin", "0486")],
        "sam": [("samordnare", "0486")],
        "lo": [("lasare", "0486"), ("samordnare", "0486")],
        "bo": [("samordnare", "0486"), ("admin", "0486")],
    },
    "two": {  # an admin without a partnership: national; others: the first partnership
        "ada": [("admin", None)],
        "sam": [("samordnare", "0484")],
        "lo": [("lasare", "0486"), ("samordnare", "0486")],
        "bo": [("samordnare", "0486"), ("admin", "0486")],
    },
    "none": {  # no partnership at all: admins national, nothing to scope other roles to
        "ada": [("admin", None)],
        "sam": [],
        "lo": [],
        "bo": [("admin", None)],
    },
}


def _at_0002(engine, source_path) -> MetaData:
    """``engine`` at 0002 holding the demo at ``source_path`` (if any) and USERS."""
    migrate.downgrade(engine, "0002")
    old = MetaData()
    old.reflect(engine)
    tables = [t for t in old.sorted_tables if t.name != "alembic_version"]
    with engine.begin() as dst:
        for table in reversed(tables):
            dst.execute(delete(table))
        if source_path is not None:
            source = make_engine(f"sqlite:///{source_path}")
            newest = MetaData()
            newest.reflect(source)
            with source.connect() as src:
                for table in tables:
                    if table.name == "app_user":
                        continue
                    now = newest.tables[table.name].c
                    named = {c.name: RENAMED.get((table.name, c.name), c.name) for c in table.c}
                    columns = [now[named[c.name]].label(c.name) for c in table.c
                               if named[c.name] in now]  # fmt: skip
                    rows = [dict(r) for r in src.execute(select(*columns)).mappings()]
                    if rows:
                        dst.execute(table.insert(), rows)
            source.dispose()
        partnership = old.tables["partnership"]
        partnerships = dict(dst.execute(select(partnership.c.kommun_code, partnership.c.id)).all())
        dst.execute(
            old.tables["app_user"].insert(),
            [
                {"username": name, "display_name": name.title(), "email": "",
                 "password_hash": "x", "roles": roles, "active": True, "failed_login_count": 0,
                 "partnership_id": partnerships.get(code)}
                for name, roles, code in USERS
            ],
        )  # fmt: skip
    return old


def _snapshot(engine, metadata: MetaData) -> dict[str, list[tuple]]:
    """Every row of every table of 0002; app_user without the two columns 0003 moves."""
    with engine.connect() as conn:
        snapshot = {}
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            columns = [c for c in table.c if c.name not in ("roles", "partnership_id")]
            order = [c for c in table.primary_key.columns] or columns
            rows = conn.execute(select(*columns).order_by(*order))
            snapshot[table.name] = [tuple(plain(v) for v in row) for row in rows]
        return snapshot


def _grants(engine) -> dict[str, list[tuple[str, str | None]]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(AppUser.username, RoleGrant.role, Organisation.code)
            .join(RoleGrant, RoleGrant.user_id == AppUser.id, isouter=True)
            .outerjoin(Organisation, Organisation.id == RoleGrant.organisation_id)
            .order_by(AppUser.username, RoleGrant.id)
        ).all()
    grants: dict[str, list] = {}
    for username, role, code in rows:
        grants.setdefault(username, [])
        if role is not None:
            grants[username].append((role, code))
    return grants


@pytest.mark.parametrize("partnerships", ["one", "two", "none"])
def test_upgrade_to_0003_turns_every_role_into_a_scoped_grant(engine, request, partnerships):
    source = {"one": "demo_template", "two": "two_partnerships", "none": None}[partnerships]
    old = _at_0002(engine, request.getfixturevalue(source) if source else None)
    before = _snapshot(engine, old)
    if source:
        assert len(before["evaluation"]) > 400 and before["promise_party"]
    migrate.upgrade(engine, "0003")
    assert _snapshot(engine, old) == before  # every other row, every other column
    # (A partnership a user names that the demo lacks, Eskilstuna in "one", is as none.)
    assert _grants(engine) == EXPECTED[partnerships]
    migrate.upgrade(engine)  # 0004 keeps them (tests/data/test_periods.py checks every row)
    assert _grants(engine) == EXPECTED[partnerships]
    assert migrate.model_differences(engine) == []


def test_a_national_grant_is_held_once(engine):
    """A unique constraint lets NULLs repeat on both databases; the partial index does not."""
    from sqlalchemy.exc import IntegrityError
    from sqlalchemy.orm import Session

    from testsupport import builders

    with Session(engine) as session, session.begin():
        builders.make_user(session, "ada", ("admin", None))
    with pytest.raises(IntegrityError), Session(engine) as session, session.begin():
        ada = session.scalars(select(AppUser).where(AppUser.username == "ada")).one()
        ada.grants.append(RoleGrant(role="admin", organisation_id=None))
    with Session(engine) as session:
        assert session.scalar(select(Partnership.id)) is None
        assert len(session.scalars(select(RoleGrant)).all()) == 1
