"""The presentation pack (issue 5): one 16:9 PowerPoint file for a year and period.

Slides: a title slide (the promise's title, signatories, date), one slide per focus area
(status with its mark and label, completion, a table of its activities; the marks of
labels.OFFICE_MARKS, not emoji, so any font shows them), after it, for a focus area linked to
indicators, "<focus area>: indikatorer" (each indicator's summary sentence with its mark in
words and sign, a small chart of its series, the attribution line, and the caveat that
activities done is not effect achieved), then one slide per chart (the tertial chart, the
trend since 2007). Every slide has a title and the source line; type
is at least 14 pt in tables and 20 pt elsewhere, legible from the back of a meeting room.
Building the pack reads nothing from the database: ``content`` gathers what it needs.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import altair as alt
import polars as pl
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from dashboard import indicator_progress, labels
from dashboard.export import text_width
from dashboard.export.images import (
    ExportMeta,
    chart_subtitle,
    export_spec,
    png_size,
    source_line,
    spec_to_png,
)

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
BODY_TOP = Inches(1.45)
BODY_HEIGHT = Inches(5.35)
COMMENT_CHARS = 90  # a longer comment is cut with "…": the full text is in the result text
ROWS_PER_SLIDE = 5  # more activities continue on a "(forts.)" slide rather than overflow
DEMO_COLOUR = RGBColor(0xE6, 0x9F, 0x00)  # Okabe–Ito orange, as the app's badge
GREY = RGBColor(0x44, 0x44, 0x44)
TABLE_HEADINGS = ("Aktivitet", "Ansvarig", "Status", "Klart", "Kommentar")
# Short columns get the width of their widest cell on one line (up to FIT_LIMIT inches); the
# title and comment columns share the rest. No column is narrower than its longest word.
FLEXIBLE = (0, 4)
FIT_LIMIT = 2.6
TABLE_WIDTH = 13.333 - 1.0
CELL_MARGINS = 0.2  # python-pptx's default cell margins, 0.1 inch left and right
MIN_TABLE_SIZE = 14  # points: the least a projector's back row reads
# The indicator verdicts' marks in files: in WGL4 and every standard font, unlike the pages'
# ✓ and ✗ (labels.OFFICE_MARKS says why). The verdict is also in words in the sentence.
INDICATOR_MARKS = {"onskad": "√", "fel": "×", "oforandrad": "=", "saknas": "–"}
INDICATOR_CHART_WIDTH = 1200  # px: half a slide wide at 144 ppi, sharp on a projector


@dataclass(frozen=True)
class IndicatorItem:
    """One indicator of a focus area as its slide shows it.

    Attributes:
        focus_area_id: The focus area the indicator is linked to.
        summary: ``indicator_progress.summary`` with the file mark (``office_summary``).
        attribution: Where the values came from (``indicator_progress.attribution``).
        chart: The series' chart (``indicator_charts.indicator_chart``, or its spec), or None.
    """

    focus_area_id: int
    summary: str
    attribution: str
    chart: alt.TopLevelMixin | dict[str, Any] | None = None


def office_summary(row: dict[str, Any]) -> str:
    """A ``indicator_progress.progress`` row's summary sentence with the file mark."""
    return indicator_progress.summary({**row, "mark": INDICATOR_MARKS[row["verdict"]]})


@dataclass(frozen=True)
class PackContent:
    """Everything one pack shows.

    Attributes:
        meta: Year, tertial, partnership, source and demo flag; ``title`` is the promise's.
        signatories: "Namn, roll" lines.
        signed_on: The day the promise was signed, if known.
        focus_areas: ``rollups.focus_area_status`` of the tertial (focus_area_id, focus_area,
            status, completion, n_activities, n_evaluated).
        activities: ``queries.load_activity_matrix`` of the year (focus_area_id, title,
            owner and status_t, completion_t, comment_t of the pack's tertial).
        charts: (slide title, chart) pairs, in slide order: Altair charts or their specs,
            turned into pictures only when the pack is built (issue 15).
        indicators: The focus areas' indicators, in link order (an indicator slide follows
            the slides of each focus area that has any).
    """

    meta: ExportMeta
    signatories: list[str]
    signed_on: dt.date | None
    focus_areas: pl.DataFrame
    activities: pl.DataFrame
    charts: list[tuple[str, alt.TopLevelMixin | dict[str, Any]]] = field(default_factory=list)
    indicators: list[IndicatorItem] = field(default_factory=list)

    def indicators_of(self, focus_area_id: int) -> list[IndicatorItem]:
        """The indicator items of one focus area."""
        return [item for item in self.indicators if item.focus_area_id == focus_area_id]


def pack_slide_titles(content: PackContent) -> list[str]:
    """The title of every slide, in order (the title slide has the promise's title)."""
    titles = [content.meta.title]
    for area in content.focus_areas.iter_rows(named=True):
        n_slides = len(_area_table_pages(content, area["focus_area_id"]))
        titles += [area["focus_area"]] + [f"{area['focus_area']} (forts.)"] * (n_slides - 1)
        if content.indicators_of(area["focus_area_id"]):
            titles.append(indicator_slide_title(area["focus_area"]))
    return titles + [title for title, _ in content.charts]


def build_pack(content: PackContent, *, progress: Callable[[str], None] | None = None) -> bytes:
    """The pack as ``.pptx`` bytes; ``progress`` is told each step (for a progress display)."""
    report = progress or (lambda _step: None)
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    report("Titelbild och fokusområden")
    _title_slide(presentation, content)
    for area in content.focus_areas.iter_rows(named=True):
        _focus_area_slide(presentation, content, area)
        items = content.indicators_of(area["focus_area_id"])
        if items:
            report(f"Indikatorer: {area['focus_area']}")
            _indicator_slide(presentation, content.meta, area["focus_area"], items)
    for number, (title, spec) in enumerate(content.charts, start=1):
        report(f"Diagram {number} av {len(content.charts)}: {title}")
        _chart_slide(presentation, content.meta, title, spec)
    report("Sparar PowerPoint-filen")
    presentation.core_properties.title = content.meta.title
    presentation.core_properties.language = "sv-SE"
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def _title_slide(presentation, content: PackContent) -> None:
    meta = content.meta
    slide = presentation.slides.add_slide(presentation.slide_layouts[0])
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    _place(title, MARGIN, Inches(1.3), SLIDE_WIDTH - 2 * MARGIN, Inches(2.0))
    _place(subtitle, MARGIN, Inches(3.5), SLIDE_WIDTH - 2 * MARGIN, Inches(3.0))
    title.text = meta.title
    title.text_frame.paragraphs[0].runs[0].font.size = Pt(40)
    period = meta.period_name or labels.period_name(meta.tertial)
    lines = [f"Uppföljning {meta.year} · {period}", *content.signatories]
    if content.signed_on is not None:
        lines.append(f"Undertecknat {labels.format_date(content.signed_on)}")
    _write_lines(subtitle.text_frame, lines, size=22)
    _footer(slide, meta)


def _focus_area_slide(presentation, content: PackContent, area: dict[str, Any]) -> None:
    pages = _area_table_pages(content, area["focus_area_id"])
    for number, cells in enumerate(pages):
        title = area["focus_area"] + (" (forts.)" if number else "")
        slide = _titled_slide(presentation, title)
        box = slide.shapes.add_textbox(MARGIN, BODY_TOP, SLIDE_WIDTH - 2 * MARGIN, Inches(0.6))
        period = content.meta.period_code or labels.period_code(content.meta.tertial)
        _write_lines(box.text_frame, [_area_summary(area, period)], size=22)
        _table(slide, cells, top=BODY_TOP + Inches(0.75), size=16 if len(cells) <= 3 else 14)
        _footer(slide, content.meta)


def _area_table_pages(content: PackContent, focus_area_id: int) -> list[list[list[str]]]:
    """The activity table's rows of one focus area, ROWS_PER_SLIDE at a time (at least one)."""
    t = content.meta.tertial
    rows = content.activities.filter(pl.col("focus_area_id") == focus_area_id)
    cells = [
        [
            row["title"],
            labels.OWNERS.get(row["owner"], row["owner"]),
            labels.status_text_plain(row[f"status_{t}"]),
            labels.format_percent(row[f"completion_{t}"], 0),
            _shorten(row[f"comment_{t}"] or ""),
        ]
        for row in rows.iter_rows(named=True)
    ]
    return [cells[i : i + ROWS_PER_SLIDE] for i in range(0, len(cells), ROWS_PER_SLIDE)] or [[]]


def _area_summary(area: dict[str, Any], period: str) -> str:
    evaluated = (
        f"{area['n_evaluated']} av {labels.count(area['n_activities'], 'aktivitet', 'aktiviteter')}"
        f" {'utvärderad' if area['n_activities'] == 1 else 'utvärderade'}"
    )
    completion = labels.format_percent(area["completion"], 0)
    return (
        f"{labels.status_text_plain(area['status'])} · {completion} klart i snitt · {evaluated} "
        f"i {period}"
    )


def indicator_slide_title(focus_area: str) -> str:
    """``Trygghet i offentlig miljö: indikatorer``."""
    return f"{focus_area}: indikatorer"


def _indicator_slide(
    presentation, meta: ExportMeta, focus_area: str, items: list[IndicatorItem]
) -> None:
    """The focus area's indicators side by side: sentence, chart, attribution; the caveat
    above the footer and in the notes."""
    slide = _titled_slide(presentation, indicator_slide_title(focus_area))
    gap = Inches(0.3)
    width = int((SLIDE_WIDTH - 2 * MARGIN - gap * (len(items) - 1)) / len(items))
    text_height = Inches(1.6)
    chart_top = BODY_TOP + text_height
    chart_room = BODY_HEIGHT - text_height - Inches(1.0)
    for index, item in enumerate(items):
        left = MARGIN + index * (width + gap)
        box = slide.shapes.add_textbox(left, BODY_TOP, width, text_height)
        _write_lines(box.text_frame, [item.summary], size=20 if len(items) < 3 else 16)
        bottom = chart_top
        if item.chart is not None:
            spec = export_spec(item.chart, None)
            png = spec_to_png(spec, min_width=INDICATOR_CHART_WIDTH)
            px_width, px_height = png_size(png)
            scale = min(width / px_width, chart_room / px_height)
            picture_width, picture_height = Emu(int(px_width * scale)), Emu(int(px_height * scale))
            slide.shapes.add_picture(
                io.BytesIO(png), left, chart_top, picture_width, picture_height
            )
            bottom = chart_top + picture_height
        line = slide.shapes.add_textbox(left, bottom + Inches(0.05), width, Inches(0.4))
        _write_lines(line.text_frame, [item.attribution], size=14, colour=GREY)
    caveat = slide.shapes.add_textbox(
        MARGIN, SLIDE_HEIGHT - Inches(1.05), SLIDE_WIDTH - 2 * MARGIN, Inches(0.4)
    )
    _write_lines(caveat.text_frame, [labels.EFFECT_CAVEAT], size=14, colour=GREY)
    slide.notes_slide.notes_text_frame.text = labels.EFFECT_CAVEAT
    _footer(slide, meta)


def _chart_slide(
    presentation, meta: ExportMeta, title: str, spec: alt.TopLevelMixin | dict[str, Any]
) -> None:
    """The chart as a picture under the slide's title, with the chart's own subtitle above it."""
    slide = _titled_slide(presentation, title)
    top, box_height = BODY_TOP, BODY_HEIGHT
    explanation = chart_subtitle(spec)
    if explanation:
        box = slide.shapes.add_textbox(MARGIN, top, SLIDE_WIDTH - 2 * MARGIN, Inches(0.5))
        _write_lines(box.text_frame, explanation, size=18, colour=GREY)
        top, box_height = top + Inches(0.6), box_height - Inches(0.6)
    png = spec_to_png(export_spec(spec, None))
    width, height = png_size(png)
    scale = min((SLIDE_WIDTH - 2 * MARGIN) / width, box_height / height)
    picture_width, picture_height = Emu(int(width * scale)), Emu(int(height * scale))
    left = int((SLIDE_WIDTH - picture_width) / 2)
    slide.shapes.add_picture(io.BytesIO(png), left, top, picture_width, picture_height)
    _footer(slide, meta)


def _titled_slide(presentation, title: str):
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])  # "Title Only"
    shape = slide.shapes.title
    _place(shape, MARGIN, Inches(0.3), SLIDE_WIDTH - 2 * MARGIN, Inches(1.0))
    shape.text = title
    paragraph = shape.text_frame.paragraphs[0]
    paragraph.runs[0].font.size = Pt(34)
    paragraph.alignment = PP_ALIGN.LEFT
    return slide


def _footer(slide, meta: ExportMeta) -> None:
    """The source line at the bottom and, for demo data, the "Exempeldata" label beside it."""
    top = SLIDE_HEIGHT - Inches(0.6)
    box = slide.shapes.add_textbox(MARGIN, top, Inches(10.0), Inches(0.4))
    _write_lines(box.text_frame, [source_line(meta)], size=14, colour=GREY)
    if meta.demo:
        label = slide.shapes.add_textbox(SLIDE_WIDTH - Inches(2.7), top, Inches(2.2), Inches(0.4))
        _write_lines(label.text_frame, [labels.DEMO_BADGE], size=16, colour=DEMO_COLOUR, bold=True)


def column_widths(cells: list[list[str]], size: float) -> list[float]:
    """Column widths in inches from the content, so that no word breaks (issue 10: "Gemensa|m").

    Each column is at least as wide as its longest word (the heading's in bold); the short
    columns as wide as their widest cell on one line, and the title and comment columns share
    what is left of the slide's width equally, each getting at least its longest word.
    """
    columns = list(zip(TABLE_HEADINGS, *cells, strict=True))
    least = [
        max(text_width.longest_word_inches(t, size) for t in column) + CELL_MARGINS
        for column in columns
    ]
    widths = list(least)
    for index, column in enumerate(columns):
        if index not in FLEXIBLE:
            whole = max(text_width.text_inches(t, size) for t in column) + CELL_MARGINS
            widths[index] = max(least[index], min(whole, FIT_LIMIT))
    rest = TABLE_WIDTH - sum(w for i, w in enumerate(widths) if i not in FLEXIBLE)
    first, second = FLEXIBLE
    widths[first] = min(max(least[first], rest / 2), max(rest - least[second], least[first]))
    widths[second] = max(rest - widths[first], least[second])
    return widths


def _fitting_widths(cells: list[list[str]], size: int) -> tuple[list[float], int]:
    """Widths and type size: smaller type (down to MIN_TABLE_SIZE) while the longest words do
    not fit side by side; if they still do not, the title and comment columns are squeezed."""
    widths = column_widths(cells, size)
    while sum(widths) > TABLE_WIDTH + 1e-9 and size > MIN_TABLE_SIZE:
        size -= 1
        widths = column_widths(cells, size)
    excess = sum(widths) - TABLE_WIDTH
    if excess > 0:
        flexible = sum(widths[i] for i in FLEXIBLE)
        for index in FLEXIBLE:
            widths[index] -= excess * widths[index] / flexible
    return widths, size


def _table(slide, cells: list[list[str]], *, top: int, size: int) -> None:
    widths, size = _fitting_widths(cells, size)
    height = Inches(0.45) * (len(cells) + 1)
    shape = slide.shapes.add_table(
        len(cells) + 1, len(TABLE_HEADINGS), MARGIN, top, Inches(sum(widths)), height
    )
    table = shape.table
    for index, width in enumerate(widths):
        table.columns[index].width = Inches(width)
    for row_index, row in enumerate([TABLE_HEADINGS, *cells]):
        for column_index, text in enumerate(row):
            cell = table.cell(row_index, column_index)
            cell.text = text
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.bold = row_index == 0


def _place(shape, left: int, top: int, width: int, height: int) -> None:
    shape.left, shape.top, shape.width, shape.height = left, top, width, height


def _write_lines(frame, lines: list[str], *, size: int, colour=None, bold: bool = False) -> None:
    frame.word_wrap = True
    frame.text = lines[0] if lines else ""
    for line in lines[1:]:
        frame.add_paragraph().text = line
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            if colour is not None:
                run.font.color.rgb = colour


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= COMMENT_CHARS else text[: COMMENT_CHARS - 1].rstrip() + "…"
