"""The benchmark's AppTest measures (issue 15), one small run each so `make bench` does not rot:
a page timed on the demo database, and the floor page with the asked number of marks. No
timing assertions."""

from __future__ import annotations

import json
import os

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from bench import browser, pages


def test_one_page_is_timed_through_apptest_on_the_demo_database(demo_url):
    before = os.environ.get("DASHBOARD_DATABASE_URL")
    with pages.app_environment(demo_url):
        assert os.environ["DASHBOARD_DATABASE_URL"] == demo_url
        timing = pages.time_page("trender", reruns=1)
    assert os.environ.get("DASHBOARD_DATABASE_URL") == before
    assert timing.title == "Trender sedan 2007"
    assert timing.charts >= 1 and timing.problem is None
    assert timing.cold_ms > 0 and timing.warm_ms > 0


def test_floor_page_draws_one_chart_with_the_asked_number_of_marks():
    at = AppTest.from_file(str(browser.FLOOR_APP), default_timeout=30)
    at.query_params["marks"] = "7"
    at.run()
    (chart,) = at.get("vega_lite_chart")
    assert json.loads(chart.proto.spec)["mark"]["type"] == "bar"
    (dataset,) = chart.proto.datasets  # Streamlit sends the rows as Arrow beside the spec
    assert pa.ipc.open_stream(dataset.data.data).read_all().num_rows == 7
    at.query_params["marks"] = "0"
    assert not at.run().get("vega_lite_chart")  # no marks: the bare page alone
