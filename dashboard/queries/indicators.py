"""Indicators (issue 12): the focus areas' links and the values of a kommun's indicators.

Values are read for the organisation of the partnership's kommun; a link or a value with a
named ``area`` ("Mariefred") is that part of the kommun, "" the whole. Pure summaries of what
changed since the baseline are dashboard/indicator_progress.py.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl
from sqlalchemy import Connection, Select, select

from dashboard.queries.base import frame, promise_of_year, split_key
from db.models import (
    FocusArea,
    FocusAreaIndicator,
    Indicator,
    IndicatorValue,
    Organisation,
    Partnership,
)

# An indicator's definition as both frames carry it beside their own columns.
DEFINITION_SCHEMA = {
    "code": pl.String,
    "name": pl.String,
    "unit": pl.String,
    "better": pl.String,
    "source_name": pl.String,
    "attribution": pl.String,
}
DEFINITION_COLUMNS = tuple(getattr(Indicator, name) for name in DEFINITION_SCHEMA)
LINK_SCHEMA = {
    "focus_area_id": pl.Int64,
    "link_id": pl.Int64,
    "indicator_id": pl.Int64,
    **DEFINITION_SCHEMA,
    "area": pl.String,
    "baseline_year": pl.Int64,
    "direction": pl.String,
    "target_value": pl.Float64,
    "sort_order": pl.Int64,
}
VALUE_SCHEMA = {
    "indicator_id": pl.Int64,
    **DEFINITION_SCHEMA,
    "area": pl.String,
    "year": pl.Int64,
    "period_no": pl.Int64,
    "value": pl.Float64,
    "origin": pl.String,
    "source": pl.String,
    "fetched_at": pl.Datetime(time_zone="UTC"),
}


def build_focus_area_indicators_query(year: int, *, partnership: str) -> Select:
    """The indicator links of the focus areas of the year's promise (view key ``partnership``),
    in focus-area and link order."""
    return (
        select(
            FocusAreaIndicator.focus_area_id,
            FocusAreaIndicator.id,
            Indicator.id,
            *DEFINITION_COLUMNS,
            FocusAreaIndicator.area,
            FocusAreaIndicator.baseline_year,
            FocusAreaIndicator.direction,
            FocusAreaIndicator.target_value,
            FocusAreaIndicator.sort_order,
        )
        .join(FocusArea, FocusArea.id == FocusAreaIndicator.focus_area_id)
        .join(Indicator, Indicator.id == FocusAreaIndicator.indicator_id)
        .where(
            FocusArea.promise_id == promise_of_year(year, partnership=partnership),
            FocusArea.archived.is_(False),
        )
        .order_by(
            FocusArea.sort_order, FocusArea.id, FocusAreaIndicator.sort_order, FocusAreaIndicator.id
        )
    )


def load_focus_area_indicators(conn: Connection, year: int, *, partnership: str) -> pl.DataFrame:
    """One row per link of a focus area of the year's promise to an indicator (LINK_SCHEMA)."""
    return frame(
        conn, build_focus_area_indicators_query(year, partnership=partnership), LINK_SCHEMA
    )


def build_indicator_values_query(
    kommun_code: str, indicator_ids: Collection[int] | None = None
) -> Select:
    """Every value of the kommun's indicators (only ``indicator_ids``, if given), with the
    definition beside it, by indicator, area, year and period."""
    kommun = (
        select(Partnership.kommun_id)
        .where(Partnership.kommun_code == split_key(kommun_code)[0])
        .scalar_subquery()
    )
    query = (
        select(
            Indicator.id,
            *DEFINITION_COLUMNS,
            IndicatorValue.area,
            IndicatorValue.year,
            IndicatorValue.period_no,
            IndicatorValue.value,
            IndicatorValue.origin,
            IndicatorValue.source,
            IndicatorValue.fetched_at,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(Organisation, Organisation.id == IndicatorValue.organisation_id)
        .where(Organisation.id == kommun)
        .order_by(
            Indicator.name,
            Indicator.id,
            IndicatorValue.area,
            IndicatorValue.year,
            IndicatorValue.period_no,
        )
    )
    if indicator_ids is not None:
        query = query.where(IndicatorValue.indicator_id.in_(sorted(indicator_ids)))
    return query


def load_indicator_values(
    conn: Connection, kommun_code: str, indicator_ids: Collection[int] | None = None
) -> pl.DataFrame:
    """The kommun's indicator values (VALUE_SCHEMA); ``kommun_code`` may be a view key."""
    return frame(conn, build_indicator_values_query(kommun_code, indicator_ids), VALUE_SCHEMA)
