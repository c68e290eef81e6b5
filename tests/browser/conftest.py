"""Browser tests: Debian's Chromium through Playwright, against a real `streamlit run`.

Chromium comes from the distribution (/usr/bin/chromium); `playwright install` is never used.
Where Chromium is missing the browser tests skip, unless DASHBOARD_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import TEST_COOKIE_KEY

CHROMIUM = Path("/usr/bin/chromium")
PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


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


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """A `streamlit run app.py` subprocess on a free port."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        full_env = {**os.environ, **env, "PYTHONPATH": str(PROJECT)}
        self._log = log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=PROJECT, env=full_env, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait_healthy()

    def _wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early, see {self._log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError("streamlit did not become healthy")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


@pytest.fixture(scope="session")
def start_server(tmp_path_factory) -> Iterator:
    """Factory: start a server with extra environment; all are stopped at the end."""
    servers: list[StreamlitServer] = []

    def start(database_url: str, **env: str) -> StreamlitServer:
        base = {
            "DASHBOARD_DATABASE_URL": database_url,
            "DASHBOARD_COOKIE_KEY": TEST_COOKIE_KEY,
            "DASHBOARD_DEMO_MODE": "1",
        }
        log = tmp_path_factory.mktemp("server") / "streamlit.log"
        server = StreamlitServer({**base, **env}, log)
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


def wait_for_app(page, *, charts: bool = True, timeout: float = 30_000) -> None:
    """Wait until Streamlit has finished running and, if asked, every chart is drawn."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_selector('[data-testid="stStatusWidget"]', state="detached", timeout=timeout)
    if charts:
        page.wait_for_selector(
            '[data-testid="stVegaLiteChart"] svg.marks', state="visible", timeout=timeout
        )
