"""What the Export page offers for a year and tertial (issue 5), read in one place.

``load_year_exports`` reads the year once and returns the charts (built by dashboard.charts,
the same builders the browse pages use), the data behind them, the full evaluation table, the
presentation pack's content and the result text. Turning them into files is left to the
callers (images, data_files, pack, result_text in this package), so each file is made only
when asked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import altair as alt
import polars as pl
from sqlalchemy import Connection

from dashboard import charts, indicator_charts, indicator_progress, labels, queries, rollups, tables
from dashboard.column_text import text
from dashboard.export import images
from dashboard.export.images import ExportMeta, export_meta
from dashboard.export.pack import IndicatorItem, PackContent, office_summary
from dashboard.export.result_text import (
    ResultText,
    build_result_text,
    last_period,
    result_heading,
)
from dashboard.queries.evaluation_table import load_evaluation_table

EVALUATION_COLUMNS = {
    "year": "År",
    "period": "Period",
    "focus_area": "Fokusområde",
    "title": "Aktivitet",
    "owner": "Ansvarig",
    "status": "Status",
    "completion": "Genomförandegrad, %",
    "target_value": "Mål",
    "target_unit": "Målenhet",
    "achieved_value": "Uppnått",
    "comment": "Kommentar",
    "evaluated_by": "Utvärderad av",
    "evaluated_at": "Utvärderad",
    "source": "Källa",
}


@dataclass(frozen=True)
class ChartExport:
    """One chart as the Export page offers it: ``key`` names its files."""

    key: str
    chart: alt.TopLevelMixin
    meta: ExportMeta

    @property
    def data(self) -> pl.DataFrame:
        """The rows the chart is drawn from, with Swedish column names."""
        return charts.data_of(self.chart)


@dataclass(frozen=True)
class YearExports:
    """Everything exportable for one year and tertial."""

    charts: list[ChartExport]
    evaluations: pl.DataFrame
    evaluations_meta: ExportMeta
    pack: PackContent
    pack_meta: ExportMeta
    result: ResultText
    result_meta: ExportMeta


def load_year_exports(
    conn: Connection, year: int, tertial: int, *, partnership: str, today: dt.date
) -> YearExports | None:
    """Read ``year`` and build everything the Export page offers; None without a promise."""
    promise_rows = queries.load_promise(conn, year, partnership=partnership)
    if promise_rows.is_empty():
        return None
    promise = promise_rows.row(0, named=True)
    matrix = queries.load_activity_matrix(conn, year, partnership=partnership)
    focus_areas = queries.load_focus_areas(conn, year, partnership=partnership)
    areas = rollups.focus_area_status(matrix, tertial, focus_areas=focus_areas)
    results = queries.load_year_results(conn, partnership=partnership, today=today)
    years = queries.load_years(conn, partnership=partnership)
    evaluations = load_evaluation_table(conn, year, partnership=partnership)
    demo = tables.contains_demo(promise_rows, matrix)
    periods = queries.load_periods(conn, year, partnership=partnership)
    names = labels.period_names(periods)
    named = {n: (c, names[n]) for n, c in labels.period_codes(periods).items()}

    def meta(title: str, **kwargs: Any) -> ExportMeta:
        options = {"year": year, "tertial": tertial, "demo": demo, "periods": named, **kwargs}
        return export_meta(promise, title=title, today=today, **options)

    chart_exports = year_charts(
        matrix, areas, results, year=year, tertial=tertial, meta=meta, names=names
    )
    chart_exports.append(
        trend_chart(results, meta=meta, demo=demo or tables.contains_demo(years), today=today)
    )
    pack_meta = meta(promise["title"])
    pack = PackContent(
        meta=pack_meta,
        signatories=[labels.format_signatory(s) for s in promise["signatories"]],
        signed_on=promise["signed_on"],
        focus_areas=areas,
        activities=matrix,
        charts=[(c.meta.title, c.chart) for c in chart_exports],
        indicators=indicator_items(conn, promise, year=year, partnership=partnership),
    )
    result_meta = meta(result_heading(year, promise["kind"]), tertial=None)
    public = queries.load_public_lines(conn, year, last_period(matrix), partnership=partnership)
    return YearExports(
        charts=chart_exports,
        evaluations=tabular_evaluations(evaluations),
        evaluations_meta=meta(
            f"Utvärderingar {year}", tertial=None, demo=tables.contains_demo(evaluations)
        ),
        pack=pack,
        pack_meta=pack_meta,
        result=build_result_text(matrix, result_meta, public),
        result_meta=result_meta,
    )


def indicator_items(
    conn: Connection, promise: dict[str, Any], *, year: int, partnership: str
) -> list[IndicatorItem]:
    """The year's focus areas' indicators for the pack: each link's summary (judged by the
    figures up to ``year``), its attribution and a chart of its series up to ``year`` with the
    promise's years shaded and the baseline marked."""
    links = queries.load_focus_area_indicators(conn, year, partnership=partnership)
    if links.is_empty():
        return []
    values = queries.load_indicator_values(conn, partnership, set(links["indicator_id"]))
    shown = values.filter(pl.col("year") <= year)
    periods = [(promise["year_from"], promise["year_to"], promise["title"])]
    items = []
    for row in indicator_progress.progress(links, values, until_year=year).iter_rows(named=True):
        series = shown.filter(
            pl.col("indicator_id") == row["indicator_id"], pl.col("area") == row["area"]
        )
        chart = None
        if not series.is_empty():
            chart = indicator_charts.indicator_chart(
                series, promise_years=periods, baseline_year=row["baseline_year"]
            )
        items.append(
            IndicatorItem(row["focus_area_id"], office_summary(row), row["attribution"], chart)
        )
    return items


def year_charts(
    matrix, areas, results, *, year: int, tertial: int, meta, names: dict[int, str] | None = None
) -> list[ChartExport]:
    """The charts of the browse pages for a year and period, built by the same builders:
    completion per focus area (Översikt), per period and status per period (Aktiviteter).
    ``names`` are the promise's period names (default the tertials')."""
    period = f"{labels.period_name(tertial, names)} {year}"
    evaluated = areas.filter(pl.col("n_activities") > 0)
    per_area = charts.completion_chart(
        evaluated,
        category="focus_area",
        category_title="Fokusområde",
        title=f"Genomförandegrad per fokusområde, {period}",
        subtitle="Medelvärde av de utvärderade aktiviteterna; status = allvarligaste",
        description=charts.describe_completion(evaluated, period=period),
    )
    per_tertial = charts.tertial_completion_chart(
        rollups.completion_per_tertial(matrix), year=year, names=names
    )
    statuses = charts.tertial_status_chart(
        rollups.status_counts_per_tertial(matrix), year=year, names=names
    )
    return [
        ChartExport("fokusomraden", per_area, meta(images.chart_title(per_area))),
        ChartExport("tertialer", per_tertial, meta(images.chart_title(per_tertial), tertial=None)),
        ChartExport(
            "status-per-tertial", statuses, meta(images.chart_title(statuses), tertial=None)
        ),
    ]


def trend_chart(results: pl.DataFrame, *, meta, demo: bool, today: dt.date) -> ChartExport:
    """The result per year since 2007, as on Trender (share of activities genomförda at T3)."""
    chart = charts.trend_result_chart(results)
    span = f"{results['year'].min()}–{results['year'].max()}"
    trend_meta = meta(images.chart_title(chart), year=None, tertial=None, demo=demo, span=span)
    return ChartExport("resultat-per-ar", chart, trend_meta)


def tabular_evaluations(evaluations: pl.DataFrame) -> pl.DataFrame:
    """The evaluation table with Swedish headings and labels in place of codes."""
    readable = evaluations.with_columns(
        pl.col("owner").replace_strict(labels.OWNERS, default=pl.col("owner")),
        text(lambda code: labels.status(code).label, evaluations["status"]),
        pl.col("source").replace_strict(labels.SOURCES, default=pl.col("source")),
    )
    return readable.select(list(EVALUATION_COLUMNS)).rename(EVALUATION_COLUMNS)
