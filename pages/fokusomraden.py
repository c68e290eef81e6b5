"""Fokusområden: one focus area at a time (meeting mode) with its activities and comments."""

import streamlit as st

from dashboard import (
    cache,
    charts,
    components,
    indicators_ui,
    meeting_ui,
    opening_ui,
    queries,
    rollups,
    tables,
)
from dashboard.export import ui as export_ui

components.ensure_entrypoint()
meeting = meeting_ui.page_title("Fokusområden")
year_column, area_column = st.columns([1, 5])
shown = opening_ui.open_year(year_column)
partnership, year, codes = shown.promise, shown.year, shown.codes
areas = cache.load(queries.load_focus_areas, year, partnership=partnership)
if areas.is_empty():
    components.needs_admin(f"Löftet för {year} har inga fokusområden ännu.")
    st.stop()
with area_column:
    area = components.focus_area_picker(areas)

matrix = cache.load(queries.load_activity_matrix, year, partnership=partnership)
activities = rollups.focus_area_activities(matrix, area["focus_area_id"])
indicators, indicator_values = indicators_ui.focus_area_progress(
    area["focus_area_id"], year=year, partnership=partnership
)
st.header(components.plain(area["name"]), anchor=False)
components.demo_badge_if(activities, indicator_values)
if area["description"]:
    st.text(area["description"])
if activities.is_empty():
    components.needs_admin("Fokusområdet har inga aktiviteter ännu.")
elif rollups.latest_evaluated_tertial(activities) is None:
    st.info(f"Ingen aktivitet i fokusområdet är utvärderad för {year} ännu.")
else:
    shown = cache.chart(
        charts.completion_chart,
        activities,
        category="title",
        category_title="Aktivitet",
        title=f"Aktiviteternas senaste läge, {year}",
        subtitle="Genomförandegrad och status i senast utvärderade period",
        description=charts.describe_completion(activities, period=str(year), category="title"),
        meeting=meeting,
    )
    components.chart(shown)
    export_ui.chart_downloads(
        shown, key=f"fokusomrade {area['name']}", year=year, demo=tables.contains_demo(activities)
    )
indicators_ui.focus_area_section(
    indicators, indicator_values, year=year, partnership=partnership, meeting=meeting
)
for activity in activities.iter_rows(named=True):
    components.activity_card(activity, codes)
