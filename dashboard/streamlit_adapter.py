"""Every use of Streamlit's private API, in one place (issue 16).

Streamlit's public API (``st.*``, ``st.testing.v1``, the config options) is used everywhere
else; what it does not offer is borrowed here from its internals, each piece with why we need
it and what it does. All of it was read in Streamlit's source and checked against
``CHECKED_AGAINST``; tests/app/test_streamlit_adapter.py fails, naming the piece, when an upgrade
moves or changes one, when the installed Streamlit is another minor version than the one
checked, and when a module elsewhere reaches into Streamlit's internals. After an upgrade:
read each piece below against the new source, run that test module and the browser tests it
names, then raise ``CHECKED_AGAINST`` and the "Checked on" of each piece.

The pieces:

- **The ``pages/`` folder routing** (``PagesManager.uses_pages_directory``;
  ``folder_routing_on``, ``stop_folder_routing``). A ``pages/`` folder beside app.py makes
  Streamlit treat the app as a legacy folder app: the first run of a fresh process (and every
  run until some session calls ``st.navigation``) goes through ``script_runner._mpa_v1``,
  which sends a navigation of the raw file names and may run a page script without app.py,
  so without the login gate (issue 10). ``st.navigation`` is the supported way out ("as soon
  as any session of your app executes st.navigation, your app will ignore the pages/
  directory", its docs), but it takes effect only once called, and a login-required app calls
  it only after login. Streamlit 1.67 has no option to turn the folder off
  (``client.showSidebarNavigation = false`` only hides its list; the names still travel to
  the browser), and the folder is part of the agreed layout, so we set the class-wide flag
  that ``st.navigation`` itself sets (``PagesManager.uses_pages_directory = False``), earlier:
  at server start (dashboard/server.py), at the top of app.py (components.leave_folder_routing)
  and, should a page script run without app.py, at the top of that page
  (components.ensure_entrypoint). Checked on 1.67.0.
- **The page the browser asked for** (``ScriptRunContext.pages_manager.intended_page_name``
  and ``intended_page_script_hash``, ``streamlit.util.calc_hash``; ``requested_page``).
  Streamlit falls back silently to the first page for a page not in this run's
  ``st.navigation`` list; to tell a visitor why a page they opened is not theirs, app.py reads
  the request before st.navigation resolves it: the URL path on a page load, the page's hash
  (``calc_hash(url_path)``, as ``st.Page`` computes it) on a rerun. Checked on 1.67.0.
- **Running the server in our own process** (``streamlit.web.cli.main``, the click group
  behind the ``streamlit`` command; ``run_server``). ``python -m dashboard.server`` calls it
  after switching the folder routing off and installing dashboard.polars_gil, so even a fresh
  process's first run is app.py's (issue 10). Checked on 1.67.0.
- **A page's address names the server at once** (``streamlit.web.server.starlette.
  starlette_static_routes.create_streamlit_static_handler``, the handler that serves
  index.html for every page's address; ``name_the_server_in_page_addresses``). Streamlit's
  browser code does not know whether ``/trender`` is a page or where the server is, so on a
  page's address it first asks ``/trender/_stcore/health``, gets a 404, waits 100 ms and then
  asks the parent: 110–250 ms on every page but the first before the websocket opens (issue
  15). Its documented ``window.__streamlit.BACKEND_BASE_URL`` answers that question; the
  handler adds it, as the page's parent address, to the index.html it serves for a one-part
  address (never for the app's root, nor for a deeper path). It names no page and nothing
  about the server: the browser computes it from its own address, so it stays right behind a
  proxy that moves the app under a prefix. Checked on 1.67.0.
- **A warm-up visit over Streamlit's own websocket protocol** (``streamlit.proto``'s
  ``BackMsg`` and ``ForwardMsg``, the ``_streamlit_xsrf`` cookie, ``/_stcore/stream``;
  ``warm_up``). ``python -m dashboard.server`` opens the app's first page once, as a browser
  would, as soon as the server answers (issue 15): the first run of a process imports the
  pages' modules and fills the caches of the default kommun, 1.2–1.4 s that the first person
  after a restart waited for. The login library is imported by the first run that needs it
  (dashboard/authenticator.py), never outside a script run: a component declared outside one
  (the library's cookie manager) is never registered, and its frame would not load.
  Checked on 1.67.0.
- **AppTest runs app.py on every run** (``streamlit.runtime.scriptrunner.script_runner.
  _mpa_v1``; ``entrypoint_on_every_run``, for tests and the benchmark). AppTest resets the
  folder flag to None before each run, so with ``pages/`` beside app.py each AppTest run goes
  through ``_mpa_v1``, and a rerun runs the previous page script directly, without app.py and
  so without the auth gate. A real server runs app.py (which calls st.navigation) every time;
  swapping ``_mpa_v1`` for a plain run of the main script makes AppTest do the same.
  Checked on 1.67.0.

Not here: bench/load.py speaks the same websocket protocol as fifty browsers would, widgets
and logins included (``streamlit.proto.BackMsg_pb2``, ``ForwardMsg_pb2``,
``WidgetStates_pb2``); it is the benchmark's, not something the app borrows, and
tests/app/test_load_protocol.py runs that client against a real server. bench/run.py and
tests/conftest.py set Streamlit's log level (``streamlit.logger.set_log_level``) for their own
output.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

CHECKED_AGAINST = "1.67.0"


# ---------------------------------------------------------------- the pages/ folder routing


def folder_routing_on() -> bool:
    """Whether this process still routes by the ``pages/`` folder (legacy multipage apps)."""
    from streamlit.runtime.pages_manager import PagesManager

    return bool(PagesManager.uses_pages_directory)


def stop_folder_routing() -> None:
    """Stop the ``pages/`` folder routing for every session of this process, as
    ``st.navigation`` does on its first call (see the module's docstring)."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False


# ---------------------------------------------------------------- the page asked for


def requested_page(url_paths: Iterable[str]) -> str | None:
    """Which of ``url_paths`` the browser asked for in this run, if any (issue 10).

    Read from the script-run context before st.navigation resolves it: the URL path on a page
    load, the page's hash (``calc_hash(url_path)``, as ``st.Page`` computes it) on a rerun.
    None outside a script run.
    """
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    from streamlit.util import calc_hash

    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    name = ctx.pages_manager.intended_page_name
    page_hash = ctx.pages_manager.intended_page_script_hash
    for url_path in url_paths:
        if url_path == name or (page_hash and calc_hash(url_path) == page_hash):
            return url_path
    return None


# ---------------------------------------------------------------- the server


def run_server(args: list[str]) -> None:
    """``streamlit run`` with ``args`` (script first, then options), in this process."""
    from streamlit.web import cli

    cli.main(["run", *args], prog_name="streamlit", standalone_mode=True)


# Before Streamlit's own script: the server is at this page's parent address (see the docstring).
SERVER_ADDRESS_SCRIPT = (
    '<script>window.__streamlit = {BACKEND_BASE_URL: new URL(".", location.href).href}</script>'
)


def name_the_server_in_page_addresses() -> None:
    """Serve a page's address (``/trender``) with the server's address in its index.html.

    Call before the server starts (dashboard/server.py). The app's root and every other file
    are served as Streamlit serves them.
    """
    from starlette.responses import FileResponse, Response
    from streamlit.web.server.starlette import starlette_static_routes as routes

    streamlit_handler = routes.create_streamlit_static_handler
    if hasattr(streamlit_handler, "__wrapped__"):  # already ours
        return

    @functools.wraps(streamlit_handler)
    def create(directory: str, base_url: str | None):
        handler = streamlit_handler(directory, base_url)
        index = Path(directory) / "index.html"
        page_html = page_index_html(index.read_text(encoding="utf-8"))
        serve = handler.get_response

        async def get_response(path: str, scope) -> Response:
            response = await serve(path, scope)
            part = path.replace("\\", "/").strip("/")  # the root comes as "." or ""
            one_part = part not in ("", ".") and "/" not in part
            if one_part and isinstance(response, FileResponse) and Path(response.path) == index:
                headers = {"Cache-Control": response.headers.get("Cache-Control", "no-cache")}
                return Response(page_html, media_type="text/html", headers=headers)
            return response

        handler.get_response = get_response
        return handler

    routes.create_streamlit_static_handler = create


def page_index_html(index_html: str) -> str:
    """Streamlit's index.html with ``SERVER_ADDRESS_SCRIPT`` before its first script."""
    at = index_html.index("<script")
    return index_html[:at] + SERVER_ADDRESS_SCRIPT + "\n    " + index_html[at:]


# Streamlit's ScriptFinishedStatus: a run that stopped early because a rerun was asked for.
_FINISHED_EARLY_FOR_RERUN = 2


def warm_up(base_url: str, *, timeout: float = 120.0) -> int:
    """Open ``base_url``'s first page as a browser would and wait for its run to finish.

    Loads ``/`` for Streamlit's XSRF cookie, connects to ``/_stcore/stream`` with the
    subprotocols the frontend sends, asks for a run of the first page and reads the run's
    messages until it has finished. Returns the number of elements the page drew.
    """
    import urllib.request
    from http.cookies import SimpleCookie

    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    with urllib.request.urlopen(f"{base_url}/", timeout=timeout) as reply:
        reply.read()
        cookies = SimpleCookie()
        for header in reply.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    xsrf = cookies.get("_streamlit_xsrf")
    cookie_header = "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())
    request = BackMsg()
    request.rerun_script.query_string = ""
    request.rerun_script.context_info.timezone = "Europe/Stockholm"
    request.rerun_script.context_info.locale = "sv-SE"
    request.rerun_script.context_info.url = f"{base_url}/"
    with connect(
        base_url.replace("http", "ws", 1) + "/_stcore/stream",
        subprotocols=["streamlit", xsrf.value] if xsrf else ["streamlit"],
        additional_headers={"Cookie": cookie_header} if cookie_header else None,
        origin=base_url,
        max_size=None,
        open_timeout=timeout,
    ) as socket:
        socket.send(request.SerializeToString())
        elements = 0
        while True:
            message = ForwardMsg()
            message.ParseFromString(socket.recv(timeout=timeout))
            kind = message.WhichOneof("type")
            if kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                elements += 1
            elif kind == "script_finished" and (
                message.script_finished != _FINISHED_EARLY_FOR_RERUN
            ):
                return elements


# ---------------------------------------------------------------- AppTest


def _run_entrypoint(main_script_path: str) -> None:
    """Run the main script itself, as a server does once st.navigation has been called."""
    path = Path(main_script_path)
    code = compile(path.read_text(encoding="utf-8"), str(path), "exec")
    exec(code, {"__name__": "__main__", "__file__": str(path)})


@contextmanager
def entrypoint_on_every_run() -> Iterator[None]:
    """While inside, every AppTest run in this process runs app.py, as ``streamlit run`` does.

    For tests and the benchmark only; undone on leaving.
    """
    from streamlit.runtime.scriptrunner import script_runner

    saved = script_runner._mpa_v1
    script_runner._mpa_v1 = _run_entrypoint
    try:
        yield
    finally:
        script_runner._mpa_v1 = saved
