"""The design rules the layout keeps (issue 11): pages never touch an engine or a session,
and the app's connections are opened in one place (dashboard/database.py)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATABASE_CALLS = re.compile(r"\bengine\b|\.connect\(|Session\(|create_engine|make_engine")


def test_pages_never_touch_an_engine_or_a_session():
    offending = {
        path.name: [line.strip() for line in path.read_text().splitlines()
                    if DATABASE_CALLS.search(line)]
        for path in sorted((ROOT / "pages").glob("*.py"))
    }  # fmt: skip
    assert {name: lines for name, lines in offending.items() if lines} == {}


def test_the_ui_modules_open_connections_only_through_the_database_module():
    """The *_ui modules read and write through dashboard/database.py, which owns the engine."""
    ui_modules = [*ROOT.glob("dashboard/*_ui.py"), *ROOT.glob("dashboard/*/*ui.py")]
    assert ui_modules
    offending = {
        str(path.relative_to(ROOT)): [
            line.strip() for line in path.read_text().splitlines()
            if re.search(r"cache\.engine\(|\.connect\(\)|Session\(", line)
        ]
        for path in ui_modules
    }  # fmt: skip
    assert {name: lines for name, lines in offending.items() if lines} == {}
