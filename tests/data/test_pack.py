"""The presentation pack (issue 5): a 16:9 .pptx that python-pptx opens, with the slides and
titles the issue lists, a source line on every slide and type large enough for a projector."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import polars as pl
import pytest
from pptx import Presentation
from pptx.util import Inches, Pt

from dashboard import labels
from dashboard.export import images, pack

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(scope="module")
def deck(demo_exports) -> Presentation:
    return Presentation(io.BytesIO(pack.build_pack(demo_exports.pack)))


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_pack_is_16_to_9(deck):
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, rel=0.01)


def test_pack_has_title_focus_area_and_chart_slides(deck, demo_exports):
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles == pack.pack_slide_titles(demo_exports.pack)
    # The chart slides carry the titles the browse pages' chart builders give.
    chart_titles = [images.chart_title(item.chart) for item in demo_exports.charts]
    assert titles == [
        "Medborgarlöfte 2021 – Strängnäs kommun och lokalpolisområde Eskilstuna/Strängnäs",
        "Ungdomar med normbrytande beteenden och kriminalitet",
        "Ungdomar med normbrytande beteenden och kriminalitet: indikatorer",
        "Upptäcka droger bland unga",  # no indicator linked: no indicator slide
        *chart_titles,
    ]
    assert [item.key for item in demo_exports.charts] == [
        "fokusomraden", "tertialer", "status-per-tertial", "resultat-per-ar",
    ]  # fmt: skip
    assert chart_titles[-1].startswith("Årets resultat 2007–2026")


def test_title_slide_names_signatories_and_date(deck):
    text = "\n".join(_texts(deck.slides[0]))
    assert "Lars Ekström, kommundirektör" in text
    assert "Christer Sjöqvist, polischef" in text
    assert "Undertecknat 11 mars 2021" in text
    assert "T3 sep–dec" in text


def test_every_slide_has_the_source_line_and_demo_label(deck):
    source = images.source_line(images.ExportMeta("", "", "", 2021, 3, "x", TODAY))
    for slide in deck.slides:
        texts = _texts(slide)
        assert any(t.startswith("Källa: ") and t.endswith(source.split(" · ")[-1]) for t in texts)
        assert "Exempeldata" in texts


def test_focus_area_slide_has_status_completion_and_activity_table(deck, demo_exports):
    slide = deck.slides[1]
    texts = _texts(slide)
    area = demo_exports.pack.focus_areas.row(0, named=True)
    expected = (
        f"{labels.status_text_plain(area['status'])} · "
        f"{labels.format_percent(area['completion'], 0)}"
    )
    assert any(t.startswith(f"{expected} klart i snitt") for t in texts), texts
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    header = [cell.text for cell in table.rows[0].cells]
    assert header == ["Aktivitet", "Ansvarig", "Status", "Klart", "Kommentar"]
    area_id = demo_exports.pack.focus_areas["focus_area_id"][0]
    expected = demo_exports.pack.activities.filter(pl.col("focus_area_id") == area_id)["title"]
    assert [row.cells[0].text for row in list(table.rows)[1:]] == expected.to_list()


def test_chart_slide_keeps_the_charts_explanation(deck, demo_exports):
    texts = _texts(deck.slides[-1])
    assert images.chart_subtitle(demo_exports.charts[-1].chart)[0] in texts


def test_chart_slides_hold_a_sharp_picture(deck):
    for slide in list(deck.slides)[-4:]:
        picture = next(shape for shape in slide.shapes if shape.shape_type == 13)  # PICTURE
        width, _ = images.png_size(picture.image.blob)
        assert width >= 1920
        assert picture.left >= 0 and picture.left + picture.width <= deck.slide_width
        assert picture.top + picture.height <= deck.slide_height


def _run_sizes(frames) -> list:
    return [run.font.size for frame in frames for p in frame.paragraphs for run in p.runs]


def test_type_is_large_enough_for_a_projector(deck):
    shapes = [shape for slide in deck.slides for shape in slide.shapes]
    text_sizes = _run_sizes(shape.text_frame for shape in shapes if shape.has_text_frame)
    cells = [
        cell.text_frame
        for shape in shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    ]
    sizes = [size for size in text_sizes if size is not None]
    assert min(sizes) >= Pt(14) and min(_run_sizes(cells)) >= Pt(14)
    assert max(sizes) >= Pt(34)


def test_many_activities_continue_on_another_slide(demo_exports):
    area = demo_exports.pack.focus_areas.head(1)
    area_id = area["focus_area_id"][0]
    one = demo_exports.pack.activities.filter(pl.col("focus_area_id") == area_id).head(1)
    seven = pl.concat([one] * 7).with_columns(
        pl.Series("title", [f"Aktivitet {n}" for n in range(1, 8)])
    )
    pack_content = pack.PackContent(
        meta=demo_exports.pack.meta, signatories=[], signed_on=None, focus_areas=area,
        activities=seven, charts=[],
    )  # fmt: skip
    deck = Presentation(io.BytesIO(pack.build_pack(pack_content)))
    titles = [slide.shapes.title.text for slide in deck.slides]
    name = area["focus_area"][0]
    assert titles[1:] == [name, f"{name} (forts.)"]
    rows = [
        len(shape.table.rows) - 1
        for slide in list(deck.slides)[1:]
        for shape in slide.shapes
        if shape.has_table
    ]
    assert rows == [5, 2]
    assert all(shape.top + shape.height <= Inches(7.5) for shape in deck.slides[1].shapes)


def test_progress_is_reported_step_by_step(demo_exports):
    steps: list[str] = []
    pack.build_pack(demo_exports.pack, progress=steps.append)
    charts = [
        f"Diagram {n} av 4: {item.meta.title}" for n, item in enumerate(demo_exports.charts, 1)
    ]
    area = demo_exports.pack.focus_areas["focus_area"][0]
    assert steps == [
        "Titelbild och fokusområden",
        f"Indikatorer: {area}",
        *charts,
        "Sparar PowerPoint-filen",
    ]


# ---------------------------------------------------------------- column widths (issue 10)

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _measure(word: str, size_pt: float, bold: bool) -> float:
    """The word's width in inches, measured with the installed DejaVu Sans (the widest of the
    fonts an office program falls back to), or a conservative 0.75 em per character."""
    from PIL import ImageFont

    path = DEJAVU / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    if not path.exists():
        return len(word) * 0.75 * size_pt / 72
    return ImageFont.truetype(str(path), 1000).getlength(word) / 1000 * size_pt / 72


def _tables(deck):
    return [shape for slide in deck.slides for shape in slide.shapes if shape.has_table]


def _assert_no_word_breaks(deck) -> None:
    for shape in _tables(deck):
        table = shape.table
        widths = [column.width for column in table.columns]
        assert shape.left + sum(widths) <= deck.slide_width - Inches(0.5)  # fits the slide
        for row_index, row in enumerate(table.rows):
            for column, cell in enumerate(row.cells):
                room = widths[column] - cell.margin_left - cell.margin_right
                for paragraph in cell.text_frame.paragraphs:
                    for run in paragraph.runs:
                        for word in re.split(r"[ \t\n]+", run.text):
                            need = _measure(word, run.font.size.pt, bold=row_index == 0)
                            assert Inches(need) <= room, (word, need, room / 914400)


def test_no_word_breaks_in_the_focus_area_tables(deck):
    _assert_no_word_breaks(deck)


def test_columns_follow_their_content(demo_exports):
    area = demo_exports.pack.focus_areas.head(1)
    activity = demo_exports.pack.activities.filter(
        pl.col("focus_area_id") == area["focus_area_id"][0]
    ).head(1)
    long_words = activity.with_columns(
        pl.lit("Trygghetsvandringsplaneringsmöten i Mariefred").alias("title"),
        pl.lit("gemensam").alias("owner"),
        pl.lit("ej_genomford").alias("status_3"),
        pl.lit("Väntar på Fastighetsägarföreningens medverkan").alias("comment_3"),
    )
    content = pack.PackContent(
        meta=demo_exports.pack.meta, signatories=[], signed_on=None, focus_areas=area,
        activities=long_words, charts=[],
    )  # fmt: skip
    deck = Presentation(io.BytesIO(pack.build_pack(content)))
    _assert_no_word_breaks(deck)  # at 14 pt rather than 16: both long words fit side by side
    [table] = [shape.table for shape in _tables(deck)]
    assert {run.font.size for run in table.cell(1, 0).text_frame.paragraphs[0].runs} == {Pt(14)}
