"""Region och riket's read-only text as HTML (issue 15): pure, rows in, ``markupsafe.Markup``
out (dashboard/html_blocks.py escapes every stored text).

The key figures, captions and headings were four metrics, captions and subheadings; with the
demo badge they are one ``st.html`` block. The tables themselves are drawn by
dashboard/region_ui.py.
"""

from __future__ import annotations

import polars as pl
from markupsafe import Markup

from dashboard import html_blocks, labels, tables

PERIOD_NOTE = (
    "Period efter löftets egen rytm: T = tertial, K = kvartal, H = halvår, eller löftets egna "
    "perioder. En kommun med löften för flera områden har en rad per löfte. Kommunens namn "
    "öppnar löftets översikt."
)
LINKS = {"Kommun": "Översikt"}  # the kommun's name links to the promise's Översikt
LATE = "Har inte utvärderat senaste avslutade perioden"


def period_words(year: int, number: int) -> str:
    """ "period 2 2026", or "aktuell period 2026" for each promise's current one (0)."""
    return f"period {number} {year}" if number else f"aktuell period {year}"


def promises_summary(status: pl.DataFrame, late: pl.DataFrame, *, year: int, number: int) -> Markup:
    """The demo badge, the key figures and the heading of the list of every promise
    (``rollups.promise_status`` and ``rollups.not_evaluated_last_period`` rows)."""
    with_period = status.filter(pl.col("period").is_not_null())
    evaluated = with_period.filter(pl.col("n_evaluated") > 0).height
    period = period_words(year, number)
    kommuner = labels.count(status["kommun_code"].n_unique(), "kommun", "kommuner")
    return html_blocks.join(
        [
            html_blocks.demo_badge() if tables.contains_demo(status) else html_blocks.EMPTY,
            html_blocks.figures(
                html_blocks.figure(
                    "Löften", labels.count(status.height, "löfte", "löften"), note=f"hos {kommuner}"
                ),
                html_blocks.figure(f"Har utvärderat {period}", evaluated),
                html_blocks.figure(f"Saknar utvärdering {period}", with_period.height - evaluated),
                html_blocks.figure("Ej utvärderat senaste avslutade period", late.height),
            ),
            html_blocks.section_heading(f"Varje löfte, {period}"),
            html_blocks.paragraph(PERIOD_NOTE, note=True),
        ]
    )


def all_evaluated(year: int, scope: str) -> Markup:
    """The note when every promise has evaluated its last ended period."""
    return html_blocks.notice(
        f"Alla löften för {year} i {scope} har utvärderat sin senaste avslutade period.", "success"
    )
