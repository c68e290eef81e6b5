"""Indicators on Översikt, Fokusområden and Trender (issue 12) in AppTest on the demo data.

The demo links Strängnäs's focus areas of the themes trygghet, våld i nära relationer and
ungdomar to indicators with invented values (source "exempel"): the pages must show them
beside the completion, say that activities done is not effect achieved, and never present
the invented values as Kolada's ("Källa: Kolada" alone).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete

from dashboard import indicator_progress, indicator_text, labels, queries, tables
from dashboard.trends_ui import TABS
from db import make_engine
from db.models import FocusAreaIndicator, IndicatorValue
from db.vocabulary import KOLADA_ATTRIBUTION
from testsupport.apptest import (
    headings,
    html_blocks,
    open_download_popovers,
    open_page,
    open_tab,
    texts,
)

P = "0486"
DEMO_LINE = "Påhittade exempelvärden, inte uppgifter från"


@pytest.fixture
def demo(app_env):
    engine = make_engine(app_env["DASHBOARD_DATABASE_URL"])
    yield engine
    engine.dispose()


def progress_of(engine, year: int):
    with engine.connect() as conn:
        links = queries.load_focus_area_indicators(conn, year, partnership=P)
        values = queries.load_indicator_values(conn, P)
    return indicator_progress.progress(links, values, until_year=year)


def captions(at) -> list[str]:
    """The captions: st.caption's and the lines of the HTML blocks (their notes among them)."""
    lines = [line for block in html_blocks(at) for line in block.text.splitlines()]
    return [c.value.replace("\\", "") for c in at.caption] + lines


def chart_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def no_kolada_alone(at) -> None:
    """No caption or chart on the page attributes the invented values to Kolada alone."""
    assert KOLADA_ATTRIBUTION not in captions(at)
    for spec in chart_specs(at):
        title = spec.get("title")
        subtitle = title.get("subtitle", "") if isinstance(title, dict) else ""
        assert not subtitle.endswith(KOLADA_ATTRIBUTION), subtitle


def test_oversikt_2026_shows_the_trygghet_focus_areas_indicators_and_the_caveat_once(demo):
    rows = progress_of(demo, 2026)
    assert rows.height, "the demo links a 2026 focus area to indicators"
    at = open_page("oversikt", ar="2026", period="3")
    shown = texts(at)
    for row in rows.iter_rows(named=True):
        card = indicator_text.card_lines(row)
        assert card in shown
        assert f"{row['mark']} {row['verdict_text']}" in card  # words and mark, not colour
        assert row["attribution"].startswith(DEMO_LINE)
    assert "Indikator: Problemindex, Polisens lokala trygghetsmätning" in shown
    assert shown.count(labels.EFFECT_CAVEAT) == 1
    assert any(c.startswith(DEMO_LINE) for c in captions(at))
    assert "Exempeldata" in shown
    no_kolada_alone(at)


def test_oversikt_in_meeting_mode_keeps_the_indicator_lines(demo):
    at = open_page("oversikt", ar="2026", period="3", mote="1")
    assert "Indikator: Problemindex" in texts(at)
    assert any("font-size: 20px" in e.proto.body for e in at.get("html"))


def test_fokusomraden_shows_the_indicator_chart_with_baseline_and_attribution(demo):
    rows = progress_of(demo, 2026)
    area_id = rows["focus_area_id"][0]
    with demo.connect() as conn:
        areas = queries.load_focus_areas(conn, 2026, partnership=P)
    position = areas["focus_area_id"].to_list().index(area_id) + 1  # ?fokus= is 1-based
    at = open_page("fokusomraden", ar="2026", fokus=str(position))
    name = areas["name"][position - 1]
    assert name in headings(at, 2)
    shown = texts(at)
    assert "Indikatorer" in shown and labels.EFFECT_CAVEAT in shown
    for summary in rows.filter(rows["focus_area_id"] == area_id)["summary"]:
        assert summary in shown
    indicator_charts = [s for s in chart_specs(at) if any(
        layer.get("mark", {}).get("type") == "rule" for layer in s.get("layer", []))]  # fmt: skip
    assert len(indicator_charts) == rows.filter(rows["focus_area_id"] == area_id).height
    baseline = rows["baseline_year"][0]
    assert f"Basår {baseline}." in indicator_charts[0]["description"]
    assert any(c.startswith(DEMO_LINE) for c in captions(at))
    downloads = [p for p in at.get("popover") if p.proto.popover.label == "Ladda ner"]
    assert len(downloads) == len(chart_specs(at))  # every chart has its downloads
    assert not at.get("download_button"), "built only when a popover is opened"
    keys = [b.proto.id for b in open_download_popovers(at).get("download_button")]
    link = rows.filter(rows["focus_area_id"] == area_id)["link_id"][0]
    assert any(f"indikator-{link}-data-csv" in key for key in keys), keys
    no_kolada_alone(at)


def test_trender_shows_every_indicator_with_the_promise_periods(demo):
    at = open_tab(open_page("trender"), TABS, "Indikatorer")
    shown = texts(at)
    assert "Indikatorer" in shown and labels.EFFECT_CAVEAT in shown
    with demo.connect() as conn:
        values = queries.load_indicator_values(conn, P)
        names = set(values["name"])
        periods = queries.load_promise_periods(conn, partnership=P)
    banded = {}
    for spec in chart_specs(at):
        for layer in spec.get("layer", []):
            if layer.get("mark", {}).get("type") == "rect":
                banded[spec["title"]["text"]] = [band["Löfte"] for band in layer["data"]["values"]]
    assert len(banded) == len(names)
    assert {title.rsplit(",", 1)[0] for title in banded} == names
    violence = next(b for t, b in banded.items() if t.startswith("Anmälda våldsbrott"))
    assert violence[0] == periods["title"][0]  # since 2007, every promise of the series
    assert "Exempeldata" in shown and tables.contains_demo(values)  # the badge covers them
    assert sum(c.startswith(DEMO_LINE) for c in captions(at)) == len(names)
    no_kolada_alone(at)


def test_a_kommun_without_indicators_shows_a_note_and_nothing_broken(demo):
    with demo.begin() as conn:
        conn.execute(delete(FocusAreaIndicator))
        conn.execute(delete(IndicatorValue))
    at = open_page("oversikt", ar="2026", period="3")
    assert labels.EFFECT_CAVEAT not in texts(at) and "Indikator:" not in texts(at)
    at = open_page("fokusomraden", ar="2026")
    assert indicator_text.NO_LINKS in texts(at)
    at = open_tab(open_page("trender"), TABS, "Indikatorer")
    assert indicator_text.NO_VALUES in texts(at)
    assert not at.error
