"""The demo data: Strängnäs 2007 until today, and optionally invented partnerships beside it.

Partnership 1 is Strängnäs kommun with lokalpolisområde Eskilstuna/Strängnäs. Its promises of
2018–2023 carry what the municipality and the police published (``demo_facts``, source
``verklig`` with URLs); every other year, activity and evaluation is invented
(``demo_invented``, ``demo_evaluations``) and marked ``exempel``. Partnerships 2..N are
invented "Exempelkommun NNN" for testing at national scale (290 partnerships ≈ 170,000
evaluations).

Everything is deterministic: each partnership draws from its own ``random.Random`` with a fixed
seed, and ``today`` (not the clock) decides the current year and which tertials have started.
Rows are built as plain dicts and written with Core bulk inserts in one transaction; a
national-scale load takes seconds, where per-row ORM objects would take minutes.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, text

from db import demo_facts as facts
from db import organisations
from db.demo_evaluations import year_evaluations, year_finals
from db.demo_invented import (
    POLICE_REORGANISATION_YEAR,
    invented_focus_area,
    invented_promise,
    invented_signatories,
)
from db.models import Activity, AuditLog, Evaluation, FocusArea, Partnership, Period, Promise
from db.periods import OwnPeriod, promise_periods, whole_years
from db.vocabulary import FIRST_YEAR

SEED = 20070486
PROMISE_COLUMNS = (
    "year_from", "year_to", "valid_from", "valid_to", "area", "rhythm", "kind", "title",
    "signed_on", "signatories", "summary", "source", "source_url",
)  # fmt: skip
FOCUS_AREA_COLUMNS = ("name", "description", "theme")
ACTIVITY_COLUMNS = (
    "title", "description", "owner", "partners", "target_value", "target_unit", "lineage_key",
    "source", "source_url",
)  # fmt: skip
# Children first, so foreign keys hold at every step; app_user and its role grants stay (they
# point at organisations, which a replace keeps).
PROMISE_DATA = (Evaluation, Activity, FocusArea, Period, Promise, Partnership, AuditLog)


def load(
    engine: Engine,
    *,
    partnerships: int = 1,
    replace: bool = False,
    today: dt.date | None = None,
) -> str:
    """Write the demo data in one transaction and return a short Swedish summary.

    Args:
        engine: A migrated database.
        partnerships: 1 for Strängnäs alone; more adds invented partnerships 2..N.
        replace: Delete all promise data and the audit log first (never the users).
        today: Decides the current year and which tertials have started; defaults to today.

    Returns:
        For example ``"1 samverkanspar, 20 löften, 180 aktiviteter, 540 utvärderingar"``.
    """
    today = today or dt.date.today()
    plans = [partnership_plan(number, today) for number in range(1, partnerships + 1)]
    with engine.begin() as conn:
        last_audit_id = conn.scalar(select(func.max(AuditLog.id))) or 0
        if replace:
            for model in PROMISE_DATA:
                conn.execute(delete(model.__table__))
        counts = _insert_plans(conn, plans)
        organisations.link_partnerships(conn)
        organisations.add_default_parties(conn)
        _record_load(conn, counts, last_audit_id, replace=replace, today=today)
    _analyze(engine)
    return summary(counts)


def _analyze(engine: Engine) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL; issue 6).

    Until autovacuum gets to it, PostgreSQL plans with no statistics for the new rows: right
    after a national-scale load (166,000 evaluations) the Administration page's evaluation
    counts took 450 ms by sequential scans instead of 0.4 ms by index. SQLite's planner
    needs no statistics for these indexed lookups.
    """
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        conn.execute(text("ANALYZE " + ", ".join(m.__table__.name for m in PROMISE_DATA)))


def partnership_plan(number: int, today: dt.date) -> dict[str, Any]:
    """Partnership ``number`` (1 = Strängnäs) with its promises and their evaluations."""
    rng = random.Random(SEED + number)
    years = range(FIRST_YEAR, today.year + 1)
    if number == 1:
        row = {
            "kommun_name": facts.KOMMUN,
            "kommun_code": facts.KOMMUN_CODE,
            "police_area": facts.POLICE_AREA,
            "source": "verklig",
        }
        promises = _strangnas_promises(rng, years)
    else:
        row = {
            "kommun_name": f"Exempelkommun {number:03d}",
            "kommun_code": f"E{number:03d}",
            "police_area": f"Exempel-LPO {number:03d}",
            "source": "exempel",
        }
        parties = f"{row['kommun_name']} och {row['police_area']}"
        signatories = invented_signatories(rng, years)
        promises = [invented_promise(rng, year, parties, signatories[year]) for year in years]
    for promise in promises:
        _add_evaluations(rng, promise, today)
    return {"partnership": row, "promises": promises}


def summary(counts: dict[str, int]) -> str:
    """``"1 samverkanspar, 20 löften, 180 aktiviteter, 540 utvärderingar"``."""
    words = (
        ("partnerships", "samverkanspar", "samverkanspar"),
        ("promises", "löfte", "löften"),
        ("activities", "aktivitet", "aktiviteter"),
        ("evaluations", "utvärdering", "utvärderingar"),
    )
    return ", ".join(
        f"{_thousands(counts[key])} {one if counts[key] == 1 else many}" for key, one, many in words
    )


def _strangnas_promises(rng: random.Random, years: range) -> list[dict[str, Any]]:
    published = {promise["year_from"]: promise for promise in facts.PROMISES}
    covered = {
        year
        for promise in facts.PROMISES
        for year in range(promise["year_from"], promise["year_to"] + 1)
    }
    signatories = invented_signatories(rng, years)
    promises = []
    for year in years:
        if year in published:
            promises.append(_published_promise(rng, published[year]))
        elif year not in covered:
            parties = (
                facts.TITLE_PARTIES
                if year >= POLICE_REORGANISATION_YEAR
                else "Strängnäs kommun och Polisen i Strängnäs"
            )
            promises.append(invented_promise(rng, year, parties, signatories[year]))
    return promises


def _published_promise(rng: random.Random, published: dict[str, Any]) -> dict[str, Any]:
    """A copy of a published promise; focus areas without published activities get invented ones."""
    promise = copy.deepcopy(published)  # the facts module stays untouched between loads
    for area in promise["focus_areas"]:
        if area["activities"] is None:
            area["activities"] = invented_focus_area(rng, area["theme"], 4)["activities"]
    return promise


def _add_evaluations(rng: random.Random, promise: dict[str, Any], today: dt.date) -> None:
    activities = [a for area in promise["focus_areas"] for a in area["activities"]]
    for activity in activities:
        activity["evaluations"] = []
    for year in range(promise["year_from"], min(promise["year_to"], today.year) + 1):
        finals = year_finals(rng, len(activities), year)
        for activity, final in zip(activities, finals, strict=True):
            activity["evaluations"] += year_evaluations(rng, activity, year, final, today)


def _insert_plans(conn: Connection, plans: list[dict[str, Any]]) -> dict[str, int]:
    """Insert level by level; each level's generated ids become the next level's foreign keys."""
    ids = _insert_with_ids(conn, Partnership, [plan["partnership"] for plan in plans])
    promises = [(pid, p) for pid, plan in zip(ids, plans, strict=True) for p in plan["promises"]]
    for _, promise in promises:
        _fill_shape(promise)
    ids = _insert_with_ids(
        conn, Promise, [_pick(p, PROMISE_COLUMNS, partnership_id=pid) for pid, p in promises]
    )
    period_ids = _insert_periods(conn, zip(ids, (p for _, p in promises), strict=True))
    areas = [
        (promise_id, order, area)
        for promise_id, (_, promise) in zip(ids, promises, strict=True)
        for order, area in enumerate(promise["focus_areas"], 1)
    ]
    ids = _insert_with_ids(
        conn,
        FocusArea,
        [
            _pick(area, FOCUS_AREA_COLUMNS, promise_id=promise_id, sort_order=order, archived=False)
            for promise_id, order, area in areas
        ],
    )
    activities = [
        (promise_id, area_id, order, activity)
        for area_id, (promise_id, _, area) in zip(ids, areas, strict=True)
        for order, activity in enumerate(area["activities"], 1)
    ]
    ids = _insert_with_ids(
        conn,
        Activity,
        [
            _pick(
                a,
                ACTIVITY_COLUMNS,
                promise_id=pid,
                focus_area_id=fid,
                sort_order=order,
                archived=False,
            )
            for pid, fid, order, a in activities
        ],
    )
    evaluations = [
        {
            **evaluation,
            "activity_id": activity_id,
            "period_id": period_ids[promise_id, evaluation["year"], evaluation["period_no"]],
        }
        for activity_id, (promise_id, *_, activity) in zip(ids, activities, strict=True)
        for evaluation in activity["evaluations"]
    ]
    if evaluations:
        conn.execute(insert(Evaluation.__table__), evaluations)
    return {
        "partnerships": len(plans),
        "promises": len(promises),
        "activities": len(activities),
        "evaluations": len(evaluations),
    }


def _fill_shape(promise: dict[str, Any]) -> None:
    """Whole years by tertial unless the plan says otherwise (dates, area, rhythm)."""
    if "valid_from" not in promise:
        promise["valid_from"], promise["valid_to"] = whole_years(
            promise["year_from"], promise["year_to"]
        )
    promise["year_from"], promise["year_to"] = promise["valid_from"].year, promise["valid_to"].year
    promise.setdefault("area", None)
    promise.setdefault("rhythm", "tertial")


def _insert_periods(conn: Connection, promises) -> dict[tuple[int, int, int], int]:
    """Every promise's periods (db/periods.py); ids by (promise id, year, number)."""
    keys, rows = [], []
    for promise_id, promise in promises:
        own = [OwnPeriod(*p) for p in promise.get("own_periods", ())]
        for spec in promise_periods(
            promise["valid_from"], promise["valid_to"], promise["rhythm"], own
        ):
            keys.append((promise_id, spec.year, spec.number))
            rows.append(
                {
                    "promise_id": promise_id,
                    "year": spec.year,
                    "number": spec.number,
                    "code": spec.code,
                    "name": spec.name,
                    "starts_on": spec.starts_on,
                    "ends_on": spec.ends_on,
                }
            )
    return dict(zip(keys, _insert_with_ids(conn, Period, rows), strict=True))


def _insert_with_ids(conn: Connection, model, rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert with ids numbered on from the table's highest; returns them in row order.

    Numbering here rather than asking the database back (RETURNING ... sort_by_parameter_order)
    is what makes PostgreSQL fast: the 290-partnership load took 27 s with RETURNING, 11 s
    without.
    """
    table = model.__table__
    start = (conn.scalar(select(func.max(table.c.id))) or 0) + 1
    ids = list(range(start, start + len(rows)))
    if rows:
        conn.execute(insert(table), [row | {"id": id_} for row, id_ in zip(rows, ids, strict=True)])
        _advance_sequence(conn, table.name, ids[-1])
    return ids


def _advance_sequence(conn: Connection, table_name: str, last_id: int) -> None:
    """Move PostgreSQL's id sequence past ids written by hand, so the app's inserts never clash."""
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :last_id)"),
            {"table": table_name, "last_id": last_id},
        )


def _pick(spec: dict[str, Any], columns: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    return {column: spec[column] for column in columns} | extra


def _record_load(
    conn: Connection, counts: dict[str, int], last_audit_id: int, *, replace: bool, today
) -> None:
    # The id follows the highest id before any delete: SQLite would otherwise start over at 1
    # after a replace, and a data version read from the newest audit id would look unchanged.
    last_id = last_audit_id + 1
    row = {
        "id": last_id,
        "at": dt.datetime.now(dt.UTC),
        "username": "demo",
        "table_name": "demo",
        "row_id": None,
        "action": "load",
        "after": {**counts, "replace": replace, "today": today.isoformat()},
    }
    conn.execute(insert(AuditLog.__table__), [row])
    _advance_sequence(conn, AuditLog.__tablename__, last_id)


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")
