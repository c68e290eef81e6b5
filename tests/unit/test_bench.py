"""The benchmark's pure parts, so `make bench` does not rot: the table and the JSON say what
was measured, against each target; the process memory is read from /proc.

No timing assertions: the figures depend on the machine. One small run of each kind against the
real app and database: tests/data/test_bench.py (the saves), tests/app/test_bench.py (pages).
"""

from __future__ import annotations

import json
import os

from bench import browser, report


def _results(warm_ms: float) -> dict:
    page = {"cold_ms": 400.0, "warm_ms": warm_ms, "charts": 1, "title": "Översikt"}
    return {
        "meta": {"started": "2026-11-26T12:00:00+00:00"},
        "pages": {"sqlite": {"demo": {"oversikt": page}, "national": {"oversikt": page}}},
        "services": {"sqlite": {"national": {"save_ms": 12.5, "png_ms": 250.0}}},
        "browser": {
            "backend": "sqlite", "scale": "national",
            "pages": {"oversikt": {"ms": 900.0, "floor_ms": 500.0, "marks": 4, "ratio": 1.8}},
            "pages_logged_out": {
                "oversikt": {"ms": 600.0, "floor_ms": 500.0, "marks": 4, "ratio": 1.2}
            },
        },
        "memory": {"backend": "sqlite", "scale": "national", "sessions": 10, "peak_rss_mb": 420},
        "cold_start": {"backend": "sqlite", "scale": "national", "repeats": 3, "page": "oversikt",
                       "server_ready_s": 4.2, "first_page_ms": 2500.0},
    }  # fmt: skip


def _row(rows, label):
    return next(row for row in rows if row[0] == label)


def test_table_has_a_row_per_measure_with_its_target_and_verdict():
    rows = report.table_rows(_results(warm_ms=180.0))
    assert _row(rows, "oversikt: server warm (ms)") == (
        "oversikt: server warm (ms)", "180", "180", "–", "–", "≤ 150", "MISSED",
    )  # fmt: skip
    assert _row(rows, "save one evaluation (ms)")[2] == "12.5"
    ratios = [row[2:] for row in rows if row[0] == "  ratio to floor"]
    assert ratios == [("1.80", "–", "–", "≤ 1.25×", "MISSED"), ("1.20", "–", "–", "≤ 1.25×", "ok")]
    assert _row(rows, "oversikt: browser, logged out (ms)")[2] == "600"
    assert _row(rows, "cold start: server ready (s)")[2] == "4.2"
    assert _row(rows, "cold start: first page drawn (ms)")[2:] == ("2 500", "–", "–", "≤ 2000",
                                                                   "MISSED")  # fmt: skip
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


def test_process_memory_reads_proc():
    peak, current = browser.process_memory_mb(os.getpid())
    assert peak >= current > 10
    # Proportional: this process's libraries are shared with others, so less than its RSS.
    assert 5 < browser.process_pss_mb(os.getpid()) <= current


def test_the_judged_load_is_fifty_readers_arriving_over_ten_seconds():
    from bench import load

    assert (load.MEETING.think, load.MEETING.ramp) == (8.0, 10.0)
    assert load.MEETING.words() == "anländer under 10 s, 8 s mellan sidorna"
    assert [s.words() for s in load.EXTREMES] == [
        "alla i samma ögonblick, 8 s mellan sidorna",
        "alla i samma ögonblick, 1 s mellan sidorna",
    ]


def test_load_figures_stand_beside_their_targets():
    figures = {"sessions": 50, "page_median_ms": 300.0, "page_p95_ms": 900.0,
               "save_median_ms": 200.0, "save_p95_ms": 1200.0, "errors": 0,
               "peak_pss_mb": 700.0, "peak_rss_mb": 1500.0, "upstreams": []}  # fmt: skip
    proxied = {**figures, "backend": "postgres", "scale": "national", "errors": 2,
               "upstreams": ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"]}  # fmt: skip
    extreme = {**figures, "backend": "sqlite", "scale": "national", "page_p95_ms": 9000.0}
    rows = report.table_rows({"load": {"sqlite": figures}, "load_proxy": proxied,
                              "load_extremes": {"one_second": extreme}})  # fmt: skip
    assert _row(rows, "50 sessions: page run, p95 (ms)")[2:] == ("900", "–", "–", "≤ 1000", "ok")
    assert _row(rows, "50 sessions: save, p95 (ms)")[-1] == "MISSED"
    assert _row(rows, "50 sessions: errors")[-2:] == ("0", "ok")
    assert _row(rows, "50 sessions: server peak memory, PSS (MB)")[-2:] == ("≤ 1024", "ok")
    assert _row(rows, "50 sessions:   sum of RSS (MB)")[-2:] == ("", "")
    via = _row(rows, "50 sessions via nginx, 3 processes: errors")
    assert via[4] == "2" and via[-1] == "MISSED"
    stress = _row(rows, "50 sessions, all at once, 1 s between pages: page run, p95 (ms)")
    assert stress[2:] == ("9 000", "–", "–", "", "")
