"""Aktiviteter per period: the activity × period matrix of a year, filters and charts."""

import streamlit as st

from dashboard import (
    cache,
    charts,
    choices,
    components,
    html_blocks,
    labels,
    meeting_ui,
    opening_ui,
    queries,
    rollups,
    tables,
)
from dashboard.export import ui as export_ui

FILTERS = ("filter_fokusomrade", "filter_ansvarig", "filter_status")

components.ensure_entrypoint()
meeting = meeting_ui.page_title("Aktiviteter per period")
choice_column, filter_column = st.columns([1, 3])
shown = opening_ui.open_year(choice_column)
partnership, year = shown.promise, shown.year
codes, names = shown.codes, shown.names
matrix = cache.load(queries.load_activity_matrix, year, partnership=partnership)
areas = cache.load(queries.load_focus_areas, year, partnership=partnership)
area_names = dict(zip(areas["focus_area_id"], areas["name"], strict=True))
with choices.filter_popover(filter_column, FILTERS):
    chosen_areas = st.multiselect(
        "Fokusområde",
        list(area_names),
        format_func=area_names.get,
        placeholder="Alla fokusområden",
        select_all=False,  # its "Select all" is English; choosing none shows all (issue 10)
        key=FILTERS[0],
    )
    owners = st.multiselect(
        "Ansvarig",
        list(labels.OWNERS),
        format_func=labels.owner_label,
        placeholder="Alla",
        select_all=False,
        key=FILTERS[1],
    )
    statuses = st.multiselect(
        "Status (någon period)",
        list(rollups.STATUS_CODES),
        format_func=labels.status_text,
        placeholder="Alla",
        select_all=False,
        key=FILTERS[2],
    )
shown = rollups.filter_matrix(matrix, focus_area_ids=chosen_areas, owners=owners, statuses=statuses)
if matrix.is_empty():
    components.needs_admin(f"Löftet för {year} har inga aktiviteter ännu.")
    st.stop()
if shown.is_empty():
    st.info("Inga aktiviteter matchar filtren. Ta bort något filter för att se fler.")
    st.stop()

counted = labels.count(shown.height, "aktivitet", "aktiviteter")
components.draw_html(
    components.demo_note(shown),
    html_blocks.section_heading(f"Status per aktivitet och period, {year} ({counted})"),
    html_blocks.table(tables.matrix_table(shown, codes), label="Status per aktivitet och period"),
)
if rollups.latest_evaluated_tertial(shown) is None:
    st.info(f"Inga utvärderingar är registrerade för {year} ännu.")
    st.stop()
left, right = st.columns(2)
with left:
    per_tertial = cache.chart(
        charts.tertial_completion_chart,
        rollups.completion_per_tertial(shown),
        year=year,
        names=names,
        meeting=meeting,
    )
    components.chart(per_tertial)
    export_ui.chart_downloads(
        per_tertial, key="tertialer", year=year, demo=tables.contains_demo(shown)
    )
with right:
    per_status = cache.chart(
        charts.tertial_status_chart,
        rollups.status_counts_per_tertial(shown),
        year=year,
        names=names,
        meeting=meeting,
    )
    components.chart(per_status)
    export_ui.chart_downloads(
        per_status, key="status-per-tertial", year=year, demo=tables.contains_demo(shown)
    )
