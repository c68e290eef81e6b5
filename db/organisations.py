"""Organisations as parties of promises (issue 11): link partnerships and promises to them.

The reference organisations (the 290 kommuner and the seven police regions) come with
migration 0002. Here the rows a load or an administrator adds get theirs: a partnership its
kommun (by SCB code; a code outside the list, as in the invented demo, gets a demo kommun) and
its lokalpolisområde (by name, in the police region of the kommun's län), and each promise
without parties the partnership's kommun and police area. Migration 0002 does the same for the
rows that existed before it, with its own frozen copy of these steps.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, exists, select

from db.models import Organisation, Partnership, PoliceAreaKommun, Promise, PromiseParty

REFERENCE = Path(__file__).with_name("reference")


@cache
def region_code_by_lan() -> dict[str, str]:
    """Län code → police region code, from db/reference/polisregion_lan.csv."""
    with (REFERENCE / "polisregion_lan.csv").open(encoding="utf-8", newline="") as file:
        return {row["lanskod"]: row["polisregion"] for row in csv.DictReader(file)}


def link_partnerships(conn: Connection) -> int:
    """Give every partnership without them its kommun and police area; returns how many."""
    org = Organisation.__table__
    unlinked = (
        conn.execute(select(Partnership.__table__).where(Partnership.kommun_id.is_(None)))
        .mappings()
        .all()
    )
    if not unlinked:
        return 0
    kommuner = dict(conn.execute(select(org.c.code, org.c.id).where(org.c.kind == "kommun")).all())
    areas = dict(
        conn.execute(select(org.c.name, org.c.id).where(org.c.kind == "lokalpolisomrade")).all()
    )
    regions = dict(
        conn.execute(select(org.c.code, org.c.id).where(org.c.kind == "polisregion")).all()
    )
    for row in unlinked:
        kommun_id = kommuner.get(row["kommun_code"])
        if kommun_id is None:
            kommun_id = _insert(conn, kind="kommun", code=row["kommun_code"],
                                name=row["kommun_name"], source="exempel")  # fmt: skip
            kommuner[row["kommun_code"]] = kommun_id
        area_id = areas.get(row["police_area"])
        if area_id is None:
            region = region_code_by_lan().get(row["kommun_code"][:2])
            area_id = _insert(conn, kind="lokalpolisomrade", name=row["police_area"],
                              parent_id=regions.get(region), source=row["source"])  # fmt: skip
            areas[row["police_area"]] = area_id
        covered = conn.scalar(
            select(exists().where(
                PoliceAreaKommun.police_area_id == area_id, PoliceAreaKommun.kommun_id == kommun_id
            ))
        )  # fmt: skip
        if not covered:
            conn.execute(
                PoliceAreaKommun.__table__.insert(),
                {"police_area_id": area_id, "kommun_id": kommun_id},
            )
        conn.execute(
            Partnership.__table__.update()
            .where(Partnership.id == row["id"])
            .values(kommun_id=kommun_id, police_area_id=area_id)
        )
    return len(unlinked)


def add_default_parties(conn: Connection) -> int:
    """Make the partnership's kommun and police area the parties of every promise with none."""
    lonely = conn.execute(
        select(Promise.id, Partnership.kommun_id, Partnership.police_area_id)
        .join(Partnership, Promise.partnership_id == Partnership.id)
        .where(~exists().where(PromiseParty.promise_id == Promise.id))
        .where(Partnership.kommun_id.is_not(None))
    ).all()
    rows = [
        {"promise_id": promise_id, "organisation_id": org_id, "role": role, "sort_order": n}
        for promise_id, kommun_id, area_id in lonely
        for n, (org_id, role) in enumerate(((kommun_id, "kommun"), (area_id, "polis")))
    ]
    if rows:
        conn.execute(PromiseParty.__table__.insert(), rows)
    return len(lonely)


def _insert(conn: Connection, **values) -> int:
    return conn.execute(
        Organisation.__table__.insert().returning(Organisation.id), values
    ).scalar_one()
