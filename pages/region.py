"""Region och riket (issue 11): every promise of a police region or of the whole country.

How many partnerships have a promise, how far each has come in the tertial and which have
not evaluated it, the year results since 2007 as a distribution across partnerships, and the
themes promised per region. A link on each row opens that promise's Översikt.
"""

import datetime as dt

import streamlit as st

from dashboard import (
    cache,
    components,
    labels,
    meeting_ui,
    opening_ui,
    queries,
    region_charts,
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
region = components.region_picker(regions, everything=everything)
scope = everything.lower() if region is None else regions.filter(code=region)["name"].item()
today = dt.date.today()
years = cache.load(queries.load_years, partnership=None)["year"].unique().sort().to_list()
if not years:
    components.empty_database()
    st.stop()
year, tertial = components.period_pickers(years, today=today)

rows = cache.load(queries.load_activity_status, year, tertial, region=region)
rows = opening_ui.within_scope(rows, readable)
status = rollups.partnership_status(rows)
if status.is_empty():
    st.info(f"Inga medborgarlöften för {year} i {scope}.")
    st.stop()
components.demo_badge_if(status)
missing = status.filter(status["n_evaluated"] == 0)
period = f"{labels.TERTIAL_SHORT[tertial]} {year}"
one, two, three = st.columns(3)
one.metric("Samverkanspar med löfte", labels.count(status.height, "par", "par"))
two.metric(f"Har utvärderat {period}", status.height - missing.height)
three.metric(f"Saknar utvärdering {period}", missing.height)

st.subheader(f"Varje samverkan, {period}", anchor=False)
components.link_table(tables.partnership_table(status, year=year, tertial=tertial), "Översikt")

results = cache.load(queries.load_year_result_distribution, region=region, today=today)
results = opening_ui.within_scope(results, readable)
if not results.is_empty():
    shown = cache.chart(
        region_charts.year_result_distribution_chart, results, scope=scope, meeting=meeting
    )
    components.chart(shown)

st.subheader(f"Teman per polisregion, {year}", anchor=False)
themes = cache.load(queries.load_themes, year, codes=opening_ui.codes(readable))
components.table(tables.themes_table(themes))
