"""No Python function runs inside a polars expression in the app (issue 15).

Polars calls such a function (``map_elements``, ``map_batches``, ``map_rows``, ``map_groups``)
on its worker threads, which then need the GIL; a session's thread that holds the GIL while it
waits for those workers stops the whole server (dashboard/column_text.py). The app formats
columns with ``column_text.text`` instead. Scanned: app.py, pages/, dashboard/ and db/.
"""

from __future__ import annotations

import ast
from pathlib import Path

import polars as pl
import pytest

from dashboard import labels
from dashboard.column_text import text

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    [
        ROOT / "app.py",
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "dashboard").rglob("*.py"),
        *(ROOT / "db").rglob("*.py"),
    ]
)
PYTHON_IN_POLARS = {"map_elements", "map_batches", "map_rows", "map_groups"}


def python_in_polars(source: str, filename: str) -> list[str]:
    """``file:line`` of every call of a polars method that runs a Python function."""
    return sorted(
        f"{filename}:{node.lineno}"
        for node in ast.walk(ast.parse(source, filename))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in PYTHON_IN_POLARS
    )


def test_the_scan_sees_python_in_polars():
    source = """
frame.select(pl.col("a").map_elements(str))
pl.col("a").map_batches(f)
frame.map_rows(f)
frame.select(text(str, frame["a"]))
"""
    assert python_in_polars(source, "x.py") == ["x.py:2", "x.py:3", "x.py:4"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_python_function_runs_in_polars(path):
    assert python_in_polars(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))) == []


def test_text_formats_each_row_of_its_columns_and_keeps_missing_values_for_the_formatter():
    frame = pl.DataFrame({"v": [1.5, None, 1234.5], "unit": ["st", "st", None]})
    assert text(labels.format_percent, frame["v"]).to_list() == [
        "1,5\u00a0%",
        "–",
        "1\u00a0234,5\u00a0%",
    ]
    both = text(lambda v, unit: f"{v} {unit}", frame["v"], frame["unit"], name="Mål")
    assert both.name == "Mål" and both.dtype == pl.String
    assert both.to_list() == ["1.5 st", "None st", "1234.5 None"]
    assert text(str, frame["v"]).name == "v"
