"""Exports (issue 5): charts to PNG/SVG/PDF, frames to CSV/Excel, the year's evaluation table and
the Export page.

Charts are the real builders' output on the demo data; files are checked by reading them back
(PNG header, SVG text, PDF signature, CSV and Excel round trips), never by mocking vl-convert.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import altair as alt
import openpyxl
import polars as pl
import pytest
from sqlalchemy.orm import Session
from streamlit.testing.v1 import AppTest

from dashboard.export import content, images, tables
from dashboard.queries.evaluation_table import load_evaluation_table
from db import demo
from testsupport import builders

TODAY = dt.date(2026, 11, 26)
APP = Path(__file__).resolve().parents[2] / "app.py"
META = images.ExportMeta(
    title="Genomförandegrad per fokusområde",
    partnership="Strängnäs kommun och lokalpolisområde Eskilstuna/Strängnäs",
    kommun="Strängnäs",
    year=2021,
    tertial=3,
    source="Strängnäs kommun och Polisen, uppföljningen av medborgarlöftet",
    extracted_on=TODAY,
    demo=True,
)


def _monthly_chart(width="container") -> alt.Chart:
    frame = pl.DataFrame(
        {
            "Månad": [dt.date(2021, m, 1) for m in range(1, 13)],
            "Andel": [m * 7.25 for m in range(12)],
        }
    )
    return (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            x=alt.X("Månad:T", timeUnit="month"), y=alt.Y("Andel:Q", axis=alt.Axis(format=".1f"))
        )
        .properties(width=width, title="Gammal titel")
    )


# ---------------------------------------------------------------- names and framing


@pytest.mark.parametrize(
    ("kommun", "year", "tertial", "span", "what", "ext", "expected"),
    [
        ("Strängnäs", 2021, 3, None, "fokusomraden", "png", "strangnas-2021-T3-fokusomraden.png"),
        ("Strängnäs", 2021, None, None, "Resultat", "docx", "strangnas-2021-resultat.docx"),
        ("Strängnäs", None, None, "2007–2026", "resultat-per-ar", "svg",
         "strangnas-2007-2026-resultat-per-ar.svg"),
        ("Ösmo Älvdalen", 2022, 1, None, "Status per tertial", "pdf",
         "osmo-alvdalen-2022-T1-status-per-tertial.pdf"),
    ],
)  # fmt: skip
def test_file_names_say_what_they_hold(kommun, year, tertial, span, what, ext, expected):
    meta = images.ExportMeta("x", "y", kommun, year, tertial, "z", TODAY, span=span)
    assert images.file_name(meta, what, ext) == expected


def test_export_spec_frames_the_chart_for_a_slide():
    spec = images.export_spec(_monthly_chart(), META)
    inner = spec["vconcat"][0]
    assert inner["title"]["text"] == "Genomförandegrad per fokusområde"
    assert inner["title"]["subtitle"] == [
        "Strängnäs kommun och lokalpolisområde Eskilstuna/Strängnäs · 2021 · T3 sep–dec",
        "Exempeldata: innehåller påhittade rader",
    ]
    assert spec["title"]["text"] == (
        "Källa: Strängnäs kommun och Polisen, uppföljningen av medborgarlöftet · "
        "Uttag 26 november 2026"
    )
    assert spec["title"]["orient"] == "bottom"
    assert inner["width"] == images.EXPORT_WIDTH  # "container" has no meaning on the server
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert "maj" in spec["config"]["locale"]["time"]["months"]
    assert len(next(iter(spec["datasets"].values()))) == 12


def test_export_spec_without_meta_has_no_title_and_no_footnote():
    spec = images.export_spec(_monthly_chart(), None)
    assert "title" not in spec and "title" not in spec["vconcat"][0]


def test_real_demo_label_only_for_demo_rows():
    real = images.ExportMeta("T", "P", "K", 2021, 3, "S", TODAY, demo=False)
    assert images.subtitle_lines(real) == ["P · 2021 · T3 sep–dec"]


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


def test_a_narrow_chart_is_scaled_up_to_1920(demo_exports):
    png = images.spec_to_png(images.export_spec(_monthly_chart(width=250), META))
    assert images.png_size(png)[0] >= 1920


def test_svg_holds_title_and_swedish_formatting():
    svg = images.chart_bytes(images.export_spec(_monthly_chart(), META), "svg").decode()
    assert "Genomförandegrad per fokusområde" in svg
    assert "Uttag 26 november 2026" in svg
    assert "Exempeldata" in svg
    assert "50,8" in svg or "43,5" in svg  # axis numbers with a decimal comma (format .1f)
    assert "maj" in svg.lower() and "okt" in svg.lower()  # Swedish month names


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


def test_png_size_refuses_what_is_not_a_png():
    with pytest.raises(ValueError, match="PNG"):
        images.png_size(b"%PDF-1.7")


# ---------------------------------------------------------------- CSV and Excel

SWEDISH = pl.DataFrame(
    {
        "Aktivitet": ["Trygghetsvandring på Östra torget", "Möte; föräldrar", 'Åtgärd "A"'],
        "Andel, %": [12.5, 100.0, 0.25],
        "Antal": [1, 2000, 3],
    }
)


def test_csv_has_bom_semicolons_and_decimal_commas():
    data = tables.frame_to_csv(SWEDISH)
    assert data.startswith(tables.BOM)
    text = data[len(tables.BOM) :].decode("utf-8")
    assert text.splitlines()[0] == "Aktivitet;Andel, %;Antal"
    assert "Trygghetsvandring på Östra torget;12,5;1" in text


def test_csv_round_trips_swedish_letters_and_decimal_commas():
    data = tables.frame_to_csv(SWEDISH)
    back = pl.read_csv(io.BytesIO(data), separator=";", decimal_comma=True)
    assert back.equals(SWEDISH)


def test_spreadsheet_columns_flatten_lists_and_show_local_time():
    frame = pl.DataFrame(
        {
            "partners": [["vårdnadshavare", "föreningar"]],
            "signatories": [[{"name": "Lars Ekström", "role": "kommundirektör"}]],
            "at": [dt.datetime(2021, 6, 1, 10, 0, tzinfo=dt.UTC)],
        }
    )
    row = tables.tabular(frame).row(0)
    assert row == ("vårdnadshavare, föreningar", "Lars Ekström, kommundirektör",
                   dt.datetime(2021, 6, 1, 12, 0))  # fmt: skip


def test_xlsx_opens_and_holds_the_same_rows():
    data = tables.frame_to_xlsx(SWEDISH, about=["Titel", "Källa: x · Uttag 26 november 2026"])
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(workbook["Data"].iter_rows(values_only=True))
    assert rows[0] == tuple(SWEDISH.columns)
    assert rows[1:] == [tuple(row) for row in SWEDISH.iter_rows()]
    assert workbook["Om uttaget"]["A2"].value.startswith("Källa:")


def test_demo_chart_data_round_trips_through_csv_and_xlsx(demo_exports):
    for item in demo_exports.charts:
        data = item.data
        back = pl.read_csv(
            io.BytesIO(tables.frame_to_csv(data)),
            separator=";", decimal_comma=True, schema=data.schema,
        )  # fmt: skip
        assert back.equals(data), item.key
        sheet = openpyxl.load_workbook(io.BytesIO(tables.frame_to_xlsx(data)))["Data"]
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
    back = pl.read_csv(io.BytesIO(tables.frame_to_csv(readable)), separator=";", decimal_comma=True)
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


# ---------------------------------------------------------------- the Export page


@pytest.fixture
def export_page(app_env) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["ar"] = "2021"
    at.query_params["period"] = "3"
    at.switch_page("pages/export.py")
    return at.run()


def test_export_page_offers_every_file(export_page):
    at = export_page
    assert not at.exception
    labels = [button.proto.label for button in at.get("download_button")]
    # Markdown + Word, five buttons per chart (four charts), CSV + Excel of the evaluations.
    assert labels.count("PNG") == 4 and labels.count("Excel") == 5
    assert {"Markdown", "Word"} <= set(labels)
    # File names are set on the server; the browser test (tests/browser/test_download.py)
    # receives one, and test_file_names_say_what_they_hold covers the rule.
    assert [h.value for h in at.subheader][:2] == [
        "Presentationspaket (PowerPoint)", "Resultat av medborgarlöftet 2021",
    ]  # fmt: skip
    assert any("Exempeldata" in m.value for m in at.markdown)  # st.badge renders as markdown


def test_export_page_builds_the_pack_with_progress(export_page):
    at = export_page
    at.button(key=next(b.key for b in at.button if b.label.startswith("Skapa"))).click().run()
    assert not at.exception and not at.error
    assert at.status[0].label == "Klart: presentationspaketet"
    steps = [t.value for t in at.status[0].text]
    assert steps[0] == "Titelbild och fokusområden" and steps[-1] == "Sparar PowerPoint-filen"
    assert steps[1] == "Indikatorer: Ungdomar med normbrytande beteenden och kriminalitet"
    assert len(steps) == 7 and steps[3].startswith("Diagram 2 av 4: ")
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Ladda ner presentationspaketet" in labels


def test_a_failed_pack_says_what_failed_and_keeps_the_choices(export_page, monkeypatch):
    def broken(spec, **kwargs):
        raise RuntimeError("vl-convert saknar typsnitt")

    monkeypatch.setattr("dashboard.export.pack.spec_to_png", broken)
    at = export_page
    at.button(key=next(b.key for b in at.button if b.label.startswith("Skapa"))).click().run()
    assert not at.exception
    message = at.error[0].value.replace("\\", "")  # the message is markdown-escaped
    # The first picture is the indicator chart on the slide after the first focus area.
    assert "presentationspaketet" in message and "misslyckades: Indikatorer: Ungdomar" in message
    assert "vl-convert saknar typsnitt" in message
    assert next(box for box in at.selectbox if box.label == "År").value == 2021
    assert at.query_params["period"] == ["3"] or at.query_params["period"] == "3"


# ---------------------------------------------------------------- chart data as downloaded


def _chart(exports, key):
    return next(item for item in exports.charts if item.key == key)


def test_trend_data_keeps_the_year_a_number_and_preliminary_in_its_own_column(demo_exports):
    rows = tables.chart_rows(_chart(demo_exports, "resultat-per-ar").data)
    sheet = openpyxl.load_workbook(io.BytesIO(tables.frame_to_xlsx(rows)))["Data"]
    heading = [cell.value for cell in sheet[1]]
    year = [row[heading.index("År")] for row in sheet.iter_rows(min_row=2)]
    assert {(cell.data_type, type(cell.value)) for cell in year} == {("n", int)}
    preliminary = [row[heading.index("Preliminärt")].value for row in sheet.iter_rows(min_row=2)]
    assert preliminary[-1] == "Ja" and set(preliminary[:-1]) == {"Nej"}
    assert year[-1].value == 2026 and year[0].value == 2007


def test_chart_data_csv_is_rounded_as_the_chart_shows_and_in_swedish(demo_exports):
    for item in demo_exports.charts:
        data = tables.frame_to_csv(tables.chart_rows(item.data))
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
        cells = [cell for row in rows[1:] for cell in row]
        assert not {"true", "false"} & set(cells), item.key
        # The labels show one decimal ("78,3 %"): no value holds more.
        assert not [c for c in cells if re.fullmatch(r"-?\d+,\d{2,}", c)], item.key
    trend = tables.frame_to_csv(tables.chart_rows(_chart(demo_exports, "resultat-per-ar").data))
    lines = trend.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:2] == ["År", "Andel genomförda, %"]
    assert lines[-1].startswith("2026;") and lines[-1].split(";")[3] == "Ja"


def test_a_text_column_that_is_not_a_year_is_left_as_it_is():
    frame = pl.DataFrame({"År": ["2021", "inte ett år"], "Klar": [True, None]})
    assert tables.chart_rows(frame).rows() == [("2021", "Ja"), ("inte ett år", None)]
