"""The year's result text (issue 5) from the demo data, on SQLite and PostgreSQL: the Word
document names every activity, its headings are the focus areas, it is A4, and an internal
comment never reaches it. Built from small frames: tests/unit/test_result_text.py."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from dashboard.export import content, result_text
from db import demo, make_engine

TODAY = dt.date(2026, 11, 26)


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
