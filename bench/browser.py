"""Browser time-to-charts against the floor page, and the server's memory under 10 sessions.

Chromium is Debian's (/usr/bin/chromium); its launch options and the server class are the
tests' own (testsupport/server.py), so the benchmark starts the app as the browser tests do.
Time-to-charts is read inside the page: ``performance.now()`` (milliseconds since navigation
started) at the first animation frame where the script run has finished
(``data-test-script-state="notRunning"`` on stApp), the page's title is shown and every chart
the page draws (its count known from the AppTest run) has its marks in the SVG.
"""

from __future__ import annotations

import functools
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.databases import BENCH_PASSWORD, BENCH_USER
from bench.pages import LOGIN_PAGES
from testsupport.server import APP, CHROMIUM, CHROMIUM_ARGS, Server

FLOOR_APP = Path(__file__).with_name("floor_app.py")
VIEWPORT = {"width": 1280, "height": 720}
TIMEOUT_MS = 120_000
COOKIE_NAME = "medborgarloften_bench"
DRAWN = """([charts, title]) => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testScriptState !== "notRunning") return false;
    const heading = document.querySelector('[data-testid="stMain"] h1');
    if (!heading || !heading.textContent.includes(title)) return false;
    const drawn = document.querySelectorAll('[data-testid="stVegaLiteChart"] svg.marks');
    if (drawn.length < charts) return false;
    return performance.now();
}"""
MARKS = """() => document.querySelectorAll(
    '[data-testid="stVegaLiteChart"] svg.marks g.role-mark > *').length"""


@dataclass(frozen=True)
class BrowserTiming:
    """Median time-to-charts of a page and of the floor page with as many marks (ms)."""

    page: str
    ms: float
    marks: int
    floor_ms: float

    @property
    def ratio(self) -> float:
        """Page time over floor time."""
        return self.ms / self.floor_ms


@contextmanager
def serving(script: Path, env: dict[str, str], log: Path) -> Iterator[Server]:
    """A running server for the block."""
    server = Server(script, env, log)
    try:
        yield server
    finally:
        server.stop()


def app_env(database_url: str) -> dict[str, str]:
    """The app server's environment: the benchmark database, demo mode, open browsing."""
    return {
        "DASHBOARD_DATABASE_URL": database_url,
        "DASHBOARD_DEMO_MODE": "1",
        "DASHBOARD_REQUIRE_LOGIN": "0",
        "DASHBOARD_COOKIE_KEY": "bench-cookie-key-" + "b" * 40,
        "DASHBOARD_COOKIE_NAME": COOKIE_NAME,
    }


@contextmanager
def chromium() -> Iterator:
    """A headless Debian Chromium through Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


def new_context(browser):
    """A fresh browser context (its own cookies: one user's session)."""
    return browser.new_context(viewport=VIEWPORT, locale="sv-SE")


def time_to_charts(context, url: str, *, charts: int, title: str) -> tuple[float, int]:
    """Open ``url`` in a new tab; milliseconds until drawn, and the number of marks drawn."""
    tab = context.new_page()
    try:
        tab.goto(url, wait_until="commit")
        handle = tab.wait_for_function(
            DRAWN, arg=[charts, title], polling="raf", timeout=TIMEOUT_MS
        )
        return float(handle.json_value()), int(tab.evaluate(MARKS))
    finally:
        tab.close()


def paired_times(
    context, url: str, floor_url: str, *, charts: int, title: str, repeats: int
) -> tuple[float, float, int]:
    """Median time-to-charts of a page and of its floor, loaded in turn; and the page's marks.

    One load of each first (the server's caches, the browser's), then ``repeats`` pairs, page
    and floor one after the other, so a change in the machine's load hits both alike.
    """
    _, marks = time_to_charts(context, url, charts=charts, title=title)
    floor = functools.partial(
        time_to_charts, context, f"{floor_url}/?marks={marks}", charts=min(marks, 1), title="Golv"
    )
    floor()
    page_ms, floor_ms = [], []
    for _ in range(repeats):
        page_ms.append(time_to_charts(context, url, charts=charts, title=title)[0])
        floor_ms.append(floor()[0])
    return statistics.median(page_ms), statistics.median(floor_ms), marks


def log_in(context, base_url: str) -> None:
    """Log the bench administrator in; the login cookie stays in ``context``."""
    tab = context.new_page()
    try:
        tab.goto(base_url)
        tab.get_by_role("button", name="Logga in").first.click()
        tab.get_by_label("Användarnamn").fill(BENCH_USER)
        tab.get_by_label("Lösenord", exact=True).fill(BENCH_PASSWORD)
        tab.locator('[data-testid="stForm"]').get_by_role("button", name="Logga in").click()
        tab.get_by_text("Inloggad:").first.wait_for(timeout=TIMEOUT_MS)
        tab.wait_for_function(
            "name => document.cookie.includes(name + '=')", arg=COOKIE_NAME, timeout=TIMEOUT_MS
        )
    finally:
        tab.close()


def page_url(base_url: str, page: str) -> str:
    """The address of ``page`` (the first page is the app's root)."""
    return base_url if page == "oversikt" else f"{base_url}/{page}"


def time_pages_in_browser(
    browser, app_url: str, floor_url: str, pages: list, *, repeats: int, logged_in: bool = True
) -> list[BrowserTiming]:
    """Each page's median time-to-charts, and the floor's with the same number of marks.

    ``pages`` are the AppTest timings (for each page's title and chart count). Each page is
    measured in pairs with its own floor (``paired_times``).
    ``logged_in``: in a context that has logged in (every page restores the login from the
    cookie and shows the user's menu), else as a reader who has not (the pages that need a
    login left out).
    """
    context = new_context(browser)
    results = []
    if not logged_in:
        pages = [p for p in pages if p.page not in LOGIN_PAGES]
    try:
        if logged_in and any(p.page in LOGIN_PAGES for p in pages):
            log_in(context, app_url)
        for page in pages:
            ms, floor_ms, marks = paired_times(
                context, page_url(app_url, page.page), floor_url,
                charts=page.charts, title=page.title, repeats=repeats,
            )  # fmt: skip
            results.append(BrowserTiming(page.page, ms, marks, floor_ms))
    finally:
        context.close()
    return results


def cold_start(browser, database_url: str, page, log: Path, *, repeats: int) -> dict:
    """The first page after a server start (issue 15, item 4), ``repeats`` fresh starts.

    Each start is a new server process on the benchmark database: the seconds until its health
    check answers, then the milliseconds until ``page`` (an AppTest timing: title and charts)
    is drawn in a fresh browser context, what the first person in a meeting waits for once
    the server is up. Medians of both.
    """
    ready, first = [], []
    for number in range(repeats):
        started = time.perf_counter()
        server = Server(APP, app_env(database_url), log.with_suffix(f".{number}.log"))
        ready.append(time.perf_counter() - started)
        context = new_context(browser)
        try:
            ms, _ = time_to_charts(
                context, page_url(server.url, page.page), charts=page.charts, title=page.title
            )
            first.append(ms)
        finally:
            context.close()
            server.stop()
    return {
        "repeats": repeats,
        "page": page.page,
        "server_ready_s": statistics.median(ready),
        "first_page_ms": statistics.median(first),
    }


def process_memory_mb(pid: int) -> tuple[float, float]:
    """Peak (VmHWM) and current (VmRSS) resident memory of ``pid`` and its children, in MB."""
    peak = current = 0.0
    for process in [pid, *_children(pid)]:
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        peak += int(fields.get("VmHWM", "0 kB").split()[0]) / 1024
        current += int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
    return peak, current


def process_pss_mb(pid: int) -> float:
    """Proportional set size of ``pid`` and its children, in MB: each page counted once,
    its share divided among the processes that map it (several app processes share their
    libraries' code, which the sum of their RSS counts once per process)."""
    total = 0.0
    for process in [pid, *_children(pid)]:
        try:
            rollup = Path(f"/proc/{process}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1]) / 1024
    return total


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *_children(child)]
    return found


def _session_tabs(browser, server: Server, pages: list, sessions: int) -> tuple[list, list]:
    """``sessions`` contexts, logged in with one shared login cookie, each on the first page."""
    seed = new_context(browser)
    contexts, tabs = [seed], []
    needs_login = any(p.page in LOGIN_PAGES for p in pages)
    if needs_login:
        log_in(seed, server.url)
    cookies = seed.cookies()
    for _ in range(sessions):
        context = new_context(browser)
        context.add_cookies(cookies)
        contexts.append(context)
        tab = context.new_page()
        tabs.append(tab)
        # One at a time: ten cold page loads at once (each context loads Streamlit's
        # JavaScript afresh) starve two cores for minutes.
        tab.goto(server.url, wait_until="commit", timeout=TIMEOUT_MS)
        if needs_login:  # as a returning user: the cookie has logged the session in
            tab.get_by_text("Inloggad:").first.wait_for(timeout=TIMEOUT_MS)
    return contexts, tabs


def _go_to(tab, page, *, attempts: int = 3) -> None:
    """Follow the sidebar link to ``page`` and wait until it is drawn.

    A click that lands while the session is rerunning (the login cookie's answer reruns the
    app) can be lost; it is repeated rather than waited on for minutes.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        if page.page != "oversikt":
            link = tab.locator(f'[data-testid="stSidebarNav"] a[href$="/{page.page}"]')
            link.click(timeout=TIMEOUT_MS)
        try:
            tab.wait_for_function(
                DRAWN, arg=[page.charts, page.title], polling=100, timeout=TIMEOUT_MS / attempts
            )
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def memory_after_sessions(browser, server: Server, pages: list, *, sessions: int) -> dict:
    """Open every page in ``sessions`` concurrent sessions; the server's memory afterwards.

    The sessions move in step, page by page through the sidebar, so the server holds
    ``sessions`` live sessions that have each seen every page.
    """
    before = process_memory_mb(server.process.pid)
    started = time.perf_counter()
    contexts, tabs = _session_tabs(browser, server, pages, sessions)
    try:
        for page in pages:
            for tab in tabs:
                _go_to(tab, page)
        peak, current = process_memory_mb(server.process.pid)
    finally:
        for context in contexts:
            context.close()
    return {
        "sessions": sessions,
        "start_rss_mb": before[1],
        "peak_rss_mb": peak,
        "rss_mb": current,
        "seconds": time.perf_counter() - started,
    }
