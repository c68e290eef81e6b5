"""Region och riket's "Indikatorer" (issue 12): one indicator compared across the kommuner.

The reader chooses an indicator with values in scope (``?indikator=`` its code) and a year
(``?indikatorar=``, default the latest with values) and sees every kommun in scope: a sorted
bar chart with the median marked, its data table (opened on request) with the values and their
change over three years, the unit (with a note when it is not a rate, so sizes do not
compare), where the values came from and that activities done is not effect achieved. A
logged-in reader's scope limits the kommuner in the query itself (``codes``) and again on the
rows (``opening_ui.within_scope``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl
from markupsafe import Markup

from dashboard import (
    cache,
    choices,
    components,
    html_blocks,
    indicator_progress,
    labels,
    opening_ui,
    region_charts,
    region_tables,
)
from dashboard.export import images as export
from dashboard.export import ui as export_ui
from dashboard.queries import region_indicators as queries

HEADING = "Indikatorer"


def indicator_section(
    *,
    region: str | None,
    readable: pl.DataFrame | None,
    scope: str,
    meeting: bool = False,
    lead: Sequence[Markup] = (),
) -> None:
    """The section: choices, chart, table, unit, attribution and the caveat; ``lead``: what
    goes in one HTML block before its heading."""
    heading = html_blocks.section_heading(HEADING)
    codes = opening_ui.codes(readable)
    offered = cache.load(queries.load_indicator_years, region=region, codes=codes)
    if offered.is_empty():
        components.draw_html(
            *lead, heading, html_blocks.notice(f"Inga indikatorvärden för kommunerna i {scope}.")
        )
        return
    components.draw_html(*lead, heading)
    by_code, default = _indicators(offered)
    options = list(by_code)
    previewed = by_code[choices.url_choice_preview("indikator", options, default)]
    # The picker below chooses the indicator previewed, so its years are read once.
    years, latest_year = _years(offered, previewed)
    # Indicator and year in one popover named after them (drawn when opened, issue 15).
    year_shown = choices.url_choice_preview("indikatorar", years, latest_year)
    box = choices.choices_popover([previewed["name"], str(year_shown)], key="indikatorurval")
    code = choices.url_choice(
        "indikator",
        options,
        default,
        lambda key: box.selectbox(
            "Indikator", options, key=key, format_func=lambda c: by_code[c]["name"]
        ),
    )
    indicator = by_code[code]
    year = choices.url_choice(
        "indikatorar",
        years,
        latest_year,
        lambda key: box.selectbox("Indikatorns år", years, key=key),
    )
    values = cache.load(
        queries.load_indicator_comparison, indicator["indicator_id"], year,
        region=region, codes=codes,
    )  # fmt: skip
    values = opening_ui.within_scope(values, readable)
    back = queries.CHANGE_YEARS
    compared = region_tables.indicator_comparison(values, year, years_back=back)
    unit = indicator["unit"]
    components.draw_html(
        components.demo_note(values),
        html_blocks.paragraph(f"Enhet: {unit}"),
        "" if region_tables.is_rate(unit) else html_blocks.notice(region_tables.NOT_NORMALISED,
                                                                  "warning"),
    )  # fmt: skip
    shown = cache.chart(
        region_charts.indicator_comparison_chart, compared, name=indicator["name"], unit=unit,
        year=year, scope=scope, years_back=back, meeting=meeting,
    )  # fmt: skip
    # Every kommun's value and change are the chart's data table, built when it is opened:
    # as an HTML table always on the page, 290 rows held the drawing back by seconds (issue 15).
    components.chart(shown, rows=region_tables.comparison_table(compared, years_back=back))
    origins = region_tables.comparison_origins(values, compared)
    meta = region_tables.comparison_meta(
        export.chart_title(shown.streamlit_spec), scope=scope, year=year,
        source_name=indicator["source_name"], origins=origins, today=dt.date.today(),
    )  # fmt: skip
    key = f"indikator-{indicator['code']}"
    export_ui.chart_downloads(shown, key=key, year=year, demo=meta.demo, meta=meta)
    line = indicator_progress.attribution(
        indicator["attribution"], indicator["source_name"], origins
    )
    components.draw_html(
        html_blocks.paragraph(line, note=True),
        html_blocks.paragraph(labels.EFFECT_CAVEAT, note=True),
    )


def _indicators(offered: pl.DataFrame) -> tuple[dict, str]:
    """The indicators offered by code (in name order) and the default: the one most kommuner
    in scope have a value of in its latest year."""
    latest = offered.sort("year").group_by("indicator_id", maintain_order=True).last()
    default = latest.sort(["n_kommuner", "name"], descending=[True, False])["code"][0]
    return {row["code"]: row for row in latest.sort("name").iter_rows(named=True)}, default


def _years(offered: pl.DataFrame, indicator: dict) -> tuple[list[int], int]:
    """An indicator's years, latest first, and the latest (the default)."""
    years = sorted(offered.filter(pl.col("indicator_id") == indicator["indicator_id"])["year"])
    return years[::-1], years[-1]
