"""Swedish display tables for the browse pages: pure polars, no Streamlit.

Stored text (titles, comments) stays plain text in these frames; the pages show them as HTML
tables (dashboard/html_blocks.py), which escape it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard import labels
from dashboard.column_text import text
from dashboard.rollups import period_numbers


def _text(frame: pl.DataFrame, column: str, formatter) -> pl.Series:
    return text(formatter, frame[column])


def yes_no(column: str) -> pl.Expr:
    """A true/false column as the Swedish words ``Ja`` and ``Nej`` (empty stays empty)."""
    return pl.col(column).replace_strict({True: "Ja", False: "Nej"}, return_dtype=pl.String)


def status_cells(matrix: pl.DataFrame, codes: dict[int, str] | None = None) -> list[pl.Series]:
    """One column per period of the matrix (``T1``, ``T2``, ``T3``; ``codes`` names other
    rhythms' periods) with icon and label ("➖ Ej utvärderad" when empty)."""
    return [
        _text(matrix, f"status_{t}", labels.status_text).alias(labels.period_code(t, codes))
        for t in period_numbers(matrix)
    ]


def matrix_table(matrix: pl.DataFrame, codes: dict[int, str] | None = None) -> pl.DataFrame:
    """The activity × tertial matrix: focus area, activity, owner and a status cell per tertial."""
    return matrix.select(
        pl.col("focus_area").alias("Fokusområde"),
        pl.col("title").alias("Aktivitet"),
        _text(matrix, "owner", labels.owner_label).alias("Ansvarig"),
        *status_cells(matrix, codes),
    )


def changes_table(changes: pl.DataFrame) -> pl.DataFrame:
    """Status changes: activity, focus area, from → to, who and when (Swedish local time)."""
    return changes.select(
        pl.col("title").alias("Aktivitet"),
        pl.col("focus_area").alias("Fokusområde"),
        _text(changes, "from_status", labels.status_text).alias("Från"),
        _text(changes, "to_status", labels.status_text).alias("Till"),
        pl.col("evaluated_by").alias("Av"),
        _text(changes, "evaluated_at", labels.format_local_datetime).alias("När"),
    )


def year_results_table(results: pl.DataFrame) -> pl.DataFrame:
    """Year results with counts, the share genomförd and whether the year is preliminary."""
    return results.select(
        pl.col("year").cast(pl.String).alias("År"),
        pl.col("n_activities").alias("Aktiviteter"),
        pl.col("n_evaluated").alias("Utvärderade"),
        pl.col("n_genomford").alias("Genomförda"),
        pl.col("n_delvis").alias("Delvis"),
        pl.col("n_ej_genomford").alias("Ej genomförda"),
        _text(results, "share_genomford", labels.format_percent).alias("Andel genomförda"),
        yes_no("preliminary").alias("Preliminärt"),
    )


def readable(frame: pl.DataFrame) -> pl.DataFrame:
    """Any frame with Swedish number and date formats (decimal comma, "11 mars 2021")."""
    exprs = []
    for name, dtype in frame.schema.items():
        if dtype.is_float():
            exprs.append(_text(frame, name, labels.format_number))
        elif dtype == pl.Date:
            exprs.append(_text(frame, name, labels.format_date))
        elif isinstance(dtype, pl.Datetime):
            exprs.append(_text(frame, name, labels.format_local_datetime))
        elif dtype == pl.Boolean:
            exprs.append(yes_no(name).alias(name))
        else:
            exprs.append(pl.col(name))
    return frame.select(exprs)


def contains_demo(*frames: pl.DataFrame) -> bool:
    """True when any row on screen is demo data (a ``source`` of "exempel" or demo evaluations)."""
    for frame in frames:
        if "source" in frame.columns and (frame["source"] == "exempel").any():
            return True
        if "n_demo_evaluations" in frame.columns and (frame["n_demo_evaluations"] > 0).any():
            return True
    return False


def default_year(years: list[int], today: dt.date) -> int:
    """This year if it has a promise, else the latest year before it, else the first."""
    earlier = [y for y in years if y <= today.year]
    return max(earlier) if earlier else min(years)


def current_period(periods: pl.DataFrame, today: dt.date) -> int | None:
    """The number of the period ``today`` falls in, else the last one that has begun, else
    the last of the year (a past year), of a periods frame (queries.load_periods)."""
    if periods.is_empty():
        return labels.current_tertial(today)
    begun = periods.filter(pl.col("starts_on") <= today)
    now = begun.filter(pl.col("ends_on") >= today)
    if now.height:
        return now["number"][0]
    return (begun if begun.height else periods)["number"][-1]


def promise_choice_names(promises: pl.DataFrame) -> list[str]:
    """How the promise picker names each of a year's promises: area (or "Hela kommunen")
    and validity, e.g. "Resecentrum · 18 nov 2026–31 mar 2027"."""
    return [
        f"{row['area'] or 'Hela kommunen'} · {labels.validity(row['valid_from'], row['valid_to'])}"
        for row in promises.iter_rows(named=True)
    ]


def activity_status_table(matrix: pl.DataFrame, tertial: int) -> pl.DataFrame:
    """Each activity in one tertial: focus area, owner, target, achieved, status and comment."""
    unit = matrix["target_unit"]
    return matrix.select(
        pl.col("title").alias("Aktivitet"),
        pl.col("focus_area").alias("Fokusområde"),
        _text(matrix, "owner", labels.owner_label).alias("Ansvarig"),
        text(labels.format_target, matrix["target_value"], unit, name="Mål"),
        text(labels.format_target, matrix[f"achieved_{tertial}"], unit, name="Uppnått"),
        _text(matrix, f"status_{tertial}", labels.status_text).alias("Status"),
        pl.col(f"comment_{tertial}").fill_null("").alias("Kommentar"),
    )


def themes_table(themes: pl.DataFrame) -> pl.DataFrame:
    """Promises per focus-area theme (rows) and police region (columns)."""
    if themes.is_empty():
        return pl.DataFrame({"Tema": []}, schema={"Tema": pl.String})
    wide = themes.with_columns(pl.col("region").fill_null("Utan region")).pivot(
        on="region", index="theme", values="n_promises", aggregate_function="sum"
    )
    regions = sorted(c for c in wide.columns if c != "theme")
    return (
        wide.with_columns(pl.col(regions).fill_null(0))
        .with_columns(_text(wide, "theme", labels.theme_label).alias("Tema"))
        .select("Tema", *regions)
        .sort("Tema")
    )
