"""Swedish display tables of Region och riket (issue 11): pure polars, no Streamlit.

One row per promise: a kommun with promises for several areas has one row for each, named by
its area ("Hela kommunen" for a promise without one). Each row links to that promise's
Översikt for the same year and period (``?kommun=…&lofte=…&ar=…&period=…``).
"""

from __future__ import annotations

import polars as pl

from dashboard import labels

WHOLE_KOMMUN = "Hela kommunen"


def _text(column: str, formatter) -> pl.Expr:
    return pl.col(column).map_elements(formatter, return_dtype=pl.String, skip_nulls=False)


def _promise() -> pl.Expr:
    return pl.col("area").fill_null(WHOLE_KOMMUN).alias("Löfte")


def _link(year: pl.Expr | int, number: pl.Expr | int) -> pl.Expr:
    """The promise's Översikt for the year and, where the promise has it, the period."""
    base = pl.format(
        "/?kommun={}&lofte={}&ar={}",
        pl.col("kommun_code"),
        pl.col("promise_id"),
        pl.lit(year) if isinstance(year, int) else year,
    )
    number = pl.lit(number) if isinstance(number, int) else number
    period = pl.format("&period={}", number)
    return pl.concat_str(base, period.fill_null("")).alias("Översikt")


def promise_table(status: pl.DataFrame, *, year: int) -> pl.DataFrame:
    """The period's status of each promise (``rollups.promise_status``), with a link."""
    return status.select(
        pl.col("kommun_name").alias("Kommun"),
        _promise(),
        pl.col("period").fill_null("Ingen sådan period").alias("Period"),
        pl.col("police_area").alias("Lokalpolisområde"),
        pl.col("region").fill_null("–").alias("Polisregion"),
        pl.col("n_activities").alias("Aktiviteter"),
        pl.col("n_evaluated").alias("Utvärderade"),
        _text("completion", labels.format_percent).alias("Genomförandegrad"),
        _text("status", labels.status_text).alias("Status"),
        _link(year, pl.col("period_number")),
    )


def not_evaluated_table(missing: pl.DataFrame) -> pl.DataFrame:
    """Promises that have not evaluated their last ended period
    (``rollups.not_evaluated_last_period``): which period, when it ended, how long ago."""
    return missing.select(
        pl.col("kommun_name").alias("Kommun"),
        _promise(),
        pl.format("{} {}", pl.col("period"), pl.col("year")).alias("Period"),
        _text("ends_on", labels.format_date).alias("Slutade"),
        pl.col("days_since_end").alias("Dagar sedan"),
        pl.format("{} av {}", pl.col("n_evaluated"), pl.col("n_activities")).alias("Utvärderade"),
        pl.col("police_area").alias("Lokalpolisområde"),
        _link(pl.col("year"), pl.col("number")),
    )
