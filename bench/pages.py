"""Server-side run time of every page, through Streamlit's AppTest.

Cold: the first run after ``st.cache_data.clear()`` and ``st.cache_resource.clear()`` (a new
engine and connection pool, every query read from the database). Warm: the median of
``reruns`` reruns of the same page in the same session, as a user clicking around sees it.
"""

from __future__ import annotations

import os
import secrets
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
import streamlit_authenticator.params
from streamlit.testing.v1 import AppTest

from bench.databases import BENCH_PASSWORD, BENCH_USER
from dashboard import streamlit_adapter

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGES = ("oversikt", "fokusomraden", "aktiviteter", "trender", "region", "export", "registrera",
         "administration")  # fmt: skip
LOGIN_PAGES = frozenset({"registrera", "administration"})
TIMEOUT = 300  # a cold national-scale run on a busy machine may take long; never fail on it


@dataclass(frozen=True)
class PageTiming:
    """One page's server-side times in milliseconds and the number of charts it drew."""

    page: str
    cold_ms: float
    warm_ms: float
    charts: int
    title: str
    problem: str | None = None


@contextmanager
def app_environment(database_url: str) -> Iterator[None]:
    """Point the app at ``database_url`` for AppTest runs in this process; undone after."""
    env = {
        "DASHBOARD_DATABASE_URL": database_url,
        "DASHBOARD_DEMO_MODE": "1",
        "DASHBOARD_REQUIRE_LOGIN": "0",
        "DASHBOARD_COOKIE_KEY": secrets.token_urlsafe(48),
    }
    saved_env = {key: os.environ.get(key) for key in env}
    saved_sleep = streamlit_authenticator.params.PRE_LOGIN_SLEEP_TIME
    os.environ.update(env)
    # Logging in is set-up, not what is measured: skip the library's 0.7 s pre-login sleep.
    streamlit_authenticator.params.PRE_LOGIN_SLEEP_TIME = 0
    try:
        # AppTest runs app.py on every run (database check, auth gate), as a real server does.
        with streamlit_adapter.entrypoint_on_every_run():
            yield
    finally:
        streamlit_authenticator.params.PRE_LOGIN_SLEEP_TIME = saved_sleep
        for key, value in saved_env.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def clear_caches() -> None:
    """Empty every Streamlit cache of this process (data and resources)."""
    st.cache_data.clear()
    st.cache_resource.clear()


def log_in(at: AppTest) -> AppTest:
    """Log the bench administrator in through the sidebar form."""
    at.button(key="login_open_button").click().run()
    next(t for t in at.text_input if t.label == "Användarnamn").input(BENCH_USER)
    next(t for t in at.text_input if t.label == "Lösenord").input(BENCH_PASSWORD)
    next(b for b in at.button if b.label == "Logga in" and b.proto.is_form_submitter).click()
    at.run()
    return at.run()  # a browser's cookie component would rerun the app here


def open_page(page: str) -> AppTest:
    """An AppTest session that has run ``page`` once (logged in where the page needs it)."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    if page in LOGIN_PAGES:
        log_in(at)
    if page != PAGES[0]:
        at.switch_page(f"pages/{page}.py")
    return at


def _timed_run(at: AppTest) -> float:
    started = time.perf_counter()
    at.run()
    return (time.perf_counter() - started) * 1000


def time_page(page: str, *, reruns: int = 10) -> PageTiming:
    """Cold and warm server-side run time of ``page`` (call inside ``app_environment``)."""
    at = open_page(page)
    clear_caches()
    cold = _timed_run(at)
    warm = statistics.median(_timed_run(at) for _ in range(reruns))
    problems = [e.value for e in at.exception] + [e.value for e in at.error]
    title = at.title[0].value if at.title else ""
    charts = len(at.get("vega_lite_chart"))
    return PageTiming(page, cold, warm, charts, title, problems[0] if problems else None)


def time_pages(database_url: str, *, reruns: int = 10, pages=PAGES) -> list[PageTiming]:
    """Every page's cold and warm time on ``database_url``."""
    with app_environment(database_url):
        return [time_page(page, reruns=reruns) for page in pages]
