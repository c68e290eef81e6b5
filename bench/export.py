"""Benchmark of the exports (issue 5): one chart to PNG ≤ 1 s, the whole pack ≤ 10 s.

Runs on a fresh SQLite copy of the demo data (Strängnäs, today fixed to 2026-11-26), so the
figures compare between machines and commits. Prints one line per measurement: the median of
``--repeat`` runs, the slowest run, the median CPU time, and the target where the issue sets
one. Targets are judged on the median wall-clock time, which is what a user waits; the CPU
time beside it shows how much of a slow run was waiting for a busy machine's cores.

    .venv/bin/python -m bench.export [--year 2021] [--tertial 3] [--repeat 5]

``run_benchmarks()`` returns the same figures as a dict for other benchmark scripts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dashboard.export import content, data_files, images, pack, result_text
from db import demo, make_engine, migrate

TODAY = dt.date(2026, 11, 26)
TARGETS = {"diagram → PNG (största)": 1.0, "hela paketet (läs + .pptx)": 10.0}


def _timed(work: Callable[[], object], repeat: int) -> tuple[float, float, float]:
    """(median, slowest, median CPU) seconds of ``repeat`` runs of ``work``.

    CPU time (this process, all its threads: vl-convert renders in its own) is what a run
    costs on a machine shared with other work, where wall-clock time also counts waiting.
    """
    runs, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(runs), max(runs), statistics.median(cpu)


def run_benchmarks(*, year: int = 2021, tertial: int = 3, repeat: int = 5) -> dict[str, tuple]:
    """Measure every export on a fresh demo database; {name: (median, slowest, median CPU) s}."""
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'demo.sqlite3'}")
        migrate.upgrade(engine)
        demo.load(engine, today=TODAY)

        def load() -> content.YearExports:
            with engine.connect() as conn:
                return content.load_year_exports(
                    conn, year, tertial, partnership="0486", today=TODAY
                )

        exports = load()
        specs = {c.key: images.export_spec(c.chart, c.meta) for c in exports.charts}
        first_png = functools.partial(images.spec_to_png, next(iter(specs.values())))
        # vl-convert starts its engine on the first call, once per process.
        figures: dict[str, tuple] = {"första PNG (start av vl-convert)": _timed(first_png, 1)}
        for key, spec in specs.items():
            for fmt in ("png", "svg", "pdf"):
                render = functools.partial(images.chart_bytes, spec, fmt)
                figures[f"{key} → {fmt.upper()}"] = _timed(render, repeat)
        slowest_png = max(figures[f"{key} → PNG"] for key in specs)
        figures["diagram → PNG (största)"] = slowest_png
        figures["läs årets exportunderlag"] = _timed(load, repeat)
        figures["hela paketet (läs + .pptx)"] = _timed(lambda: pack.build_pack(load().pack), repeat)
        figures["resultattext .docx"] = _timed(
            lambda: result_text.result_docx(exports.result), repeat
        )
        figures["utvärderingar .csv"] = _timed(
            lambda: data_files.frame_to_csv(exports.evaluations), repeat
        )
        figures["utvärderingar .xlsx"] = _timed(
            lambda: data_files.frame_to_xlsx(exports.evaluations), repeat
        )
        engine.dispose()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2021)
    parser.add_argument("--tertial", type=int, default=3, choices=(1, 2, 3))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    figures = run_benchmarks(year=args.year, tertial=args.tertial, repeat=args.repeat)
    failed = False
    print(
        f"Export, demodata {args.year} T{args.tertial}, median och långsammaste av {args.repeat}:"
    )
    for name, (median, slowest, cpu) in figures.items():
        target = TARGETS.get(name)
        verdict = ""
        if target is not None:
            ok = median <= target
            failed |= not ok
            verdict = f"  mål ≤ {target:g} s: {'ok' if ok else 'FÖR LÅNGSAMT'}"
        print(
            f"  {name:<36} {median * 1000:7.0f} ms  (max {slowest * 1000:5.0f} ms, "
            f"CPU {cpu * 1000:5.0f} ms){verdict}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
