"""Fokusområden: one focus area at a time (meeting mode) with its activities and comments."""

import streamlit as st

from dashboard import (
    cache,
    charts,
    choices,
    components,
    html_blocks,
    indicators_ui,
    meeting_ui,
    opening_ui,
    promise_blocks,
    queries,
    rollups,
    tables,
)
from dashboard.export import ui as export_ui

components.ensure_entrypoint()
meeting = meeting_ui.page_title("Fokusområden")
year_column, area_column = st.columns([2, 5])
shown = opening_ui.open_year(year_column)
partnership, year, codes = shown.promise, shown.year, shown.codes
areas = cache.load(queries.load_focus_areas, year, partnership=partnership)
if areas.is_empty():
    components.needs_admin(f"Löftet för {year} har inga fokusområden ännu.")
    st.stop()
with area_column:
    area = choices.focus_area_picker(areas)

matrix = cache.load(queries.load_activity_matrix, year, partnership=partnership)
activities = rollups.focus_area_activities(matrix, area["focus_area_id"])
indicators, indicator_values = indicators_ui.focus_area_progress(
    area["focus_area_id"], year=year, partnership=partnership
)
components.draw_html(
    html_blocks.heading(area["name"], 2),
    components.demo_note(activities, indicator_values),
    html_blocks.paragraph(area["description"]) if area["description"] else "",
)
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
if activities.height:
    components.draw_html(
        html_blocks.heading("Aktiviteter", 3),
        promise_blocks.activity_cards(activities.to_dicts(), codes),
    )
