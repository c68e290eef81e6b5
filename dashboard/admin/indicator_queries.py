"""What the Indikatorer tab shows (issue 12): build_*() -> Select, load_*(conn) -> frame.

No Streamlit here. Read straight from the database like queries.py, so an admin sees their own
change at once: the definitions (with how many values the chosen kommun has of each) and the
links of a promise's focus areas.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, Select, func, select

from dashboard.queries.base import frame
from db.models import FocusArea, FocusAreaIndicator, Indicator, IndicatorValue, Organisation

DEFINITIONS = {
    "id": pl.Int64, "code": pl.String, "name": pl.String, "unit": pl.String,
    "better": pl.String, "source_name": pl.String, "attribution": pl.String,
    "description": pl.String, "source_url": pl.String, "kolada_kpi": pl.String,
    "source": pl.String, "values": pl.Int64,
}  # fmt: skip
LINKS = {
    "id": pl.Int64, "focus_area_id": pl.Int64, "indicator_id": pl.Int64, "area": pl.String,
    "baseline_year": pl.Int64, "direction": pl.String, "target_value": pl.Float64,
}  # fmt: skip


def build_indicators_query(kommun_code: str) -> Select:
    """Every definition by code, with the number of values the kommun (and its parts) has."""
    kommun = (
        select(Organisation.id)
        .where(Organisation.kind == "kommun", Organisation.code == kommun_code)
        .scalar_subquery()
    )
    values = (
        select(func.count(IndicatorValue.id))
        .where(
            IndicatorValue.indicator_id == Indicator.id, IndicatorValue.organisation_id == kommun
        )
        .scalar_subquery()
    )
    return select(
        Indicator.id, Indicator.code, Indicator.name, Indicator.unit, Indicator.better,
        Indicator.source_name, Indicator.attribution, Indicator.description,
        Indicator.source_url, Indicator.kolada_kpi, Indicator.source, values,
    ).order_by(Indicator.code)  # fmt: skip


def load_indicators(conn: Connection, kommun_code: str) -> pl.DataFrame:
    """See build_indicators_query."""
    return frame(conn, build_indicators_query(kommun_code), DEFINITIONS)


def build_links_query(promise_id: int) -> Select:
    """The links of the promise's focus areas, each focus area's in their order (the page
    joins the names from the focus areas and definitions it has already read)."""
    areas = select(FocusArea.id).where(FocusArea.promise_id == promise_id)
    link = FocusAreaIndicator
    return (
        select(link.id, link.focus_area_id, link.indicator_id, link.area, link.baseline_year,
               link.direction, link.target_value)
        .where(link.focus_area_id.in_(areas))
        .order_by(link.sort_order, link.id)
    )  # fmt: skip


def load_links(conn: Connection, promise_id: int) -> pl.DataFrame:
    """See build_links_query."""
    return frame(conn, build_links_query(promise_id), LINKS)
