"""Read-only content as escaped HTML, for one ``st.html`` block at a time (issue 15).

Streamlit draws every element kind with code of its own: ``st.table`` renders each cell
through its Markdown renderer, and the first badge, metric or bordered container on a page
loads its own script and styles. The browser's main thread is busy from navigation until the
charts are drawn, so every such cost delays them. Text, tables and cards that nobody interacts
with are therefore built here as HTML and drawn as few ``st.html`` blocks as the page's layout
allows (docs/architecture.md, "Read-only content", with the figures).

Every piece is a ``markupsafe.Markup``: text given to a builder is escaped by construction
(``Markup.format`` and ``Markup.join`` escape anything that is not ``Markup`` already), so a
title, comment or name someone typed stays text, and markdown (``**x**``, ``[a](…)``) is never
interpreted. ``render`` is the one way out to ``st.html`` (tests/unit/test_no_unsafe_html.py
allows it by name) and escapes any plain string it is handed. Links go only to addresses in
the app (``/…``). Status is never colour alone: every status is its icon and label.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import polars as pl
from markupsafe import Markup

from dashboard import labels

# One stylesheet, sized in rem so meeting mode's 20 px root (dashboard/meeting_ui.py) enlarges
# it with the rest of the page. Colours are dark text on light tints: 7:1 or more (WCAG AA).
STYLESHEET = Markup("""<style>
.mb-block { font-size: 1rem; line-height: 1.5; overflow-wrap: anywhere; }
.mb-block h2, .mb-block h3, .mb-block h4 { font-weight: 600; line-height: 1.25; padding: 0; }
.mb-block h2 { font-size: 2rem; margin: 0.25rem 0 0.5rem; }
.mb-block h3, .mb-block h2.mb-section { font-size: 1.5rem; margin: 1rem 0 0.5rem; }
.mb-block h4 { font-size: 1.25rem; margin: 0 0 0.5rem; }
.mb-block p, .mb-block ul, .mb-block dl { margin: 0 0 0.5rem; }
.mb-block dl { padding-left: 0; }
.mb-block > :last-child { margin-bottom: 0; }
.mb-block ul { padding-left: 1.25rem; }
.mb-block .mb-note { font-size: 0.875rem; color: #3b4048; }
.mb-block .mb-line { font-size: 1rem; font-weight: 400; margin: 0 0 0.5rem; }
.mb-table { overflow-x: auto; margin: 0 0 1rem; }
.mb-table.mb-scroll { max-height: 30rem; overflow-y: auto; }
.mb-block table { width: 100%; border-collapse: collapse; font-size: 0.875rem;
  overflow-wrap: break-word; }
.mb-scroll thead th { position: sticky; top: 0; }
.mb-block caption { text-align: left; font-weight: 600; padding: 0 0 0.25rem; }
.mb-block th, .mb-block td { border: 1px solid #d5dae1; padding: 0.25rem 0.5rem;
  text-align: left; vertical-align: top; }
.mb-block thead th { background: #f1f4f7; font-weight: 600; }
.mb-block .mb-num { text-align: right; font-variant-numeric: tabular-nums; }
.mb-block a { color: #1f5f8b; text-decoration: underline; }
.mb-pill { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 0.5rem;
  font-size: 0.875rem; font-weight: 600; border: 1px solid currentColor; }
.mb-s-genomford { background: #e3f1e6; color: #14532d; }
.mb-s-pagar { background: #e3eef9; color: #173a66; }
.mb-s-forsenad, .mb-demo { background: #fdf0e0; color: #6b2c00; }
.mb-s-ej_genomford { background: #fbe4e4; color: #7f1d1d; }
.mb-s-ej_paborjad, .mb-s-ej_utvarderad { background: #eef0f3; color: #31363f; }
.mb-cards { display: grid; grid-template-columns: repeat(var(--mb-columns, 3), minmax(0, 1fr));
  gap: 1rem; margin: 0 0 1rem; }
.mb-card { border: 1px solid #d5dae1; border-radius: 0.5rem; padding: 0.75rem 1rem; }
.mb-stack > .mb-card { margin: 0 0 0.75rem; }
.mb-card > :first-child { margin-top: 0; }
.mb-figure { margin: 0.5rem 0; }
.mb-figure dt { font-size: 0.875rem; }
.mb-figure dd { font-size: 2rem; line-height: 1.2; margin: 0; }
.mb-figure dd.mb-note { font-size: 0.875rem; line-height: 1.5; }
.mb-figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
  gap: 0 1rem; }
.mb-notice { padding: 0.75rem 1rem; border-radius: 0.5rem; margin: 0 0 1rem; }
.mb-info { background: #e8f0f8; color: #0e2a47; }
.mb-success { background: #e3f1e6; color: #14532d; }
.mb-warning { background: #fdf0e0; color: #5c2600; }
.mb-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
@media (max-width: 40rem) { .mb-cards { grid-template-columns: 1fr; } }
</style>""")
NOTICE_KINDS = ("info", "success", "warning")
EMPTY = Markup("")


def render(*parts: Markup | str) -> str:
    """One ``st.html`` body: the stylesheet and ``parts`` in a ``div``; plain text is escaped.

    The stylesheet goes with every block, so each block looks right on its own; the browser
    parses those few lines in microseconds.
    """
    return str(Markup('{}<div class="mb-block">{}</div>').format(STYLESHEET, EMPTY.join(parts)))


def join(parts: Iterable[Markup | str], separator: Markup = EMPTY) -> Markup:
    """``parts`` one after the other (plain text escaped), ``separator`` between them."""
    return separator.join(parts)


def heading(text: str, level: int = 3) -> Markup:
    """A heading ``<h2>``–``<h4>``: the page's h1 is its title, so the rest nest below it."""
    if level not in (2, 3, 4):
        raise ValueError(f"heading level {level}: use 2, 3 or 4 below the page title")
    return Markup("<h{0}>{1}</h{0}>").format(level, text)


def section_heading(text: str) -> Markup:
    """A section of a page without a level-2 heading of its own: an ``<h2>`` (the outline
    stays in order for screen readers) in the size of a subheading."""
    return Markup('<h2 class="mb-section">{}</h2>').format(text)


def paragraph(text: str, *, note: bool = False) -> Markup:
    """A paragraph; ``note``: the smaller text of a caption. Line breaks in ``text`` are kept."""
    css = Markup(' class="mb-note"') if note else EMPTY
    return Markup("<p{}>{}</p>").format(css, join(text.split("\n"), Markup("<br>")))


def notice(text: str, kind: str = "info") -> Markup:
    """A boxed message like ``st.info``/``st.success``/``st.warning``, without an icon font."""
    if kind not in NOTICE_KINDS:
        raise ValueError(f"notice kind {kind!r}: one of {NOTICE_KINDS}")
    return Markup('<p class="mb-notice mb-{}">{}</p>').format(kind, text)


def status(code: str | None) -> Markup:
    """A status as a tinted label: icon and words (never colour alone)."""
    pill = Markup('<span class="mb-pill mb-s-{}">{}</span>')
    return pill.format(labels.status(code).code, labels.status_text(code))


def demo_badge() -> Markup:
    """The "🧪 Exempeldata" badge whenever demo rows are on screen, its explanation on hover
    (as ``st.badge``'s help did) and for screen readers."""
    return Markup(
        '<p><span class="mb-pill mb-demo" title="{0}">🧪 {1}</span>'
        '<span class="mb-sr"> – {0}</span></p>'
    ).format(labels.DEMO_EXPLANATION, labels.DEMO_BADGE)


def figures(*items: Markup) -> Markup:
    """Key figures (``figure``) side by side, as many to a row as the width allows."""
    return Markup('<div class="mb-figures">{}</div>').format(join(items))


def figure(label: str, value: str | int, *, note: str = "") -> Markup:
    """One key figure (what ``st.metric`` showed): a small label above a large value, and an
    optional line under it."""
    under = Markup('<dd class="mb-note">{}</dd>').format(note) if note else EMPTY
    return Markup('<dl class="mb-figure"><dt>{}</dt><dd>{}</dd>{}</dl>').format(label, value, under)


def link(address: str | None, text: str) -> Markup:
    """A link to an address in the app (``/…``); anything else is shown as text, not linked."""
    if not is_app_address(address):
        return Markup("%s") % text
    return Markup('<a href="%s">%s</a>') % (address, text)


def is_app_address(address: object) -> bool:
    """True for a path in this app: starts with one ``/``, no scheme, host or backslash."""
    return (
        isinstance(address, str)
        and address.startswith("/")
        and not address.startswith("//")
        and "\\" not in address
        and not any(ch.isspace() or ord(ch) < 32 for ch in address)
    )


def table(
    frame: pl.DataFrame,
    *,
    caption: str | None = None,
    label: str,
    links: Mapping[str, str] | None = None,
    scroll: bool = False,
) -> Markup:
    """A read-only table: a header row of ``<th scope="col">``, one row per row of ``frame``.

    Cells are text in Swedish formats (numbers with a decimal comma, dates as "11 mars 2021",
    true/false as Ja/Nej, nothing as empty); numeric columns are right-aligned. ``links`` maps
    a column to the column of in-app addresses its cells link to (``{"Kommun": "Översikt"}``:
    each kommun's name opens its promise); the address columns are not shown. The table sits
    in a box that scrolls sideways when it is wider than the page, and with ``scroll`` also
    downwards from 30 rem, under a header row that stays in view (a long list, as the data
    grid showed it). The box takes the keyboard focus, so it scrolls without a mouse;
    ``label`` (or the caption) names it for screen readers, and must differ from the other
    tables' on the page (each is a landmark).
    """
    links = links or {}
    shown = [name for name in frame.columns if name not in links.values()]
    numeric = [frame.schema[name].is_numeric() for name in shown]
    head = join(
        Markup('<th scope="col"{}>{}</th>').format(_num(n), name)
        for name, n in zip(shown, numeric, strict=True)
    )
    # One template per row, its cells' text escaped by ``%``: a format call per cell took
    # 60 ms for Region och riket's 337 promises, this takes 15 ms.
    row = Markup("<tr>") + join(_CELLS[n] for n in numeric) + Markup("</tr>")
    body = join(row % tuple(_cell(values, name, links) for name in shown)
                for values in frame.iter_rows(named=True))  # fmt: skip
    title = Markup("<caption>{}</caption>").format(caption) if caption else EMPTY
    box = Markup(" mb-scroll") if scroll else EMPTY
    return Markup(
        '<div class="mb-table{}" tabindex="0" role="region" aria-label="{}"><table>{}'
        "<thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>"
    ).format(box, caption or label, title, head, body)


def _cell(row: dict, name: str, links: Mapping[str, str]) -> Markup | str:
    """A cell's text, linked to its row's address when ``name`` is a linked column."""
    text = cell_text(row[name])
    return link(row[links[name]], text) if name in links else text


_CELLS = {False: Markup("<td>%s</td>"), True: Markup('<td class="mb-num">%s</td>')}


def _num(numeric: bool) -> Markup:
    return Markup(' class="mb-num"') if numeric else EMPTY


def cell_text(value: object) -> str:
    """A cell's value as Swedish text (``tables.readable``'s formats, for any frame)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, float):
        return labels.format_number(value)
    if isinstance(value, dt.datetime):
        return labels.format_local_datetime(value)
    if isinstance(value, dt.date):
        return labels.format_date(value)
    if isinstance(value, list):
        return ", ".join(cell_text(v) for v in value)
    return str(value)
