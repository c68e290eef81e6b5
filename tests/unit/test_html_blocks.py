"""The read-only HTML blocks (issue 15): every stored text stays inert text.

Whatever someone typed (a title, a comment, a name, a unit) goes through the builders of
dashboard/html_blocks.py, dashboard/promise_blocks.py and dashboard/region_blocks.py and out
through ``html_blocks.render``; parsed back as a browser would, it is the same text, and the
only tags and attributes are the builders' own.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import polars as pl
import pytest
from markupsafe import Markup

from dashboard import html_blocks, labels, promise_blocks, region_blocks, region_tables

TYPED = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "</td></tr></table><b>utanför</b>",
    "**fet** och _kursiv_",
    "[länk](javascript:alert(3))",
    "=1+1",
    "\"citat\" & 'apostrof' <!-- kommentar -->",
]
OWN_TAGS = {"style", "div", "h2", "h3", "h4", "p", "br", "span", "table", "caption", "thead",
            "tbody", "tr", "th", "td", "a", "section", "dl", "dt", "dd"}  # fmt: skip
OWN_ATTRIBUTES = {"class", "style", "scope", "href", "title", "tabindex", "role", "aria-label"}


class Parsed(HTMLParser):
    """Tags, attributes, links and text of an HTML string, as a browser parses them."""

    def __init__(self, body: str):
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.hrefs: list[str] = []
        self.chunks: list[str] = []
        self._style = False
        self.feed(body)
        self.close()

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)
        self.hrefs += [value for name, value in attrs if name == "href"]
        self._style = tag == "style"

    def handle_endtag(self, tag):
        self._style = False

    def handle_data(self, data):
        if not self._style:
            self.chunks.append(data)

    def handle_comment(self, data):
        raise AssertionError(f"a comment reached the page: {data!r}")


def _own_markup_only(body: str) -> Parsed:
    parsed = Parsed(body)
    assert parsed.tags <= OWN_TAGS, parsed.tags - OWN_TAGS
    assert parsed.attributes <= OWN_ATTRIBUTES, parsed.attributes - OWN_ATTRIBUTES
    assert all(html_blocks.is_app_address(href) for href in parsed.hrefs), parsed.hrefs
    return parsed


def _promise(text: str) -> dict:
    return {"title": text, "kind": text, "valid_from": dt.date(2021, 1, 1),
            "valid_to": dt.date(2021, 12, 31), "area": text, "signed_on": dt.date(2021, 3, 11),
            "signatories": [{"name": text, "role": text}], "source": "verklig",
            "source_url": text}  # fmt: skip


def _area(text: str) -> dict:
    counts = {f"n_{code}": 1 for code in labels.STATUSES}
    return {"focus_area_id": 1, "focus_area": text, "n_activities": 6, "n_evaluated": 5,
            "status": "forsenad", "completion": 0.5, "n_ej_utvarderad": 1, "last_tertial": 3,
            **counts}  # fmt: skip


def _indicator(text: str) -> dict:
    return {"name": text, "unit": text, "area": text, "latest_value": 1.5, "latest_year": 2021,
            "baseline_value": 1.0, "baseline_year": 2018, "intended": "hogre",
            "better": "hogre", "target_value": None, "attribution": text, "code": text,
            "change": 0.5, "change_percent": 50.0, "direction": "hogre", "mark": "✓",
            "verdict_text": text}  # fmt: skip


def _activity(text: str) -> dict:
    return {"title": text, "partners": [text], "target_unit": text, "target_value": 4.0,
            "latest_achieved": 2.0, "owner": "kommun", "status_1": "pagar", "status_2": None,
            "latest_comment": text}  # fmt: skip


def _blocks(text: str) -> list[Markup]:
    frame = pl.DataFrame({text: [text], "Antal": [3], "Översikt": [f"/?kommun={text}"]})
    status = pl.DataFrame({"kommun_code": [text], "kommun_name": [text], "area": [text],
                           "period": [text], "police_area": [text], "region": [text],
                           "n_activities": [3], "n_evaluated": [1], "completion": [0.5],
                           "status": ["pagar"], "promise_id": [1], "period_number": [1],
                           "source": ["exempel"]})  # fmt: skip
    return [
        html_blocks.heading(text, 3),
        html_blocks.section_heading(text),
        html_blocks.paragraph(f"{text}\n{text}"),
        html_blocks.paragraph(text, note=True),
        html_blocks.notice(text, "warning"),
        html_blocks.figure(text, text, note=text),
        html_blocks.link(text, text),
        html_blocks.table(frame, caption=text, label=text, links={text: "Översikt"}),
        promise_blocks.promise_header(_promise(text)),
        promise_blocks.promise_line(_promise(text), period=text),
        promise_blocks.focus_area_cards(
            [_area(text)], period=3, names={3: text}, indicators={1: [_indicator(text)]}
        ),
        promise_blocks.activity_cards([_activity(text)], {1: text}),
        region_blocks.all_evaluated(2021, text),
        html_blocks.table(
            region_tables.promise_table(status, year=2021), label=text, links=region_blocks.LINKS
        ),
    ]


@pytest.mark.parametrize("typed", TYPED)
def test_typed_text_stays_text_in_every_block(typed):
    for block in _blocks(typed):
        parsed = _own_markup_only(html_blocks.render(block))
        assert typed in parsed.text or typed.strip() in parsed.text.replace("\n", " ")


@pytest.mark.parametrize("typed", TYPED)
def test_render_escapes_plain_strings_it_is_handed(typed):
    parsed = _own_markup_only(html_blocks.render(typed, html_blocks.paragraph(typed)))
    assert parsed.text.count(typed) == 2


def test_markdown_and_formulas_arrive_as_typed():
    body = html_blocks.render(html_blocks.paragraph("**x** [a](javascript:alert(1)) =1+1"))
    assert Parsed(body).text == "**x** [a](javascript:alert(1)) =1+1"
    assert "<strong>" not in body and "<em>" not in body


@pytest.mark.parametrize(
    "address",
    ["javascript:alert(1)", "//evil.example/", "https://evil.example/", "/\\evil.example",
     "/ok\nSet-Cookie: x", " /ok", "", None],
)  # fmt: skip
def test_only_addresses_in_the_app_become_links(address):
    link = html_blocks.link(address, "Öppna")
    assert "<a" not in link and Parsed(link).text == "Öppna"


def test_an_app_address_is_a_link_with_its_ampersands_escaped():
    link = html_blocks.link("/?kommun=0486&ar=2021", "Öppna")
    assert link == '<a href="/?kommun=0486&amp;ar=2021">Öppna</a>'
    assert Parsed(link).hrefs == ["/?kommun=0486&ar=2021"]


def test_a_table_has_column_headers_swedish_cells_and_links():
    frame = pl.DataFrame(
        {
            "Kommun": ["Strängnäs", None],
            "Andel": [0.5, 1.25],
            "Antal": [1234, 2],
            "Klar": [True, False],
            "Datum": [dt.date(2021, 3, 11), None],
            "Översikt": ["/?kommun=0486", None],
        }
    )
    body = html_blocks.table(frame, label="Kommuner", links={"Kommun": "Översikt"})
    assert body.count('<th scope="col"') == 5  # the addresses are the links, not a column
    assert '<td><a href="/?kommun=0486">Strängnäs</a></td>' in body
    assert '<th scope="col" class="mb-num">Andel</th>' in body
    assert "<td>11 mars 2021</td>" in body and "<td>Ja</td>" in body and "<td>Nej</td>" in body
    assert Parsed(body).hrefs == ["/?kommun=0486"]
    assert html_blocks.cell_text(0.5) == "0,5" and html_blocks.cell_text(True) == "Ja"


@pytest.mark.parametrize("code", [*labels.STATUSES, None])
def test_a_status_is_its_icon_and_words_not_colour_alone(code):
    shown = Parsed(html_blocks.status(code)).text
    assert shown == labels.status_text(code)


def test_the_demo_badge_says_exempeldata_and_why():
    parsed = Parsed(html_blocks.demo_badge())
    assert "🧪 Exempeldata" in parsed.text
    assert labels.DEMO_EXPLANATION in parsed.text  # for screen readers; on hover as a title


def test_the_region_summary_counts_promises_kommuner_and_evaluations():
    status = pl.DataFrame(
        {"kommun_code": ["0486", "0486", "0484"], "period": ["T3", None, "T3"],
         "n_evaluated": [2, 0, 0], "source": ["exempel", "verklig", "verklig"]}
    )  # fmt: skip
    late = pl.DataFrame({"kommun_code": ["0484"]})
    text = Parsed(region_blocks.promises_summary(status, late, year=2021, number=0)).text
    for line in ("Löften3 löftenhos 2 kommuner", "Har utvärderat aktuell period 20211",
                 "Saknar utvärdering aktuell period 20211",
                 "Ej utvärderat senaste avslutade period1", "🧪 Exempeldata"):  # fmt: skip
        assert line in text


def test_headings_stay_below_the_page_title():
    with pytest.raises(ValueError):
        html_blocks.heading("Sida", 1)
    assert html_blocks.heading("Rubrik", 2) == "<h2>Rubrik</h2>"


def test_cards_nest_their_headings_under_the_section():
    cards = promise_blocks.focus_area_cards([_area("Trygghet")], period=3, level=4)
    assert "<h4>Trygghet</h4>" in cards
    header = promise_blocks.overview_header(_promise("Löftet"), period="T3 2021", meeting=False)
    assert "<h2>Löftet</h2>" in header and "<h3>Fokusområden, T3 2021</h3>" in header
    line = promise_blocks.overview_header(_promise("Löftet"), period="T3 2021", meeting=True)
    assert line.startswith('<h2 class="mb-line">Löftet · T3 2021')
