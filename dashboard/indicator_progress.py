"""What happened to what a focus area aims at (issue 12): pure functions over indicator frames.

``progress`` compares each link's latest yearly value with its baseline year and says, in words
and with a mark (never by colour alone), whether the change is in the intended direction.
``attribution`` says where the shown values came from: a source's required attribution
("Källa: Kolada") only beside values that came from it; invented demo values say so, and
figures we compute (a change, a percentage) are never attributed to the source.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from dashboard import labels
from db.vocabulary import WHOLE_YEAR

# A change smaller than this share of the baseline reads as unchanged.
UNCHANGED_SHARE = 0.005
VERDICTS = {
    "onskad": ("I önskad riktning", "✓"),
    "fel": ("Åt fel håll", "✗"),
    "oforandrad": ("Oförändrat", "="),
    "saknas": ("Inga värden att jämföra", "–"),
}
PROGRESS_SCHEMA = {
    "focus_area_id": pl.Int64,
    "link_id": pl.Int64,
    "indicator_id": pl.Int64,
    "name": pl.String,
    "unit": pl.String,
    "area": pl.String,
    "direction": pl.String,
    "baseline_year": pl.Int64,
    "baseline_value": pl.Float64,
    "latest_year": pl.Int64,
    "latest_value": pl.Float64,
    "change": pl.Float64,
    "change_percent": pl.Float64,
    "target_value": pl.Float64,
    "verdict": pl.String,
    "verdict_text": pl.String,
    "mark": pl.String,
    "summary": pl.String,
    "attribution": pl.String,
}


def verdict(baseline: float | None, latest: float | None, direction: str) -> str:
    """``onskad``, ``fel``, ``oforandrad`` or ``saknas`` (no baseline or no later value)."""
    if baseline is None or latest is None:
        return "saknas"
    change = latest - baseline
    if abs(change) <= abs(baseline) * UNCHANGED_SHARE:
        return "oforandrad"
    wanted = change < 0 if direction == "lagre" else change > 0
    return "onskad" if wanted else "fel"


def attribution(source_attribution: str, source_name: str, origins: Iterable[str]) -> str:
    """The line to show beside values of these origins.

    Kolada's (or a file's) values carry the source's attribution; invented demo values say
    they are invented and not from the source, so they are never presented as its figures.
    """
    origins = set(origins)
    real = origins - {"demo"}
    credit = source_attribution or f"Källa: {source_name}"
    if not origins:
        return ""
    if not real:
        return f"Påhittade exempelvärden, inte uppgifter från {source_name}."
    if "demo" in origins:
        return f"{credit}. Vissa värden är påhittade exempel."
    return credit


def progress(
    links: pl.DataFrame, values: pl.DataFrame, *, until_year: int | None = None
) -> pl.DataFrame:
    """One row per link (PROGRESS_SCHEMA): baseline and latest yearly value, change, verdict.

    Args:
        links: queries.indicators LINK_SCHEMA rows.
        values: queries.indicators VALUE_SCHEMA rows of the same kommun; only whole-year values
            (``period_no`` 0) of the link's area are compared.
        until_year: The latest value is the newest up to this year (the year on screen), so a
            past promise is judged by the figures of its own time.
    """
    yearly = values.filter(pl.col("period_no") == WHOLE_YEAR)
    if until_year is not None:
        yearly = yearly.filter(pl.col("year") <= until_year)
    rows = []
    for link in links.iter_rows(named=True):
        series = yearly.filter(
            (pl.col("indicator_id") == link["indicator_id"]) & (pl.col("area") == link["area"])
        ).sort("year")
        by_year = dict(zip(series["year"].to_list(), series["value"].to_list(), strict=True))
        baseline = by_year.get(link["baseline_year"])
        later = [year for year in by_year if year > link["baseline_year"]]
        latest_year = max(later) if later else None
        latest = by_year.get(latest_year) if latest_year is not None else None
        code = verdict(baseline, latest, link["direction"])
        change = None if code == "saknas" else latest - baseline
        percent = None if change is None or not baseline else 100 * change / abs(baseline)
        shown = series.filter(pl.col("year").is_in([link["baseline_year"], latest_year or 0]))
        row = {
            key: link[key]
            for key in (
                "focus_area_id",
                "link_id",
                "indicator_id",
                "name",
                "unit",
                "area",
                "direction",
                "baseline_year",
                "target_value",
            )
        } | {
            "baseline_value": baseline,
            "latest_year": latest_year,
            "latest_value": latest,
            "change": change,
            "change_percent": percent,
            "verdict": code,
            "verdict_text": VERDICTS[code][0],
            "mark": VERDICTS[code][1],
            "attribution": attribution(
                link["attribution"], link["source_name"], shown["origin"].to_list()
            ),
        }
        row["summary"] = summary(row)
        rows.append(row)
    return pl.DataFrame(rows, schema=PROGRESS_SCHEMA, orient="row")


def summary(row: dict) -> str:
    """A plain Swedish sentence: value, change since baseline, intended direction, verdict."""
    where = f" ({row['area']})" if row["area"] else ""
    intended = labels.INTENDED[row["direction"]]
    if row["verdict"] == "saknas":
        missing = (
            f"inget värde för basåret {row['baseline_year']}"
            if row["baseline_value"] is None
            else f"inget värde efter basåret {row['baseline_year']}"
        )
        return f"{row['name']}{where}: {missing} ännu. Målet är att det {intended}."
    latest = labels.format_number(row["latest_value"])
    base = labels.format_number(row["baseline_value"])
    if row["verdict"] == "oforandrad":
        moved = "oförändrat"
    else:
        word = "upp" if row["change"] > 0 else "ned"
        moved = f"{word} {labels.format_percent(abs(row['change_percent']))}"
    text = (
        f"{row['name']}{where}: {latest} år {row['latest_year']}, {moved} sedan basåret "
        f"{row['baseline_year']} ({base}). Målet är att det {intended}: "
        f"{row['verdict_text'].lower()} {row['mark']}."
    )
    if row["target_value"] is not None:
        reached = (
            row["latest_value"] <= row["target_value"]
            if row["direction"] == "lagre"
            else row["latest_value"] >= row["target_value"]
        )
        target = labels.format_number(row["target_value"])
        text += f" Målvärdet {target} är {'nått' if reached else 'inte nått ännu'}."
    return text
