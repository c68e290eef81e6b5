"""The presentation pack's indicator slides (issue 12), read back with python-pptx.

After the slides of a focus area linked to indicators comes "<focus area>: indikatorer": each
indicator's summary sentence with its verdict in words and a mark every standard font has, a
picture of its series, the attribution line (never "Källa: Kolada" beside invented values)
and the caveat that activities done is not effect achieved, on the slide and in its notes.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pptx import Presentation
from pptx.util import Inches
from sqlalchemy import select, update

from dashboard import labels
from dashboard.export import content, images, pack
from dashboard.indicator_progress import VERDICTS
from db import make_engine
from db.models import Indicator, IndicatorValue, Organisation
from testsupport.files import assert_plain

TODAY = dt.date(2026, 11, 26)
TRYGGHET = "Trygghet i offentlig miljö"


def _exports(url: str, year: int = 2026):
    engine = make_engine(url)
    with engine.connect() as conn:
        exports = content.load_year_exports(conn, year, 3, partnership="0486", today=TODAY)
    engine.dispose()
    return exports


def _deck(exports) -> Presentation:
    return Presentation(io.BytesIO(pack.build_pack(exports.pack)))


def _slide(deck, title: str):
    return next(slide for slide in deck.slides if slide.shapes.title.text == title)


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


@pytest.fixture(scope="module")
def deck_2026(demo_template):
    exports = _exports(f"sqlite:///{demo_template}")
    return exports, _deck(exports)


def test_strangnas_2026_has_an_indicator_slide_for_trygghet_only(deck_2026):
    exports, deck = deck_2026
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles == pack.pack_slide_titles(exports.pack)
    assert titles[1:4] == [
        "Narkotika och droger bland unga",  # no indicator linked: no indicator slide
        TRYGGHET,
        f"{TRYGGHET}: indikatorer",
    ]
    assert sum(title.endswith(": indikatorer") for title in titles) == 1


def test_the_indicator_slide_says_what_happened_and_where_the_figures_come_from(deck_2026):
    _, deck = deck_2026
    slide = _slide(deck, f"{TRYGGHET}: indikatorer")
    texts = _texts(slide)
    summaries = [t for t in texts if "sedan basåret" in t]
    assert len(summaries) == 2
    assert any(t.startswith("Anmälda våldsbrott per 100 000 invånare: ") for t in summaries)
    assert any(t.startswith("Problemindex, Polisens lokala trygghetsmätning: ") for t in summaries)
    for text in summaries:  # the verdict in words and with a mark from standard fonts
        verdict = next(code for code, (words, _) in VERDICTS.items() if words.lower() in text)
        assert text.endswith(f"{pack.INDICATOR_MARKS[verdict]}.")
    assert "Påhittade exempelvärden, inte uppgifter från Kolada." in texts
    assert labels.EFFECT_CAVEAT in texts
    assert slide.notes_slide.notes_text_frame.text == labels.EFFECT_CAVEAT
    all_texts = [t for s in deck.slides for t in _texts(s)]
    assert not any("Källa: Kolada" in t for t in all_texts), "invented values are not Kolada's"
    for text in all_texts:
        assert_plain(text, text)  # no ✓ or ✗: Liberation Sans lacks them
    pictures = [shape for shape in slide.shapes if shape.shape_type == 13]
    assert len(pictures) == 2
    for picture in pictures:
        assert images.png_size(picture.image.blob)[0] >= pack.INDICATOR_CHART_WIDTH
        assert picture.left + picture.width <= deck.slide_width
        # the caveat and the source line below stay clear of the pictures
        assert picture.top + picture.height <= deck.slide_height - Inches(1.05)


def test_values_from_kolada_carry_its_attribution_and_names_stay_literal(demo_url):
    engine = make_engine(demo_url)
    with engine.begin() as conn:
        violence = conn.scalar(select(Indicator.id).where(Indicator.code == "N07403"))
        kommun = conn.scalar(select(Organisation.id).where(Organisation.code == "0486"))
        conn.execute(
            update(IndicatorValue)
            .where(
                IndicatorValue.indicator_id == violence, IndicatorValue.organisation_id == kommun
            )
            .values(origin="kolada", source="verklig")
        )
        conn.execute(
            update(Indicator).where(Indicator.id == violence).values(name="Våld <b>*per*</b>")
        )
    engine.dispose()
    deck = _deck(_exports(demo_url))
    texts = _texts(_slide(deck, f"{TRYGGHET}: indikatorer"))
    assert "Källa: Kolada" in texts
    assert "Påhittade exempelvärden, inte uppgifter från Polisens lokala trygghetsmätning." in texts
    assert any(t.startswith("Våld <b>*per*</b>: ") for t in texts)


def test_a_year_without_links_has_no_indicator_slide(demo_exports):
    deck = _deck(demo_exports)  # 2021: only the youth focus area follows an indicator
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert [t for t in titles if t.endswith(": indikatorer")] == [
        "Ungdomar med normbrytande beteenden och kriminalitet: indikatorer"
    ]
    assert "Upptäcka droger bland unga: indikatorer" not in titles
