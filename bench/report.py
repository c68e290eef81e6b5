"""The benchmark's results: one table on the terminal, the same figures as JSON, comparison.

Results are a nested dict (see bench.run); ``flatten`` turns it into ``dotted.key -> number``
so two runs compare key by key.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

COLUMNS = (("sqlite", "demo"), ("sqlite", "national"), ("postgres", "demo"),
           ("postgres", "national"))  # fmt: skip
HEADERS = ("SQLite 1", "SQLite 290", "PG 1", "PG 290")
# Targets of issue 6: (key inside a column, limit, unit); checked at national scale.
TARGETS = {
    "warm_ms": 150.0,
    "save_ms": 300.0,
    "png_ms": 1000.0,
    "pack_ms": 10_000.0,
    "ratio": 1.25,  # issue 15 (1.5 in issue 6)
    "peak_rss_mb": 600.0,
}
# Issue 15, item 4: the first page after a server start, at national scale.
COLD_START_ROWS = (
    ("server_ready_s", "cold start: server ready (s)", 1, None),
    ("first_page_ms", "cold start: first page drawn (ms)", 0, 2000.0),
)
# Targets of issue 15, the load test (bench/load.py), at national scale. Memory is judged on
# the proportional set size (PSS): several processes share their libraries' code, which the sum
# of their RSS counts once per process; the RSS sum stands beside it.
LOAD_ROWS = (
    ("page_median_ms", "page run, median (ms)", None),
    ("page_p95_ms", "page run, p95 (ms)", 1000.0),
    ("save_median_ms", "save, median (ms)", None),
    ("save_p95_ms", "save, p95 (ms)", 1000.0),
    ("errors", "errors", 0.0),
    ("peak_pss_mb", "server peak memory, PSS (MB)", 1024.0),
    ("peak_rss_mb", "  sum of RSS (MB)", None),
)
# The load test's extremes (bench.load.EXTREMES), measured without targets.
EXTREME_TITLES = {
    "all_at_once": "all arriving in the same instant",
    "one_second": "all at once, 1 s between pages",
}

SERVICE_ROWS = (
    ("save_ms", "save one evaluation (ms)", 1),
    ("png_ms", "one chart to PNG (ms)", 0),
    ("png_first_ms", "  first PNG in the process (ms)", 0),
    ("pack_ms", "PowerPoint pack (ms)", 0),
    ("export_content_ms", "  export content of the year (ms)", 0),
)
BROWSER_ROWS = (
    ("ms", "browser", 0, None),
    ("floor_ms", "  floor", 0, None),
    ("ratio", "  ratio to floor", 2, TARGETS["ratio"]),
)


def flatten(results: dict, prefix: str = "") -> dict[str, float]:
    """Every number in ``results`` under its dotted path (``pages.sqlite.demo.trender.warm_ms``)."""
    flat: dict[str, float] = {}
    for key, value in results.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{path}."))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            flat[path] = float(value)
    return flat


def _cell(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}".replace(",", " ")


def _verdict(values: Iterable[float | None], limit: float | None) -> str:
    measured = [v for v in values if v is not None]
    if limit is None or not measured:
        return ""
    return "ok" if max(measured) <= limit else "MISSED"


def table_rows(results: dict) -> list[tuple[str, ...]]:
    """Rows of (measure, one cell per column, target, verdict) for ``format_table``."""
    rows = []
    pages = results.get("pages", {})
    names = next((list(s) for b in pages.values() for s in b.values()), [])
    for name in names:
        for key, label in (("warm_ms", "warm"), ("cold_ms", "cold")):
            cells = [pages.get(b, {}).get(s, {}).get(name, {}).get(key) for b, s in COLUMNS]
            limit = TARGETS.get(key)
            national = [cells[1], cells[3]]
            rows.append((f"{name}: server {label} (ms)", *map(_cell, cells),
                         f"≤ {limit:.0f}" if limit else "", _verdict(national, limit)))  # fmt: skip
    services = results.get("services", {})
    for key, label, digits in SERVICE_ROWS:
        cells = [services.get(b, {}).get(s, {}).get(key) for b, s in COLUMNS]
        limit = TARGETS.get(key)
        rows.append((label, *(_cell(c, digits) for c in cells),
                     f"≤ {limit:.0f}" if limit else "", _verdict(cells, limit)))  # fmt: skip
    rows += _browser_rows(results.get("browser"))
    rows += _cold_start_rows(results.get("cold_start"))
    memory = results.get("memory")
    if memory:
        label = f"server peak RSS, {memory['sessions']} sessions (MB)"
        limit = TARGETS["peak_rss_mb"]
        rows.append(_one_column_row(label, _where(memory), memory["peak_rss_mb"], 0, limit,
                                    f"≤ {limit:.0f}"))  # fmt: skip
    rows += _load_rows(results.get("load"), results.get("load_proxy"))
    rows += _extreme_rows(results.get("load_extremes"))
    return rows


def _load_rows(direct: dict | None, proxied: dict | None) -> list[tuple[str, ...]]:
    """The load test's figures: one server per backend, and nginx with its processes."""
    rows = []
    direct = direct or {}
    sessions = next((section["sessions"] for section in direct.values()), 0)
    sections = [(f"{sessions} sessions", direct)]
    if proxied:
        label = f"{proxied['sessions']} sessions via nginx, {len(proxied['upstreams'])} processes"
        sections.append((label, {proxied["backend"]: proxied}))
    for title, by_backend in sections:
        if not by_backend:
            continue
        for key, label, limit in LOAD_ROWS:
            cells = [
                by_backend[b].get(key) if b in by_backend and s == "national" else None
                for b, s in COLUMNS
            ]
            target = "" if limit is None else ("0" if limit == 0 else f"≤ {limit:.0f}")
            rows.append((f"{title}: {label}", *map(_cell, cells), target,
                         _verdict(cells, limit)))  # fmt: skip
    return rows


def _extreme_rows(extremes: dict | None) -> list[tuple[str, ...]]:
    """The load test's extremes: page runs and errors, no targets."""
    rows = []
    for name, figures in (extremes or {}).items():
        title = f"{figures['sessions']} sessions, {EXTREME_TITLES.get(name, name)}"
        for key, label, _ in LOAD_ROWS[:5]:
            rows.append(_one_column_row(f"{title}: {label}", _where(figures), figures.get(key),
                                        0, None, ""))  # fmt: skip
    return rows


def _cold_start_rows(cold: dict | None) -> list[tuple[str, ...]]:
    """The median of fresh server starts: until it answers, and its first page drawn."""
    if not cold:
        return []
    return [
        _one_column_row(
            label, _where(cold), cold[key], digits, limit, f"≤ {limit:.0f}" if limit else ""
        )
        for key, label, digits, limit in COLD_START_ROWS
    ]


def _one_column_row(label: str, where: tuple[str, str], value: float, digits: int,
                    limit: float | None, target: str) -> tuple[str, ...]:  # fmt: skip
    """A row with ``value`` in the column of ``where`` (backend, scale) and none elsewhere."""
    cells: list[float | None] = [None] * len(COLUMNS)
    cells[COLUMNS.index(where)] = value
    return (label, *(_cell(c, digits) for c in cells), target, _verdict(cells, limit))


def _where(section: dict) -> tuple[str, str]:
    return (section["backend"], section["scale"])


def _browser_rows(browser: dict | None) -> list[tuple[str, ...]]:
    """Time-to-charts logged in (every page) and logged out (the pages open to readers)."""
    if not browser:
        return []
    rows = []
    passes = (("pages", "browser, logged in"), ("pages_logged_out", "browser, logged out"))
    timings = [(name, t, words) for key, words in passes
               for name, t in browser.get(key, {}).items()]  # fmt: skip
    for name, timing, words in timings:
        for key, label, digits, limit in BROWSER_ROWS:
            text = f"{name}: {words}" if label == "browser" else label
            if key == "floor_ms":
                text += f" ({timing['marks']} marks)"
            unit = "" if key == "ratio" else " (ms)"
            rows.append(_one_column_row(text + unit, _where(browser), timing[key], digits,
                                        limit, f"≤ {limit}×" if limit else ""))  # fmt: skip
    return rows


def format_table(rows: list[tuple[str, ...]], headers=("measure", *HEADERS, "target", "")) -> str:
    """A plain-text table, first column left-aligned, the rest right-aligned."""
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = []
    for number, row in enumerate([headers, *rows]):
        cells = [str(row[0]).ljust(widths[0])]
        cells += [str(cell).rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
        lines.append("  ".join(cells).rstrip())
        if number == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def write_json(results: dict, directory: Path, stamp: str) -> Path:
    """Write ``results`` to ``directory/bench-<stamp>.json`` and return the path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"bench-{stamp}.json"
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def compare_table(old: dict, new: dict) -> str:
    """Every figure present in both runs: old, new and the change in per cent."""
    before, after = flatten(old), flatten(new)
    rows = []
    for key in sorted(before.keys() & after.keys()):
        if key.startswith("meta."):
            continue
        change = (after[key] - before[key]) / before[key] * 100 if before[key] else 0.0
        rows.append((key, _cell(before[key], 1), _cell(after[key], 1), f"{change:+.0f} %"))
    return format_table(rows, headers=("figure", "old", "new", "change"))
