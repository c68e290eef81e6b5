"""The citizens' article and the static file (issue 13): every stored text stays text."""

from __future__ import annotations

import datetime as dt
import re

from dashboard.publication import static_html

AT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
TYPED = "<script>alert(1)</script><img src=x onerror=alert(2)> **fet** [l](http://x)"


def _content(text: str) -> dict:
    activity = {"title": text, "description": text, "owner": text, "promised": text,
                "status": "Genomförd", "public_lines": [text, text]}  # fmt: skip
    return {
        "version": 1,
        "kommun": {"code": "0486", "name": text},
        "promise": {
            "title": text,
            "kind": text,
            "validity": text,
            "area": text,
            "signed_on": text,
            "summary": text,
            "source_url": text,
        },
        "parties": [text, text],
        "signatories": [{"name": text, "role": text}],
        "period": {
            "code": text,
            "name": text,
            "year": 2021,
            "ends_on": "2021-12-31",
            "final": True,
        },
        "summary": text,
        "focus_areas": [
            {
                "name": text,
                "description": text,
                "activities": [activity],
                "indicators": [{"summary": text, "attribution": text}],
            }
        ],
        "contact": text,
        "demo": True,
        "caveat": text,
    }


def test_every_stored_text_is_escaped_in_the_fragment_and_the_file():
    for html in (static_html.fragment(_content(TYPED), AT),
                 static_html.document(TYPED, [(_content(TYPED), AT)])):  # fmt: skip
        assert "<script" not in html and "<img" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "**fet**" in html  # markdown stays as typed, too
        # The only tags are the renderer's own.
        tags = set(re.findall(r"<([a-z0-9]+)", html))
        assert tags <= {"style", "article", "h1", "h2", "h3", "p", "ul", "li", "strong",
                        "span", "a", "html", "head", "meta", "title", "body", "main"}  # fmt: skip


def test_the_file_is_swedish_and_fetches_nothing():
    html = static_html.document("Strängnäs kommun", [(_content("Trygghet"), AT)])
    assert html.startswith('<!DOCTYPE html>\n<html lang="sv">')
    assert not re.search(r"\bsrc=|<link\b|url\(|@import|<script", html, re.IGNORECASE)
    assert "<h1>Medborgarlöften i Strängnäs kommun: så gick det</h1>" in html
    assert static_html.DEMO_NOTE in html


def test_status_is_in_words_with_a_mark():
    assert static_html.status_html("Genomförd") == '<span class="ml-status">✓ Genomförd</span>'
    assert static_html.status_html("Delvis genomförd").endswith("◐ Delvis genomförd</span>")
