"""Status in files without an emoji font (issue 10, item 7).

LibreOffice's PDF of the pack showed 🔄 and ✅ blank. In every Office file, data file and chart
image the status reads with any standard font: its word always, with a mark from
``labels.OFFICE_MARKS`` where a mark is shown. Every character of every produced file is
checked: no emoji, nothing above U+FFFF, and each one in the fonts LibreOffice and Windows fall
back to (DejaVu Sans and Liberation Sans, read with fontTools when they are installed).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from docx import Document
from pptx import Presentation

from dashboard import charts, labels, queries
from dashboard.export import data_files, images, pack, result_text
from db import make_engine
from testsupport.files import assert_plain

TODAY = dt.date(2026, 11, 26)


def test_every_mark_is_distinct_and_in_every_standard_font():
    marks = [labels.status(code).mark for code in (*labels.STATUSES, None)]
    assert len(set(marks)) == len(marks)
    for mark in marks:
        assert mark in labels.OFFICE_MARKS
        assert_plain(mark, mark)


@pytest.mark.parametrize(
    ("code", "text"),
    [("genomford", "● Genomförd"), ("pagar", "► Pågår"), ("forsenad", "▲ Försenad"),
     ("ej_paborjad", "○ Ej påbörjad"), ("ej_genomford", "× Ej genomförd"),
     (None, "– Ej utvärderad")],
)  # fmt: skip
def test_status_text_plain_has_mark_and_label(code, text):
    assert labels.status_text_plain(code) == text
    assert labels.status_text(code) != text  # the web pages keep their icons


def _pptx_texts(deck) -> list[str]:
    texts = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if shape.has_table:
                texts += [cell.text for row in shape.table.rows for cell in row.cells]
    return texts


def test_the_pack_shows_each_status_with_its_mark_and_word(demo_exports):
    deck = Presentation(io.BytesIO(pack.build_pack(demo_exports.pack)))
    for text in _pptx_texts(deck):
        assert_plain(text, text)
    plain = {labels.status_text_plain(code) for code in (*labels.STATUSES, None)}
    tables_ = [shape.table for slide in deck.slides for shape in slide.shapes if shape.has_table]
    cells = [row.cells[2].text for table in tables_ for row in list(table.rows)[1:]]
    assert cells and set(cells) <= plain
    summaries = [t for t in _pptx_texts(deck) if "klart i snitt" in t]
    assert summaries and all(t.split(" · ")[0] in plain for t in summaries)


def test_documents_and_data_files_hold_no_emoji(demo_exports):
    docx = Document(io.BytesIO(result_text.result_docx(demo_exports.result)))
    texts = [p.text for p in docx.paragraphs]
    texts.append(result_text.result_markdown(demo_exports.result))
    frames = [demo_exports.evaluations] + [
        data_files.chart_rows(c.data) for c in demo_exports.charts
    ]
    for frame in frames:
        data = data_files.frame_to_csv(frame)
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
        texts += [cell for row in rows for cell in row]
        sheet = openpyxl.load_workbook(io.BytesIO(data_files.frame_to_xlsx(frame)))["Data"]
        texts += [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    for text in texts:
        assert_plain(text, text)
    assert "Pågår" in texts and "Genomförd" in texts  # the evaluations' status column


def _svg_texts(chart) -> list[str]:
    svg = images.spec_to_svg(images.export_spec(chart, None))
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg) + re.findall(r'aria-label="([^"]*)"', svg)


def test_chart_images_name_statuses_without_emoji(demo_exports, demo_template):
    engine = make_engine(f"sqlite:///{demo_template}")
    with engine.connect() as conn:
        lineage = queries.load_lineage(conn, partnership="0486", last_year=TODAY.year)
        owners = queries.load_activity_counts(conn, partnership="0486", by="owner",
                                              last_year=TODAY.year)  # fmt: skip
    engine.dispose()
    shown = [c.chart for c in demo_exports.charts]
    shown += [charts.trend_lineage_chart(lineage), charts.trend_activity_chart(owners, by="owner")]
    texts = [text for chart in shown for text in _svg_texts(chart)]
    for text in texts:
        assert_plain(text, text)
    words = " ".join(texts)
    assert "Försenad" in words and "Genomförd" in words
