"""A promise, its focus areas and its activities as HTML blocks (issue 15).

Pure: rows in, ``markupsafe.Markup`` out, built with dashboard/html_blocks.py, which escapes
every stored text. Översikt's header and focus-area cards and Fokusområden's activity cards
were a dozen Streamlit elements each (bordered containers, columns, subheaders, badges,
metrics, text); as one ``st.html`` block the browser draws them at a fraction of the cost.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from dashboard import html_blocks, indicator_text, labels
from dashboard.html_blocks import EMPTY, heading, join, paragraph
from dashboard.rollups import STATUS_RANK
from db.vocabulary import PERIOD_NUMBERS

# The most serious status first, as the cards have always listed them.
STATUS_ORDER = sorted(labels.STATUSES, key=lambda code: -STATUS_RANK[code])


def promise_header(promise: dict) -> Markup:
    """Title (h2), kind, area, validity, signing date, signatories and, for a real promise, its
    source (a ``queries.load_promise`` row)."""
    kind = labels.KINDS.get(promise["kind"], promise["kind"])
    if promise.get("valid_from"):
        years = labels.validity(promise["valid_from"], promise["valid_to"])
    else:
        years = labels.format_years(promise["year_from"], promise["year_to"])
    area = f" för {promise['area']}" if promise.get("area") else ""
    signed = labels.format_date(promise["signed_on"])
    lines = [f"{kind}{area} {years}" + (f", undertecknat {signed}" if signed else "")]
    signatories = [labels.format_signatory(s) for s in promise["signatories"] or []]
    if signatories:
        lines.append("Undertecknat av: " + " och ".join(signatories))
    if promise["source"] == "verklig" and promise["source_url"]:
        lines.append(f"Källa: {promise['source_url']}")
    return heading(promise["title"], 2) + join(paragraph(line) for line in lines)


def promise_line(promise: dict, *, period: str) -> Markup:
    """Meeting mode's one-line header (issue 10): title · period · signing date, as the h2 the
    cards' headings sit under, in body-sized type."""
    signed = labels.format_date(promise["signed_on"])
    parts = [promise["title"], period] + ([f"undertecknat {signed}"] if signed else [])
    return Markup('<h2 class="mb-line">{}</h2>').format(" · ".join(parts))


def overview_header(promise: dict, *, period: str, meeting: bool) -> Markup:
    """Översikt's top: the promise and the cards' heading; in meeting mode the promise in one
    line (the h2 the cards sit under), so every card is on the first screen (issue 10)."""
    if meeting:
        return promise_line(promise, period=period)
    return promise_header(promise) + heading(f"Fokusområden, {period}", 3)


def focus_area_cards(
    areas: Sequence[dict],
    *,
    period: int,
    per_row: int = 3,
    names: dict[int, str] | None = None,
    indicators: dict[int, list[dict]] | None = None,
    level: int = 4,
) -> Markup:
    """A grid of focus-area cards (``rollups.focus_area_status`` rows), ``per_row`` to a row.

    Each card: the name (a heading of ``level``), the status as icon and label, completion,
    the number of activities per status, the latest period evaluated (``names``: the promise's
    period names) and each linked indicator's lines (``indicator_text.by_focus_area``).
    """
    indicators = indicators or {}
    cards = join(
        Markup('<section class="mb-card">{}{}{}</section>').format(
            heading(area["focus_area"], level),
            _completion(area, period=period, names=names),
            join(_indicator(row) for row in indicators.get(area["focus_area_id"], ())),
        )
        for area in areas
    )
    return Markup('<div class="mb-cards" style="--mb-columns: {}">{}</div>').format(
        int(per_row), cards
    )


def _completion(area: dict, *, period: int, names: dict[int, str] | None) -> Markup:
    if area["n_activities"] == 0:
        return paragraph("Inga aktiviteter i fokusområdet ännu.")
    if area["n_evaluated"] == 0:
        return Markup("<p>{}</p>").format(html_blocks.status(None)) + paragraph(
            f"Ingen aktivitet är utvärderad för {labels.period_name(period, names)}."
        )
    counts = [
        f"{labels.status_text(code)}: {area[f'n_{code}']}"
        for code in STATUS_ORDER
        if area[f"n_{code}"]
    ]
    if area["n_ej_utvarderad"]:
        counts.append(f"{labels.status_text(None)}: {area['n_ej_utvarderad']}")
    last = area["last_tertial"]
    return join(
        [
            Markup("<p>{}</p>").format(html_blocks.status(area["status"])),
            html_blocks.figure("Genomförandegrad", labels.format_percent(area["completion"])),
            paragraph("\n".join(counts)),
            paragraph(
                f"Senast utvärderad: {labels.period_name(last, names)}" if last else "Ej utvärderad"
            ),
        ]
    )


def _indicator(row: dict) -> Markup:
    attribution = paragraph(row["attribution"], note=True) if row["attribution"] else EMPTY
    return paragraph(indicator_text.card_lines(row)) + attribution


def activity_cards(activities: Sequence[dict], codes: dict[int, str] | None = None) -> Markup:
    """Each activity for meeting mode (``rollups.with_latest`` rows) as a card under an h4:
    owner, partners, target vs achieved, the status of every period of the year, the latest
    comment (``codes``: the promise's period codes)."""
    cards = join(_activity(activity, codes) for activity in activities)
    return Markup('<div class="mb-stack">{}</div>').format(cards)


def _activity(activity: dict, codes: dict[int, str] | None) -> Markup:
    partners = ", ".join(activity["partners"] or []) or "–"
    unit = activity["target_unit"]
    achieved = activity["latest_achieved"]
    achieved_text = "–" if achieved is None else labels.format_target(achieved, unit)
    owner = labels.owner_label(activity["owner"])
    target = labels.format_target(activity["target_value"], unit)
    cells = join(
        (
            Markup("{}: {}").format(labels.period_code(t, codes), html_blocks.status(activity[key]))
            for t in PERIOD_NUMBERS
            if (key := f"status_{t}") in activity
        ),
        Markup(" "),
    )
    comment = activity["latest_comment"]
    return Markup('<section class="mb-card">{}{}{}{}{}</section>').format(
        heading(activity["title"], 4),
        paragraph(f"Ansvarig: {owner}   ·   Samarbetspartner: {partners}"),
        paragraph(f"Mål: {target}   ·   Uppnått: {achieved_text}"),
        Markup("<p>{}</p>").format(cells),
        paragraph(f"Senaste kommentar: {comment}" if comment else "Ingen kommentar."),
    )
