"""cache.chart (issue 6): a cached chart draws what st.altair_chart draws, a changed frame
builds a new one, and every browse chart keeps all five download formats behind "Ladda ner"."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
from streamlit.testing.v1 import AppTest

from dashboard.trends_ui import TABS
from testsupport.apptest import draw_every_tab, open_download_popovers

APP = str(Path(__file__).resolve().parents[2] / "app.py")

FORMATS = ["PNG", "SVG", "PDF", "CSV", "Excel"]


def _same_chart_both_ways() -> None:
    import polars as pl
    import streamlit as st

    from dashboard import cache, charts

    frame = pl.DataFrame(
        {"focus_area": ["Trygghet", "Skola"], "completion": [50.0, None], "status": ["pagar", None]}
    )
    options = {"category": "focus_area", "category_title": "Fokusområde", "title": "T"}
    built = charts.completion_chart(frame, description="d", **options)
    st.altair_chart(built, width="stretch", theme=None)
    st.vega_lite_chart(
        spec=cache.chart(charts.completion_chart, frame, description="d", **options).streamlit_spec,
        width="stretch",
        theme=None,
    )
    changed = frame.with_columns(completion=frame["completion"].fill_null(10.0))
    st.session_state["specs"] = [
        cache.chart(charts.completion_chart, f, description="d", **options).spec
        for f in (frame, frame, changed)
    ]


def _drawn(element) -> tuple[dict, list[list[dict]]]:
    """A chart element's spec without its dataset names and Altair's default view size (which
    st.altair_chart leaves out; every chart here has a size of its own), and its rows."""
    spec = json.loads(element.proto.spec)
    spec.pop("data")
    view = spec["config"]["view"]
    for key in ("continuousWidth", "continuousHeight"):
        view.pop(key, None)
    rows = [pa.ipc.open_stream(d.data.data).read_all().to_pylist() for d in element.proto.datasets]
    return spec, rows


def test_a_cached_chart_draws_what_altair_chart_draws_and_new_rows_build_a_new_one():
    at = AppTest.from_function(_same_chart_both_ways).run()
    assert not at.exception
    from_altair, from_cache = at.get("vega_lite_chart")
    assert _drawn(from_cache) == _drawn(from_altair)
    first, again, changed = at.session_state["specs"]
    assert first == again
    assert first != changed


def test_every_trend_chart_offers_every_format_behind_one_popover(app_env, monkeypatch):
    import streamlit_authenticator.params

    monkeypatch.setattr(streamlit_authenticator.params, "PRE_LOGIN_SLEEP_TIME", 0)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/trender.py").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 1, "the first tab's chart only (issue 15)"
    charts = draw_every_tab(at, TABS).get("vega_lite_chart")
    popovers = at.get("popover")
    # four charts of the activities and one per indicator of the kommun (issue 12)
    assert len(charts) > 4 and [p.proto.popover.label for p in popovers] == ["Ladda ner"] * len(
        charts
    )
    assert not at.get("download_button"), "built only when a popover is opened"
    labels = [b.proto.label for b in open_download_popovers(at).get("download_button")]
    assert labels == FORMATS * len(charts)
