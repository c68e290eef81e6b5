"""Spreadsheet-safe text (issue 10): the one place a CSV or Excel file is written.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to Excel and LibreOffice, so a title typed as ``=HYPERLINK("http://x","y")`` would run
when the file is opened ("CSV injection", OWASP). Every file a spreadsheet opens is therefore
written here, and the rule is:

- CSV: such a text cell gets a leading apostrophe (``'=HYPERLINK(…)``), as OWASP advises;
  Excel and LibreOffice then show it as text.
- Excel: text is written as string cells, never as formulas or links (xlsxwriter's
  ``strings_to_formulas`` and ``strings_to_urls`` are off), so the cell holds the text exactly
  as typed; text columns also carry Excel's quote-prefix style, so editing a cell keeps it text.

Only text is touched: numbers, negative ones included, stay numbers. The database keeps the
text exactly as typed; only the files are neutralised. Nothing else under dashboard/ or db/
calls ``write_csv``, ``write_excel`` or xlsxwriter (tests/data/test_spreadsheet_safety.py checks).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

import polars as pl

BOM = b"\xef\xbb\xbf"
# The characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_PATTERN = r"^[=+\-@\t\r]"
WORKBOOK_OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
TEXT_FORMAT = {"quote_prefix": True}


def inert(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet runs: an apostrophe before a formula start."""
    return "'" + text if text.startswith(FORMULA_START) else text


def inert_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every text cell made inert (see :func:`inert`); other columns as they are."""
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(_FORMULA_PATTERN))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


def csv_bytes(frame: pl.DataFrame, **options: Any) -> bytes:
    """``frame`` as CSV text with a byte-order mark (Swedish Excel needs it for å, ä, ö).

    ``options`` go to polars' ``write_csv`` (separator, decimal comma, date formats, …).
    """
    return BOM + inert_frame(frame).write_csv(**options).encode("utf-8")


def xlsx_bytes(fill: Callable[[Any], None]) -> bytes:
    """An ``.xlsx`` workbook made by ``fill(workbook)``, which adds sheets with the writers below.

    The workbook writes every string as a string cell: never a formula, a link or a number.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS) as workbook:
        fill(workbook)
    return buffer.getvalue()


def write_frame(workbook, frame: pl.DataFrame, sheet: str, **options: Any) -> None:
    """``frame`` on a new sheet (polars' ``write_excel``), its text columns quote-prefixed."""
    text_columns = {name: TEXT_FORMAT for name, dtype in frame.schema.items() if dtype == pl.String}
    frame.write_excel(workbook, worksheet=sheet[:31], column_formats=text_columns, **options)


def write_lines(workbook, sheet: str, lines: Iterable[str], *, width: int = 100) -> None:
    """One line of text per row in column A of a new sheet, each as a string cell."""
    worksheet = workbook.add_worksheet(sheet[:31])
    text = workbook.add_format(TEXT_FORMAT)
    for row, line in enumerate(lines):
        worksheet.write_string(row, 0, line, text)
    worksheet.set_column(0, 0, width)
