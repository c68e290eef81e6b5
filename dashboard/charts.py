"""Chart builders: a polars frame in, an Altair chart out (Swedish locale, title, description).

Every builder first turns its input into a small frame with Swedish column names (the
``*_data`` functions) and draws only from that frame, so ``data_of(chart)`` is exactly what the
chart shows: the page puts it in the chart's data expander and the export writes it as CSV.
Status is never shown by colour alone: every status mark carries its label as text, as an axis
label or as a point shape. Years are ordinal, so the Swedish thousands separator never turns
2021 into "2 021".
"""

from __future__ import annotations

import altair as alt
import polars as pl

from dashboard import labels
from dashboard.chart_style import (
    FONT,
    LOCALE,
    WIDTH,
    bar_label_size,
    channels,
    data_of,
    finish,
    fonts,
    layered,
)
from dashboard.column_text import text
from dashboard.rollups import STATUS_RANK

__all__ = ["FONT", "LOCALE", "WIDTH", "data_of", "finish"]  # re-exported for pages and export

STATUS_ORDER = sorted(labels.STATUSES, key=lambda code: -STATUS_RANK[code])
STATUS_DOMAIN = [labels.STATUSES[c].label for c in STATUS_ORDER] + [labels.NOT_EVALUATED.label]
STATUS_RANGE = [labels.STATUSES[c].colour for c in STATUS_ORDER] + [labels.NOT_EVALUATED.colour]
STATUS_SHAPE_RANGE = [labels.STATUS_SHAPES[c] for c in [*STATUS_ORDER, "ej_utvarderad"]]
PERCENT_COLUMN = "Genomförandegrad, %"
SHARE_COLUMN = "Andel genomförda, %"
LABEL_ROOM = 60  # percentage points of empty axis right of 100 % for bar labels


def status_scale() -> alt.Scale:
    """The fixed status colour scale (Okabe–Ito), in severity order, keyed by Swedish label."""
    return alt.Scale(domain=STATUS_DOMAIN, range=STATUS_RANGE)


def _status_label(column: str) -> pl.Expr:
    codes = {**{c: s.label for c, s in labels.STATUSES.items()}}
    return (
        pl.col(column)
        .replace_strict(codes, default=labels.NOT_EVALUATED.label, return_dtype=pl.String)
        .fill_null(labels.NOT_EVALUATED.label)
    )


def _percent_text(values: pl.Series) -> pl.Series:
    return text(labels.format_percent, values)


# ---------------------------------------------------------------- completion bars


def completion_data(
    frame: pl.DataFrame, *, category: str, category_title: str, with_status: bool = True
) -> pl.DataFrame:
    """Rows for ``completion_chart``: category, completion, status label and a text label.

    Args:
        frame: Has ``category``, ``completion`` (0–100 or null) and, when ``with_status``,
            ``status`` (a status code or null for "ej utvärderad").
        category: The column naming each bar.
        category_title: Its Swedish column title.
        with_status: Include the status label in the bars' text.
    """
    status = _status_label("status") if with_status else pl.lit(None, pl.String)
    out = frame.select(
        pl.col(category).alias(category_title),
        pl.col("completion").cast(pl.Float64).alias(PERCENT_COLUMN),
        status.alias("Status"),
    )
    percent = _percent_text(out[PERCENT_COLUMN])
    label = pl.when(pl.col(PERCENT_COLUMN).is_null()).then(pl.lit(labels.NOT_EVALUATED.label))
    label = label.otherwise(percent)
    if with_status:
        label = pl.when(pl.col(PERCENT_COLUMN).is_null()).then(pl.col("Status"))
        label = label.otherwise(pl.concat_str(pl.lit(percent), pl.lit(" · "), "Status"))
    return out.with_columns(label.alias("Etikett"))


def completion_chart(
    frame: pl.DataFrame,
    *,
    category: str,
    category_title: str,
    title: str,
    subtitle: str = "",
    description: str,
    with_status: bool = True,
    meeting: bool = False,
) -> alt.LayerChart:
    """Horizontal completion bars (0–100 %) with the percentage and status written beside.

    A bar with nothing evaluated is absent and its text says "Ej utvärderad", never 0 %.
    ``meeting`` draws every text at the meeting-mode sizes (``chart_style.MEETING``).
    """
    data = completion_data(
        frame, category=category, category_title=category_title, with_status=with_status
    )
    y = alt.Y(f"{category_title}:N", sort=None, title=None)
    x = alt.X(
        f"{PERCENT_COLUMN}:Q",
        # Room right of 100 % for the written percentage and status of a full bar.
        scale=alt.Scale(domain=[0, 100 + LABEL_ROOM], nice=False),
        axis=alt.Axis(values=[0, 25, 50, 75, 100], format="d"),
        title="Genomförandegrad (%)",
    )
    colour = (
        alt.Color("Status:N", scale=status_scale(), legend=None)
        if with_status
        else alt.value(labels.CATEGORY_COLOURS[0])
    )
    tooltip = [f"{category_title}:N", "Etikett:N"]
    bars = (
        alt.Chart()
        .mark_bar(height={"band": 0.7})
        .encode(**channels(x=x, y=y, color=colour, tooltip=tooltip))
    )
    text = (
        alt.Chart()
        .mark_text(align="left", dx=6, color="#1b1f24")
        .encode(**channels(x=f"{PERCENT_COLUMN}:Q", y=y, text="Etikett:N", tooltip=tooltip))
        .transform_calculate(**{PERCENT_COLUMN: f"datum['{PERCENT_COLUMN}'] || 0"})
    )
    height = max(120, (64 if meeting else 48) * data.height)
    chart = layered(bars, text, data=data, height=height)
    return finish(chart, title=title, subtitle=subtitle, description=description, meeting=meeting)


# ---------------------------------------------------------------- status counts per tertial


def _period_names(numbers: pl.Series, names: dict[int, str] | None) -> pl.Series:
    """Period numbers as their names: ``names`` (a promise's periods) or the tertials'."""
    return text(lambda n: None if n is None else labels.period_name(n, names), numbers)


def status_counts_data(counts: pl.DataFrame, names: dict[int, str] | None = None) -> pl.DataFrame:
    """Rows for ``status_counts_chart`` from ``rollups.status_counts_per_tertial``."""
    rank = {label: i for i, label in enumerate(STATUS_DOMAIN)}
    return (
        counts.select(
            _period_names(counts["tertial"], names).alias("Period"),
            _status_label("status").alias("Status"),
            pl.col("n").alias("Antal aktiviteter"),
        )
        .with_columns(pl.col("Status").replace_strict(rank, return_dtype=pl.Int64).alias("Ordning"))
        .sort("Ordning", "Period")
    )


def status_counts_chart(
    counts: pl.DataFrame,
    *,
    title: str,
    subtitle: str = "",
    description: str,
    meeting: bool = False,
    names: dict[int, str] | None = None,
) -> alt.LayerChart:
    """Activities per status and tertial as a grid: a row per status (named on the axis), a
    column per tertial, a dot sized by the number and the number written beside it."""
    data = status_counts_data(counts, names)
    x = alt.X("Period:N", title=None, axis=alt.Axis(orient="top", labelAngle=0))
    y = alt.Y("Status:N", sort=STATUS_DOMAIN, title=None)
    shown = alt.datum["Antal aktiviteter"] > 0
    dots = (
        alt.Chart()
        .mark_circle(opacity=1)
        .encode(
            **channels(
                x=x,
                y=y,
                color=alt.Color("Status:N", scale=status_scale(), legend=None),
                size=alt.Size("Antal aktiviteter:Q", scale=alt.Scale(range=[60, 900]), legend=None),
                tooltip=["Period:N", "Status:N", "Antal aktiviteter:Q"],
            )
        )
        .transform_filter(shown)
    )
    numbers = (
        alt.Chart()
        .mark_text(align="left", dx=22, color="#1b1f24")
        .encode(**channels(x=x, y=y, text="Antal aktiviteter:Q"))
    )
    chart = layered(dots, numbers, data=data, height=320 if meeting else 260)
    return finish(chart, title=title, subtitle=subtitle, description=description, meeting=meeting)


# ---------------------------------------------------------------- trends


def _period_code(column: str) -> pl.Expr:
    """A period number as its code: T1–T3 for the tertials, else ``P4`` (``labels.period_code``
    without the promise's own codes: a partnership's years may mix rhythms)."""
    number = pl.col(column)
    return number.replace_strict(
        labels.TERTIAL_SHORT,
        default=pl.concat_str(pl.lit("P"), number.cast(pl.String)),
        return_dtype=pl.String,
    )


def year_result_data(results: pl.DataFrame) -> pl.DataFrame:
    """Rows for ``year_result_chart`` from ``rollups.year_results`` (years with evaluations)."""
    year_text = pl.col("year").cast(pl.String)
    evaluated = results.filter(pl.col("share_genomford").is_not_null())
    return (
        evaluated.select(
            pl.when(pl.col("preliminary"))
            .then(pl.concat_str(year_text, pl.lit(" prel.")))
            .otherwise(year_text)
            .alias("År"),
            pl.col("share_genomford").alias(SHARE_COLUMN),
            _percent_text(evaluated["share_genomford"]).alias("Etikett"),
            pl.col("preliminary").alias("Preliminärt"),
            _period_code("result_tertial").alias("Period"),
            pl.col("n_genomford").alias("Genomförda"),
            pl.col("n_evaluated").alias("Utvärderade"),
            pl.col("n_activities").alias("Aktiviteter"),
        )
    )  # fmt: skip


def year_result_chart(
    results: pl.DataFrame,
    *,
    title: str,
    subtitle: str = "",
    description: str,
    meeting: bool = False,
) -> alt.LayerChart:
    """Share genomförd per year; preliminary years are paler and labelled "prel." on the axis.

    Each bar has its share written above it in whole percent (the tooltip and the data keep
    the decimal), at a size that fits the bar (``bar_label_size``).
    """
    data = year_result_data(results)
    x = alt.X("År:O", sort=None, title=None, axis=alt.Axis(labelAngle=-45))
    y = alt.Y(f"{SHARE_COLUMN}:Q", scale=alt.Scale(domain=[0, 100]), title="Andel genomförda (%)")
    tooltip = ["År:N", "Etikett:N", "Period:N", "Genomförda:Q", "Utvärderade:Q"]
    bars = (
        alt.Chart()
        .mark_bar(color=labels.STATUSES["genomford"].colour)
        .encode(
            **channels(
                x=x,
                y=y,
                opacity=alt.condition(alt.datum["Preliminärt"], alt.value(0.4), alt.value(1.0)),
                tooltip=tooltip,
            )
        )
    )
    text = (
        alt.Chart()
        .mark_text(baseline="bottom", dy=-4, fontSize=bar_label_size(fonts(meeting).label))
        .encode(**channels(x=x, y=y, text="Kort etikett:N", tooltip=tooltip))
        .transform_calculate(
            **{"Kort etikett": f"format(datum['{SHARE_COLUMN}'], '.0f') + '\u00a0%'"}
        )
    )
    chart = layered(bars, text, data=data, height=380 if meeting else 320)
    return finish(chart, title=title, subtitle=subtitle, description=description, meeting=meeting)


def activity_counts_data(counts: pl.DataFrame, *, by: str) -> pl.DataFrame:
    """Rows for ``activity_counts_chart``: year, series name (theme or owner) and count."""
    name = labels.theme_label if by == "theme" else labels.owner_label
    return counts.select(
        pl.col("year").cast(pl.String).alias("År"),
        text(name, counts["key"], name="Serie"),
        pl.col("n").alias("Antal aktiviteter"),
    )


def activity_counts_chart(
    counts: pl.DataFrame,
    *,
    by: str,
    title: str,
    subtitle: str = "",
    description: str,
    meeting: bool = False,
) -> alt.Chart:
    """One line per theme or owner: activities per year, each series with its own point shape."""
    data = activity_counts_data(counts, by=by)
    series_title = "Tema" if by == "theme" else "Ansvarig"
    series = alt.Color(
        "Serie:N", title=series_title, scale=alt.Scale(range=labels.CATEGORY_COLOURS)
    )
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=90, filled=True), strokeWidth=2.5)
        .encode(
            **channels(
                x=alt.X("År:O", title=None, axis=alt.Axis(labelAngle=-45)),
                y=alt.Y(
                    "Antal aktiviteter:Q", title="Antal aktiviteter", axis=alt.Axis(format="d")
                ),
                color=series,
                shape=alt.Shape("Serie:N", title=series_title),
                tooltip=["År:N", "Serie:N", "Antal aktiviteter:Q"],
            )
        )
    )
    chart.height = 300
    return finish(chart, title=title, subtitle=subtitle, description=description, meeting=meeting)


def lineage_data(lineage: pl.DataFrame) -> pl.DataFrame:
    """Rows for ``lineage_chart``: each recurring activity (named by its latest title) per year."""
    latest_title = lineage.sort("year").group_by("lineage_key").agg(pl.col("title").last())
    return (
        lineage.join(latest_title.rename({"title": "Aktivitet"}), on="lineage_key")
        .select(
            "Aktivitet",
            pl.col("year").cast(pl.String).alias("År"),
            pl.col("title").alias("Titel det året"),
            _status_label("status").alias("Status"),
            _period_code("tertial").alias("Period"),
            pl.col("completion").alias(PERCENT_COLUMN),
        )
        .sort("Aktivitet", "År")
    )  # fmt: skip


def lineage_chart(
    lineage: pl.DataFrame,
    *,
    title: str,
    subtitle: str = "",
    description: str,
    meeting: bool = False,
) -> alt.Chart:
    """Recurring activities across years: a row per activity, a point per year whose colour
    and shape both give the status of that year's latest evaluated tertial."""
    data = lineage_data(lineage)
    n_rows = data["Aktivitet"].n_unique()
    chart = (
        alt.Chart(data)
        .mark_point(size=140, filled=True, opacity=1)
        .encode(
            **channels(
                x=alt.X("År:O", title=None, axis=alt.Axis(labelAngle=-45)),
                y=alt.Y("Aktivitet:N", title=None),
                color=alt.Color("Status:N", scale=status_scale(), title="Status"),
                shape=alt.Shape(
                    "Status:N", scale=alt.Scale(domain=STATUS_DOMAIN, range=STATUS_SHAPE_RANGE)
                ),
                tooltip=["Aktivitet:N", "År:N", "Titel det året:N", "Status:N", "Period:N"],
            )
        )
    )
    chart.height = max(160, (44 if meeting else 34) * n_rows)
    return finish(chart, title=title, subtitle=subtitle, description=description, meeting=meeting)


# ---------------------------------------------------------------- text alternatives


def describe_completion(
    frame: pl.DataFrame, *, period: str, category: str = "focus_area", with_status: bool = True
) -> str:
    """A sentence per bar of ``completion_chart``: name, percentage and status."""
    data = completion_data(frame, category=category, category_title="Namn", with_status=with_status)
    parts = [f"{row['Namn']}: {row['Etikett']}" for row in data.iter_rows(named=True)]
    return f"Genomförandegrad {period}. " + "; ".join(parts) + "."


# ---------------------------------------------------------------- the browse pages' charts


def tertial_completion_chart(
    per_tertial: pl.DataFrame,
    *,
    year: int,
    meeting: bool = False,
    names: dict[int, str] | None = None,
) -> alt.LayerChart:
    """Mean completion per period (``rollups.completion_per_tertial``); ``names``: the
    promise's period names (default the tertials')."""
    frame = per_tertial.with_columns(_period_names(per_tertial["tertial"], names).alias("namn"))
    period = str(year)
    return completion_chart(
        frame,
        category="namn",
        category_title="Period",
        with_status=False,
        title=f"Genomförandegrad per period, {year}",
        subtitle="Medelvärde av de utvärderade aktiviteterna",
        description=describe_completion(frame, period=period, category="namn", with_status=False),
        meeting=meeting,
    )


def tertial_status_chart(
    counts: pl.DataFrame,
    *,
    year: int,
    meeting: bool = False,
    names: dict[int, str] | None = None,
) -> alt.LayerChart:
    """Activities per status and period (``rollups.status_counts_per_tertial``)."""
    data = status_counts_data(counts, names).filter(pl.col("Antal aktiviteter") > 0)
    parts = [
        f"{r['Period']} {r['Status']}: {r['Antal aktiviteter']}" for r in data.iter_rows(named=True)
    ]
    return status_counts_chart(
        counts,
        names=names,
        title=f"Status per period, {year}",
        subtitle="Antal aktiviteter",
        description=f"Antal aktiviteter per status och period {year}. " + "; ".join(parts) + ".",
        meeting=meeting,
    )


def trend_result_chart(results: pl.DataFrame, *, meeting: bool = False) -> alt.LayerChart:
    """Year results since 2007 (``queries.load_year_results``)."""
    data = year_result_data(results)
    parts = [f"{r['År']}: {r['Etikett']}" for r in data.iter_rows(named=True)]
    first, last = results["year"].min(), results["year"].max()
    return year_result_chart(
        results,
        title=f"Årets resultat {first}–{last}: andel genomförda aktiviteter vid T3",
        subtitle="Bleka staplar och ”prel.” = året är inte avslutat (senast utvärderade tertial)",
        description="Andel genomförda aktiviteter per år. " + "; ".join(parts) + ".",
        meeting=meeting,
    )


def trend_activity_chart(counts: pl.DataFrame, *, by: str, meeting: bool = False) -> alt.Chart:
    """Activities per year and theme or owner (``queries.load_activity_counts``)."""
    data = activity_counts_data(counts, by=by)
    what = "tema" if by == "theme" else "ansvarig"
    totals = data.group_by("Serie").agg(pl.col("Antal aktiviteter").sum()).sort("Serie")
    parts = [f"{r['Serie']} {r['Antal aktiviteter']}" for r in totals.iter_rows(named=True)]
    return activity_counts_chart(
        counts,
        by=by,
        title=f"Antal aktiviteter per år och {what}",
        description=f"Antal aktiviteter per år och {what}. Summa över åren: "
        + ", ".join(parts)
        + ".",
        meeting=meeting,
    )


def trend_lineage_chart(lineage: pl.DataFrame, *, meeting: bool = False) -> alt.Chart:
    """Recurring activities across years (``queries.load_lineage``)."""
    data = lineage_data(lineage)
    years = data.group_by("Aktivitet").agg(pl.col("År").min(), pl.col("År").max().alias("till"))
    parts = [
        f"{r['Aktivitet']} {r['År']}–{r['till']}"
        for r in years.sort("Aktivitet").iter_rows(named=True)
    ]
    return lineage_chart(
        lineage,
        title="Återkommande aktiviteter år för år",
        subtitle="Status i senast utvärderade tertial varje år; form och färg visar status",
        description="Återkommande aktiviteter och de år de fanns: " + "; ".join(parts) + ".",
        meeting=meeting,
    )
