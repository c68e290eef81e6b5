"""Charts of the view above one partnership (issue 11): year results as a distribution.

A preliminary year (for some partnership the year's last period has not ended or has no
evaluation) is told in words, "prel." after the year and in the tooltip, and by shape: a
dashed line and an open box, never by colour alone.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from dashboard import labels
from dashboard.chart_style import channels, finish, layered

SHARE = "Andel genomförda (%)"
PRELIMINARY_SUFFIX = " prel."


def distribution_data(results: pl.DataFrame) -> pl.DataFrame:
    """Per year, the spread of the partnerships' results: lowest, quartiles, median, highest.

    Summarised here rather than by Vega's boxplot, so the chart carries one row per year
    (twenty) instead of one per partnership and year (nearly 6,000 at national scale).
    """
    share = pl.col("share_genomford")
    return (
        results.filter(share.is_not_null())
        .group_by("year")
        .agg(
            share.min().round(1).alias("Lägst"),
            share.quantile(0.25, "linear").round(1).alias("Undre kvartil"),
            share.median().round(1).alias("Median"),
            share.quantile(0.75, "linear").round(1).alias("Övre kvartil"),
            share.max().round(1).alias("Högst"),
            pl.len().cast(pl.Int64).alias("Samverkanspar"),
            pl.col("preliminary").sum().cast(pl.Int64).alias("Preliminära"),
        )
        .sort("year")
        .with_columns(Preliminärt=pl.col("Preliminära") > 0)
        .with_columns(
            År=pl.col("year").cast(pl.String)
            + pl.when(pl.col("Preliminärt")).then(pl.lit(PRELIMINARY_SUFFIX)).otherwise(pl.lit(""))
        )
        .drop("year")
    )


def year_result_distribution_chart(
    results: pl.DataFrame, *, scope: str, meeting: bool = False
) -> alt.LayerChart:
    """Each year's results across partnerships: range, quartiles and median."""
    data = distribution_data(results)
    n = results["kommun_code"].n_unique()
    x = alt.X("År:O", title=None, axis=alt.Axis(labelAngle=-45))
    y = alt.Y("Lägst:Q", scale=alt.Scale(domain=[0, 100]), title=SHARE)
    tooltip = ["År:N", "Lägst:Q", "Undre kvartil:Q", "Median:Q", "Övre kvartil:Q", "Högst:Q",
               "Samverkanspar:Q",
               alt.Tooltip("Preliminära:Q", title="Varav preliminära")]  # fmt: skip
    colour = labels.STATUSES["genomford"].colour
    preliminary = alt.datum["Preliminärt"]
    dash = alt.condition(preliminary, alt.value([5, 3]), alt.value([1, 0]))
    spread = (
        alt.Chart()
        .mark_rule(color="#555555", strokeWidth=1.5)
        .encode(**channels(x=x, y=y, y2="Högst:Q", strokeDash=dash, tooltip=tooltip))
    )
    quartiles = (
        alt.Chart()
        .mark_bar(stroke=colour, strokeWidth=2, size=14)
        .encode(
            **channels(
                x=x,
                y="Undre kvartil:Q",
                y2="Övre kvartil:Q",
                fill=alt.condition(preliminary, alt.value("#ffffff"), alt.value(colour)),
                strokeDash=dash,
                tooltip=tooltip,
            )
        )
    )
    median = (
        alt.Chart()
        .mark_tick(color="#000000", thickness=3, size=18)
        .encode(**channels(x=x, y="Median:Q", tooltip=tooltip))
    )
    chart = layered(spread, quartiles, median, data=data, height=380 if meeting else 320)
    return finish(
        chart,
        title=f"Årets resultat per samverkan, {scope}",
        subtitle=(
            f"Andel genomförda vid årets sista utvärdering, {n} samverkanspar: "
            "linje = lägst–högst, stapel = mittersta hälften, streck = median, "
            "streckat och ofyllt = prel. (preliminärt)"
        ),
        description=(
            f"Per år spridningen av {n} samverkanspars resultat: lägsta och högsta andel "
            "genomförda aktiviteter, kvartilerna och medianen. År märkta prel. är preliminära: "
            f"{_preliminary_years(data)}."
        ),
        meeting=meeting,
    )


def _preliminary_years(data: pl.DataFrame) -> str:
    years = [y.removesuffix(PRELIMINARY_SUFFIX) for y in data.filter("Preliminärt")["År"]]
    return ", ".join(years) if years else "inga"


# ---------------------------------------------------------------- one indicator compared (issue 12)

VALUE = "Värde"
BAR_STEP = 18  # px per kommun: a region's few dozen kommuner, or all 290, stay legible


def comparison_data(compared: pl.DataFrame, *, years_back: int) -> pl.DataFrame:
    """The chart's rows: one per kommun, highest value first (``region_tables``'s order)."""
    return compared.select(
        pl.col("kommun_name").alias("Kommun"),
        pl.col("value").alias(VALUE),
        pl.col("year").cast(pl.String).alias("År"),
        pl.col("change").alias(f"Förändring på {years_back} år"),
    )


def indicator_comparison_chart(
    compared: pl.DataFrame,
    *,
    name: str,
    unit: str,
    year: int,
    scope: str,
    years_back: int,
    meeting: bool = False,
) -> alt.LayerChart:
    """The kommuner's values of one indicator in ``year`` as sorted bars, the median a line.

    ``compared`` is ``region_tables.indicator_comparison``: one row per kommun.
    """
    data = comparison_data(compared, years_back=years_back)
    n = data.height
    median = float(data[VALUE].median()) if n else 0.0
    order = data["Kommun"].to_list()
    change = f"Förändring på {years_back} år"
    tooltip = [
        "Kommun:N",
        alt.Tooltip(f"{VALUE}:Q", format=",.1f"),
        "År:N",
        alt.Tooltip(f"{change}:Q", format="+,.1f"),
    ]
    bars = (
        alt.Chart()
        .mark_bar(color=labels.STATUSES["pagar"].colour)
        .encode(
            **channels(
                x=alt.X(f"{VALUE}:Q", title=unit),
                y=alt.Y("Kommun:N", sort=order, title=None),
                tooltip=tooltip,
            )
        )
    )
    line = alt.Chart(pl.DataFrame({"Median": [median]}))
    rule = line.mark_rule(color="#000000", strokeWidth=2, strokeDash=[6, 3]).encode(
        **channels(x="Median:Q", tooltip=[alt.Tooltip("Median:Q", format=",.1f")])
    )
    label = line.mark_text(align="left", dx=4, dy=-6, baseline="bottom", fontWeight="bold").encode(
        **channels(
            x="Median:Q", y=alt.value(0), text=alt.value(f"Median {labels.format_number(median)}")
        )
    )
    step = BAR_STEP + (8 if meeting else 0)
    chart = layered(bars, rule, label, data=data, height=alt.Step(step))
    return finish(
        chart,
        title=f"{name}, {year}",
        subtitle=(
            f"{labels.count(n, 'kommun', 'kommuner')} i {scope}, högst först; "
            f"streckad linje = medianen ({labels.format_number(median)} {unit})"
        ),
        description=_describe_comparison(data, name=name, unit=unit, year=year, median=median),
        meeting=meeting,
    )


def _describe_comparison(
    data: pl.DataFrame, *, name: str, unit: str, year: int, median: float
) -> str:
    if data.is_empty():
        return f"{name} {year}: inga värden."
    high, low = data.row(0, named=True), data.row(-1, named=True)
    return (
        f"{name} {year} i {labels.count(data.height, 'kommun', 'kommuner')}, i {unit}: "
        f"högst {high['Kommun']} ({labels.format_number(high[VALUE])}), lägst "
        f"{low['Kommun']} ({labels.format_number(low[VALUE])}), median "
        f"{labels.format_number(median)}."
    )
