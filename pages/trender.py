"""Trender sedan 2007: year results, activities per theme and owner, recurring activities,
and the kommun's indicators with the promise periods marked (issue 12)."""

import datetime as dt

import streamlit as st

from dashboard import cache, charts, components, meeting_ui, opening_ui, queries, tables
from dashboard import indicators_ui as indicators
from dashboard.export import ui as export_ui

components.ensure_entrypoint()
meeting = meeting_ui.page_title("Trender sedan 2007")
partnership = opening_ui.partnership()
today = dt.date.today()
results = cache.load(queries.load_year_results, partnership=partnership, today=today)
if results.is_empty():
    components.empty_database()
    st.stop()
years = cache.load(queries.load_years, partnership=partnership)
indicator_values = indicators.kommun_values(partnership)
components.demo_badge_if(years, indicator_values)
demo, span = tables.contains_demo(years), f"{results['year'].min()}–{results['year'].max()}"

if results["share_genomford"].is_null().all():
    st.info("Inga utvärderingar är registrerade ännu, så inget år har något resultat.")
else:
    shown = cache.chart(charts.trend_result_chart, results, meeting=meeting)
    components.chart(shown, rows=tables.year_results_table(results))
    export_ui.chart_downloads(shown, key="resultat-per-ar", year=None, span=span, demo=demo)

for by in ("theme", "owner"):
    counts = cache.load(
        queries.load_activity_counts, partnership=partnership, by=by, last_year=today.year
    )
    shown = cache.chart(charts.trend_activity_chart, counts, by=by, meeting=meeting)
    components.chart(shown)
    key = "aktiviteter-per-tema" if by == "theme" else "aktiviteter-per-ansvarig"
    export_ui.chart_downloads(shown, key=key, year=None, span=span, demo=demo)

lineage = cache.load(queries.load_lineage, partnership=partnership, last_year=today.year)
if lineage.is_empty():
    st.info("Inga aktiviteter återkommer under flera år (ingen gemensam löpnyckel).")
else:
    shown = cache.chart(charts.trend_lineage_chart, lineage, meeting=meeting)
    components.chart(shown)
    export_ui.chart_downloads(shown, key="aterkommande", year=None, span=span, demo=demo)

indicators.trend_section(indicator_values, partnership=partnership, meeting=meeting)
