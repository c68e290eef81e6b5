"""Browser tests: Debian's Chromium through Playwright, against a real `streamlit run`.

Chromium comes from the distribution (/usr/bin/chromium); `playwright install` is never used.
Where Chromium is missing the browser tests skip, unless DASHBOARD_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bench.browser import CHROMIUM, CHROMIUM_ARGS, Server
from tests.conftest import TEST_COOKIE_KEY

PROJECT = Path(__file__).resolve().parents[2]
# Playwright's expect waits 5 s by default; on a loaded 2-core machine a rerun can take longer.
# Waiting longer costs nothing when the page is quick: expect returns as soon as it holds.
expect.set_options(timeout=30_000)
ARTIFACTS = PROJECT / "test-artifacts"


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


class StreamlitServer(Server):
    """The app's server subprocess on a free port (the benchmark uses the same)."""

    def __init__(self, env: dict[str, str], log: Path, *, plain_streamlit: bool = False, **more):
        super().__init__(PROJECT / "app.py", env, log, plain_streamlit=plain_streamlit, **more)


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


def wait_for_app(page, *, charts: bool = True, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished its script run and, if asked, every chart is drawn.

    The app's own signal is the ``data-test-script-state`` of stApp, which the frontend sets
    from the server's run messages. Its status widget is no such signal: it shows only after a
    delay, so "no status widget" also holds while a run has just begun (issue 10, item 18).
    Call this after waiting for what the action shows (a heading, a message), so the run that
    action started is the one waited for.
    """
    app = page.locator('[data-testid="stApp"]')
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    if charts:
        page.wait_for_selector(
            '[data-testid="stVegaLiteChart"] svg.marks', state="visible", timeout=timeout
        )


def log_in(page, username: str, password: str, display_name: str) -> None:
    """Log in through the sidebar form and wait until the cookie has made it stick."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("button", name="Logga in", exact=True).click()
    sidebar.get_by_label("Användarnamn").fill(username)
    sidebar.get_by_label("Lösenord").fill(password)
    sidebar.get_by_role("button", name="Logga in", exact=True).click()
    sidebar.get_by_text(f"Inloggad: {display_name}").first.wait_for()
    # The cookie component answers and the app reruns without the form: logged in for good.
    sidebar.get_by_label("Användarnamn").wait_for(state="detached")
    wait_for_app(page, charts=False)


def demo_with_user(demo_template: Path, path: Path, user, password: str) -> str:
    """URL of a copy of the demo database at ``path`` with one more account (a ``NewUser``)."""
    import shutil

    from sqlalchemy.orm import Session

    from dashboard.admin.users import create_user
    from db import make_engine

    shutil.copy(demo_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session, session.begin():
        create_user(session, user, password, password, by="test")
    engine.dispose()
    return f"sqlite:///{path}"
