"""The published follow-up as HTML (issue 13): one self-contained file for the municipality's
web site, and the same article on the public page of the app.

``article`` renders one published snapshot as an HTML fragment; ``document`` wraps one or more
in a complete page: Swedish ``lang``, inline CSS only (no external request, no script), headings
in order (h1 the page, h2 each promise, h3 each focus area), readable at 320 px and 400 % zoom
(one column, relative units, wrapping text) and in print. Every stored text is escaped, so HTML
or markdown that someone typed stays text. Status is always in words, with a mark beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from typing import Any

from dashboard import labels

STYLE = """
.ml-article { max-width: 46rem; font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
  font-size: 1.05rem; line-height: 1.55; color: #1a1a1a; overflow-wrap: anywhere; }
.ml-article h2 { font-size: 1.6rem; line-height: 1.25; margin: 1.5rem 0 0.5rem; }
.ml-article h3 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
.ml-article ul { padding-left: 1.25rem; }
.ml-article li { margin-bottom: 0.75rem; }
.ml-meta, .ml-source { color: #444; font-size: 0.95rem; }
.ml-status { font-weight: 600; }
.ml-demo { border: 2px solid #8a6d00; padding: 0.5rem 0.75rem; background: #fff8db; }
.ml-caveat { border-left: 4px solid #555; padding-left: 0.75rem; }
@media print { .ml-article { max-width: none; font-size: 11pt; } a { color: inherit; } }
"""
PAGE_STYLE = """
body { margin: 0 auto; padding: 1rem; max-width: 48rem; background: #fff;
  overflow-wrap: anywhere; hyphens: auto; }
h1 { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; font-size: 2rem;
  line-height: 1.2; }
"""
DEMO_NOTE = (
    "Exempeldata: uppföljningen på den här sidan är påhittad för att visa verktyget och är "
    "inte kommunens eller polisens verkliga resultat."
)
MARKS = {
    "Genomförd": "✓",
    "Delvis genomförd": "◐",
    "Ej genomförd": "✗",
    "Pågår": "◐",
    "Ej påbörjad": "○",
    "Försenad": "▲",
    "Inte följd upp än": "–",
}


def _e(text: Any) -> str:
    return escape(str(text), quote=True)


def status_html(status: str) -> str:
    """``<span class="ml-status">✓ Genomförd</span>``: the word, with a mark (never colour)."""
    mark = MARKS.get(status, "")
    return f'<span class="ml-status">{_e(f"{mark} {status}".strip())}</span>'


def article(content: dict[str, Any], published_at: dt.datetime) -> str:
    """One promise's published follow-up as an ``<article>`` (h2 and h3 inside)."""
    promise, period = content["promise"], content["period"]
    parts = ['<article class="ml-article">']
    title = promise["title"] + (f" – {promise['area']}" if promise["area"] else "")
    parts.append(f"<h2>{_e(title)}</h2>")
    parts.append(
        f'<p class="ml-meta">Uppföljning {_e(period["code"])} {_e(period["year"])} '
        f"({_e(period['name'])}). Publicerad {_e(labels.format_date(published_at))}. "
        f"{_e(promise['kind'])} för {_e(promise['validity'])}.</p>"
    )
    if content["demo"]:
        parts.append(f'<p class="ml-demo">{_e(DEMO_NOTE)}</p>')
    parts.append(f"<p>{_e(content['summary'])}</p>")
    if promise["summary"]:
        parts.append(f"<p>{_e(promise['summary'])}</p>")
    parties = ", ".join(content["parties"])
    parts.append(f"<p>Löftet är undertecknat av {_e(parties)}")
    if content["signatories"]:
        names = "; ".join(
            f"{s['name']}, {s['role']}" if s["role"] else s["name"] for s in content["signatories"]
        )
        parts.append(f" ({_e(names)})")
    signed = f", den {_e(promise['signed_on'])}" if promise["signed_on"] else ""
    parts.append(f"{signed}.</p>")
    for area in content["focus_areas"]:
        parts.append(f"<h3>{_e(area['name'])}</h3>")
        if area["description"]:
            parts.append(f"<p>{_e(area['description'])}</p>")
        parts.append("<ul>")
        for activity in area["activities"]:
            parts.append(
                f"<li><strong>{_e(activity['title'])}</strong> – {status_html(activity['status'])}."
            )
            if activity["promised"]:
                parts.append(f" {_e(activity['promised'])}")
            for line in activity["public_lines"]:
                parts.append(f" {_e(line)}")
            parts.append("</li>")
        parts.append("</ul>")
        if area["indicators"]:
            parts.append("<p><strong>Vad hände med det vi ville påverka?</strong></p><ul>")
            for indicator in area["indicators"]:
                parts.append(
                    f"<li>{_e(indicator['summary'])} "
                    f'<span class="ml-source">{_e(indicator["attribution"])}</span></li>'
                )
            parts.append("</ul>")
    if any(area["indicators"] for area in content["focus_areas"]):
        parts.append(f'<p class="ml-caveat">{_e(content["caveat"])}</p>')
    parts.append(f"<p><strong>Kontakt:</strong> {_e(content['contact'])}</p>")
    if promise["source_url"]:
        url = _e(promise["source_url"])
        parts.append(f'<p class="ml-source">Löftets text: <a href="{url}">{url}</a></p>')
    parts.append("</article>")
    return "".join(parts)


def fragment(content: dict[str, Any], published_at: dt.datetime) -> str:
    """The article with its stylesheet, for ``st.html`` on the public page and in the preview:
    the one place the app draws HTML made from stored text, every piece of it escaped
    (tests/unit/test_no_unsafe_html.py allows exactly this renderer)."""
    return f"<style>{STYLE}</style>{article(content, published_at)}"


def document(kommun_name: str, publications: Sequence[tuple[dict[str, Any], dt.datetime]]) -> str:
    """A complete, self-contained HTML page with the kommun's published follow-ups."""
    heading = f"Medborgarlöften i {kommun_name}: så gick det"
    body = "".join(article(content, at) for content, at in publications) or (
        "<p>Inget är publicerat ännu.</p>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(heading)}</title>\n<style>{STYLE}{PAGE_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n<h1>{_e(heading)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )
