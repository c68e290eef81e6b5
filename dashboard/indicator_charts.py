"""Indicator charts (issue 12): an indicator's yearly values, promise periods on the time axis.

Like dashboard/charts.py, a builder first turns its input into a small frame with Swedish
column names (``indicator_data``) and draws the values only from that frame, so ``data_of``
is what the chart shows: the page's data table and the CSV/Excel downloads. The promise
periods (shaded bands, the promise's title in the tooltip) and the baseline year (a dashed
rule written "Basår 2019") are drawn from small inline datasets of their own; both are also
in the data table (columns "Löfte" and "Basår") and in the text alternative.

Each line is one series (an område of the kommun, or a kommun on the regional view) with its
own colour and point shape, so the series never differ by colour alone. Invented values say
so in the data ("Ursprung") and in the subtitle, which carries the attribution line
(``indicator_progress.attribution``): "Källa: Kolada" only when every value came from Kolada.
"""

from __future__ import annotations

from collections.abc import Iterable

import altair as alt
import polars as pl

from dashboard import labels
from dashboard.chart_style import channels, finish, layered
from dashboard.indicator_progress import attribution
from db.vocabulary import WHOLE_YEAR

WHOLE_KOMMUN = "Hela kommunen"
VALUE = "Värde"
BAND_SHADES = (0.07, 0.16)  # alternating promise periods, pale and a little darker
BAND_COLOUR = "#6b7280"
BASELINE_COLOUR = "#1b1f24"
PromisePeriods = Iterable[tuple[int, int, str]] | pl.DataFrame


def promise_periods(promise_years: PromisePeriods | None) -> list[tuple[int, int, str]]:
    """``(year_from, year_to, title)`` of each promise, oldest first.

    ``promise_years`` is such tuples or a frame with ``year_from``, ``year_to`` and ``title``
    (e.g. ``queries.load_promise_periods``).
    """
    if promise_years is None:
        return []
    if isinstance(promise_years, pl.DataFrame):
        promise_years = promise_years.select("year_from", "year_to", "title").iter_rows()
    return sorted((int(a), int(b), str(t)) for a, b, t in promise_years)


def _promise_of(periods: list[tuple[int, int, str]]) -> pl.Expr:
    """The title of the promise covering each year ("" for none; the first promise wins)."""
    expr = pl.lit("")
    for year_from, year_to, title in reversed(periods):
        covered = pl.col("year").is_between(year_from, year_to)
        expr = pl.when(covered).then(pl.lit(title)).otherwise(expr)
    return expr


def indicator_data(
    values: pl.DataFrame,
    *,
    promise_years: PromisePeriods | None = None,
    baseline_year: int | None = None,
    series: str = "area",
    series_title: str = "Område",
) -> pl.DataFrame:
    """Rows for ``indicator_chart``: one per series and year (whole-year values only).

    Args:
        values: ``queries.VALUE_SCHEMA`` rows (``year``, ``value``, ``name``, ``unit``,
            ``origin``, and the ``series`` column); values of sub-year periods are left out.
        promise_years: The promise periods (``promise_periods``); adds the column "Löfte".
        baseline_year: Adds the column "Basår" (Ja on that year's rows).
        series: The column naming each line; ``area``'s "" is written "Hela kommunen".
        series_title: Its Swedish column title.
    """
    if "period_no" in values.columns:
        values = values.filter(pl.col("period_no") == WHOLE_YEAR)
    name = pl.col(series).cast(pl.String)
    if series == "area":
        name = pl.when(name.fill_null("") == "").then(pl.lit(WHOLE_KOMMUN)).otherwise(name)
    origin = pl.col("origin").replace_strict(
        labels.VALUE_ORIGINS, default=pl.col("origin"), return_dtype=pl.String
    )
    columns = [
        pl.col("name").alias("Indikator"),
        name.alias(series_title),
        pl.col("year").cast(pl.Int64).alias("År"),
        pl.col("value").cast(pl.Float64).alias(VALUE),
        pl.col("unit").alias("Enhet"),
        origin.alias("Ursprung"),
    ]
    periods = promise_periods(promise_years)
    if periods:
        columns.append(_promise_of(periods).alias("Löfte"))
    if baseline_year is not None:
        columns.append((pl.col("year") == baseline_year).alias("Basår"))
    return values.select(columns).sort(series_title, "År")


def _bands(periods: list[tuple[int, int, str]], first: int, last: int) -> list[dict]:
    """One shaded band per promise (half a year beyond each end, so a one-year promise shows),
    clipped to the chart's years; alternating shades tell neighbouring promises apart."""
    bands = []
    for index, (year_from, year_to, title) in enumerate(periods):
        if year_to < first or year_from > last:
            continue
        bands.append(
            {
                "Från": max(year_from, first) - 0.5,
                "Till": min(year_to, last) + 0.5,
                "Löfte": title,
                "Löftesperiod": labels.format_years(year_from, year_to),
                "Skugga": BAND_SHADES[index % 2],
            }
        )
    return bands


def describe_indicator(
    data: pl.DataFrame,
    *,
    series_title: str = "Område",
    periods: list[tuple[int, int, str]] = (),
    baseline_year: int | None = None,
) -> str:
    """The text alternative: per series its first and latest value, the baseline, the periods."""
    if data.is_empty():
        return "Inga värden."
    name, unit = data["Indikator"][0], data["Enhet"][0]
    parts = []
    for (series,), rows in data.sort("År").group_by(series_title, maintain_order=True):
        first, last = rows.row(0, named=True), rows.row(-1, named=True)
        parts.append(
            f"{series}: {labels.format_number(first[VALUE])} år {first['År']}, "
            f"{labels.format_number(last[VALUE])} år {last['År']}"
        )
    text = f"{name} ({unit}) per år. " + "; ".join(parts) + "."
    if baseline_year is not None:
        text += f" Basår {baseline_year}."
    if periods:
        shown = [f"{title} ({labels.format_years(a, b)})" for a, b, title in periods]
        text += " Löftesperioder: " + "; ".join(shown) + "."
    return text


def indicator_chart(
    values: pl.DataFrame,
    *,
    promise_years: PromisePeriods | None = None,
    baseline_year: int | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    series: str = "area",
    series_title: str = "Område",
    meeting: bool = False,
    height: int | None = None,
) -> alt.LayerChart:
    """An indicator's yearly values as lines (one per ``series``), promise periods shaded.

    Args:
        values: ``queries.VALUE_SCHEMA`` rows of one indicator (see ``indicator_data``).
        promise_years: ``(year_from, year_to, title)`` per promise, or a frame with those
            columns: drawn as alternating bands with the promise in the tooltip.
        baseline_year: Drawn as a dashed rule written "Basår <år>".
        title: Default: the indicator's name and the years shown.
        subtitle: Default: the unit and the attribution line of the values' origins.
        series: The column naming each line (``area`` on a kommun's pages; e.g.
            ``kommun_name`` on the regional view) and ``series_title`` its Swedish title.
        meeting: Meeting-mode font sizes.
        height: The plot's height in px (default 280, 340 in meeting mode).
    """
    data = indicator_data(
        values,
        promise_years=promise_years,
        baseline_year=baseline_year,
        series=series,
        series_title=series_title,
    )
    periods = promise_periods(promise_years)
    first, last = (data["År"].min(), data["År"].max()) if data.height else (None, None)
    name = data["Indikator"][0] if data.height else "Indikator"
    unit = data["Enhet"][0] if data.height else ""
    if title is None:
        title = f"{name}, {labels.format_years(first, last)}" if data.height else name
    if subtitle is None:
        subtitle = " · ".join(part for part in (unit, attribution_of(values)) if part)
    years = alt.Scale(domain=[first - 0.5, last + 0.5] if data.height else alt.Undefined,
                      nice=False, zero=False)  # fmt: skip
    x = alt.X("År:Q", title=None, scale=years, axis=alt.Axis(format="d", tickMinStep=1))
    layers = []
    bands = _bands(periods, first, last) if data.height else []
    if bands:
        layers.append(
            alt.Chart(alt.Data(values=bands))
            .mark_rect(color=BAND_COLOUR)
            .encode(
                **channels(
                    x=alt.X("Från:Q", scale=years, title=None),
                    x2="Till:Q",
                    opacity=alt.Opacity("Skugga:Q", scale=None, legend=None),
                    tooltip=[alt.Tooltip("Löfte:N"), alt.Tooltip("Löftesperiod:N")],
                )
            )
        )
    colours = alt.Scale(range=labels.CATEGORY_COLOURS)
    colour = alt.Color(f"{series_title}:N", title=series_title, scale=colours)
    tooltip = [
        f"{series_title}:N",
        alt.Tooltip("År:Q", format="d"),
        alt.Tooltip(f"{VALUE}:Q", format=",.1f"),
        "Enhet:N",
        "Ursprung:N",
    ]
    if periods:
        tooltip.append("Löfte:N")
    y = alt.Y(f"{VALUE}:Q", title=unit or VALUE, scale=alt.Scale(zero=False))
    # A line mark's colour legend and a point's shape legend do not merge, so the lines take
    # their colour by stroke, without a legend, and the points give one legend of colour and
    # shape together (a colour legend=None would hide the points' colours too).
    line = alt.Chart().mark_line(strokeWidth=2.5)
    stroke = alt.Stroke(f"{series_title}:N", scale=colours, legend=None)
    layers.append(line.encode(**channels(x=x, y=y, stroke=stroke)))
    points = alt.Chart().mark_point(size=80, filled=True, opacity=1)
    shape = alt.Shape(f"{series_title}:N", title=series_title)
    layers.append(points.encode(**channels(x=x, y=y, color=colour, shape=shape, tooltip=tooltip)))
    if baseline_year is not None:
        base = alt.Data(values=[{"Basår": baseline_year, "Etikett": f"Basår {baseline_year}"}])
        rule = alt.Chart(base).encode(**channels(x=alt.X("Basår:Q", scale=years, title=None)))
        layers.append(rule.mark_rule(color=BASELINE_COLOUR, strokeDash=[6, 4], strokeWidth=2))
        # Written on the side with more room, so "Basår 2023" is not cut at the chart's edge.
        late = data.height and baseline_year > (first + last) / 2
        side = {"align": "right", "dx": -4} if late else {"align": "left", "dx": 4}
        text = rule.mark_text(baseline="top", y=4, color=BASELINE_COLOUR, **side)
        layers.append(text.encode(**channels(text="Etikett:N")))
    chart = layered(*layers, data=data, height=height or (340 if meeting else 280))
    description = describe_indicator(
        data, series_title=series_title, periods=periods, baseline_year=baseline_year
    )
    return finish(chart, title=title, subtitle=subtitle, description=description, meeting=meeting)


def attribution_of(values: pl.DataFrame) -> str:
    """The attribution line of the values shown (per source; see indicator_progress)."""
    if values.is_empty() or "origin" not in values.columns:
        return ""
    lines = []
    for (attr, source), rows in values.group_by("attribution", "source_name", maintain_order=True):
        lines.append(attribution(attr, source, rows["origin"].to_list()))
    return " ".join(dict.fromkeys(lines))


def footnote_source(attribution_line: str) -> str:
    """What an exported indicator chart's footnote names after "Källa:" (issue 12): the
    source for its values ("Kolada"), or that they are invented, never the follow-up's
    partnership, whose figures they are not."""
    return attribution_line.removeprefix("Källa: ").rstrip(".") or "indikatorns källa"
