"""Region och riket's list of promises (issue 11): key figures, every promise's status in the
period and those that have not evaluated their last ended period, each row linked to the
promise's Översikt. Text and short tables are HTML blocks (dashboard/region_blocks.py); a
table of more than ``components.LONG_TABLE`` rows is built when the reader opens it (issue 15).
"""

from __future__ import annotations

import polars as pl

from dashboard import components, html_blocks, region_blocks, region_tables


def promises_section(
    status: pl.DataFrame, late: pl.DataFrame, *, year: int, number: int, scope: str
) -> None:
    """The figures and both lists (``rollups.promise_status``, ``not_evaluated_last_period``
    rows); ``number``: the period shown, 0 for each promise's current one."""
    period = region_blocks.period_words(year, number)
    components.draw_html(region_blocks.promises_summary(status, late, year=year, number=number))
    components.long_table(
        region_tables.promise_table(status, year=year), key="region_alla_loften",
        label=f"Varje löfte, {period}", noun=("löfte", "löften"), links=region_blocks.LINKS,
    )  # fmt: skip
    heading = html_blocks.section_heading(region_blocks.LATE)
    if late.is_empty():
        components.draw_html(heading, region_blocks.all_evaluated(year, scope))
    else:
        components.long_table(
            region_tables.not_evaluated_table(late), key="region_sena_loften",
            label=region_blocks.LATE, noun=("löfte", "löften"), links=region_blocks.LINKS,
            lead=(heading,),
        )  # fmt: skip
