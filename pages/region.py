"""Region och riket (issue 11): every promise of a police region or of the whole country.

How many promises there are for the year, how far each has come in the chosen period, which
have not evaluated the last period that has ended, the year results since 2007 as a
distribution across partnerships, the themes promised per region, and one indicator compared
across the kommuner (dashboard/region_indicators_ui.py). One row per promise (a
kommun with promises for several areas has several); a link on each row opens its Översikt.
"""

import datetime as dt

import streamlit as st

from dashboard import (
    cache,
    choices,
    components,
    html_blocks,
    meeting_ui,
    opening_ui,
    queries,
    region_charts,
    region_indicators_ui,
    region_ui,
    rollups,
    tables,
)

components.ensure_entrypoint()
meeting = meeting_ui.page_title("Region och riket")
readable = opening_ui.readable()  # None: every partnership (see dashboard/opening_ui.py)
regions = cache.load(queries.load_regions)
if readable is not None:
    regions = regions.filter(regions["code"].is_in(readable["region_code"].drop_nulls()))
everything = "Hela landet" if readable is None else "Hela ditt område"
today = dt.date.today()
years = cache.load(queries.load_years, partnership=None)["year"].unique().sort().to_list()
if not years:
    components.empty_database()
    st.stop()
# Area and year in one popover named after them (drawn when opened, issue 15).
default_year = tables.default_year(years, today)
previewed = choices.region_preview(regions)
named = everything if previewed is None else regions.filter(code=previewed)["name"].item()
choice_column, period_column = st.columns([1, 3])
with choice_column:
    box = choices.choices_popover([named, str(choices.year_preview(years, default=default_year))])
    region = choices.region_picker(regions, everything=everything, box=box)
    year = choices.year_picker(years, default=default_year, box=box)
scope = everything.lower() if region is None else regions.filter(code=region)["name"].item()
with period_column:
    number = choices.region_period_picker()
day = today if year == today.year else None
rows = cache.load(queries.load_activity_status, year, number, region=region, day=day)
rows = opening_ui.within_scope(rows, readable)
status = rollups.promise_status(rows)
if status.is_empty():
    st.info(f"Inga medborgarlöften för {year} i {scope}.")
    st.stop()
late = rollups.not_evaluated_last_period(
    cache.load(queries.load_last_ended, year, region=region, today=today), today=today
)
region_ui.promises_section(status, late, year=year, number=number, scope=scope)

results = cache.load(queries.load_year_result_distribution, region=region, today=today)
results = opening_ui.within_scope(results, readable)
if not results.is_empty():
    shown = cache.chart(
        region_charts.year_result_distribution_chart, results, scope=scope, meeting=meeting
    )
    components.chart(shown)

themes = cache.load(queries.load_themes, year, codes=opening_ui.codes(readable))
themes_table = (
    html_blocks.section_heading(f"Teman per polisregion, {year}"),
    html_blocks.table(tables.themes_table(themes), label=f"Teman per polisregion, {year}"),
)
# The themes and the indicators' heading are one HTML block (issue 15).
region_indicators_ui.indicator_section(
    region=region, readable=readable, scope=scope, meeting=meeting, lead=themes_table
)
