"""Region och riket's read-only content as one HTML block (issue 15): pure, rows in,
``markupsafe.Markup`` out (dashboard/html_blocks.py escapes every stored text).

The key figures, the table of every promise and the table of those that have not evaluated
their last ended period were four metrics, captions, headings and two canvas data grids; as
one ``st.html`` block with real links the browser draws them with its own table layout.
"""

from __future__ import annotations

import polars as pl
from markupsafe import Markup

from dashboard import html_blocks, labels, region_tables, tables

PERIOD_NOTE = (
    "Period efter löftets egen rytm: T = tertial, K = kvartal, H = halvår, eller löftets egna "
    "perioder. En kommun med löften för flera områden har en rad per löfte."
)
LINKS = {"Översikt": "Öppna"}
LATE = "Har inte utvärderat senaste avslutade perioden"


def promises_overview(
    status: pl.DataFrame, late: pl.DataFrame, *, year: int, number: int, scope: str
) -> Markup:
    """The demo badge, the key figures, every promise's status in the period (``number``, 0:
    each promise's current one) and the promises that have not evaluated their last ended
    period (``rollups.promise_status`` and ``rollups.not_evaluated_last_period`` rows)."""
    with_period = status.filter(pl.col("period").is_not_null())
    evaluated = with_period.filter(pl.col("n_evaluated") > 0).height
    period = f"period {number} {year}" if number else f"aktuell period {year}"
    kommuner = labels.count(status["kommun_code"].n_unique(), "kommun", "kommuner")
    if late.is_empty():
        missing = html_blocks.notice(
            f"Alla löften för {year} i {scope} har utvärderat sin senaste avslutade period.",
            "success",
        )
    else:
        missing = html_blocks.table(
            region_tables.not_evaluated_table(late), links=LINKS, label=LATE, scroll=True
        )
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
            html_blocks.table(
                region_tables.promise_table(status, year=year),
                links=LINKS,
                label=f"Varje löfte, {period}",
                scroll=True,
            ),
            html_blocks.section_heading(LATE),
            missing,
        ]
    )
