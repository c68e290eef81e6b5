"""Exports (issue 5) from small frames and charts: file names, the slide framing of a chart, PNG
and SVG, CSV and Excel read back; never by mocking vl-convert. On the demo data and both
databases: tests/data/test_export.py."""

from __future__ import annotations

import datetime as dt
import io

import altair as alt
import openpyxl
import polars as pl
import pytest

from dashboard.export import data_files, images

TODAY = dt.date(2026, 11, 26)
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


def test_a_narrow_chart_is_scaled_up_to_1920():
    png = images.spec_to_png(images.export_spec(_monthly_chart(width=250), META))
    assert images.png_size(png)[0] >= 1920


def test_svg_holds_title_and_swedish_formatting():
    svg = images.chart_bytes(images.export_spec(_monthly_chart(), META), "svg").decode()
    assert "Genomförandegrad per fokusområde" in svg
    assert "Uttag 26 november 2026" in svg
    assert "Exempeldata" in svg
    assert "50,8" in svg or "43,5" in svg  # axis numbers with a decimal comma (format .1f)
    assert "maj" in svg.lower() and "okt" in svg.lower()  # Swedish month names


def test_png_size_refuses_what_is_not_a_png():
    with pytest.raises(ValueError, match="PNG"):
        images.png_size(b"%PDF-1.7")


SWEDISH = pl.DataFrame(
    {
        "Aktivitet": ["Trygghetsvandring på Östra torget", "Möte; föräldrar", 'Åtgärd "A"'],
        "Andel, %": [12.5, 100.0, 0.25],
        "Antal": [1, 2000, 3],
    }
)


def test_csv_has_bom_semicolons_and_decimal_commas():
    data = data_files.frame_to_csv(SWEDISH)
    assert data.startswith(data_files.BOM)
    text = data[len(data_files.BOM) :].decode("utf-8")
    assert text.splitlines()[0] == "Aktivitet;Andel, %;Antal"
    assert "Trygghetsvandring på Östra torget;12,5;1" in text


def test_csv_round_trips_swedish_letters_and_decimal_commas():
    data = data_files.frame_to_csv(SWEDISH)
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
    row = data_files.tabular(frame).row(0)
    assert row == ("vårdnadshavare, föreningar", "Lars Ekström, kommundirektör",
                   dt.datetime(2021, 6, 1, 12, 0))  # fmt: skip


def test_xlsx_opens_and_holds_the_same_rows():
    data = data_files.frame_to_xlsx(SWEDISH, about=["Titel", "Källa: x · Uttag 26 november 2026"])
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(workbook["Data"].iter_rows(values_only=True))
    assert rows[0] == tuple(SWEDISH.columns)
    assert rows[1:] == [tuple(row) for row in SWEDISH.iter_rows()]
    assert workbook["Om uttaget"]["A2"].value.startswith("Källa:")


def test_a_text_column_that_is_not_a_year_is_left_as_it_is():
    frame = pl.DataFrame({"År": ["2021", "inte ett år"], "Klar": [True, None]})
    assert data_files.chart_rows(frame).rows() == [("2021", "Ja"), ("inte ett år", None)]
