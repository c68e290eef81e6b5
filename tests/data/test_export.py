"""Exports (issue 5) of the demo data and on both databases: its charts to PNG/SVG/PDF, their
data to CSV/Excel, the year's evaluation table and everything the Export page offers.

Charts are the real builders' output on the demo data; files are checked by reading them back
(PNG header, SVG text, PDF signature, CSV and Excel round trips), never by mocking vl-convert.
From small frames: tests/unit/test_export.py; the page: tests/app/test_export.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import openpyxl
import polars as pl
from sqlalchemy.orm import Session

from dashboard.export import content, data_files, images
from dashboard.queries.evaluation_table import load_evaluation_table
from db import demo
from testsupport import builders

TODAY = dt.date(2026, 11, 26)


# ---------------------------------------------------------------- framing


def test_chart_keeps_its_own_config_over_the_presentation_defaults(demo_exports):
    chart = demo_exports.charts[0].chart
    spec = images.export_spec(chart, demo_exports.charts[0].meta)
    assert spec["config"]["axis"]["labelLimit"] == chart.to_dict()["config"]["axis"]["labelLimit"]


# ---------------------------------------------------------------- images


def test_every_demo_chart_is_a_png_at_least_1920_wide(demo_exports):
    for item in demo_exports.charts:
        png = images.chart_bytes(images.export_spec(item.chart, item.meta), "png")
        width, height = images.png_size(png)
        assert width >= images.MIN_PNG_WIDTH, item.key
        assert height > 200


def test_demo_chart_svg_has_its_title(demo_exports):
    item = demo_exports.charts[-1]
    svg = images.spec_to_svg(images.export_spec(item.chart, item.meta))
    assert images.chart_title(item.chart) in svg
    for line in images.chart_subtitle(item.chart):
        assert line in svg  # the chart's own subtitle stays
    assert "62,5\u00a0%" in svg  # the no-break space of labels.format_percent


def test_pdf_is_a_pdf(demo_exports):
    item = demo_exports.charts[0]
    pdf = images.chart_bytes(images.export_spec(item.chart, item.meta), "pdf")
    assert pdf.startswith(b"%PDF")


# ---------------------------------------------------------------- CSV and Excel


def test_demo_chart_data_round_trips_through_csv_and_xlsx(demo_exports):
    for item in demo_exports.charts:
        data = item.data
        back = pl.read_csv(
            io.BytesIO(data_files.frame_to_csv(data)),
            separator=";", decimal_comma=True, schema=data.schema,
        )  # fmt: skip
        assert back.equals(data), item.key
        sheet = openpyxl.load_workbook(io.BytesIO(data_files.frame_to_xlsx(data)))["Data"]
        assert sheet.max_row == data.height + 1


# ---------------------------------------------------------------- the year's evaluation table


def test_evaluation_table_of_a_year(engine):
    with Session(engine) as session:
        partnership = builders.make_partnership(session)
        promise = builders.make_promise(session, partnership, year=2021)
        area = builders.make_focus_area(session, promise, name="Unga")
        walk = builders.make_activity(session, area, title="Trygghetsvandringar", target_value=4,
                                      target_unit="vandringar")  # fmt: skip
        builders.make_evaluation(session, walk, tertial=1, status="pagar", completion=25,
                                 comment="Första vandringen i Mariefred")  # fmt: skip
        builders.make_evaluation(session, walk, tertial=3, status="genomford", achieved_value=4.5)
        other = builders.make_promise(session, partnership, year=2022)
        other_area = builders.make_focus_area(session, other)
        builders.make_evaluation(
            session, builders.make_activity(session, other_area), tertial=1, status="pagar"
        )
        session.commit()
    with engine.connect() as conn:
        table = load_evaluation_table(conn, 2021, partnership="0486")
    assert table.select("period", "title", "status", "achieved_value").rows() == [
        ("T1", "Trygghetsvandringar", "pagar", None),
        ("T3", "Trygghetsvandringar", "genomford", 4.5),
    ]
    readable = content.tabular_evaluations(table)
    assert readable["Status"].to_list() == ["Pågår", "Genomförd"]
    assert readable["Period"].to_list() == ["T1", "T3"]
    back = pl.read_csv(
        io.BytesIO(data_files.frame_to_csv(readable)), separator=";", decimal_comma=True
    )
    assert back["Uppnått"].to_list() == [None, 4.5]
    assert back["Kommentar"][0] == "Första vandringen i Mariefred"


def test_year_exports_on_both_databases(engine):
    demo.load(engine, today=TODAY)
    with engine.connect() as conn:
        exports = content.load_year_exports(conn, 2021, 3, partnership="0486", today=TODAY)
        missing = content.load_year_exports(conn, 2099, 3, partnership="0486", today=TODAY)
    assert missing is None
    assert [c.key for c in exports.charts] == [
        "fokusomraden", "tertialer", "status-per-tertial", "resultat-per-ar",
    ]  # fmt: skip
    assert exports.evaluations.height > 0
    assert exports.pack_meta.title.startswith("Medborgarlöfte 2021")
    assert exports.result.heading == "Resultat av medborgarlöftet 2021"


# ---------------------------------------------------------------- chart data as downloaded


def _chart(exports, key):
    return next(item for item in exports.charts if item.key == key)


def test_trend_data_keeps_the_year_a_number_and_preliminary_in_its_own_column(demo_exports):
    rows = data_files.chart_rows(_chart(demo_exports, "resultat-per-ar").data)
    sheet = openpyxl.load_workbook(io.BytesIO(data_files.frame_to_xlsx(rows)))["Data"]
    heading = [cell.value for cell in sheet[1]]
    year = [row[heading.index("År")] for row in sheet.iter_rows(min_row=2)]
    assert {(cell.data_type, type(cell.value)) for cell in year} == {("n", int)}
    preliminary = [row[heading.index("Preliminärt")].value for row in sheet.iter_rows(min_row=2)]
    assert preliminary[-1] == "Ja" and set(preliminary[:-1]) == {"Nej"}
    assert year[-1].value == 2026 and year[0].value == 2007


def test_chart_data_csv_is_rounded_as_the_chart_shows_and_in_swedish(demo_exports):
    for item in demo_exports.charts:
        data = data_files.frame_to_csv(data_files.chart_rows(item.data))
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
        cells = [cell for row in rows[1:] for cell in row]
        assert not {"true", "false"} & set(cells), item.key
        # The labels show one decimal ("78,3 %"): no value holds more.
        assert not [c for c in cells if re.fullmatch(r"-?\d+,\d{2,}", c)], item.key
    trend_rows = data_files.chart_rows(_chart(demo_exports, "resultat-per-ar").data)
    trend = data_files.frame_to_csv(trend_rows)
    lines = trend.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:2] == ["År", "Andel genomförda, %"]
    assert lines[-1].startswith("2026;") and lines[-1].split(";")[3] == "Ja"
