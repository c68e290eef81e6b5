"""Data downloads (issue 5): any frame as CSV for Swedish Excel and as an ``.xlsx`` workbook.

Swedish Excel opens a CSV correctly only when it is UTF-8 with a BOM (else å, ä, ö break),
separated by semicolons (the comma is the decimal sign) and written with decimal commas.
"""

from __future__ import annotations

import io
import json
from typing import Any

import polars as pl

from dashboard import labels

BOM = b"\xef\xbb\xbf"


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
            out.append(col.map_elements(_json_text, return_dtype=pl.String))
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
    """CSV for Swedish Excel: UTF-8 with BOM, ``;`` between fields, decimal comma."""
    text = tabular(frame, columns).write_csv(
        separator=";",
        decimal_comma=True,
        datetime_format="%Y-%m-%d %H:%M",
        line_terminator="\r\n",
    )
    return BOM + text.encode("utf-8")


def frame_to_xlsx(
    frame: pl.DataFrame,
    columns: dict[str, str] | None = None,
    *,
    sheet: str = "Data",
    about: list[str] | None = None,
) -> bytes:
    """An Excel workbook: the rows on ``sheet`` and, if given, the ``about`` lines on "Om uttaget".

    Args:
        frame: The rows.
        columns: Source column → Swedish heading (and which columns, in which order).
        sheet: Name of the data sheet (Excel allows 31 characters).
        about: Lines such as the title and the source line, on a second sheet.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as workbook:
        tabular(frame, columns).write_excel(
            workbook,
            worksheet=sheet[:31],
            autofit=True,
            float_precision=1,
            dtype_formats={pl.Datetime: "yyyy-mm-dd hh:mm", pl.Date: "yyyy-mm-dd"},
            freeze_panes="A2",
        )
        if about:
            info = workbook.add_worksheet("Om uttaget")
            for row, line in enumerate(about):
                info.write_string(row, 0, line)
            info.set_column(0, 0, 100)
    return buffer.getvalue()
