"""dashboard.streamlit_adapter (issue 16): each private Streamlit piece still has the name, the
signature and the behaviour the adapter relies on. A failure names the piece and the version
it was checked against: read that piece in the new Streamlit's source before raising
``CHECKED_AGAINST``.

Covered elsewhere, end to end, not repeated here: that a cached chart sends what
``st.altair_chart`` sends (tests/app/test_chart_cache.py); that ``python -m dashboard.server`` draws
no page name even on a fresh process's first load, and that plain ``streamlit run`` sends a
first request through app.py (tests/browser/test_before_login.py, tests/browser/test_routing.py);
that a page not the user's says why (tests/browser/test_before_login.py).
"""

from __future__ import annotations

import gc
import inspect
import re
import shutil
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from dashboard import streamlit_adapter
from dashboard.streamlit_adapter import CHECKED_AGAINST


def broken(piece: str, what: str) -> str:
    """The failure message: which piece, what changed, and what to do."""
    return (
        f"Streamlit {streamlit.__version__}: {piece} {what} (dashboard/streamlit_adapter.py was "
        f"checked against Streamlit {CHECKED_AGAINST}). Re-check that piece against the new "
        "Streamlit's source, then raise CHECKED_AGAINST."
    )


def private(module: str, name: str):
    """``module.name``, or a failure that names the piece."""
    import importlib

    piece = f"{module}.{name}"
    try:
        owner = importlib.import_module(module)
    except ImportError as exc:
        pytest.fail(broken(piece, f"cannot be imported ({exc})"))
    if not hasattr(owner, name):
        pytest.fail(broken(piece, "is gone"))
    return getattr(owner, name)


def assert_parameters(piece: str, function: Callable, expected: list[str]) -> None:
    names = list(inspect.signature(function).parameters)
    assert names == expected, broken(piece, f"takes {names}, not {expected}")


def test_streamlit_is_the_minor_version_the_adapter_was_checked_against():
    installed = streamlit.__version__.split(".")[:2]
    checked = CHECKED_AGAINST.split(".")[:2]
    assert installed == checked, broken(
        "the installed version", "is not the major.minor version of CHECKED_AGAINST"
    )


def test_the_docstring_gives_each_piece_the_version_it_was_checked_on():
    pieces = re.split(r"\n- \*\*", streamlit_adapter.__doc__.split("\nNot here:")[0])[1:]
    assert len(pieces) == 6
    for piece in pieces:
        assert f"Checked on {CHECKED_AGAINST}." in piece, piece.split("**")[0]


# ---------------------------------------------------------------- the pages/ folder routing

PAGES_MANAGER = "streamlit.runtime.pages_manager.PagesManager.uses_pages_directory"


@pytest.fixture
def folder_flag():
    """Streamlit's class-wide folder flag, put back after the test."""
    from streamlit.runtime.pages_manager import PagesManager

    saved = PagesManager.uses_pages_directory
    yield PagesManager
    PagesManager.uses_pages_directory = saved


def test_the_folder_flag_is_set_once_from_a_pages_folder_and_stopping_it_sticks(
    folder_flag, tmp_path
):
    pages_manager = private("streamlit.runtime.pages_manager", "PagesManager")
    assert "uses_pages_directory" in vars(pages_manager), broken(PAGES_MANAGER, "is gone")
    assert_parameters(
        "PagesManager.__init__",
        pages_manager.__init__,
        ["self", "main_script_path", "script_cache", "kwargs"],
    )
    (tmp_path / "pages").mkdir()
    main = str(tmp_path / "app.py")
    folder_flag.uses_pages_directory = None
    pages_manager(main)
    assert streamlit_adapter.folder_routing_on(), broken(
        PAGES_MANAGER, "is no longer set by a pages/ folder beside the main script"
    )
    streamlit_adapter.stop_folder_routing()
    pages_manager(main)  # a new session's manager
    assert not streamlit_adapter.folder_routing_on(), broken(
        PAGES_MANAGER, "is set again by each new PagesManager: stopping it no longer sticks"
    )


def _recording_app(folder: Path, *, pages_folder: bool) -> str:
    (folder / "app.py").write_text("import streamlit as st\nst.text('app.py')\n")
    if pages_folder:
        (folder / "pages").mkdir()
        (folder / "pages" / "other.py").write_text("import streamlit as st\nst.text('other')\n")
    return str(folder / "app.py")


@pytest.mark.parametrize("pages_folder", [True, False])
def test_the_script_runner_routes_by_folder_exactly_when_the_flag_is_set(
    folder_flag, monkeypatch, tmp_path, pages_folder
):
    """The flag is the one switch: with it set the runner calls ``_mpa_v1`` in place of the
    main script, without it the main script runs (AppTest sets it from the folder each run)."""
    mpa_v1 = private("streamlit.runtime.scriptrunner.script_runner", "_mpa_v1")
    assert_parameters("script_runner._mpa_v1", mpa_v1, ["main_script_path"])
    from streamlit.runtime.scriptrunner import script_runner

    calls = []
    monkeypatch.setattr(script_runner, "_mpa_v1", calls.append)
    at = AppTest.from_file(_recording_app(tmp_path, pages_folder=pages_folder)).run()
    assert not at.exception
    routed = bool(calls)
    assert routed is pages_folder, broken(
        "script_runner._mpa_v1", f"is {'not ' if pages_folder else ''}called with the flag "
        f"{'set' if pages_folder else 'unset'}: the folder routing works differently now"
    )  # fmt: skip
    assert [t.value for t in at.text] == ([] if pages_folder else ["app.py"])


# ---------------------------------------------------------------- AppTest; the page asked for

ROUTER = """
import streamlit as st
from dashboard import streamlit_adapter

st.session_state["runs"] = st.session_state.get("runs", 0) + 1
asked = streamlit_adapter.requested_page(["start", "other"])
st.session_state.setdefault("asked", []).append(asked)
def start():
    st.text("start")
st.navigation([st.Page(start, url_path="start"), st.Page("pages/other.py", url_path="other")]).run()
"""


def _router(folder: Path) -> str:
    (folder / "pages").mkdir()
    (folder / "pages" / "other.py").write_text("import streamlit as st\nst.text('other')\n")
    (folder / "app.py").write_text(textwrap.dedent(ROUTER))
    return str(folder / "app.py")


def test_without_the_patch_an_apptest_rerun_skips_app_py(tmp_path):
    """Why ``entrypoint_on_every_run`` exists: AppTest reruns the previous page on its own."""
    at = AppTest.from_file(_router(tmp_path)).run()
    at.switch_page("pages/other.py").run()
    assert not at.exception
    assert at.session_state["runs"] == 1, broken(
        "AppTest with a pages/ folder", "now runs app.py on a rerun: the patch may be needless"
    )


def test_with_the_patch_every_apptest_run_runs_app_py_and_sees_the_page_asked_for(tmp_path):
    get_ctx = private("streamlit.runtime.scriptrunner", "get_script_run_ctx")
    assert_parameters("get_script_run_ctx", get_ctx, ["suppress_warning"])
    pages_manager = private("streamlit.runtime.pages_manager", "PagesManager")
    for name in ("intended_page_name", "intended_page_script_hash"):
        assert isinstance(vars(pages_manager).get(name), property), broken(
            f"PagesManager.{name}", "is no longer a property"
        )
    calc_hash = private("streamlit.util", "calc_hash")
    assert_parameters("streamlit.util.calc_hash", calc_hash, ["s"])
    at = AppTest.from_file(_router(tmp_path))
    with streamlit_adapter.entrypoint_on_every_run():
        at.run()
        at.switch_page("pages/other.py").run()  # a rerun asks by page hash
    assert not at.exception
    assert [t.value for t in at.text] == ["other"]
    assert at.session_state["runs"] == 2, broken(
        "script_runner._mpa_v1", "no longer decides what an AppTest rerun runs"
    )
    # the rerun's request is the page hash st.Page gives "other": calc_hash("other")
    assert at.session_state["asked"] == [None, "other"], broken(
        "PagesManager.intended_page_script_hash",
        "is no longer calc_hash(url_path) of the page asked for on a rerun",
    )


def test_the_patch_is_undone_on_leaving():
    from streamlit.runtime.scriptrunner import script_runner

    before = script_runner._mpa_v1
    with streamlit_adapter.entrypoint_on_every_run():
        assert script_runner._mpa_v1 is not before
    assert script_runner._mpa_v1 is before


def test_outside_a_run_no_page_is_asked_for():
    assert streamlit_adapter.requested_page(["oversikt"]) is None


# ---------------------------------------------------------------- the server


def test_the_streamlit_command_runs_in_this_process():
    import click

    main = private("streamlit.web.cli", "main")
    piece = "streamlit.web.cli.main"
    assert isinstance(main, click.Group), broken(piece, "is no longer a click group")
    run = main.commands.get("run")
    assert run is not None, broken(piece, "has no run command")
    params = [p.name for p in run.params]
    assert {"target", "args"} <= set(params), broken(piece, f"'s run takes {params}")


def test_the_static_handler_is_made_where_the_adapter_wraps_it():
    piece = "starlette_static_routes.create_streamlit_static_handler"
    module = "streamlit.web.server.starlette.starlette_static_routes"
    # unwrapped: a server started in this process has put the adapter's wrapper around it
    make = inspect.unwrap(private(module, "create_streamlit_static_handler"))
    assert_parameters(piece, make, ["directory", "base_url"])
    routes = inspect.getsource(private(module, "create_streamlit_static_assets_routes"))
    assert "create_streamlit_static_handler(" in routes, broken(piece, "is no longer called")
    index = Path(streamlit.__file__).parent / "static" / "index.html"
    handler = make(str(index.parent), None)
    assert hasattr(handler, "get_response"), broken(piece, "has no get_response")
    html = streamlit_adapter.page_index_html(index.read_text(encoding="utf-8"))
    script = html.index(streamlit_adapter.SERVER_ADDRESS_SCRIPT)
    assert script < html.index('<script type="module"'), broken(piece, "index.html moved")
    bundle = next((index.parent / "static" / "js").glob("index.*.js")).read_text("utf-8")
    assert "window.__streamlit" in bundle and "BACKEND_BASE_URL" in bundle, broken(
        piece, "'s browser code no longer reads window.__streamlit.BACKEND_BASE_URL"
    )


# ---------------------------------------------------------------- the warm-up visit


@pytest.fixture(scope="module")
def fresh_server(demo_template, tmp_path_factory):
    """The app's server as the README starts it, on a copy of the demo database."""
    import shutil

    from bench.browser import app_env
    from testsupport.server import APP, Server

    directory = tmp_path_factory.mktemp("warm")
    shutil.copy(demo_template, directory / "demo.sqlite3")
    server = Server(APP, app_env(f"sqlite:///{directory / 'demo.sqlite3'}"), directory / "log")
    yield server, directory / "log"
    server.stop()


def test_the_warm_up_runs_the_first_page_as_a_browser_would(fresh_server):
    server, _ = fresh_server
    piece = "warm_up (streamlit.proto, /_stcore/stream)"
    try:
        elements = streamlit_adapter.warm_up(server.url, timeout=60)
    except Exception as exc:  # whatever broke, the test names the piece
        raise AssertionError(broken(piece, f"fails: {exc!r}")) from exc
    assert elements >= 5, broken(piece, f"drew {elements} elements of Översikt")


def test_the_server_warms_up_as_soon_as_it_answers(fresh_server):
    _, log = fresh_server
    deadline = time.monotonic() + 60
    while "Uppvärmning: första sidan körd" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)  # the server's own log is the signal; it has no other
    assert "Uppvärmning: första sidan körd" in log.read_text(), log.read_text()[-2000:]


def test_after_the_warm_up_the_start_up_objects_are_frozen(fresh_server):
    _, log = fresh_server
    said = re.compile(r"Minne: (\d+) objekt från starten undantagna från skräpsamlingen")
    deadline = time.monotonic() + 60
    while not said.search(log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.2)  # the server's own log is the signal; it has no other
    found = said.search(log.read_text())
    assert found, log.read_text()[-2000:]
    # Streamlit, Altair, SQLAlchemy, polars and the warm-up's caches: far more than a bare
    # interpreter's few thousand objects.
    assert int(found.group(1)) > 100_000


def test_a_first_page_without_a_login_never_imports_the_login_library(demo_template, tmp_path):
    # The library and its components took up to 0.65 s of the first page after a start (issue
    # 15). Python's own import log (PYTHONPROFILEIMPORTTIME) names every module the server
    # process imports; the warm-up is a first page without a login. (AppTest cannot show
    # this: its sessions answer that every cookie is there.)
    from bench.browser import app_env
    from testsupport.server import APP, Server

    shutil.copy(demo_template, tmp_path / "demo.sqlite3")
    env = {**app_env(f"sqlite:///{tmp_path / 'demo.sqlite3'}"), "PYTHONPROFILEIMPORTTIME": "1"}
    server = Server(APP, env, tmp_path / "log")
    try:
        deadline = time.monotonic() + 60
        while "Minne:" not in (tmp_path / "log").read_text() and time.monotonic() < deadline:
            time.sleep(0.2)  # the server's own log is the signal; it has no other
        log = (tmp_path / "log").read_text()
    finally:
        server.stop()
    assert "Uppvärmning: första sidan körd" in log, log[-2000:]
    assert "| dashboard.auth\n" in log  # the import log is there and names the gate's module
    assert "streamlit_authenticator" not in log and "extra_streamlit_components" not in log


def test_freezing_the_survivors_switches_the_collector_back_on():
    from dashboard import server

    gc.disable()
    try:
        frozen = server.freeze_survivors()
        assert gc.isenabled()
        assert frozen == gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_page_address_names_the_server_and_nothing_else_does(fresh_server):
    import urllib.request

    server, _ = fresh_server

    def served(path: str) -> str:
        with urllib.request.urlopen(server.url + path, timeout=10) as reply:
            assert reply.headers["Cache-Control"] == "no-cache", path
            return reply.read().decode("utf-8")

    script = streamlit_adapter.SERVER_ADDRESS_SCRIPT
    for page in ("/trender", "/administration?kommun=0486", "/finns-inte"):
        assert served(page).count(script) == 1, page
    for other in ("/", "/trender/mer"):
        assert script not in served(other), other
    assert "trender" not in script and "administration" not in script


# ---------------------------------------------------------------- nowhere else

ROOT = Path(__file__).resolve().parents[2]
PRIVATE_USE = re.compile(
    r"^\s*(?:from|import)\s+streamlit\.(?!testing\b)\w+|\bstreamlit\.\w+\.\w+\("
)
# Not the app's: the load test's wire protocol, and the log level of the benchmark's and the
# tests' own output (see the adapter's docstring); this module reaches the private pieces to
# check them.
ELSEWHERE = {"dashboard/streamlit_adapter.py", "bench/load.py", "bench/run.py",
             "tests/conftest.py", "tests/app/test_streamlit_adapter.py"}  # fmt: skip


def test_no_other_module_uses_streamlits_private_api():
    files = [ROOT / "app.py", *ROOT.glob("pages/*.py")]
    files += [
        p
        for folder in ("dashboard", "db", "bench", "tests", "testsupport")
        for p in (ROOT / folder).rglob("*.py")
    ]
    offending = {
        str(path.relative_to(ROOT)): lines
        for path in files
        if str(path.relative_to(ROOT)) not in ELSEWHERE
        and (lines := [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                       if PRIVATE_USE.search(line)])
    }  # fmt: skip
    assert offending == {}, "Streamlit's private API belongs in dashboard/streamlit_adapter.py"
