"""Data downloads (issue 5): any frame as CSV for Swedish Excel and as an ``.xlsx`` workbook.

Swedish Excel opens a CSV correctly only when it is UTF-8 with a BOM (else å, ä, ö break),
separated by semicolons (the comma is the decimal sign) and written with decimal commas.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from dashboard import labels, spreadsheets, tables
from dashboard.column_text import text

BOM = spreadsheets.BOM


def tabular(frame: pl.DataFrame, columns: dict[str, str] | None = None) -> pl.DataFrame:
    """``frame`` made fit for a spreadsheet.

    Lists are joined with ", ", a list of signatories becomes "Namn, roll; …", other nested
    values become JSON text, times are shown in Swedish local time without a zone (Excel has
    none), and ``columns`` (source name → Swedish heading) picks and renames the columns.
    """
    if columns is not None:
        frame = frame.select(list(columns)).rename(columns)
    out = []
    for name, dtype in frame.schema.items():
        col = pl.col(name)
        if dtype == pl.List(pl.String):
            out.append(col.list.join(", "))
        elif isinstance(dtype, pl.List | pl.Struct | pl.Array | pl.Object):
            out.append(text(_json_text, frame[name]))
        elif isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
            out.append(col.dt.convert_time_zone(labels.STOCKHOLM).dt.replace_time_zone(None))
        else:
            out.append(col)
    return frame.select(out)


def _json_text(value: Any) -> str:
    if isinstance(value, pl.Series):
        value = value.to_list()
    if isinstance(value, list) and all(isinstance(v, dict) and "name" in v for v in value):
        return "; ".join(labels.format_signatory(v) for v in value)
    return json.dumps(value, ensure_ascii=False, default=str)


def frame_to_csv(frame: pl.DataFrame, columns: dict[str, str] | None = None) -> bytes:
    """CSV for Swedish Excel: UTF-8 with BOM, ``;`` between fields, decimal comma, inert text."""
    return spreadsheets.csv_bytes(
        tabular(frame, columns),
        separator=";",
        decimal_comma=True,
        datetime_format="%Y-%m-%d %H:%M",
        line_terminator="\r\n",
    )


def frame_to_xlsx(
    frame: pl.DataFrame,
    columns: dict[str, str] | None = None,
    *,
    sheet: str = "Data",
    about: list[str] | None = None,
) -> bytes:
    """An Excel workbook: the rows on ``sheet`` and, if given, the ``about`` lines on "Om uttaget".

    Text is written as text cells, never formulas (see dashboard.spreadsheets).

    Args:
        frame: The rows.
        columns: Source column → Swedish heading (and which columns, in which order).
        sheet: Name of the data sheet (Excel allows 31 characters).
        about: Lines such as the title and the source line, on a second sheet.
    """
    rows = tabular(frame, columns)

    def fill(workbook) -> None:
        spreadsheets.write_frame(
            workbook,
            rows,
            sheet,
            autofit=True,
            float_precision=1,
            dtype_formats={pl.Datetime: "yyyy-mm-dd hh:mm", pl.Date: "yyyy-mm-dd"},
            freeze_panes="A2",
        )
        if about:
            spreadsheets.write_lines(workbook, "Om uttaget", about)

    return spreadsheets.xlsx_bytes(fill)


# ---------------------------------------------------------------- the data behind a chart

YEAR = "År"
PRELIMINARY = "Preliminärt"
CHART_DECIMALS = 1  # the charts' labels show one decimal (labels.format_percent)


def chart_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """The rows behind a chart as its CSV and Excel downloads hold them (issue 10).

    The charts draw from text years ("2026 prel." on a preliminary year, and text so the axis
    never writes "2 021"); a spreadsheet wants numbers. So "År" becomes the integer year and
    "prel." the column "Preliminärt" (Ja/Nej), decimals are rounded as the chart's labels show
    them and true/false become Ja/Nej.
    """
    frame = _numeric_year(frame)
    return frame.with_columns(
        tables.yes_no(name).alias(name)
        if dtype == pl.Boolean
        else pl.col(name).round(CHART_DECIMALS)
        for name, dtype in frame.schema.items()
        if dtype == pl.Boolean or dtype.is_float()
    )


def _numeric_year(frame: pl.DataFrame) -> pl.DataFrame:
    if frame.schema.get(YEAR) != pl.String:
        return frame
    parts = frame[YEAR].str.extract_groups(r"^(\d{4})(\D*)$")
    if parts.struct.field("1").null_count() > frame[YEAR].null_count():
        return frame  # not a year column after all: leave it as the chart wrote it
    frame = frame.with_columns(parts.struct.field("1").cast(pl.Int64).alias(YEAR))
    if PRELIMINARY not in frame.columns:
        marked = parts.struct.field("2").str.strip_chars().fill_null("") != ""
        frame = frame.with_columns(marked.alias(PRELIMINARY))
    return frame
