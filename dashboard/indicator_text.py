"""How the browse pages word a focus area's indicators (issue 12): pure text and tables.

The rows come from ``indicator_progress.progress`` (one per link of a focus area to an
indicator). A card on Översikt shows three short lines and the attribution; Fokusområden
shows the summary sentence, a chart and ``progress_table``. The verdict is always written in
words with its mark (✓ ✗ = –), never by colour alone.
"""

from __future__ import annotations

import polars as pl

from dashboard import labels

MINUS = "\u2212"  # a real minus sign, not a hyphen
NO_LINKS = "Inga indikatorer kopplade till fokusområdet."
NO_LINKS_PROMISE = "Inga indikatorer kopplade till löftets fokusområden."
NO_VALUES = "Inga indikatorvärden för kommunen ännu."


def value_text(value: float | None, unit: str | None) -> str:
    """``812,3 per 100 000 invånare``, ``62,1 %`` for a percentage, ``–`` for no value."""
    if value is None:
        return "–"
    if unit in ("procent", "%"):
        return labels.format_percent(value)
    return f"{labels.format_number(value)} {unit}".strip() if unit else labels.format_number(value)


def signed(value: float, text: str) -> str:
    """``text`` (an unsigned figure) with ``+`` or a minus sign; nothing for zero."""
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"{MINUS}{text}"
    return text


def change_text(row: dict) -> str:
    """``−0,4 (−19,0 %) sedan basåret 2023 (2,1)``, or why there is nothing to compare."""
    year = row["baseline_year"]
    if row["baseline_value"] is None:
        return f"Inget värde för basåret {year}"
    if row["change"] is None:
        return f"Inget värde efter basåret {year}"
    change = signed(row["change"], labels.format_number(abs(row["change"])))
    percent = ""
    if row["change_percent"] is not None:
        share = labels.format_percent(abs(row["change_percent"]))
        percent = f" ({signed(row['change_percent'], share)})"
    base = labels.format_number(row["baseline_value"])
    return f"{change}{percent} sedan basåret {year} ({base})"


def indicator_title(row: dict) -> str:
    """The indicator's name, with the område it is about: ``Problemindex (Mariefred)``."""
    return f"{row['name']} ({row['area']})" if row["area"] else row["name"]


def verdict_line(row: dict) -> str:
    """``✓ I önskad riktning (ska minska)``: mark, verdict in words and the intended direction."""
    return f"{row['mark']} {row['verdict_text']} ({labels.INTENDED[row['direction']]})"


def card_lines(row: dict) -> str:
    """The indicator on a focus-area card: name; latest value, year and change; verdict."""
    latest = value_text(row["latest_value"], row["unit"])
    when = f" år {row['latest_year']}" if row["latest_year"] is not None else ""
    return "\n".join(
        [
            f"Indikator: {indicator_title(row)}",
            f"{latest}{when} · {change_text(row)}",
            verdict_line(row),
        ]
    )


def by_focus_area(progress: pl.DataFrame) -> dict[int, list[dict]]:
    """The progress rows of each focus area, in link order."""
    grouped: dict[int, list[dict]] = {}
    for row in progress.iter_rows(named=True):
        grouped.setdefault(row["focus_area_id"], []).append(row)
    return grouped


def progress_table(progress: pl.DataFrame) -> pl.DataFrame:
    """The focus area's indicators as a Swedish table: baseline, latest, change and verdict."""
    rows = [
        {
            "Indikator": indicator_title(row),
            "Basår": str(row["baseline_year"]),
            "Värde basår": value_text(row["baseline_value"], row["unit"]),
            "Senaste år": "" if row["latest_year"] is None else str(row["latest_year"]),
            "Senaste värde": value_text(row["latest_value"], row["unit"]),
            "Förändring": change_text(row),
            "Bedömning": verdict_line(row),
            "Källa": row["attribution"],
        }
        for row in progress.iter_rows(named=True)
    ]
    schema = dict.fromkeys(
        ["Indikator", "Basår", "Värde basår", "Senaste år", "Senaste värde", "Förändring",
         "Bedömning", "Källa"],
        pl.String,
    )  # fmt: skip
    return pl.DataFrame(rows, schema=schema, orient="row")


def link_values(values: pl.DataFrame, link: dict, *, until_year: int | None = None) -> pl.DataFrame:
    """The values a link is judged by: its indicator, its område, up to ``until_year``."""
    rows = values.filter(
        (pl.col("indicator_id") == link["indicator_id"]) & (pl.col("area") == link["area"])
    )
    return rows if until_year is None else rows.filter(pl.col("year") <= until_year)


def indicators_of(values: pl.DataFrame) -> list[pl.DataFrame]:
    """The kommun's values split per indicator (by name, as the query orders them)."""
    return [rows for _, rows in values.group_by("indicator_id", maintain_order=True)]
