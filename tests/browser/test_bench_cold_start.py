"""The benchmark's cold start (issue 15, item 4), one small run so `make bench` does not rot: a
fresh server of its own on the demo database, and its first page drawn in Debian's Chromium.
No timing assertions beyond "it finished"."""

from __future__ import annotations

from bench import browser as bench_browser
from bench import pages


def test_cold_start_starts_a_fresh_server_and_times_its_first_page(browser, demo_url, tmp_path):
    with pages.app_environment(demo_url):
        first = pages.time_page("oversikt", reruns=1)
    cold = bench_browser.cold_start(browser, demo_url, first, tmp_path / "cold.log", repeats=1)
    assert cold["page"] == "oversikt" and cold["repeats"] == 1
    assert 0 < cold["server_ready_s"] < 90 and 0 < cold["first_page_ms"] < bench_browser.TIMEOUT_MS
    assert "You can now view" in (tmp_path / "cold.0.log").read_text()  # a server of its own
