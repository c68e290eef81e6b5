"""Reads only the entry page needs: a tertial's activities with their evaluation and version.
No Streamlit here.

The activities come from dashboard.queries (shared with the browse pages); this module adds
the evaluation of the chosen tertial, including the ``version`` the optimistic lock needs.
The change history is told in Swedish by ``history``; the grid's frame is ``grid``'s.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, Select, select

from dashboard import queries
from dashboard.queries.base import frame, promise_of_year
from dashboard.queries.evaluations import EVALUATION_VALUES, HISTORY_SCHEMA
from db.models import Activity, Evaluation

# The stored evaluation of one tertial, keyed by activity: the history columns less the period,
# plus what citizens may see once published (issue 13), which only this page edits.
EVALUATION_SCHEMA = {
    "activity_id": pl.Int64,
    **{k: v for k, v in HISTORY_SCHEMA.items() if k not in ("year", "tertial")},
    "comment_public": pl.Boolean,
    "public_line": pl.String,
}


def build_tertial_evaluations_query(year: int, tertial: int, *, partnership: str) -> Select:
    """The evaluations of one tertial for the activities of the year's promise."""
    e = Evaluation
    return (
        select(e.activity_id, e.id, *EVALUATION_VALUES, e.comment_public, e.public_line)
        .join(Activity, Activity.id == e.activity_id)
        .where(
            Activity.promise_id == promise_of_year(year, partnership=partnership),
            e.year == year,
            e.period_no == tertial,
        )
    )


def load_tertial_entries(
    conn: Connection, year: int, tertial: int, *, partnership: str
) -> pl.DataFrame:
    """Every activity of the year's promise with its evaluation of ``tertial`` (or nulls)."""
    activities = queries.load_activities(conn, year, partnership=partnership)
    query = build_tertial_evaluations_query(year, tertial, partnership=partnership)
    evaluations = frame(conn, query, EVALUATION_SCHEMA)
    return activities.join(evaluations, on="activity_id", how="left", maintain_order="left")
