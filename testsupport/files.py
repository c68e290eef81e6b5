"""Files the app takes and gives: activity import files to upload, imported through the
services, and downloads read back (CSV rows; text that must read in any standard font)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy.orm import Session

from dashboard.access import Actor
from dashboard.admin import import_file, importer
from dashboard.admin.import_file import ImportFileError
from dashboard.admin.importer import ImportRefused
from testsupport.databases import counts

ADMIN = Actor.of("ada", ["admin"])
HEADER = list(import_file.COLUMN_NAMES)
# The fonts LibreOffice and Windows fall back to (issue 10, item 7).
FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
)
EMOJI = re.compile(
    "[\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\U0001f000-\U0001faff]"
)  # misc technical, symbols, dingbats, arrows-b, variation selector, joiner, emoji planes

# ---------------------------------------------------------------- activity import files


def row(**cells) -> dict:
    """A file row: the template's columns, empty unless given (keys without spaces/parens)."""
    names = {
        "ar": "År", "omrade": "Fokusområde", "aktivitet": "Aktivitet", "ansvarig": "Ansvarig",
        "beskrivning": "Beskrivning", "partner": "Samverkanspartner", "mal": "Målvärde",
        "enhet": "Enhet", "linje": "Linjenyckel", "tertial": "Period", "status": "Status",
        "klart": "Klart (%)", "uppnatt": "Uppnått värde", "kommentar": "Kommentar",
    }  # fmt: skip
    base = {"ar": "2026", "omrade": "Unga", "ansvarig": "Gemensam"}
    values = {names[k]: str(v) for k, v in {**base, **cells}.items()}
    return {name: values.get(name, "") for name in HEADER}


def csv_file(rows: list[dict], *, separator: str = ";", bom: bool = True) -> bytes:
    """``rows`` as a CSV upload, every cell text."""
    frame = pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String))
    return (b"\xef\xbb\xbf" if bom else b"") + frame.write_csv(separator=separator).encode()


def xlsx_file(rows: list[dict]) -> bytes:
    """``rows`` as an .xlsx upload, every cell text."""
    buffer = io.BytesIO()
    pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String)).write_excel(
        buffer, worksheet="Aktiviteter"
    )
    return buffer.getvalue()


def import_bytes(engine, partnership_id: int, data: bytes, name: str, actor: Actor = ADMIN):
    """Import the file ``data`` named ``name`` in one transaction, as the page does."""
    frame = import_file.read_upload(data, name)
    with Session(engine) as session, session.begin():
        return importer.run_import(session, actor, partnership_id, frame, source="exempel")


def refused(engine, pid: int, data: bytes, name: str) -> list[tuple]:
    """Import and expect a refusal: (row, column, message) of every error; nothing written."""
    before = counts(engine)
    with pytest.raises((ImportRefused, ImportFileError)) as caught:
        import_bytes(engine, pid, data, name)
    assert counts(engine) == before
    if isinstance(caught.value, ImportFileError):
        return [(None, None, str(caught.value))]
    return [(e.row, e.column, e.message) for e in caught.value.errors]


# ---------------------------------------------------------------- downloads read back


def csv_rows(data: bytes) -> list[list[str]]:
    """The rows of a CSV download as the csv module reads them (``;``, UTF-8 with BOM)."""
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _font_characters() -> set[int] | None:
    """Code points every one of FONTS has, or None without fontTools or the fonts."""
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        return None
    if not all(path.exists() for path in FONTS):
        return None
    maps = [set(TTFont(path).getBestCmap()) for path in FONTS]
    return set.intersection(*maps)


FONT_CHARACTERS = _font_characters()


def assert_plain(text: str, where: str) -> None:
    """``text`` (found ``where``) has no emoji, nothing above U+FFFF, and reads in FONTS."""
    assert not EMOJI.findall(text), (where, EMOJI.findall(text))
    assert max(map(ord, text), default=0) <= 0xFFFF, where
    if FONT_CHARACTERS is not None:
        missing = {c for c in text if ord(c) not in FONT_CHARACTERS and c not in "\n\r\t"}
        assert not missing, (where, missing)
