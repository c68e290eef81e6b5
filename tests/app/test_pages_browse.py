"""The browse pages in Streamlit's AppTest on the demo database (today = 2026-11-26 in the
data; the pages' "today" is the real date, so tests pass years and tertials explicitly)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from dashboard import labels, queries, rollups
from dashboard.components import plain
from db import make_engine
from db.models import FocusArea
from testsupport.apptest import (
    BROWSE_PAGES,
    headings,
    html_blocks,
    html_tables,
    open_chart_tables,
    open_page,
    texts,
)
from testsupport.server import APP

P = "0486"


def frames(at: AppTest) -> list[pl.DataFrame]:
    """The page's tables as shown: the HTML blocks' tables, then any st.dataframe's."""
    return html_tables(at) + [pl.from_pandas(d.value) for d in at.dataframe]


@pytest.fixture
def demo(app_env):
    engine = make_engine(app_env["DASHBOARD_DATABASE_URL"])
    with engine.connect() as conn:
        yield conn
    engine.dispose()


@pytest.mark.parametrize("page", list(BROWSE_PAGES))
def test_every_browse_page_renders_on_the_demo_data(app_env, page):
    at = open_page(page, ar="2021", period="3")
    assert [t.value for t in at.title] == [BROWSE_PAGES[page]]
    assert not at.error
    charts = at.get("vega_lite_chart")
    assert charts, "every browse page shows at least one chart"
    for chart in charts:
        assert '"locale"' in chart.proto.spec and '"description"' in chart.proto.spec
    assert len(at.expander) >= len(charts)  # each chart has its data as a table
    assert "Exempeldata" in texts(at)


def test_oversikt_2021_shows_signatories_and_signing_date(app_env):
    at = open_page("oversikt", ar="2021", period="3")
    shown = texts(at)
    assert "Lars Ekström, kommundirektör" in shown
    assert "Christer Sjöqvist, polischef" in shown
    assert "11 mars 2021" in shown


def test_oversikt_2019_shows_grannsamverkan_with_target_and_outcome(app_env):
    at = open_page("oversikt", ar="2019", period="3")
    table = next(f for f in frames(at) if "Mål" in f.columns)
    row = table.filter(pl.col("Aktivitet").str.contains("grannsamverkansområden")).row(
        0, named=True
    )
    assert row["Mål"] == "8 nya områden"
    assert row["Uppnått"] == "20 nya områden"


def test_changing_year_and_tertial_changes_the_cards(app_env, demo):
    at = open_page("oversikt", ar="2021", period="3")
    at.selectbox(key="valt_ar").select(2020).run()
    promise = queries.load_promise(demo, 2020, partnership=P).row(0, named=True)
    assert headings(at, 2)[0] == promise["title"]
    assert at.query_params["ar"] == "2020"
    for tertial in (1, 2):
        at.segmented_control(key="valt_period").set_value(tertial).run()
        status = queries.load_focus_area_status(demo, 2020, tertial, partnership=P)
        expected = [labels.format_percent(c) for c in status["completion"] if c is not None]
        assert _completions(at) == expected
        assert f"{labels.TERTIALS[tertial]} 2020" in texts(at)
        assert at.query_params["period"] == str(tertial)


def _completions(at: AppTest) -> list[str]:
    """The "Genomförandegrad" figure of every focus-area card, in order."""
    lines = "\n".join(block.text for block in html_blocks(at)).splitlines()
    return [lines[i + 1] for i, line in enumerate(lines) if line == "Genomförandegrad"]


def popover_labels(at) -> list[str]:
    return [p.proto.popover.label for p in at.get("popover")]


def test_changes_since_previous_tertial_match_the_database(app_env, demo):
    at = open_page("oversikt", ar="2021", period="2")
    changes = queries.load_status_changes(demo, 2021, 2, partnership=P)
    table = next(f for f in frames(at) if "Från" in f.columns)
    assert sorted(table["Aktivitet"]) == sorted(changes["title"])


def test_query_parameter_opens_the_intended_focus_area_and_buttons_step(app_env, demo):
    areas = queries.load_focus_areas(demo, 2021, partnership=P)
    at = open_page("fokusomraden", ar="2021", fokus="2")
    assert headings(at, 2)[0] == areas["name"][1]
    assert popover_labels(at)[:2] == ["År 2021", plain(f"2 av {areas.height}: {areas['name'][1]}")]
    next(b for b in at.button if b.label == "Nästa ▶").click().run()
    expected = areas["name"][2 % areas.height]
    assert headings(at, 2)[0] == expected
    assert at.query_params["fokus"] == str(2 % areas.height + 1)
    assert popover_labels(at)[1] == plain(f"{2 % areas.height + 1} av {areas.height}: {expected}")
    at.selectbox(key="valt_fokus").set_value(1).run()  # the list in the popover
    assert headings(at, 2)[0] == areas["name"][0] and at.query_params["fokus"] == "1"


def test_a_typed_focus_area_name_is_inert_on_its_popover_button(db):
    hostile = "[x](javascript:alert(1)) **fet**"
    with db.connect() as conn:
        first = queries.load_focus_areas(conn, 2021, partnership=P)["focus_area_id"][0]
    with Session(db) as session, session.begin():
        session.get(FocusArea, first).name = hostile
    at = open_page("fokusomraden", ar="2021", fokus="1")
    label = popover_labels(at)[1]  # Streamlit reads a label as markdown: every mark escaped
    assert label.endswith("\\[x\\]\\(javascript\\:alert\\(1\\)\\) \\*\\*fet\\*\\*"), label
    assert headings(at, 2)[0] == hostile  # and the heading shows it as typed


def test_focus_area_page_lists_its_activities_and_latest_comments(app_env, demo):
    at = open_page("fokusomraden", ar="2021", fokus="1")
    matrix = queries.load_activity_matrix(demo, 2021, partnership=P)
    area_id = queries.load_focus_areas(demo, 2021, partnership=P)["focus_area_id"][0]
    activities = rollups.focus_area_activities(matrix, area_id)
    shown = texts(at)
    for row in activities.iter_rows(named=True):
        assert row["title"] in headings(at, 4)
        if row["latest_comment"]:
            assert f"Senaste kommentar: {row['latest_comment']}" in shown


def test_activity_filters_narrow_the_matrix(app_env, demo):
    at = open_page("aktiviteter", ar="2021")
    matrix = queries.load_activity_matrix(demo, 2021, partnership=P)
    assert len(frames(at)[0]) == matrix.height
    assert "Filter" in popover_labels(at)
    at.multiselect[1].select("polis").run()
    assert len(frames(at)[0]) == rollups.filter_matrix(matrix, owners=["polis"]).height
    assert set(frames(at)[0]["Ansvarig"]) == {"Polisen"}
    at.multiselect[2].select("genomford").run()  # the filtered view says so on its button
    assert "Filter: 2 valda" in popover_labels(at)


def test_trends_show_every_year_since_2007(app_env, demo):
    at = open_chart_tables(open_page("trender"))
    results = queries.load_year_results(demo, partnership=P, today=dt.date.today())
    table = next(f for f in frames(at) if "Andel genomförda" in f.columns)
    assert table["År"][0] == "2007"
    assert list(table["År"]) == [str(y) for y in results["year"]]


def test_unknown_year_in_the_url_falls_back_with_a_message(app_env):
    at = open_page("oversikt", ar="1999")
    assert any("ar=1999" in w.value for w in at.warning)
    assert headings(at, 2)[0]


def test_empty_database_gives_a_message_not_a_traceback(app_env, monkeypatch, sqlite_url):
    monkeypatch.setenv("DASHBOARD_DATABASE_URL", sqlite_url)
    for page in BROWSE_PAGES:
        at = open_page(page)
        assert not at.get("vega_lite_chart")
        assert any("python -m dashboard demo" in i.value for i in at.info), page


def test_year_without_evaluations_says_so_instead_of_an_empty_chart(app_env):
    from sqlalchemy import delete

    from db.models import Evaluation

    engine = make_engine(app_env["DASHBOARD_DATABASE_URL"])
    with engine.begin() as conn:
        conn.execute(delete(Evaluation).where(Evaluation.year == 2021))
    engine.dispose()
    at = open_page("oversikt", ar="2021", period="1")
    assert not at.get("vega_lite_chart")
    assert any("Inga utvärderingar" in i.value for i in at.info)


def test_unreachable_database_gives_a_swedish_message(app_env, monkeypatch):
    monkeypatch.setenv(
        "DASHBOARD_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:9/none?connect_timeout=1"
    )
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert any("Databasen går inte att nå" in e.value for e in at.error)


def test_activity_matrix_is_a_plain_table_with_whole_titles(app_env, demo):
    # st.dataframe's grid cut the titles at the column width (issue 10); an HTML table wraps
    # them, and draws the text as typed, no Markdown (issue 15).
    at = open_page("aktiviteter", ar="2020")
    matrix = queries.load_activity_matrix(demo, 2020, partnership=P)
    assert len(html_tables(at)) == 1 and not at.table and not at.dataframe
    assert list(frames(at)[0]["Aktivitet"]) == matrix["title"].to_list()
    assert max(matrix["title"], key=len) in list(frames(at)[0]["Aktivitet"])


def test_one_activity_is_counted_in_the_singular(app_env):
    at = open_page("aktiviteter", ar="2021")
    at.multiselect[1].select("polis").run()
    assert "Status per aktivitet och period, 2021 (1 aktivitet)" in texts(at)
    at.multiselect[1].unselect("polis").run()
    assert "Status per aktivitet och period, 2021 (4 aktiviteter)" in texts(at)
