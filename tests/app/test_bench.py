"""The benchmark's pure parts and one small run of each kind, so `make bench` does not rot.

No timing assertions: the figures depend on the machine. What is checked is that each measure
runs against the real app and database and that the table and JSON say what was measured.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import pyarrow as pa
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from bench import browser, databases, pages, report, services
from db import make_engine
from db.models import AuditLog, Evaluation

TODAY = dt.date(2026, 11, 26)  # the demo template's "today"


def _results(warm_ms: float) -> dict:
    page = {"cold_ms": 400.0, "warm_ms": warm_ms, "charts": 1, "title": "Översikt"}
    return {
        "meta": {"started": "2026-11-26T12:00:00+00:00"},
        "pages": {"sqlite": {"demo": {"oversikt": page}, "national": {"oversikt": page}}},
        "services": {"sqlite": {"national": {"save_ms": 12.5, "png_ms": 250.0}}},
        "browser": {
            "backend": "sqlite", "scale": "national",
            "pages": {"oversikt": {"ms": 900.0, "floor_ms": 500.0, "marks": 4, "ratio": 1.8}},
        },
        "memory": {"backend": "sqlite", "scale": "national", "sessions": 10, "peak_rss_mb": 420},
    }  # fmt: skip


def _row(rows, label):
    return next(row for row in rows if row[0] == label)


def test_table_has_a_row_per_measure_with_its_target_and_verdict():
    rows = report.table_rows(_results(warm_ms=180.0))
    assert _row(rows, "oversikt: server warm (ms)") == (
        "oversikt: server warm (ms)", "180", "180", "–", "–", "≤ 150", "MISSED",
    )  # fmt: skip
    assert _row(rows, "save one evaluation (ms)")[2] == "12.5"
    assert _row(rows, "  ratio to floor")[2:] == ("1.80", "–", "–", "≤ 1.5×", "MISSED")
    assert _row(rows, "server peak RSS, 10 sessions (MB)")[-1] == "ok"
    assert report.table_rows(_results(warm_ms=90.0))[0][-1] == "ok"


def test_table_aligns_columns_under_a_rule():
    text = report.format_table(report.table_rows(_results(warm_ms=90.0)))
    header, rule, *body = text.splitlines()
    assert header.startswith("measure") and set(rule) <= {"-", " "}
    assert len(body) == len(report.table_rows(_results(warm_ms=90.0)))
    end = header.index("SQLite 290") + len("SQLite 290")
    assert body[0].startswith("oversikt: server warm") and body[0][:end].endswith(" 90")


def test_json_round_trip_and_comparison(tmp_path):
    old = report.write_json(_results(warm_ms=200.0), tmp_path / "out", "20261126-120000")
    assert old.name == "bench-20261126-120000.json"
    loaded = json.loads(old.read_text())
    assert report.flatten(loaded)["pages.sqlite.national.oversikt.warm_ms"] == 200.0
    compared = report.compare_table(loaded, _results(warm_ms=100.0))
    line = next(li for li in compared.splitlines() if "national.oversikt.warm_ms" in li)
    assert "200.0" in line and "100.0" in line and "-50 %" in line
    assert "meta." not in compared


def test_one_page_is_timed_through_apptest_on_the_demo_database(demo_url):
    before = os.environ.get("DASHBOARD_DATABASE_URL")
    with pages.app_environment(demo_url):
        assert os.environ["DASHBOARD_DATABASE_URL"] == demo_url
        timing = pages.time_page("trender", reruns=1)
    assert os.environ.get("DASHBOARD_DATABASE_URL") == before
    assert timing.title == "Trender sedan 2007"
    assert timing.charts >= 1 and timing.problem is None
    assert timing.cold_ms > 0 and timing.warm_ms > 0


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


def test_floor_page_draws_one_chart_with_the_asked_number_of_marks():
    at = AppTest.from_file(str(browser.FLOOR_APP), default_timeout=30)
    at.query_params["marks"] = "7"
    at.run()
    (chart,) = at.get("vega_lite_chart")
    assert json.loads(chart.proto.spec)["mark"]["type"] == "bar"
    (dataset,) = chart.proto.datasets  # Streamlit sends the rows as Arrow beside the spec
    assert pa.ipc.open_stream(dataset.data.data).read_all().num_rows == 7
    at.query_params["marks"] = "0"
    assert not at.run().get("vega_lite_chart")  # no marks: the bare page alone


def test_process_memory_reads_proc():
    peak, current = browser.process_memory_mb(os.getpid())
    assert peak >= current > 10


def test_load_figures_stand_beside_their_targets():
    figures = {"sessions": 50, "page_median_ms": 300.0, "page_p95_ms": 900.0,
               "save_median_ms": 200.0, "save_p95_ms": 1200.0, "errors": 0,
               "peak_rss_mb": 700.0, "upstreams": []}  # fmt: skip
    proxied = {**figures, "backend": "postgres", "scale": "national", "errors": 2,
               "upstreams": ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"]}  # fmt: skip
    rows = report.table_rows({"load": {"sqlite": figures}, "load_proxy": proxied})
    assert _row(rows, "50 sessions: page run, p95 (ms)")[2:] == ("900", "–", "–", "≤ 1000", "ok")
    assert _row(rows, "50 sessions: save, p95 (ms)")[-1] == "MISSED"
    assert _row(rows, "50 sessions: errors")[-2:] == ("0", "ok")
    assert _row(rows, "50 sessions: server peak RSS (MB)")[-2:] == ("≤ 1024", "ok")
    via = _row(rows, "50 sessions via nginx, 3 processes: errors")
    assert via[4] == "2" and via[-1] == "MISSED"
