"""The year's result text (issue 5): "Resultat av medborgarlöftet <år>" as Markdown and Word."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pytest
from docx import Document

from dashboard import labels
from dashboard.export import content, images, result_text
from db import demo, make_engine

TODAY = dt.date(2026, 11, 26)
META = images.ExportMeta(
    title="Resultat av medborgarlöftet 2021",
    partnership="Strängnäs kommun och lokalpolisområde Eskilstuna/Strängnäs",
    kommun="Strängnäs",
    year=2021,
    tertial=None,
    source="Strängnäs kommun och Polisen, uppföljningen av medborgarlöftet",
    extracted_on=TODAY,
)


def _matrix(rows: list[tuple[str, str, str | None, str | None]]) -> pl.DataFrame:
    """Activities numbered 1, 2, …; the last field is what was written for citizens."""
    return pl.DataFrame(
        [(n, *row) for n, row in enumerate(rows, 1)],
        schema={"activity_id": pl.Int64, "focus_area": pl.String, "title": pl.String,
                "status_3": pl.String, "public_3": pl.String},
        orient="row",
    )  # fmt: skip


def _build(matrix: pl.DataFrame) -> result_text.ResultText:
    public = {n: [line] for n, line in zip(matrix["activity_id"], matrix["public_3"],
                                            strict=True) if line}  # fmt: skip
    return result_text.build_result_text(matrix, META, public)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("genomford", "genomford"),
        ("pagar", "delvis"),
        ("forsenad", "delvis"),
        ("ej_paborjad", "delvis"),
        ("ej_genomford", "ej_genomford"),
        (None, "ej_utvarderad"),
    ],
)
def test_t3_status_becomes_the_years_outcome(status, outcome):
    result = _build(_matrix([("Unga", "Vandringar", status, "")]))
    assert result.sections[0][1][0].outcome == outcome
    assert labels.year_outcome(status) == outcome


def test_activities_are_grouped_by_focus_area_in_order():
    matrix = _matrix(
        [
            ("Unga", "Skolbesök", "genomford", "Alla skolor besöktes."),
            ("Unga", "Fältarbete", "forsenad", "Rekrytering pågår."),
            ("Droger", "Narkotikasök med hund", "ej_genomford", "Hunden var sjuk."),
        ]
    )
    result = _build(matrix)
    assert [area for area, _ in result.sections] == ["Unga", "Droger"]
    assert result.summary == (
        "Strängnäs kommun och lokalpolisområde Eskilstuna/Strängnäs lovade 3 aktiviteter för 2021. "
        "Vid årets slut var 1 genomförd, 1 delvis genomförd och 1 inte genomförd."
    )
    markdown = result_text.result_markdown(result)
    assert markdown.startswith("# Resultat av medborgarlöftet 2021\n")
    assert "## Unga\n\n- **Skolbesök** – Genomförd: Alla skolor besöktes.\n" in markdown
    assert "- **Fältarbete** – Delvis genomförd: Rekrytering pågår.\n" in markdown
    assert "- **Narkotikasök med hund** – Ej genomförd: Hunden var sjuk.\n" in markdown
    assert markdown.rstrip().endswith("Uttag 26 november 2026*")


def test_stored_text_cannot_format_the_markdown():
    matrix = _matrix([("Unga *viktigt*", "[Länk](https://x.se) <b>fet</b>", "genomford", None)])
    markdown = result_text.result_markdown(_build(matrix))
    assert "## Unga \\*viktigt\\*" in markdown
    assert "\\[Länk\\](https://x.se) \\<b\\>fet\\</b\\>" in markdown
    assert "– Genomförd." in markdown


def test_not_evaluated_activities_are_named_in_the_summary():
    matrix = _matrix([("Unga", "A", "genomford", ""), ("Unga", "B", None, None)])
    result = _build(matrix)
    assert result.summary.endswith("1 har ännu inte utvärderats för årets sista period.")


def test_heading_for_older_agreements():
    assert result_text.result_heading(2010, "samverkansöverenskommelse") == (
        "Resultat av samverkansöverenskommelsen 2010"
    )


def test_docx_names_every_activity_of_the_year(engine):
    demo.load(engine, today=TODAY)
    for year in (2021, 2022, 2012):  # a published year, a two-year promise, an older agreement
        with engine.connect() as conn:
            exports = content.load_year_exports(conn, year, 3, partnership="0486", today=TODAY)
            activities = content.queries.load_activities(conn, year, partnership="0486")
        document = Document(io.BytesIO(result_text.result_docx(exports.result)))
        paragraphs = [p.text for p in document.paragraphs]
        assert paragraphs[0] == exports.result.heading
        bullets = [p for p in paragraphs if " – " in p]
        for title in activities["title"]:
            assert any(p.startswith(f"{title} – ") for p in bullets), (year, title)
        assert len(bullets) == activities.height
        assert paragraphs[-1].startswith("Källa: ")
        assert document.core_properties.language == "sv-SE"


def test_docx_headings_are_the_focus_areas(demo_template):
    engine = make_engine(f"sqlite:///{demo_template}")
    with engine.connect() as conn:
        exports = content.load_year_exports(conn, 2021, 3, partnership="0486", today=TODAY)
    engine.dispose()
    document = Document(io.BytesIO(result_text.result_docx(exports.result)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [area for area, _ in exports.result.sections]
    assert headings == ["Ungdomar med normbrytande beteenden och kriminalitet",
                        "Upptäcka droger bland unga"]  # fmt: skip


def test_docx_is_a4_with_a4_margins(demo_exports):
    """Swedish readers print A4 (issue 10): 21.0 × 29.7 cm, 2.5 cm margins, every section."""
    document = Document(io.BytesIO(result_text.result_docx(demo_exports.result)))
    for section in document.sections:  # Word stores twips: compare to 0.01 cm
        size = (section.page_width.cm, section.page_height.cm)
        assert size == pytest.approx((21.0, 29.7), abs=0.01)
        margins = (section.left_margin, section.right_margin, section.top_margin,
                   section.bottom_margin)  # fmt: skip
        assert [m.cm for m in margins] == pytest.approx([2.5] * 4, abs=0.01)


def test_an_internal_comment_never_reaches_the_result_text(engine):
    """Issue 13: the text is for citizens; only a public line or a marked comment shows."""
    from sqlalchemy import select
    from sqlalchemy.orm import Session

    from db.models import Evaluation, Promise

    demo.load(engine, today=TODAY)
    with Session(engine) as s, s.begin():
        promise_id = s.scalar(select(Promise.id).where(Promise.year_from == 2021))
        first, second, third = s.scalars(
            select(Evaluation)
            .join(Evaluation.activity)
            .where(Evaluation.year == 2021, Evaluation.period_no == 3)
            .where(Evaluation.activity.has(promise_id=promise_id))
            .order_by(Evaluation.id)
            .limit(3)
        ).all()
        first.comment = "INTERNT första"
        second.comment, second.comment_public = "PUBLIK kommentar", True
        third.comment, third.public_line = "INTERNT tredje", "RAD för invånare"
    with engine.connect() as conn:
        exports = content.load_year_exports(conn, 2021, 3, partnership="0486", today=TODAY)
    markdown = result_text.result_markdown(exports.result)
    assert "INTERNT" not in markdown
    assert "PUBLIK kommentar" in markdown and "RAD för invånare" in markdown
