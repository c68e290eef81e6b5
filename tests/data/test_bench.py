"""The benchmark's save timing (issue 15) on a copy of the demo database: real versions and
audit rows written. No timing assertions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from bench import databases, services
from db import make_engine
from db.models import AuditLog, Evaluation

TODAY = dt.date(2026, 11, 26)  # the demo template's "today"


def test_the_save_timing_writes_real_versions_and_audit_rows(demo_url):
    engine = make_engine(demo_url)
    try:
        databases.add_bench_user(engine)
        with engine.connect() as conn:
            audits = conn.scalar(select(func.count()).select_from(AuditLog))
        times = services.time_saves(engine, today=TODAY, saves=3)
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(AuditLog)) >= audits + 3
            completion = conn.scalar(
                select(Evaluation.completion).where(Evaluation.comment == "Prestandamätning")
            )
    finally:
        engine.dispose()
    assert len(times) == 3 and completion == 32  # 30, 31, 32: each save an update
