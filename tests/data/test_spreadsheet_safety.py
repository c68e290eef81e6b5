"""Formula injection (issue 10, item 1): text that a spreadsheet would run comes out inert.

A title or comment starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to Excel and LibreOffice. The database keeps it exactly as typed; every CSV gets a
leading apostrophe on such a cell (OWASP, "CSV injection") and every ``.xlsx`` holds it as a
string cell, never a formula. Files are read back with the csv module and openpyxl.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.access import Actor
from dashboard.admin import import_file, importer
from dashboard.entry.evaluations import save_evaluation
from dashboard.entry.rules import EvaluationInput
from dashboard.export import content, data_files, pack, result_text
from db.models import Activity, Evaluation, FocusArea
from testsupport import builders
from testsupport.files import csv_rows

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 11, 26)
HYPERLINK = '=HYPERLINK("http://x","y")'
CALC = "@SUM(1+1)*cmd|' /C calc'!A0"
LIVE = [HYPERLINK, CALC, "+1", "-2", "\tx", "\rx"]
HARMLESS = ["Trygghetsvandring", "a=b", "1-2", "'redan citerad"]
FRAME = pl.DataFrame(
    {
        "Aktivitet": LIVE + HARMLESS,
        "Värde": [-2.5, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0],
        "Antal": [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6],
    }
)


def xlsx_cells(data: bytes, sheet: str = "Data") -> list[list[openpyxl.cell.Cell]]:
    return [list(row) for row in openpyxl.load_workbook(io.BytesIO(data))[sheet].iter_rows()]


def cell_text(cell) -> str:
    # OOXML stores a carriage return as "_x000D_" (ST_Xstring); openpyxl leaves it escaped.
    return cell.value.replace("_x000D_", "\r")


def test_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe():
    rows = csv_rows(data_files.frame_to_csv(FRAME))
    assert rows[0] == ["Aktivitet", "Värde", "Antal"]
    assert [r[0] for r in rows[1:]] == ["'" + text for text in LIVE] + HARMLESS
    # Negative numbers are numbers, not text: they are written as they are.
    assert [r[1] for r in rows[1:3]] == ["-2,5", "-1,0"]
    assert [r[2] for r in rows[1:4]] == ["-3", "-2", "-1"]


def test_xlsx_holds_formula_like_text_as_text_cells_and_numbers_as_numbers():
    rows = xlsx_cells(data_files.frame_to_xlsx(FRAME, about=[HYPERLINK, CALC]))
    texts = [row[0] for row in rows[1:]]
    assert [cell.data_type for cell in texts] == ["s"] * len(texts)
    assert [cell_text(cell) for cell in texts] == LIVE + HARMLESS
    assert all(cell.quotePrefix for cell in texts)  # editing the cell in Excel keeps it text
    assert [(row[1].data_type, row[1].value) for row in rows[1:3]] == [("n", -2.5), ("n", -1)]
    assert [row[2].value for row in rows[1:4]] == [-3, -2, -1]
    about = [row[0] for row in xlsx_cells(data_files.frame_to_xlsx(FRAME, about=[HYPERLINK, CALC]),
                                          "Om uttaget")]  # fmt: skip
    assert [(c.data_type, c.value) for c in about] == [("s", HYPERLINK), ("s", CALC)]


def test_no_formula_and_no_link_in_any_xlsx_part():
    for data in (data_files.frame_to_xlsx(FRAME, about=[HYPERLINK]), import_file.template_xlsx()):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith("xml"))
        assert "<f>" not in xml and "<f " not in xml
        assert "<hyperlink" not in xml and "relationships/hyperlink" not in xml


@pytest.fixture
def typed(engine):
    """A 2026 promise whose texts arrive through the real import and the real save service."""
    with Session(engine) as session:
        partnership = builders.make_partnership(session)
        promise = builders.make_promise(session, partnership, year=2026)
        builders.make_focus_area(session, promise, name="+1 Unga", theme="ungdomar")
        builders.make_user(session, "anna", ("samordnare", partnership.kommun_id))
        builders.make_user(session, "ada", ("admin", partnership.kommun_id))
        session.commit()
        partnership_id = partnership.id
    header = list(import_file.COLUMN_NAMES)
    values = {
        "År": "2026", "Fokusområde": "+1 Unga", "Ansvarig": "Gemensam", "Aktivitet": HYPERLINK,
        "Period": "T1", "Status": "Försenad", "Klart (%)": "10", "Kommentar": CALC,
    }  # fmt: skip
    upload = pl.DataFrame([{name: values.get(name, "") for name in header}])
    frame = import_file.read_upload(_raw_csv(upload), "aktiviteter.csv")
    with Session(engine) as session, session.begin():
        importer.run_import(session, Actor.of("ada", ["admin"]), partnership_id, frame,
                            source="verklig")  # fmt: skip
    with Session(engine) as session:
        activity_id = session.scalars(select(Activity.id)).one()
    # Marked public, so the year's result text (which shows only what citizens may read) has it.
    entry = EvaluationInput(activity_id, 2026, 3, "ej_genomford", 0, comment="-2 möten",
                            comment_public=True)  # fmt: skip
    save_evaluation(engine, Actor.of("anna", ["samordnare"]), entry)
    return engine


def _raw_csv(frame: pl.DataFrame) -> bytes:
    # What a user's own spreadsheet would save: the text as typed, no apostrophes.
    return b"\xef\xbb\xbf" + frame.write_csv(separator=";").encode()


def test_typed_text_is_stored_as_typed_and_every_download_is_inert(typed):
    with Session(typed) as session:
        assert session.scalars(select(Activity.title)).one() == HYPERLINK
        assert session.scalars(select(FocusArea.name)).one() == "+1 Unga"
        comments = sorted(session.scalars(select(Evaluation.comment)))
        assert comments == ["-2 möten", CALC]
    with typed.connect() as conn:
        exports = content.load_year_exports(conn, 2026, 3, partnership="0486", today=TODAY)
    rows = csv_rows(data_files.frame_to_csv(exports.evaluations))
    heading = rows[0]
    column = {name: [r[heading.index(name)] for r in rows[1:]] for name in heading}
    assert column["Aktivitet"] == ["'" + HYPERLINK] * 2
    assert column["Kommentar"] == ["'" + CALC, "'-2 möten"]
    assert column["Fokusområde"] == ["'+1 Unga"] * 2
    cells = xlsx_cells(data_files.frame_to_xlsx(exports.evaluations))
    title = cells[0].index(next(c for c in cells[0] if c.value == "Aktivitet"))
    assert [(r[title].data_type, r[title].value) for r in cells[1:]] == [("s", HYPERLINK)] * 2
    for chart in exports.charts:
        data = data_files.chart_rows(chart.data)
        for line in csv_rows(data_files.frame_to_csv(data))[1:]:
            assert not any(cell[:1] in "=+-@\t\r" and cell for cell in line if cell), chart.key
        for row in xlsx_cells(data_files.frame_to_xlsx(data))[1:]:
            assert all(cell.data_type in ("s", "n") for cell in row if cell.value is not None)


def test_office_documents_and_markdown_show_such_text_literally(typed):
    with typed.connect() as conn:
        exports = content.load_year_exports(conn, 2026, 3, partnership="0486", today=TODAY)
    for data, parts in (
        (pack.build_pack(exports.pack), "ppt/slides/"),
        (result_text.result_docx(exports.result), "word/document.xml"),
    ):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = "".join(archive.read(n).decode() for n in archive.namelist() if parts in n)
        assert "HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in xml or 'HYPERLINK("http' in xml
        assert not re.search(r"<w:fldSimple|<w:instrText|<w:hyperlink|<a:fld |hlinkClick", xml)
    markdown = result_text.result_markdown(exports.result)
    assert '- **=HYPERLINK("http://x","y")** – Ej genomförd: -2 möten' in markdown


WRITERS = re.compile(r"\.write_csv\(|\.write_excel\(|xlsxwriter|openpyxl|csv\.writer|\.to_csv\(")


def test_every_spreadsheet_is_written_through_dashboard_spreadsheets():
    """Anything added later that writes CSV or Excel must go through the one owner."""
    owner = ROOT / "dashboard" / "spreadsheets.py"
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("dashboard", "db")
        for path in (ROOT / folder).rglob("*.py")
        if path != owner and WRITERS.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
