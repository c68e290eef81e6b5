"""The year's result text, "Resultat av medborgarlöftet <år>" (issue 5), as Markdown and Word.

Every February the municipality publishes how each promised activity went: genomförd, delvis
or ej genomförd at T3, with the comment, grouped by focus area. This module turns the year's
activity matrix into that text; nothing here reads the database. The text is for citizens,
so beside each outcome stands only what coordinators wrote for them (issue 13: the public
line, or a comment they marked public), never an internal comment.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import polars as pl

from dashboard import labels, rollups
from dashboard.export.images import ExportMeta, source_line

# Characters that would start Markdown formatting when a stored title or comment contains them.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")
OUTCOME_OF_STATUS = {
    code: labels.year_outcome(code) for code in (*labels.STATUSES, labels.NOT_EVALUATED.code)
}


@dataclass(frozen=True)
class ResultEntry:
    """One activity's outcome: its title, an outcome code of labels.YEAR_OUTCOMES, the comment."""

    title: str
    outcome: str
    comment: str


@dataclass(frozen=True)
class ResultText:
    """The whole text: heading, a summary sentence, one section per focus area, the source."""

    heading: str
    summary: str
    sections: tuple[tuple[str, tuple[ResultEntry, ...]], ...]
    source: str
    demo: bool


def result_heading(year: int, kind: str = "medborgarlöfte") -> str:
    """``Resultat av medborgarlöftet 2021`` (before 2016: ``… samverkansöverenskommelsen …``)."""
    noun = "medborgarlöftet" if kind == "medborgarlöfte" else "samverkansöverenskommelsen"
    return f"Resultat av {noun} {year}"


def build_result_text(
    matrix: pl.DataFrame, meta: ExportMeta, public: dict[int, list[str]]
) -> ResultText:
    """The result text of ``meta.year`` from the year's activity matrix.

    Args:
        matrix: ``queries.load_activity_matrix``'s frame; read are ``activity_id``,
            ``focus_area``, ``title`` and ``status_<n>`` of the year's last period n (3 for
            tertials; in the frame's order, which is focus-area order).
        public: ``queries.load_public_lines`` of that period: the lines for citizens by
            activity id.
        meta: ``title`` becomes the heading, ``partnership`` and ``year`` the summary;
            ``demo`` adds the "Exempeldata" note.
    """
    last = last_period(matrix)
    entries = matrix.select(
        "activity_id",
        "focus_area",
        "title",
        pl.col(f"status_{last}")
        .fill_null(labels.NOT_EVALUATED.code)
        .replace_strict(OUTCOME_OF_STATUS)
        .alias("status"),
    )
    sections: dict[str, list[ResultEntry]] = {}
    for activity_id, area, title, outcome in entries.iter_rows():
        lines = " ".join(public.get(activity_id, []))
        sections.setdefault(area, []).append(ResultEntry(title, outcome, lines))
    counts = entries["status"].value_counts()
    count = dict(zip(counts["status"], counts["count"], strict=True))
    return ResultText(
        heading=meta.title,
        summary=_summary(meta, len(entries), count),
        sections=tuple((area, tuple(items)) for area, items in sections.items()),
        source=source_line(meta),
        demo=meta.demo,
    )


def last_period(matrix: pl.DataFrame) -> int:
    """The number of the year's last period, whose status is the year's outcome."""
    return (rollups.period_numbers(matrix) or (3,))[-1]


def _summary(meta: ExportMeta, total: int, count: dict[str, int]) -> str:
    done, partly, not_done = (count.get(k, 0) for k in ("genomford", "delvis", "ej_genomford"))
    text = (
        f"{meta.partnership} lovade {labels.count(total, 'aktivitet', 'aktiviteter')} "
        f"för {meta.year}. "
        f"Vid årets slut var {labels.count(done, 'genomförd', 'genomförda')}, "
        f"{labels.count(partly, 'delvis genomförd', 'delvis genomförda')} och "
        f"{labels.count(not_done, 'inte genomförd', 'inte genomförda')}."
    )
    if count.get("ej_utvarderad"):
        text += f" {count['ej_utvarderad']} har ännu inte utvärderats för årets sista period."
    return text


def escape_markdown(text: str) -> str:
    """Stored text made literal in Markdown: formatting characters get a backslash."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def outcome_sentence(entry: ResultEntry) -> str:
    """``Genomförd.`` or ``Delvis genomförd: <kommentar>`` (plain text, not escaped)."""
    label = labels.YEAR_OUTCOMES[entry.outcome]
    return f"{label}: {entry.comment}" if entry.comment else f"{label}."


def result_markdown(result: ResultText) -> str:
    """The result text as Markdown for the municipality's web site."""
    lines = [f"# {escape_markdown(result.heading)}", "", escape_markdown(result.summary), ""]
    if result.demo:
        lines += [f"*{labels.DEMO_EXPLANATION}*", ""]
    for area, entries in result.sections:
        lines += [f"## {escape_markdown(area)}", ""]
        for entry in entries:
            title = escape_markdown(entry.title)
            lines.append(f"- **{title}** – {escape_markdown(outcome_sentence(entry))}")
        lines.append("")
    lines.append(f"*{escape_markdown(result.source)}*")
    return "\n".join(lines) + "\n"


def result_docx(result: ResultText) -> bytes:
    """The result text as a Word document (headings, one bullet per activity), in Swedish, A4."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    _a4(document)
    _swedish_language(document)
    document.core_properties.title = result.heading
    document.core_properties.language = "sv-SE"
    document.add_heading(result.heading, level=0)
    document.add_paragraph(result.summary)
    if result.demo:
        document.add_paragraph().add_run(labels.DEMO_EXPLANATION).italic = True
    for area, entries in result.sections:
        document.add_heading(area, level=1)
        for entry in entries:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(entry.title).bold = True
            paragraph.add_run(f" – {outcome_sentence(entry)}")
    source = document.add_paragraph().add_run(result.source)
    source.italic = True
    source.font.size = Pt(9)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _a4(document) -> None:
    """A4 paper with 2.5 cm margins (issue 10): python-docx's template is US Letter."""
    from docx.shared import Cm

    for section in document.sections:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)


def _swedish_language(document) -> None:
    """Mark the default style as Swedish, so Word checks spelling in Swedish."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    run_properties = document.styles["Normal"].element.get_or_add_rPr()
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "sv-SE")
    run_properties.append(lang)
