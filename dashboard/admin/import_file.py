"""The import file (issue 7): its template, and reading an upload into a frame of text.

No Streamlit here. What a file is comes from its content, never from its name: an ``.xlsx``
is a zip holding ``[Content_Types].xml`` and ``xl/workbook.xml``; anything else must decode as
UTF-8 (with or without a byte-order mark) and parse as CSV with ``;`` or ``,`` between fields.
Every cell is read as text, so a bad value becomes a row error with its row number later,
instead of a type error for the whole file here.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import polars as pl
import polars.exceptions as plx

from dashboard import spreadsheets

MAX_BYTES = 5 * 1024 * 1024  # the same limit as server.maxUploadSize in .streamlit/config.toml
MAX_ROWS = 5_000
SHEET_NAME = "Aktiviteter"
ROW = "_rad"  # the row number as the user sees it in a spreadsheet: the header is row 1


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    help: str
    example: str


COLUMNS = (
    Column(
        "År",
        True,
        "Året löftet gäller (för en utvärdering: året perioden slutar), t.ex. 2027. Löftet "
        "måste redan finnas.",
        "2027",
    ),
    Column(
        "Område",
        False,
        "Tomt för kommunens löfte för hela kommunen; annars löftets område, t.ex. Resecentrum.",
        "",
    ),
    Column("Fokusområde", True, "Namnet på ett fokusområde i löftet, exakt.", "Unga"),
    Column("Aktivitet", True, "Aktivitetens titel.", "Trygghetsvandringar"),
    Column(
        "Ansvarig",
        True,
        "Kommunen, Polisen, Gemensam eller namnet på en annan av löftets parter.",
        "Gemensam",
    ),
    Column("Beskrivning", False, "Fritext.", "Vandringar i centrum med föreningar."),
    Column("Samverkanspartner", False, "Åtskilda med kommatecken.", "föreningar, näringsliv"),
    Column("Målvärde", False, "Ett tal ≥ 0, t.ex. 4 (decimalkomma går bra).", "4"),
    Column("Enhet", False, "Målvärdets enhet, t.ex. vandringar.", "vandringar"),
    Column(
        "Linjenyckel",
        False,
        "Samma nyckel varje år för en återkommande aktivitet (a–z, 0–9, . - _).",
        "trygghetsvandringar",
    ),
    Column(
        "Period",
        False,
        "Fyll i för en utvärdering: perioden i löftets rytm, T1–T3 (tertial), K1–K4 (kvartal), "
        "H1–H2 (halvår), eller en egen periods namn.",
        "T1",
    ),
    Column(
        "Status",
        False,
        "Ej påbörjad, Pågår, Försenad, Genomförd eller Ej genomförd.",
        "Pågår",
    ),
    Column("Klart (%)", False, "Hel procent 0–100.", "40"),
    Column("Uppnått värde", False, "Ett tal ≥ 0; bara för aktiviteter med målvärde.", "1"),
    Column(
        "Kommentar",
        False,
        "Krävs för Försenad och Ej genomförd (högst 2 000 tecken). Intern: visas inte för "
        "invånare om inte Kommentar publik är Ja.",
        "Två vandringar planerade i maj.",
    ),
    Column(
        "Kommentar publik",
        False,
        "Ja om kommentaren får visas för invånare när uppföljningen publiceras; Nej eller tomt: "
        "kommentaren är intern.",
        "Nej",
    ),
    Column(
        "Rad för invånare",
        False,
        "Valfri rad som visas på medborgarsidan när uppföljningen publiceras (högst 500 tecken).",
        "",
    ),
)
# Older templates name the period column "Tertial"; a file may use that name instead.
ALIASES = {"Tertial": "Period"}
COLUMN_NAMES = tuple(c.name for c in COLUMNS)


@dataclass(frozen=True)
class RowError:
    """One problem: the file row (None for the file as a whole), the column, the reason."""

    row: int | None
    column: str | None
    message: str


# What a refused file most likely is, by its first bytes, to say so in the message.
LOOKS_LIKE = (
    (b"\xd0\xcf\x11\xe0", "en gammal Excel-fil (.xls); spara den som .xlsx"),
    (b"PK\x03\x04", "en zip-fil men inte en Excel-arbetsbok"),
    (b"%PDF", "en PDF"),
    (b"\x89PNG", "en bild"),
    (b"\xff\xd8\xff", "en bild"),
    (b"GIF8", "en bild"),
)


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is Swedish and says what to do."""


def template_frame() -> pl.DataFrame:
    """The template: every column, one example row."""
    return pl.DataFrame({c.name: [c.example] for c in COLUMNS})


def columns_frame(columns: tuple[Column, ...] = COLUMNS) -> pl.DataFrame:
    """The template's columns explained: name, required or not, what to write."""
    return pl.DataFrame(
        {
            "Kolumn": [c.name for c in columns],
            "Krävs": ["ja" if c.required else "nej" for c in columns],
            "Förklaring": [c.help for c in columns],
        }
    )


def template_csv(frame: pl.DataFrame | None = None) -> bytes:
    """The template (or another import's, ``frame``) as CSV with ``;`` and a byte-order mark,
    as Swedish Excel opens it."""
    return spreadsheets.csv_bytes(template_frame() if frame is None else frame, separator=";")


def template_xlsx(
    frame: pl.DataFrame | None = None,
    columns: tuple[Column, ...] = COLUMNS,
    sheet: str = SHEET_NAME,
) -> bytes:
    """The template as .xlsx: the sheet to fill in, and a sheet that explains each column.

    Another import (dashboard/admin/indicator_import.py) passes its own rows, columns and sheet.
    """

    def fill(workbook) -> None:
        spreadsheets.write_frame(workbook, template_frame() if frame is None else frame, sheet,
                           autofit=True)  # fmt: skip
        spreadsheets.write_frame(workbook, columns_frame(columns), "Förklaring", autofit=True)

    return spreadsheets.xlsx_bytes(fill)


def read_upload(data: bytes, filename: str = "", sheet: str = SHEET_NAME) -> pl.DataFrame:
    """Read an uploaded file into a frame of text columns (stripped; empty cells are null).

    Column ``_rad`` holds each row's number in the file (the header is row 1); blank rows
    are dropped, so the numbers of the rows after them stay right. In a workbook the sheet
    named ``sheet`` is read, else the first one.

    Raises:
        ImportFileError: Empty, too large, not an .xlsx or UTF-8 CSV whatever its name says,
            unreadable, a repeated header or more than MAX_ROWS rows.
    """
    if not data.strip():
        raise ImportFileError("Filen är tom.")
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"Filen är större än {MAX_BYTES // (1024 * 1024)} MB.")
    frame = _read_xlsx(data, sheet) if _is_xlsx(data) else _read_csv(data, filename)
    frame = _tidy(frame).with_row_index(ROW, offset=2)
    frame = frame.filter(~pl.all_horizontal(pl.exclude(ROW).is_null()))  # blank lines
    if frame.height == 0:
        raise ImportFileError("Filen innehåller inga rader under rubrikraden.")
    if frame.height > MAX_ROWS:
        raise ImportFileError(
            f"Filen har {frame.height:,} rader; högst {MAX_ROWS:,} kan importeras åt gången. "
            "Dela upp filen, till exempel ett år per fil.".replace(",", "\u00a0")
        )
    return frame


def _is_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def _read_xlsx(data: bytes, sheet: str) -> pl.DataFrame:
    try:
        sheets = pl.read_excel(
            io.BytesIO(data),
            sheet_id=0,
            engine="calamine",
            infer_schema_length=0,
            raise_if_empty=False,
        )
    except Exception as exc:  # calamine raises its own types for broken workbooks
        raise ImportFileError(f"Excel-filen går inte att läsa ({_first_line(exc)}).") from exc
    # The sheet named like the template's, else the first one.
    return sheets.get(sheet, next(iter(sheets.values())))


def _read_csv(data: bytes, filename: str) -> pl.DataFrame:
    named = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_not_readable(named, data)) from exc
    if "\x00" in text:
        raise ImportFileError(_not_readable(named, data))
    header = text.lstrip().splitlines()[0]
    separator = ";" if header.count(";") >= header.count(",") else ","
    try:
        return pl.read_csv(text.encode(), separator=separator, infer_schema=False)
    except (plx.ComputeError, plx.NoDataError) as exc:
        raise ImportFileError(
            f"CSV-filen går inte att tolka ({_first_line(exc)}). Kontrollera att varje rad har "
            f"lika många fält som rubrikraden och att fälten skiljs åt med {separator!r}."
        ) from exc


def _not_readable(named: str, data: bytes) -> str:
    looks_like = next(
        (what for magic, what in LOOKS_LIKE if data.startswith(magic)),
        "text i en annan teckenkodning än UTF-8",
    )
    claimed = (
        f"Filen heter .{named} men innehållet är {looks_like}"
        if named
        else (f"Innehållet är {looks_like}")
    )
    return (
        f"{claimed}. Ladda upp en .xlsx-fil eller en CSV-fil i UTF-8 "
        "(i Excel: Spara som → CSV UTF-8)."
    )


def _tidy(frame: pl.DataFrame) -> pl.DataFrame:
    """Trimmed header and cells, empty cells as null; refuses a repeated column name."""
    names = [str(name).strip() for name in frame.columns]
    for name in names:
        if "_duplicated_" in name:
            base = name.split("_duplicated_")[0]
            raise ImportFileError(f"Kolumnen ”{base}” finns mer än en gång i rubrikraden.")
    frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    frame = frame.with_columns(
        pl.col(name).cast(pl.String).str.strip_chars().replace("", None) for name in names
    )
    # Columns without a header and without values are formatting left in a sheet, not data.
    return frame.select(
        name
        for name in names
        if (name and not name.startswith("__UNNAMED__")) or frame[name].null_count() < frame.height
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
