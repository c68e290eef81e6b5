"""The demo data: Strängnäs 2007 until today, and optionally every kommun in Sweden beside it.

The default demo is Strängnäs kommun with lokalpolisområde Eskilstuna/Strängnäs. Its promises
of 2018–2023 carry what the municipality and the police published (``demo_facts``, source
``verklig`` with URLs); every other year, activity and evaluation is invented
(``demo_invented``, ``demo_evaluations``) and marked ``exempel``. The national demo
(``demo_national``) adds the other 289 kommuner with invented police areas and promises of
many shapes (about 290 partnerships and 180,000 evaluations).

Everything is deterministic: each partnership draws from its own ``random.Random`` with a fixed
seed, and ``today`` (not the clock) decides the current year and which periods have started.
Rows are built as plain dicts and written with Core bulk inserts in one transaction; a
national-scale load takes seconds, where per-row ORM objects would take minutes.
"""

from __future__ import annotations

import copy
import datetime as dt
import random
from collections.abc import Collection
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, text

from db import demo_facts as facts
from db import demo_indicators, demo_national, organisations
from db.demo_evaluations import add_evaluations, fill_shape, promise_periods_of
from db.demo_invented import (
    POLICE_REORGANISATION_YEAR,
    invented_focus_area,
    invented_promise,
    invented_signatories,
)
from db.demo_rows import advance_sequence, insert_with_ids
from db.models import (
    Activity,
    AuditLog,
    Evaluation,
    FocusArea,
    FocusAreaIndicator,
    Indicator,
    IndicatorValue,
    Partnership,
    Period,
    Promise,
    PromiseParty,
    Publication,
    ReminderSent,
)
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
PROMISE_DATA = (
    ReminderSent, Publication, FocusAreaIndicator, IndicatorValue, Indicator, Evaluation,
    Activity, FocusArea, Period, PromiseParty, Promise, Partnership, AuditLog,
)  # fmt: skip


def load(
    engine: Engine,
    *,
    national: bool = False,
    kommuner: Collection[str] | None = None,
    replace: bool = False,
    today: dt.date | None = None,
) -> str:
    """Write the demo data in one transaction and return a short Swedish summary.

    Args:
        engine: A migrated database.
        national: Every kommun of Sweden (``demo_national``), not Strängnäs alone.
        kommuner: With ``national``, only these kommun codes beside Strängnäs (tests).
        replace: Delete all promise data and the audit log first (never the users nor the
            organisations; a later load uses the police areas and parties it finds again).
        today: Decides the current year and which periods have started; defaults to today.

    Returns:
        For example ``"1 samverkanspar, 20 löften, 180 aktiviteter, 540 utvärderingar"``.
    """
    today = today or dt.date.today()
    strangnas = partnership_plan(1, today)
    areas, plans = [], [strangnas]
    if national:
        areas, plans = demo_national.national_plans(today, strangnas, kommuner)
    elif kommuner is not None:
        raise ValueError("kommuner gäller bara det nationella exemplet (national=True).")
    with engine.begin() as conn:
        last_audit_id = conn.scalar(select(func.max(AuditLog.id))) or 0
        if replace:
            for model in PROMISE_DATA:
                conn.execute(delete(model.__table__))
        if national:
            demo_national.link_organisations(conn, areas, plans)
        first_focus_area_id = (conn.scalar(select(func.max(FocusArea.id))) or 0) + 1
        counts = _insert_plans(conn, plans)
        organisations.link_partnerships(conn)
        organisations.add_default_parties(conn)
        counts["indicator_values"] = demo_indicators.add(conn, today, first_focus_area_id)
        counts["national"] = national
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
    """Strängnäs (``number`` 1, its seed) with its promises and their evaluations."""
    if number != 1:
        raise ValueError("Bara samverkan 1 (Strängnäs) har en egen plan; se demo_national.")
    rng = random.Random(SEED + number)
    years = range(FIRST_YEAR, today.year + 1)
    row = {
        "kommun_name": facts.KOMMUN,
        "kommun_code": facts.KOMMUN_CODE,
        "police_area": facts.POLICE_AREA,
        "source": "verklig",
    }
    promises = _strangnas_promises(rng, years)
    for promise in promises:
        add_evaluations(rng, promise, today)
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


def _insert_plans(conn: Connection, plans: list[dict[str, Any]]) -> dict[str, int]:
    """Insert level by level; each level's generated ids become the next level's foreign keys."""
    ids = insert_with_ids(conn, Partnership, [plan["partnership"] for plan in plans])
    promises = [(pid, p) for pid, plan in zip(ids, plans, strict=True) for p in plan["promises"]]
    for _, promise in promises:
        fill_shape(promise)
    ids = insert_with_ids(
        conn, Promise, [_pick(p, PROMISE_COLUMNS, partnership_id=pid) for pid, p in promises]
    )
    period_ids = _insert_periods(conn, zip(ids, (p for _, p in promises), strict=True))
    parties = [
        {"promise_id": promise_id, "organisation_id": org_id, "role": role, "sort_order": n}
        for promise_id, (_, promise) in zip(ids, promises, strict=True)
        for n, (org_id, role) in enumerate(promise.get("party_ids", ()))
    ]
    if parties:
        conn.execute(insert(PromiseParty.__table__), parties)
    areas = [
        (promise_id, order, area)
        for promise_id, (_, promise) in zip(ids, promises, strict=True)
        for order, area in enumerate(promise["focus_areas"], 1)
    ]
    ids = insert_with_ids(
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
    ids = insert_with_ids(
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
                owner_organisation_id=a.get("owner_organisation_id"),
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


def _insert_periods(conn: Connection, promises) -> dict[tuple[int, int, int], int]:
    """Every promise's periods (db/periods.py); ids by (promise id, year, number)."""
    keys, rows = [], []
    for promise_id, promise in promises:
        for spec in promise_periods_of(promise):
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
    return dict(zip(keys, insert_with_ids(conn, Period, rows), strict=True))


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
    advance_sequence(conn, AuditLog.__tablename__, last_id)


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")
