"""Playwright helpers for the browser tests: waiting on the app's own signals, logging in,
downloading, and what Översikt must show.

Every wait is on something the app says (its script state, a heading, a message, an element
that appears or goes), through Playwright's ``expect`` and locators, never a pause.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy.orm import Session

from dashboard import labels, queries
from dashboard.admin.users import create_user
from db import make_engine

# Översikt's focus-area cards are one HTML block (dashboard/promise_blocks.py, issue 15): the
# value under each card's "Genomförandegrad", and the HTML tables of the pages.
CARD_COMPLETION = '[data-testid="stMain"] .mb-card .mb-figure dd'
HTML_TABLE = '[data-testid="stMain"] .mb-block table'


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


def nav(page):
    """The sidebar's page menu."""
    return page.locator('[data-testid="stSidebarNav"]')


def open_popover(page, key: str):
    """Open the popover drawn with ``key`` (its container carries ``st-key-<key>``), e.g.
    ``urval`` (kommun, year, promise: dashboard/choices.py) or ``filter``; its content."""
    page.locator(f'.st-key-{key} [data-testid="stPopoverButton"]').click()
    content = page.locator('[data-testid="stPopoverBody"]')
    content.wait_for()
    return content


def download(page, button, artifacts_dir: Path) -> tuple[str, bytes]:
    """Click ``button``, keep the file it delivers in ``artifacts_dir``: its name and bytes."""
    with page.expect_download(timeout=60_000) as info:
        button.click()
    delivered = info.value
    target = artifacts_dir / delivered.suggested_filename
    delivered.save_as(target)
    return delivered.suggested_filename, Path(target).read_bytes()


def demo_with_user(demo_template: Path, path: Path, user, password: str) -> str:
    """URL of a copy of the demo database at ``path`` with one more account (a ``NewUser``)."""
    shutil.copy(demo_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with Session(engine) as session, session.begin():
        create_user(session, user, password, password, by="test")
    engine.dispose()
    return f"sqlite:///{path}"


def expected_completion(engine) -> list[str]:
    """The focus areas' T3 2026 completion as Översikt must show it, from the database."""
    with engine.connect() as conn:
        status = queries.load_focus_area_status(conn, 2026, 3, partnership="0486")
    return [labels.format_percent(value) for value in status["completion"]]
