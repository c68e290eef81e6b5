"""Trender sedan 2007's tabs (issue 15): each draws its charts only once it has been opened.

The page showed seven charts at once (the year result, activities per theme and per owner,
recurring activities and one per indicator), and the browser drew them all before anything
else: 1.6× the time of a bare page with as many marks. As tabs, the first view is the year
result alone; the others are drawn from their first opening on (components.lazy_tabs).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st

from dashboard import cache, charts, components, queries, tables
from dashboard import indicators_ui as indicators
from dashboard.export import ui as export_ui

TABS = "trender_flik"


def trend_tabs(
    results: pl.DataFrame, indicator_values: pl.DataFrame, *, partnership: str, meeting: bool,
    demo: bool, today: dt.date,
) -> None:  # fmt: skip
    """The page's four tabs: year result, themes and owners, recurring activities, indicators."""
    span = f"{results['year'].min()}–{results['year'].max()}"
    options = {"meeting": meeting, "demo": demo, "span": span}
    components.lazy_tabs(
        {
            "Årets resultat": lambda: result_section(results, **options),
            "Tema och ansvarig": lambda: activity_sections(partnership, today=today, **options),
            "Återkommande aktiviteter": lambda: lineage_section(
                partnership, today=today, **options
            ),
            "Indikatorer": lambda: indicators.trend_section(
                indicator_values, partnership=partnership, meeting=meeting
            ),
        },
        key=TABS,
    )


def result_section(results: pl.DataFrame, *, meeting: bool, demo: bool, span: str) -> None:
    """The share of activities genomförda each year since the first."""
    if results["share_genomford"].is_null().all():
        st.info("Inga utvärderingar är registrerade ännu, så inget år har något resultat.")
        return
    shown = cache.chart(charts.trend_result_chart, results, meeting=meeting)
    components.chart(shown, rows=tables.year_results_table(results))
    export_ui.chart_downloads(shown, key="resultat-per-ar", year=None, span=span, demo=demo)


def activity_sections(
    partnership: str, *, meeting: bool, demo: bool, span: str, today: dt.date
) -> None:
    """Activities per year and theme, and per year and owner."""
    for by in ("theme", "owner"):
        counts = cache.load(
            queries.load_activity_counts, partnership=partnership, by=by, last_year=today.year
        )
        shown = cache.chart(charts.trend_activity_chart, counts, by=by, meeting=meeting)
        components.chart(shown)
        key = "aktiviteter-per-tema" if by == "theme" else "aktiviteter-per-ansvarig"
        export_ui.chart_downloads(shown, key=key, year=None, span=span, demo=demo)


def lineage_section(
    partnership: str, *, meeting: bool, demo: bool, span: str, today: dt.date
) -> None:
    """The activities that recur across years (a shared lineage key), year by year."""
    lineage = cache.load(queries.load_lineage, partnership=partnership, last_year=today.year)
    if lineage.is_empty():
        st.info("Inga aktiviteter återkommer under flera år (ingen gemensam löpnyckel).")
        return
    shown = cache.chart(charts.trend_lineage_chart, lineage, meeting=meeting)
    components.chart(shown)
    export_ui.chart_downloads(shown, key="aterkommande", year=None, span=span, demo=demo)
