"""The load test's protocol client against a real server (issue 15): a short run, no targets.

Three sessions over Streamlit's own websocket protocol, as bench/load.py drives fifty: each
opens the browse pages of a two-kommun national demo, and one logs in through the app's own
login widgets and saves an evaluation on Registrera. Timing targets live in the benchmark;
here: no error, every page run and the save measured, the save in the database.
"""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from bench import load
from bench.browser import app_env
from bench.databases import add_bench_user
from db import make_engine
from db.models import Evaluation
from testsupport.server import APP, Server


@pytest.fixture(scope="module")
def load_server(two_partnerships, tmp_path_factory):
    """The app's server, as the benchmark starts it, on a copy with the bench administrator."""
    directory = tmp_path_factory.mktemp("load")
    path = directory / "two.sqlite3"
    shutil.copy(two_partnerships, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    add_bench_user(engine)
    engine.dispose()
    server = Server(APP, app_env(url), directory / "server.log")
    yield url, server
    server.stop()


def test_three_sessions_browse_and_one_saves_without_error(load_server, monkeypatch):
    url, server = load_server
    monkeypatch.setattr(load, "BROWSE", ("", "trender"))
    monkeypatch.setattr(load, "SAVE_EVERY", 3)  # session 2 of 0, 1, 2 saves
    figures = load.run_load(server.url, sessions=3, think=0, pids=[server.process.pid])
    assert figures["problems"] == [] and figures["errors"] == 0
    # Per session: the first page (with its ?kommun=), Trender; the saver also Registrera.
    assert figures["page_runs"] == 3 * 2 + 1
    assert figures["saves"] == 1
    assert 0 < figures["page_median_ms"] <= figures["page_p95_ms"]
    assert figures["save_median_ms"] > 0
    assert figures["peak_rss_mb"] > 50
    engine = make_engine(url)
    with engine.connect() as conn:
        comments = conn.scalars(select(Evaluation.comment)).all()
    engine.dispose()
    assert f"Belastningstest {load.RUN}, session 2" in comments


def test_percentile_is_inclusive():
    assert load.percentile([], 0.95) is None
    assert load.percentile([7.0], 0.95) == 7.0
    assert load.percentile([float(n) for n in range(1, 101)], 0.95) == pytest.approx(95.05)
