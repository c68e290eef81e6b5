"""The indicators on the browse pages (issue 12): Översikt's cards, Fokusområden, Trender.

Reads through ``cache.load`` (queries.indicators), words the rows with the pure
dashboard/indicator_text.py and draws with dashboard/indicator_charts.py. Each place says
once that activities done is not the same as effect achieved (``labels.EFFECT_CAVEAT``);
each chart has its attribution under it, the data as a table and the downloads.
"""

from __future__ import annotations

import polars as pl

from dashboard import (
    cache,
    components,
    html_blocks,
    indicator_charts,
    indicator_progress,
    indicator_text,
    labels,
    queries,
    tables,
)
from dashboard.export import ui as export_ui


def kommun_values(partnership: str) -> pl.DataFrame:
    """Every indicator value of the partnership's kommun (queries.VALUE_SCHEMA)."""
    return cache.load(queries.load_indicator_values, partnership)


def year_progress(year: int, partnership: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The year's promise's links with their progress (judged by the values up to ``year``),
    and the kommun's values."""
    links = cache.load(queries.load_focus_area_indicators, year, partnership=partnership)
    if links.is_empty():  # no second query for a promise without indicators
        values = pl.DataFrame(schema=queries.VALUE_SCHEMA)
    else:
        values = kommun_values(partnership)
    return indicator_progress.progress(links, values, until_year=year), values


def focus_area_progress(
    area_id: int, *, year: int, partnership: str
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One focus area's progress rows and the values of its linked indicators (its område)."""
    progress, values = year_progress(year, partnership)
    rows = progress.filter(pl.col("focus_area_id") == area_id)
    if rows.is_empty():
        return rows, values.clear()
    shown = [indicator_text.link_values(values, link, until_year=year) for link in rows.to_dicts()]
    return rows, pl.concat(shown).unique(maintain_order=True)


def focus_area_section(
    rows: pl.DataFrame, values: pl.DataFrame, *, year: int, partnership: str, meeting: bool
) -> None:
    """Fokusområden's "Indikatorer" (``focus_area_progress``): the summary sentences, a chart
    per indicator since its first value with the baseline marked, the attribution, the
    downloads and a table; text and table as HTML blocks (issue 15)."""
    heading = html_blocks.heading("Indikatorer", 3)
    if rows.is_empty():
        components.draw_html(heading, html_blocks.paragraph(indicator_text.NO_LINKS))
        return
    components.draw_html(
        heading,
        html_blocks.paragraph(labels.EFFECT_CAVEAT),
        html_blocks.paragraph("\n".join(rows["summary"].to_list())),
    )
    periods = cache.load(queries.load_promise_periods, partnership=partnership)
    for link in rows.iter_rows(named=True):
        shown_values = indicator_text.link_values(values, link, until_year=year)
        if shown_values.is_empty():
            continue
        shown = cache.chart(
            indicator_charts.indicator_chart,
            shown_values,
            promise_years=periods,
            baseline_year=link["baseline_year"],
            title=f"{indicator_text.indicator_title(link)}, {_span(shown_values)}",
            meeting=meeting,
            height=220,
        )
        components.chart(shown)
        components.draw_html(html_blocks.paragraph(link["attribution"], note=True))
        export_ui.chart_downloads(
            shown, key=f"indikator {link['link_id']}", year=year,
            demo=tables.contains_demo(shown_values),
            source=indicator_charts.footnote_source(link["attribution"]),
        )  # fmt: skip
    components.table(indicator_text.progress_table(rows), label="Indikatorernas utveckling")


def trend_section(values: pl.DataFrame, *, partnership: str, meeting: bool) -> None:
    """Trender's "Indikatorer": each of the kommun's indicators since its first value, one
    line per område, the promise periods shaded on the time axis; text as HTML (issue 15)."""
    heading = html_blocks.heading("Indikatorer", 3)
    if values.is_empty():
        components.draw_html(heading, html_blocks.paragraph(indicator_text.NO_VALUES))
        return
    components.draw_html(
        heading,
        html_blocks.paragraph(labels.EFFECT_CAVEAT),
        html_blocks.paragraph(
            "De skuggade fälten är löftesperioderna; håll pekaren över ett fält för löftets namn.",
            note=True,
        ),
    )
    periods = cache.load(queries.load_promise_periods, partnership=partnership)
    for rows in indicator_text.indicators_of(values):
        shown = cache.chart(
            indicator_charts.indicator_chart, rows, promise_years=periods, meeting=meeting
        )
        components.chart(shown)
        attribution = indicator_charts.attribution_of(rows)
        components.draw_html(html_blocks.paragraph(attribution, note=True))
        export_ui.chart_downloads(
            shown, key=f"indikator {rows['code'][0]}", year=None, span=_span(rows),
            demo=tables.contains_demo(rows),
            source=indicator_charts.footnote_source(attribution),
        )  # fmt: skip


def _span(values: pl.DataFrame) -> str:
    return labels.format_years(values["year"].min(), values["year"].max())
