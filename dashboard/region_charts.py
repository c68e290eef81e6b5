"""Charts of the view above one partnership (issue 11): year results as a distribution.

A preliminary year (for some partnership the year's last period has not ended or has no
evaluation) is told in words, "prel." after the year and in the tooltip, and by shape: a
dashed line and an open box, never by colour alone.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from dashboard import labels
from dashboard.chart_style import finish

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
        .encode(x=x, y=y, y2="Högst:Q", strokeDash=dash, tooltip=tooltip)
    )
    quartiles = (
        alt.Chart()
        .mark_bar(stroke=colour, strokeWidth=2, size=14)
        .encode(
            x=x,
            y="Undre kvartil:Q",
            y2="Övre kvartil:Q",
            fill=alt.condition(preliminary, alt.value("#ffffff"), alt.value(colour)),
            strokeDash=dash,
            tooltip=tooltip,
        )
    )
    median = (
        alt.Chart()
        .mark_tick(color="#000000", thickness=3, size=18)
        .encode(x=x, y="Median:Q", tooltip=tooltip)
    )
    chart = alt.layer(spread, quartiles, median, data=data).properties(
        height=380 if meeting else 320
    )
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
