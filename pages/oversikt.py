"""Översikt: where each focus area of the chosen promise stands in the chosen period."""

import streamlit as st

from dashboard import (
    cache,
    charts,
    components,
    html_blocks,
    indicator_text,
    indicators_ui,
    labels,
    meeting_ui,
    opening_ui,
    promise_blocks,
    queries,
    rollups,
    tables,
)
from dashboard.export import ui as export_ui

components.ensure_entrypoint()
meeting = meeting_ui.page_title("Översikt")
year_column, tertial_column = st.columns([1, 3])
shown = opening_ui.open_year(year_column)
partnership, year = shown.promise, shown.year
matrix = cache.load(queries.load_activity_matrix, year, partnership=partnership)
latest = rollups.latest_evaluated_tertial(matrix)
with tertial_column:
    tertial = opening_ui.period(shown, default=latest)

promise = cache.load(queries.load_promise, year, partnership=partnership)
progress, indicator_values = indicators_ui.year_progress(year, partnership)
status = cache.load(queries.load_focus_area_status, year, tertial, partnership=partnership)
period = f"{labels.period_name(tertial, shown.names)} {year}"
# The badge, the promise and every focus area's card in one HTML block (issue 15).
header = components.demo_note(promise, matrix, indicator_values) + promise_blocks.overview_header(
    promise.row(0, named=True), period=period, meeting=meeting
)
if status.is_empty():
    components.draw_html(header)
    components.needs_admin("Löftet har inga fokusområden ännu.")
    st.stop()
components.draw_html(
    header,
    promise_blocks.focus_area_cards(
        status.to_dicts(),
        period=tertial,
        per_row=max(status.height, 3) if meeting else 3,
        names=shown.names,
        indicators=indicator_text.by_focus_area(progress),
        level=3 if meeting else 4,
    ),
    html_blocks.paragraph(labels.EFFECT_CAVEAT) if progress.height else "",
)
if status["n_evaluated"].sum() == 0:
    st.info(
        f"Inga utvärderingar är registrerade för {period}. Samordnarna registrerar dem under "
        "Registrera utvärdering; välj en tidigare period för att se senaste läget."
    )
else:
    shown = cache.chart(
        charts.completion_chart,
        status.filter(status["n_activities"] > 0),
        category="focus_area",
        category_title="Fokusområde",
        title=f"Genomförandegrad per fokusområde, {period}",
        subtitle="Medelvärde av de utvärderade aktiviteterna; status = allvarligaste",
        description=charts.describe_completion(status, period=period),
        meeting=meeting,
    )
    components.chart(shown)
    export_ui.chart_downloads(
        shown, key="fokusomraden", year=year, tertial=tertial,
        demo=tables.contains_demo(promise, matrix),
    )  # fmt: skip

changes = cache.load(queries.load_status_changes, year, tertial, partnership=partnership)
components.draw_html(
    html_blocks.heading(f"Aktiviteter, {period}", 3),
    html_blocks.table(
        tables.activity_status_table(matrix, tertial), label=f"Aktiviteter, {period}"
    ),
    html_blocks.heading("Förändringar sedan förra perioden", 3),
    html_blocks.notice(f"Ingen aktivitet har bytt status sedan perioden före {period}.")
    if changes.is_empty()
    else html_blocks.table(tables.changes_table(changes), label="Förändringar"),
)
