"""Swedish display tables of Region och riket (issue 11): pure polars, no Streamlit.

One row per promise: a kommun with promises for several areas has one row for each, named by
its area ("Hela kommunen" for a promise without one). Each row links to that promise's
Översikt for the same year and period (``?kommun=…&lofte=…&ar=…&period=…``).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard import labels
from dashboard.column_text import text
from dashboard.export.images import ExportMeta

WHOLE_KOMMUN = "Hela kommunen"


def _text(frame: pl.DataFrame, column: str, formatter) -> pl.Series:
    return text(formatter, frame[column])


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
        _text(status, "completion", labels.format_percent).alias("Genomförandegrad"),
        _text(status, "status", labels.status_text).alias("Status"),
        _link(year, pl.col("period_number")),
    )


def not_evaluated_table(missing: pl.DataFrame) -> pl.DataFrame:
    """Promises that have not evaluated their last ended period
    (``rollups.not_evaluated_last_period``): which period, when it ended, how long ago."""
    return missing.select(
        pl.col("kommun_name").alias("Kommun"),
        _promise(),
        pl.format("{} {}", pl.col("period"), pl.col("year")).alias("Period"),
        _text(missing, "ends_on", labels.format_date).alias("Slutade"),
        pl.col("days_since_end").alias("Dagar sedan"),
        pl.format("{} av {}", pl.col("n_evaluated"), pl.col("n_activities")).alias("Utvärderade"),
        pl.col("police_area").alias("Lokalpolisområde"),
        _link(pl.col("year"), pl.col("number")),
    )


# ---------------------------------------------------------------- one indicator compared (issue 12)

COMPARED_SCHEMA = {
    "kommun_code": pl.String,
    "kommun_name": pl.String,
    "region": pl.String,
    "year": pl.Int64,
    "value": pl.Float64,
    "change": pl.Float64,
    "origin": pl.String,
    "source": pl.String,
}
# Units that compare across kommuner of different sizes: a rate, an index or a share.
RATE_WORDS = ("per 100 000", "per 100\u00a0000", "per 1 000", "per 1\u00a0000", "index",
              "procent", "%", "andel")  # fmt: skip
NOT_NORMALISED = (
    "Enheten är inte ett tal per invånare, ett index eller en andel: värdena är inte "
    "omräknade efter folkmängd, så en större kommun kan ha högre värden bara för att den är större."
)


def is_rate(unit: str) -> bool:
    """True when values of ``unit`` compare across kommuner (per 100 000, an index, a share)."""
    folded = " ".join(unit.lower().split())
    return any(word in folded for word in RATE_WORDS)


def indicator_comparison(values: pl.DataFrame, year: int, *, years_back: int) -> pl.DataFrame:
    """One row per kommun with a value in ``year`` (COMPARED_SCHEMA), highest value first:
    the value and its change since ``year - years_back`` (null without a value then).

    ``values`` are ``queries.region_indicators.load_indicator_comparison`` rows.
    """
    now = values.filter(pl.col("year") == year)
    then = values.filter(pl.col("year") == year - years_back).select(
        "kommun_code", pl.col("value").alias("then")
    )
    return (
        now.join(then, on="kommun_code", how="left")
        .with_columns(change=pl.col("value") - pl.col("then"))
        .select(list(COMPARED_SCHEMA))
        .cast(COMPARED_SCHEMA)
        .sort(["value", "kommun_name"], descending=[True, False])
    )


def comparison_origins(values: pl.DataFrame, compared: pl.DataFrame) -> list[str]:
    """How the values shown came in: those of the year and, for a change, the earlier year."""
    shown = values.filter(pl.col("kommun_code").is_in(compared["kommun_code"].to_list()))
    return sorted(set(shown["origin"].to_list()))


def comparison_table(compared: pl.DataFrame, *, years_back: int) -> pl.DataFrame:
    """The compared kommuner as a Swedish table: kommun, value, year, change over the years."""
    return compared.select(
        pl.col("kommun_name").alias("Kommun"),
        _text(compared, "value", labels.format_number).alias("Värde"),
        pl.col("year").alias("År"),
        _text(compared, "change", _signed).alias(f"Förändring på {years_back} år"),
        pl.col("region").fill_null("–").alias("Polisregion"),
    )


def _signed(value: float | None) -> str:
    if value is None:
        return "–"
    number = labels.format_number(abs(value))
    return number if round(value, 1) == 0 else f"{'+' if value > 0 else '−'}{number}"


def comparison_meta(
    title: str, *, scope: str, year: int, source_name: str, origins: list[str], today: dt.date
) -> ExportMeta:
    """What the comparison's downloaded files say about themselves: the scope in place of a
    partnership (``hela-landet-2025-….png``), the source by the values' origins."""
    return ExportMeta(
        title=title,
        partnership=scope[:1].upper() + scope[1:],
        kommun=scope,
        year=year,
        tertial=None,
        source=export_source(source_name, origins),
        extracted_on=today,
        demo="demo" in origins,
    )


def export_source(source_name: str, origins: list[str]) -> str:
    """What a downloaded comparison names after "Källa:": the source only for its own values
    (``indicator_progress.attribution``'s rule), invented demo values as invented."""
    real = set(origins) - {"demo"}
    if not real:
        return f"påhittade exempelvärden, inte uppgifter från {source_name}"
    if "demo" in origins:
        return f"{source_name}; vissa värden är påhittade exempel"
    return source_name
