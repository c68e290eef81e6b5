"""Trender sedan 2007: year results, activities per theme and owner, recurring activities,
and the kommun's indicators with the promise periods marked (issue 12), one tab each."""

import datetime as dt

import streamlit as st

from dashboard import cache, components, meeting_ui, opening_ui, queries, tables, trends_ui
from dashboard import indicators_ui as indicators

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
trends_ui.trend_tabs(
    results, indicator_values, partnership=partnership, meeting=meeting,
    demo=tables.contains_demo(years), today=today,
)  # fmt: skip
