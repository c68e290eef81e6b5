"""The design rules the layout keeps (issue 11, docs/architecture.md): pages never touch an
engine or a session, and the app's connections are opened in one place (dashboard/database.py).
And the tests' own (issue 16): every test module in its layer's folder, harness code shared through
testsupport/ only."""

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


LAYERS = ("unit", "data", "app", "browser")
IMPORTS_TESTS = re.compile(r"^\s*(from|import) tests\b", re.MULTILINE)


def test_every_test_module_lives_in_its_layer():
    """Tests in layers (issue 16): tests/unit, tests/data, tests/app and tests/browser, which
    tests/conftest.py turns into markers; a module beside them would have no layer."""
    tests = ROOT / "tests"
    loose = sorted(p.name for p in tests.glob("test_*.py"))
    folders = {p.parent.name for p in tests.glob("*/test_*.py")}
    assert (loose, folders) == ([], set(LAYERS))


def test_tests_and_the_benchmark_share_harness_code_only_through_testsupport():
    """No module imports a test module or a conftest; what they share is in testsupport/."""
    sources = [
        *ROOT.glob("tests/**/*.py"),
        *ROOT.glob("testsupport/*.py"),
        *ROOT.glob("bench/*.py"),
    ]
    offending = [str(p.relative_to(ROOT)) for p in sources if IMPORTS_TESTS.search(p.read_text())]
    assert offending == []
