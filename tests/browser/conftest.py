"""Browser tests: Debian's Chromium through Playwright, against a real `streamlit run`.

Chromium comes from the distribution (/usr/bin/chromium); `playwright install` is never used.
Where Chromium is missing the browser tests skip, unless DASHBOARD_REQUIRE_BROWSER=1 (CI).
The server and the helpers the tests wait and log in with are in testsupport/ (server.py,
browser.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from testsupport.apptest import TEST_COOKIE_KEY
from testsupport.server import CHROMIUM, CHROMIUM_ARGS, PROJECT, StreamlitServer

# Playwright's expect waits 5 s by default; on a loaded 2-core machine a rerun can take longer.
# Waiting longer costs nothing when the page is quick: expect returns as soon as it holds.
expect.set_options(timeout=30_000)
ARTIFACTS = PROJECT / "test-artifacts"


@pytest.fixture(scope="session", autouse=True)
def _need_chromium():
    if not CHROMIUM.exists():
        if os.environ.get("DASHBOARD_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required (DASHBOARD_REQUIRE_BROWSER=1) but missing")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright's launch options: Debian's Chromium, headless, no network chatter."""
    return {"executable_path": str(CHROMIUM), "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": {"width": 1280, "height": 720}, "locale": "sv-SE"}


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def start_server(tmp_path_factory) -> Iterator:
    """Factory: start a server with extra environment; all are stopped at the end."""
    servers: list[StreamlitServer] = []

    def start(database_url: str, *, plain_streamlit: bool = False, **env: str) -> StreamlitServer:
        base = {
            "DASHBOARD_DATABASE_URL": database_url,
            "DASHBOARD_COOKIE_KEY": TEST_COOKIE_KEY,
            "DASHBOARD_DEMO_MODE": "1",
        }
        log = tmp_path_factory.mktemp("server") / "streamlit.log"
        server = StreamlitServer({**base, **env}, log, plain_streamlit=plain_streamlit)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def demo_server(start_server, demo_template, tmp_path_factory) -> StreamlitServer:
    """One server on a private copy of the demo database, shared by read-only browser tests."""
    import shutil

    path = tmp_path_factory.mktemp("served") / "demo.sqlite3"
    shutil.copy(demo_template, path)
    return start_server(f"sqlite:///{path}")
