"""Run the benchmark: ``python -m bench.run`` (``make bench``). See docs/performance.md.

Builds the demo (Strängnäs) and the national demo (all 290 kommuner, ``demo --national``) in
fresh SQLite files and, where the server answers,
in scratch PostgreSQL databases (created and dropped here; DASHBOARD_BENCH_POSTGRES_URL
overrides postgresql+psycopg://postgres@127.0.0.1:5432); measures each; prints one table and
writes the same figures to bench-results/bench-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import io
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import streamlit.logger

from bench import browser, databases, load, pages, report, services
from db import make_engine
from testsupport import proxy
from testsupport.databases import postgres_admin
from testsupport.server import APP

RESULTS_DIR = Path(__file__).resolve().parents[1] / "bench-results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--reruns", type=int, default=10, help="warm reruns per page (≥ 10)")
    parser.add_argument(
        "--browser-repeats",
        type=int,
        default=9,
        help="page and floor loads, in turn, per page (after one warm-up load of each)",
    )
    parser.add_argument(
        "--sessions", type=int, default=10, help="browser sessions for the memory measurement"
    )
    parser.add_argument(
        "--browser-backend",
        choices=["sqlite", "postgres"],
        default="sqlite",
        help="database of the browser and memory measurements (national scale)",
    )
    parser.add_argument(
        "--load-sessions",
        type=int,
        default=50,
        help="concurrent sessions of the load test (bench/load.py; 0: none)",
    )
    parser.add_argument(
        "--think",
        type=float,
        default=load.MEETING.think,
        help="mean pause of a load-test session between pages (s)",
    )
    parser.add_argument(
        "--ramp",
        type=float,
        default=load.MEETING.ramp,
        help="seconds over which the load test's sessions arrive (0: all in the same instant)",
    )
    parser.add_argument(
        "--no-load-extremes",
        action="store_true",
        help="only the judged load test: not also all sessions at once and 1 s between pages",
    )
    parser.add_argument(
        "--via-proxy",
        action="store_true",
        help="also run the load test through nginx and three processes "
        "on PostgreSQL (deploy/, national scale)",
    )
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--pages", nargs="*", default=list(pages.PAGES), help="pages to time")
    parser.add_argument("--compare", type=Path, help="an earlier bench-*.json to compare with")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="directory of the JSON")
    return parser.parse_args(argv)  # fmt: skip


def say(message: str) -> None:
    """Progress on stderr, so stdout holds only the table."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(db: databases.BenchDatabase, results: dict, args: argparse.Namespace) -> None:
    """Pages and services of one database; browser and memory where asked for."""
    say(f"{db.backend}, {db.partnerships} samverkanspar: byggd på {db.build_seconds:.1f} s")
    results["databases"].setdefault(db.backend, {})[db.scale] = {
        "partnerships": db.partnerships, "build_seconds": db.build_seconds,
    }  # fmt: skip
    with contextlib.redirect_stdout(io.StringIO()):  # streamlit-authenticator prints to stdout
        timings = pages.time_pages(db.url, reruns=args.reruns, pages=args.pages)
    results["pages"].setdefault(db.backend, {})[db.scale] = {
        t.page: dataclasses.asdict(t) for t in timings
    }
    for timing in timings:
        if timing.problem:
            say(f"  varning: {timing.page}: {timing.problem}")
    engine = make_engine(db.url)
    try:
        figures = dataclasses.asdict(services.time_services(engine))
    finally:
        engine.dispose()
    results["services"].setdefault(db.backend, {})[db.scale] = figures
    if db.scale == "national" and db.backend == args.browser_backend and not args.no_browser:
        measure_browser(db, timings, results, args)
    if db.scale == "national" and args.load_sessions:
        measure_load(db, results, args)


def measure_load(db: databases.BenchDatabase, results: dict, args: argparse.Namespace) -> None:
    """The load test on a fresh server, as judged (``load.MEETING``) and, on SQLite, at its
    extremes; on PostgreSQL with --via-proxy, also behind nginx."""
    logs = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = browser.app_env(db.url)
    judged = load.Scenario("meeting", think=args.think, ramp=args.ramp)
    scenarios = [judged]
    if db.backend == "sqlite" and not args.no_load_extremes:
        scenarios += list(load.EXTREMES)
    for scenario in scenarios:
        say(f"{db.backend}: {args.load_sessions} samtidiga sessioner, {scenario.words()}")
        with browser.serving(APP, env, logs / f"app-{scenario.name}.log") as app:
            figures = load.run_load(app.url, sessions=args.load_sessions, think=scenario.think,
                                    ramp=scenario.ramp, pids=[app.process.pid])  # fmt: skip
        _report_load(figures)
        if scenario is judged:
            results.setdefault("load", {})[db.backend] = {"scale": db.scale, **figures}
        else:
            results.setdefault("load_extremes", {})[scenario.name] = {
                "backend": db.backend, "scale": db.scale, **figures,
            }  # fmt: skip
    if not (args.via_proxy and db.backend == "postgres"):
        return
    if proxy.nginx_binary() is None:
        say("nginx saknas (apt-get install nginx): lasttestet via proxyn hoppas över")
        return
    say(f"{db.backend}: {args.load_sessions} sessioner via nginx och {proxy.PROCESSES} processer")
    with proxy.proxied(env, work=logs / "proxy") as proxied:
        figures = load.run_load(proxied.url, sessions=args.load_sessions, think=args.think,
                                ramp=args.ramp, pids=proxied.pids)  # fmt: skip
    _report_load(figures)
    results["load_proxy"] = {"backend": db.backend, "scale": db.scale, **figures}


def _report_load(figures: dict) -> None:
    for problem in figures["problems"]:
        say(f"  fel: {problem}")


def measure_browser(db, timings, results: dict, args: argparse.Namespace) -> None:
    """Time-to-charts against the floor, then the memory of a fresh server under sessions."""
    if not browser.CHROMIUM.exists():
        say("Chromium saknas (/usr/bin/chromium): webbläsarmätningen hoppas över")
        return
    logs = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    env = browser.app_env(db.url)
    say("webbläsare: tid till ritade diagram, sida och golv")
    with browser.chromium() as chromium:  # one browser; each measure has servers of its own
        with (
            browser.serving(APP, env, logs / "app.log") as app,
            browser.serving(browser.FLOOR_APP, {}, logs / "floor.log") as floor,
        ):
            loaded = {
                logged_in: browser.time_pages_in_browser(
                    chromium, app.url, floor.url, timings, repeats=args.browser_repeats,
                    logged_in=logged_in,
                )
                for logged_in in (True, False)
            }  # fmt: skip
        results["browser"] = {
            "backend": db.backend, "scale": db.scale, "repeats": args.browser_repeats,
            **{
                key: {t.page: {**dataclasses.asdict(t), "ratio": t.ratio} for t in loaded[flag]}
                for key, flag in (("pages", True), ("pages_logged_out", False))
            },
        }  # fmt: skip
        say(f"webbläsare: minne efter {args.sessions} sessioner på en nystartad server")
        with browser.serving(APP, env, logs / "memory.log") as app:
            memory = browser.memory_after_sessions(chromium, app, timings, sessions=args.sessions)
        results["memory"] = {"backend": db.backend, "scale": db.scale, **memory}
        first = next((t for t in timings if t.page == "oversikt"), timings[0])
        say(f"kallstart: {first.page} direkt efter att servern startat, "
            f"{args.browser_repeats} gånger")  # fmt: skip
        cold = browser.cold_start(
            chromium, db.url, first, logs / "cold.log", repeats=args.browser_repeats
        )
    results["cold_start"] = {"backend": db.backend, "scale": db.scale, **cold}


def run(args: argparse.Namespace) -> dict:
    """Build, measure and return the results."""
    results: dict = {"meta": meta(args), "databases": {}, "pages": {}, "services": {}}
    scales = {False: "Strängnäs", True: "hela landet (demo --national)"}
    with tempfile.TemporaryDirectory(prefix="bench-") as directory:
        for national, words in scales.items():
            say(f"sqlite: bygger demodata, {words}")
            db = databases.sqlite_database(Path(directory), national=national)
            measure(db, results, args)
    admin = None if args.no_postgres else postgres_admin(databases.POSTGRES_URL)
    if admin is None:
        say("PostgreSQL svarar inte (eller --no-postgres): bara SQLite mäts")
        results["meta"]["postgres"] = "inte mätt"
        return results
    try:
        for national, words in scales.items():
            say(f"postgres: bygger demodata, {words}")
            with databases.postgres_database(admin, national=national) as db:
                measure(db, results, args)
    finally:
        admin.dispose()
    return results


def meta(args: argparse.Namespace) -> dict:
    """When and where the run was made, and with which options."""
    return {
        "started": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "host": platform.node(),
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "reruns": args.reruns,
        "browser_repeats": args.browser_repeats,
        "sessions": args.sessions,
        "load_sessions": args.load_sessions,
        "think_s": args.think,
        "ramp_s": args.ramp,
        "national": "demo --national",
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    streamlit.logger.set_log_level("error")  # AppTest's bare-mode warnings are noise here
    started = time.perf_counter()
    results = run(args)
    results["meta"]["seconds"] = time.perf_counter() - started
    results["meta"]["load_average_end"] = os.getloadavg()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = report.write_json(results, args.out, stamp)
    print(f"Prestanda {results['meta']['started']}, {os.cpu_count()} kärnor, "
          f"belastning {results['meta']['load_average'][0]:.1f}; "
          f"{results['meta']['seconds']:.0f} s")  # fmt: skip
    print(report.format_table(report.table_rows(results)))
    print(f"\nJSON: {path}")
    if args.compare:
        print(f"\nJämfört med {args.compare}:")
        print(report.compare_table(json.loads(args.compare.read_text()), results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
