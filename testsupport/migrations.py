"""A database at an older schema revision holding the demo, and its rows to compare.

A migration test migrates a fresh database down to a revision, copies the demo into it as that
schema held it (``database_at``), takes a ``snapshot``, upgrades, and compares every row.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, MetaData, select

from db import make_engine, migrate

# The tables of schema 0001.
OLD_TABLES = ["partnership", "app_user", "promise", "focus_area", "activity", "evaluation",
              "audit_log"]  # fmt: skip
# Columns a later revision renamed: (table, name at the old revision) -> name in the demo.
RENAMED = {("evaluation", "tertial"): "period_no"}


def plain(value):
    """``value`` as both databases return it: an aware datetime as naive UTC."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def snapshot(engine: Engine, metadata: MetaData) -> dict[str, list[tuple]]:
    """Every row of every table of 0001 in ``metadata``, by id."""
    with engine.connect() as conn:
        return {
            name: [
                tuple(plain(v) for v in row)
                for row in conn.execute(select(*metadata.tables[name].c).order_by("id"))
            ]
            for name in OLD_TABLES
        }


def database_at(revision: str, engine: Engine, demo_template: Path, tables=OLD_TABLES) -> MetaData:
    """``engine`` migrated down to ``revision``, holding the demo as that schema held it."""
    migrate.downgrade(engine, revision)
    old = MetaData()
    old.reflect(engine, only=tables)
    source = make_engine(f"sqlite:///{demo_template}")
    new = MetaData()
    new.reflect(source, only=tables)
    with source.connect() as src, engine.begin() as dst:
        for name in reversed(tables):  # the reference rows the migration made, for one
            dst.execute(old.tables[name].delete())
        for name in tables:
            table = old.tables[name]
            # app_user's roles and partnership_id went in 0003; the demo has no users anyway
            columns = [
                new.tables[name].c[RENAMED.get((name, c.name), c.name)].label(c.name)
                for c in table.c
                if RENAMED.get((name, c.name), c.name) in new.tables[name].c
            ]
            rows = [dict(r) for r in src.execute(select(*columns)).mappings()]
            if rows:
                dst.execute(table.insert(), rows)
    source.dispose()
    return old
