"""Latency of the write and export services, called as the pages call them.

The save goes through ``dashboard.entry.evaluations.save_evaluation`` (validation, role re-check,
optimistic lock and audit row in one transaction); the PNG and the PowerPoint pack through
``dashboard.export.images`` and ``dashboard.export.pack`` with the Export page's content.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, select

from bench.databases import BENCH_USER
from dashboard import labels, queries
from dashboard.access import Actor
from dashboard.entry.evaluations import save_evaluation
from dashboard.entry.rules import EvaluationInput
from dashboard.export import content as export_content
from dashboard.export import images as export
from dashboard.export import pack as export_pack
from db.models import Evaluation

PARTNERSHIP = "0486"


@dataclass(frozen=True)
class ServiceTimings:
    """Milliseconds: the save (median), the year's export content, PNG (first and median), pack."""

    save_ms: float
    save_max_ms: float
    export_content_ms: float
    png_first_ms: float
    png_ms: float
    pack_ms: float
    png_bytes: int
    pack_bytes: int


def timed(call: Callable[[], object]) -> tuple[float, object]:
    """``call()``'s wall time in milliseconds and its result."""
    started = time.perf_counter()
    result = call()
    return (time.perf_counter() - started) * 1000, result


def time_saves(engine: Engine, *, today: dt.date, saves: int = 10) -> list[float]:
    """Save one evaluation of Strängnäs ``saves`` times, changing its completion each time."""
    tertial = labels.current_tertial(today)
    with engine.connect() as conn:
        activities = queries.load_activities(conn, today.year, partnership=PARTNERSHIP)
        activity_id = activities["activity_id"][0]
        version = conn.scalar(
            select(Evaluation.version).where(
                Evaluation.activity_id == activity_id,
                Evaluation.year == today.year,
                Evaluation.period_no == tertial,
            )
        )
    actor = Actor.of(BENCH_USER, ["admin"])
    times = []
    for number in range(saves):
        entry = EvaluationInput(
            activity_id, today.year, tertial, "pagar", 30 + number, comment="Prestandamätning",
            expected_version=version,
        )  # fmt: skip
        elapsed, outcome = timed(lambda e=entry: save_evaluation(engine, actor, e))
        version = outcome.version
        times.append(elapsed)
    return times


def time_services(engine: Engine, *, today: dt.date | None = None) -> ServiceTimings:
    """Save latency, the Export page's content, one chart to PNG and the presentation pack."""
    today = today or dt.date.today()
    saves = time_saves(engine, today=today)
    with engine.connect() as conn:
        content_ms, exports = timed(
            lambda: export_content.load_year_exports(
                conn, today.year, labels.current_tertial(today), partnership=PARTNERSHIP,
                today=today,
            )
        )  # fmt: skip
    item = exports.charts[0]
    spec = export.export_spec(item.chart, item.meta)
    png_first, png = timed(lambda: export.chart_bytes(spec, "png"))
    png_ms = statistics.median(timed(lambda: export.chart_bytes(spec, "png"))[0] for _ in range(5))
    pack_ms, pack = timed(lambda: export_pack.build_pack(exports.pack))
    return ServiceTimings(
        save_ms=statistics.median(saves),
        save_max_ms=max(saves),
        export_content_ms=content_ms,
        png_first_ms=png_first,
        png_ms=png_ms,
        pack_ms=pack_ms,
        png_bytes=len(png),
        pack_bytes=len(pack),
    )
