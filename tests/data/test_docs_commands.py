"""Every shell command in the docs is run here or tied to what runs it (issue 16), so the docs
cannot drift; the README stays short and the docs' links hold.

README.md and docs/*.md are read as they are: every fenced ``sh``, ``bash``, ``shell``,
``console`` or ``cron`` block gives one command per line (continued lines joined, comments
dropped, a cron line's schedule left off). Each command must match a pattern of COMMANDS (the
first that matches), which says how it is exercised:

- ``Ran``: run here, section by section in document order, in a sandbox: a temporary directory
  with ``data/dashboard.sqlite3`` (the demo database that ``python -m dashboard setup`` made,
  run through this interpreter with DASHBOARD_DATABASE_URL), a migrated empty database, a
  ``backups/`` folder (for /var/backups/medborgarloften/), an ``env`` file made from
  deploy/env.example (for /etc/medborgarloften/env) and a ``.venv`` that is this interpreter's.
  ``python -m`` commands run in this process through runpy, as ``python -m`` runs them;
  the others through bash.
- ``ByTest``: a test that runs what the command does exists (found by its file name anywhere
  under tests/, so a file moved between layers is still found).
- ``Make``: the Makefile has the target and ``make -n`` accepts the command as written.
- ``Ci``: .ci/run has the line.
- ``Options``: for a synopsis (``[...]``, placeholders), the program's ``--help`` names every
  option the command gives. ``BenchArgs``: ``BENCH_ARGS`` parses as ``bench.run``'s options.
- ``Units``, ``Setting``, ``Paths``: the deploy files the command installs parse as systemd
  units, the variable it sets is a declared setting, the paths it names exist.

A command that no pattern matches fails with its file and line; so does a pattern that no
command uses any more.
"""

from __future__ import annotations

import argparse
import ast
import configparser
import contextlib
import getpass
import io
import os
import re
import runpy
import shlex
import shutil
import subprocess
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from db import make_engine, migrate

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "pyproject.toml").is_file())
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
README_MAX_LINES = 200
SHELL_BLOCKS = {"sh", "bash", "shell", "console", "cron"}
FENCE = re.compile(r"^\s*```(?P<info>[\w+-]*)\s*$")
VENV = Path(sys.executable).parent.parent  # not resolved: the venv, not the base interpreter
PASSWORD = "dokumentationens-eget-losenord-42"
MARKER = "docs-test-marker"
PYTHONS = {"python", "python3", ".venv/bin/python"}
SHELL_BUILTINS = {"set", "cd", "."}
ASSIGNMENT = re.compile(r"[A-Z_]+=.*")
# Paths of a server in the docs, and where they are in the sandbox.
SANDBOX_PATHS = {"/var/backups/medborgarloften/": "backups/", "/etc/medborgarloften/env": "./env"}


# ---------------------------------------------------------------- reading the docs


@dataclass(frozen=True)
class DocCommand:
    file: str
    line: int
    section: str
    text: str

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


def _strip_comment(line: str) -> str:
    """``line`` without a trailing ``# comment`` (a ``#`` inside quotes is kept)."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip()
    return line.rstrip()


def read_commands(path: Path) -> list[DocCommand]:
    """The commands of the shell blocks of ``path``, each with its line and section."""
    commands, info, pending, start, section = [], None, "", 0, ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fence = FENCE.match(line)
        if fence and (info is None or not fence["info"]):
            info = fence["info"] if info is None else None
            continue
        if info is None:
            if line.startswith("#"):
                section = line.lstrip("#").strip()
            continue
        if info not in SHELL_BLOCKS:
            continue
        part = line.strip()
        if info == "console":
            if not part.startswith("$ "):
                continue  # output
            part = part[2:]
        if not pending:
            start = number
        if part.endswith("\\"):
            pending += part[:-1].rstrip() + " "
            continue
        command, pending = _strip_comment(pending + part), ""
        if not command:
            continue
        if info == "cron":
            command = command.split(None, 5)[5]
        commands.append(DocCommand(str(path.relative_to(ROOT)), start, section, command))
    return commands


ALL_COMMANDS = [command for path in DOCS for command in read_commands(path)]


# ---------------------------------------------------------------- how a command is exercised


@dataclass(frozen=True)
class Ran:
    """Run here (see the module docstring); ``output`` is searched in what it prints."""

    output: str = ""
    code: int = 0
    # "demo", "empty", "postgres", or "fresh": the one the sandbox's env file names, which the
    # command must read from there (the environment it starts with names another)
    database: str = "demo"
    shell: bool = False  # through bash even when it is a ``python -m`` command
    before: Callable | None = None
    after: Callable | None = None


class ByTest:
    """Tests that exercise the command, as ``path::name``."""

    def __init__(self, *nodes: str):
        self.nodes = nodes

    def verify(self, command: DocCommand) -> None:
        for node in self.nodes:
            assert find_test(node), f"{command.where}: the test {node} does not exist"


class Make:
    """A Makefile target (``make -n`` runs the command, or the target for another command);
    ``pending`` names the work that adds the target, until it is there."""

    def __init__(self, target: str, pending: str = ""):
        self.target, self.pending = target, pending

    def verify(self, command: DocCommand) -> None:
        if self.target not in makefile_targets() and self.pending:
            pytest.xfail(f"{command.where}: make {self.target} comes with {self.pending}")
        assert self.target in makefile_targets(), f"{command.where}: no target {self.target}"
        given = shlex.split(command.text)
        dry = subprocess.run(
            ["make", "-n", *(given[1:] if given[0] == "make" else [self.target])],
            cwd=ROOT, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert dry.returncode == 0, f"{command.where}: make -n refused it: {dry.stderr}"


class Ci:
    """A line of .ci/run."""

    def __init__(self, line: str):
        self.line = line

    def verify(self, command: DocCommand) -> None:
        lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
        assert any(self.line in line for line in lines), f"{command.where}: not in .ci/run"


class Options:
    """Every ``--option`` of the command is named by its program's ``--help``."""

    def verify(self, command: DocCommand) -> None:
        tokens = shlex.split(command.text)
        tokens = tokens[tokens.index("-m") + 1 :]
        module, rest = tokens[0], tokens[1:]
        subcommands = []
        for token in rest:
            if not re.fullmatch(r"[a-z][a-z-]*", token):
                break
            subcommands.append(token)
        code, shown = run_module(module, [*subcommands, "--help"], ROOT)
        assert code == 0, f"{command.where}: {module} {' '.join(subcommands)} --help: {shown}"
        for option in re.findall(r"(?<![\w-])--[\w-]+", command.text):
            assert option in shown, f"{command.where}: {option} is not an option: {shown}"


class BenchArgs:
    """``BENCH_ARGS`` of ``make bench`` are options ``python -m bench.run`` accepts."""

    def verify(self, command: DocCommand) -> None:
        from bench import run

        given = dict(t.split("=", 1) for t in shlex.split(command.text) if "=" in t)
        run.parse_args(shlex.split(given.get("BENCH_ARGS", "")))


class Units:
    """deploy/ files that parse as systemd units and run the app's own commands."""

    def __init__(self, *names: str):
        self.names = names

    def verify(self, command: DocCommand) -> None:
        for name in self.names:
            unit = configparser.ConfigParser(strict=True, interpolation=None)
            unit.optionxform = str  # systemd keys are case-sensitive
            unit.read_string((ROOT / "deploy" / name).read_text(encoding="utf-8"))
            if name.endswith(".service"):
                assert "-m dashboard" in unit["Service"]["ExecStart"], f"{command.where}: {name}"
            if name.endswith(".timer"):
                assert (ROOT / "deploy" / unit["Timer"]["Unit"]).is_file(), command.where


class Setting:
    """Every ``NAME=`` the command sets is a declared setting (dashboard/settings.py)."""

    def verify(self, command: DocCommand) -> None:
        from dashboard.settings import describe_settings

        declared = {env for env, _default, _help in describe_settings()}
        for name in re.findall(r"\b(DASHBOARD_\w+)=", command.text):
            assert name in declared, f"{command.where}: {name} is not a setting"


class Paths:
    """Paths under the project that the command names (``tests/…``, ``deploy/…``)."""

    def verify(self, command: DocCommand) -> None:
        named = re.findall(r"(?<!\S)((?:tests|deploy|bench|docs)/\S+)", command.text)
        assert named, f"{command.where}: names no path to check"
        for path in named:
            assert (ROOT / path).exists(), f"{command.where}: {path} does not exist"


# ---------------------------------------------------------------- the sandbox's checks


def _marker_count(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            query = text("SELECT count(*) FROM audit_log WHERE username = :u")
            return conn.execute(query, {"u": MARKER}).scalar_one()
    finally:
        engine.dispose()


def mark(sandbox: Sandbox, database: str) -> None:
    """A row the backup does not have, so that a restore must take it away."""
    engine = make_engine(sandbox.url(database))
    with engine.begin() as conn:
        conn.execute(
            text("INSERT INTO audit_log (at, username, table_name, action) "
                 "VALUES (CURRENT_TIMESTAMP, :u, 'docs', 'load')"),
            {"u": MARKER},
        )  # fmt: skip
    engine.dispose()
    assert _marker_count(sandbox.url(database)) == 1


def restored(sandbox: Sandbox, database: str) -> None:
    """The restored database is the backup: the marker is gone, the data is there."""
    assert _marker_count(sandbox.url(database)) == 0
    engine = make_engine(sandbox.url(database))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM organisation")).scalar_one() >= 290
    engine.dispose()


DASHBOARD = r"(\.venv/bin/)?python -m dashboard"
BROWSE = "tests/browser/test_browse.py::test_page_draws_its_charts_without_errors"
REMINDER_MAIL = (
    "tests/data/test_reminders.py"
    "::test_each_coordinator_gets_one_mail_with_their_activities_and_the_link"
)
REMINDER_UNITS = (
    "tests/data/test_reminders.py::test_the_systemd_units_parse_and_run_the_reminder_command"
)
NGINX_CHECK = "tests/unit/test_deploy.py::test_nginx_accepts_the_rendered_configuration"
PROXY = "tests/browser/test_proxy.py::test_through_the_proxy"

# pattern (the whole command) -> how it is exercised
COMMANDS: list[tuple[str, tuple]] = [
    # The README's two commands, and the other targets.
    (r"make run", (Make("run"), ByTest(BROWSE))),
    (r"make test", (Make("test"), Ci("make test"))),
    (r"make test-fast", (Make("test-fast"),)),
    (r"make lint", (Make("lint"),)),
    (r"make install", (Make("install"),)),
    (r"make bench( BENCH_ARGS=.+)?", (Make("bench"), BenchArgs())),
    (r"(\.venv/bin/)?python -m pytest( tests/\S+)+", (Paths(), Make("test"))),
    # Secrets and databases.
    (r'python -c "import secrets; print\(secrets\.token_urlsafe\(48\)\)"',
     (Ran(output=r"^[\w-]{64}$", shell=True),)),
    (r"export DASHBOARD_DATABASE_URL=postgresql\+psycopg://\S+",
     (Setting(), ByTest("tests/data/test_migrations.py::test_migration_creates_every_table"))),
    (DASHBOARD + r" backup \S+",
     (Ran(output="Säkerhetskopia skriven"),
      ByTest("tests/data/test_cli.py::test_backup_copies_a_consistent_sqlite_file"))),
    (r"sqlite3 data/dashboard\.sqlite3 \"\.backup '\S+'\"", (Ran(shell=True),)),
    (r"cp data/dashboard\.sqlite3 \S+", (Ran(shell=True),)),
    (r"rm -f data/dashboard\.sqlite3-wal data/dashboard\.sqlite3-shm",
     (Ran(shell=True, before=lambda sandbox: mark(sandbox, "demo")),)),
    (r"cp \S+ data/dashboard\.sqlite3",
     (Ran(shell=True, after=lambda sandbox: restored(sandbox, "demo")),)),
    (r"pg_dump --format=custom --file=\S+ medborgarloften", (Ran(database="postgres"),)),
    (r"pg_restore --clean --if-exists --dbname=medborgarloften \S+",
     (Ran(database="postgres", before=lambda sandbox: mark(sandbox, "postgres"),
          after=lambda sandbox: restored(sandbox, "postgres")),)),
    # Deployment.
    (r"apt-get install nginx postgresql",
     (Ci("apt-get update && apt-get install -y chromium fonts-noto-color-emoji nginx"),
      Ci('pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start'),
      Make("browser"))),
    (r"set -a; \. /etc/medborgarloften/env; " + DASHBOARD + r" migrate",
     (Ran(output=r"fresh\.sqlite3 är migrerad", database="fresh", shell=True),)),
    (r"cp deploy/medborgarloften@\.service /etc/systemd/system/ && systemctl daemon-reload",
     (Units("medborgarloften@.service"),)),
    (r"systemctl enable --now( medborgarloften@\d+)+",
     (Units("medborgarloften@.service"), ByTest(PROXY))),
    (r"cp deploy/nginx-medborgarloften\.conf /etc/nginx/conf\.d/", (Paths(), ByTest(NGINX_CHECK))),
    (r"nginx -t && systemctl reload nginx", (ByTest(NGINX_CHECK),)),
    (r"python -m bench\.proxy postgresql\+psycopg://\S+", (ByTest(PROXY),)),
    # The command line.
    (DASHBOARD + r" --help", (Ran(output="usage: python -m dashboard", shell=True),)),
    (DASHBOARD + r" migrate", (Ran(output="är migrerad"),)),
    (r"DASHBOARD_DEMO_MODE=0 DASHBOARD_PARTNERSHIP=\d{4} " + DASHBOARD + r" users add .+",
     (Ran(output="är skapad", database="empty"), Setting())),
    (DASHBOARD + r" users add .+", (Ran(output="är skapad"),)),
    (DASHBOARD + r" users list", (Ran(output=r"(?m)^rolf\s+aktiv"),)),
    (DASHBOARD + r" paminnelser --dry-run( --dagar \d+)?",
     (Ran(output="Torrkörning|Inga nya påminnelser"),)),
    (DASHBOARD + r" paminnelser", (Options(), ByTest(REMINDER_MAIL))),
    (r"cd /opt/medborgarloften && " + DASHBOARD + r" paminnelser >> \S+ 2>&1",
     (Options(), ByTest(REMINDER_MAIL))),
    (r"sudo cp deploy/paminnelser\.service deploy/paminnelser\.timer /etc/systemd/system/",
     (Paths(), Units("paminnelser.service", "paminnelser.timer"), ByTest(REMINDER_UNITS))),
    (r"sudo systemctl daemon-reload && sudo systemctl enable --now paminnelser\.timer",
     (Units("paminnelser.timer"), ByTest(REMINDER_UNITS))),
    (r"systemctl list-timers paminnelser\.timer; journalctl -u paminnelser\.service",
     (Units("paminnelser.service", "paminnelser.timer"), ByTest(REMINDER_UNITS))),
    (DASHBOARD + r" indikatorer hamta .+",
     (Options(),
      ByTest("tests/data/test_kolada.py::test_fetch_stores_values_and_says_what_changed"))),
    (DASHBOARD + r" indikatorer lista", (Ran(output="N07403"),)),
    (DASHBOARD + r" indikatorer importera FIL",
     (Options(),
      ByTest("tests/data/test_indicator_import.py::test_indikatorer_importera_on_the_command_line"))),
    # The benchmark.
    (r"(\.venv/bin/)?python -m bench\.run --help", (Ran(output="usage: python -m bench.run"),)),
    (r"(\.venv/bin/)?python -m bench\.export( \[--\w+ \d+\])*", (Options(),)),
]  # fmt: skip


def entry_of(command: DocCommand) -> tuple[str, tuple] | None:
    return next((e for e in COMMANDS if re.fullmatch(e[0], command.text)), None)


@cache
def makefile_targets() -> frozenset[str]:
    text_ = (ROOT / "Makefile").read_text()
    return frozenset(re.findall(r"^([\w.-]+)\s*:(?!=)", text_, flags=re.MULTILINE))


@cache
def find_test(node: str) -> Path | None:
    """The file holding test ``node`` (``path::name``), by its path or its file name."""
    path, _, name = node.partition("::")
    candidates = [ROOT / path] if (ROOT / path).is_file() else []
    candidates += sorted((ROOT / "tests").rglob(Path(path).name))
    for candidate in candidates:
        tree = ast.parse(candidate.read_text(encoding="utf-8"))
        defined = {
            n.name for n in tree.body
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        }  # fmt: skip
        if name in defined:
            return candidate
    return None


def run_module(module: str, args: list[str], cwd: Path) -> tuple[int, str]:
    """``python -m module args`` in this process: its exit code and what it printed."""
    out, old_argv, old_cwd = io.StringIO(), sys.argv, Path.cwd()
    sys.argv, code = [module, *args], 0
    os.chdir(cwd)
    try:
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(out),
            warnings.catch_warnings(),
        ):
            # runpy's note that the module was imported before (by another test) is moot.
            warnings.filterwarnings("ignore", "'.*' found in sys.modules", RuntimeWarning)
            runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        sys.argv = old_argv
        os.chdir(old_cwd)
    return code, out.getvalue()


# ---------------------------------------------------------------- the sandbox


@pytest.fixture(scope="module")
def databases(tmp_path_factory) -> dict[str, Path]:
    """The demo database made by ``python -m dashboard setup`` (as make run makes it), and a
    migrated empty one."""
    folder = tmp_path_factory.mktemp("docs-databases")
    demo, empty = folder / "demo.sqlite3", folder / "empty.sqlite3"
    env = {**os.environ, "DASHBOARD_DATABASE_URL": f"sqlite:///{demo}"}
    setup = subprocess.run(
        [sys.executable, "-m", "dashboard", "setup"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert setup.returncode == 0, setup.stderr
    assert "Exempeldata laddade" in setup.stdout
    engine = make_engine(f"sqlite:///{empty}")
    migrate.upgrade(engine)
    engine.dispose()
    return {"demo": demo, "empty": empty}


@dataclass
class Sandbox:
    root: Path
    postgres_url: str | None = None

    def url(self, database: str) -> str:
        if database == "postgres":
            assert self.postgres_url
            return self.postgres_url
        name = "dashboard" if database == "demo" else database
        return f"sqlite:///{self.root / 'data' / name}.sqlite3"


def make_sandbox(root: Path, databases: dict[str, Path]) -> Sandbox:
    (root / "data").mkdir(parents=True)
    (root / "backups").mkdir()
    shutil.copy(databases["demo"], root / "data" / "dashboard.sqlite3")
    shutil.copy(databases["empty"], root / "data" / "empty.sqlite3")
    (root / ".venv").symlink_to(VENV, target_is_directory=True)
    sandbox = Sandbox(root)
    # The server's environment file as deploy/env.example has it, on a database of its own.
    example = (ROOT / "deploy" / "env.example").read_text(encoding="utf-8")
    env_file = re.sub(r"(?m)^DASHBOARD_DATABASE_URL=.*$",
                      f"DASHBOARD_DATABASE_URL={sandbox.url('fresh')}", example)  # fmt: skip
    assert env_file != example, "deploy/env.example sets no DASHBOARD_DATABASE_URL"
    (root / "env").write_text(env_file, encoding="utf-8")
    return sandbox


def run_in(sandbox: Sandbox, command: DocCommand, ran: Ran, monkeypatch) -> tuple[int, str]:
    """``command`` as the docs give it, with the server's paths moved into the sandbox."""
    line = command.text
    for server_path, here in SANDBOX_PATHS.items():
        line = line.replace(server_path, here)
    url = sandbox.url(ran.database)
    if ran.database == "postgres":  # the database's name in the docs -> this test's database
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(False)
        line = re.sub(r"(?<=--dbname=)medborgarloften\b|(?<= )medborgarloften$",
                      shlex.quote(conninfo), line)  # fmt: skip
    tokens = shlex.split(line)
    assignments = {}
    while tokens and ASSIGNMENT.fullmatch(tokens[0]):
        name, _, value = tokens.pop(0).partition("=")
        assignments[name] = value
    if not ran.shell and len(tokens) > 2 and tokens[0] in PYTHONS and tokens[1] == "-m":
        monkeypatch.setenv("DASHBOARD_DATABASE_URL", url)
        for name, value in assignments.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(getpass, "getpass", lambda prompt="": PASSWORD)
        return run_module(tokens[2], tokens[3:], sandbox.root)
    if ran.database == "fresh":
        url = sandbox.url("other")
    env = {**os.environ, "DASHBOARD_DATABASE_URL": url,
           "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}  # fmt: skip
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", line], cwd=sandbox.root, env=env,
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    return done.returncode, done.stdout + done.stderr


def _sections() -> dict[str, list[DocCommand]]:
    sections: dict[str, list[DocCommand]] = {}
    for command in ALL_COMMANDS:
        entry = entry_of(command)
        if entry and any(isinstance(check, Ran) for check in entry[1]):
            sections.setdefault(f"{command.file}#{command.section}", []).append(command)
    return sections


SECTIONS = _sections()


# ---------------------------------------------------------------- the tests


@pytest.mark.parametrize("command", ALL_COMMANDS, ids=lambda c: c.where)
def test_every_docs_command_is_exercised(command):
    entry = entry_of(command)
    assert entry is not None, (
        f"{command.where}: the command {command.text!r} is neither run by "
        "tests/data/test_docs_commands.py nor tied to what runs it: add it to COMMANDS"
    )
    for check in entry[1]:
        if not isinstance(check, Ran):
            check.verify(command)


@pytest.mark.parametrize("section", list(SECTIONS))
def test_the_commands_of_a_section_run_as_written(
    section, databases, tmp_path, request, monkeypatch
):
    sandbox = make_sandbox(tmp_path / "sandbox", databases)
    skipped = []
    for command in SECTIONS[section]:
        ran = next(check for check in entry_of(command)[1] if isinstance(check, Ran))
        if ran.database == "postgres" and sandbox.postgres_url is None:
            try:
                sandbox.postgres_url = request.getfixturevalue("postgres_url")
            except pytest.skip.Exception as exc:
                skipped.append(f"{command.where}: {exc}")
                continue
        program = next(t for t in shlex.split(command.text) if not ASSIGNMENT.fullmatch(t))
        if program not in PYTHONS | SHELL_BUILTINS and shutil.which(program) is None:
            skipped.append(f"{command.where}: {program} is not installed")
            continue
        if ran.before:
            ran.before(sandbox)
        code, shown = run_in(sandbox, command, ran, monkeypatch)
        assert code == ran.code, f"{command.where}: {command.text!r} exited {code}: {shown}"
        assert re.search(ran.output, shown), f"{command.where}: {command.text!r} said: {shown}"
        if ran.after:
            ran.after(sandbox)
    if skipped:
        pytest.skip("; ".join(skipped))


def test_every_pattern_matches_a_docs_command():
    unused = [p for p, _ in COMMANDS if not any(re.fullmatch(p, c.text) for c in ALL_COMMANDS)]
    assert unused == [], "patterns in COMMANDS that no command in the docs uses any more"


def test_the_readme_is_short():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) < README_MAX_LINES, f"README.md has {len(lines)} lines: move some to docs/"


def test_every_setting_and_cli_command_is_in_the_operations_docs():
    from dashboard import cli
    from dashboard.settings import describe_settings

    drift = (ROOT / "docs" / "drift.md").read_text(encoding="utf-8")
    missing = [env for env, _default, _help in describe_settings() if env not in drift]
    assert missing == [], "settings that docs/drift.md does not name"
    subparsers = [a for a in cli._parser()._actions if isinstance(a, argparse._SubParsersAction)]
    for name in subparsers[0].choices:
        assert f"| `{name}" in drift, f"docs/drift.md's command table lacks {name}"


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    seen: dict[str, int] = {}
    in_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            in_code = not in_code
        elif not in_code and (heading := re.match(r"#{1,6} (.+)", line)):
            slug = _slug(heading[1])
            seen[slug] = seen.get(slug, -1) + 1
            if seen[slug]:
                seen[f"{slug}-{seen[slug]}"] = 0
    return frozenset(seen)


def _links(path: Path) -> list[tuple[int, str]]:
    links, in_code = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            in_code = not in_code
            continue
        if not in_code:
            prose = re.sub(r"`[^`]*`", "", line)
            links += [(number, target) for target in re.findall(r"\]\(([^)\s]+)\)", prose)]
    return links


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_points_to_a_file_and_anchor_that_exist(path):
    broken = []
    for number, target in _links(path):
        if re.match(r"[a-z]+:", target):
            continue  # https:, mailto:
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{number}: {target} (no such file)")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            broken.append(f"{number}: {target} (no such heading)")
    assert broken == [], f"{path.relative_to(ROOT)}: broken links"
