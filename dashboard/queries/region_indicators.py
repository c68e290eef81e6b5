"""One indicator compared across the kommuner in scope (issue 12): Region och riket.

The kommuner compared are those of the partnerships in scope: a police region's (or the
nation's), and with ``codes`` (a logged-in reader's scope, dashboard/queries/scope.py) only
those. Only whole-kommun, whole-year values are compared (``area`` "" and ``period_no`` 0), so
a kommun has one value a year. Both queries reach the values through the unique key
(indicator, organisation, area, year, period): one index lookup per kommun.
"""

from __future__ import annotations

import polars as pl
from sqlalchemy import Connection, Select, and_, func, select

from dashboard.queries.base import frame
from dashboard.queries.indicators import VALUE_SCHEMA
from dashboard.queries.region import _REGION, _with_region
from db.models import Indicator, IndicatorValue, Partnership
from db.vocabulary import WHOLE_YEAR

# A change is shown over this many years: the year shown against the same kommun's value then.
CHANGE_YEARS = 3
_DEFINITION_COLUMNS = ("indicator_id", "code", "name", "unit", "better", "source_name",
                       "attribution")  # fmt: skip
CHOICES_SCHEMA = {column: VALUE_SCHEMA[column] for column in _DEFINITION_COLUMNS} | {
    "year": pl.Int64,
    "n_kommuner": pl.Int64,
}
COMPARISON_SCHEMA = {
    "kommun_code": pl.String,
    "kommun_name": pl.String,
    "region": pl.String,
    "year": pl.Int64,
    "value": pl.Float64,
    "origin": pl.String,
    "source": pl.String,
}


# The definition beside each year's count: what the picker and the section show.
_DEFINITION = (Indicator.id, *(getattr(Indicator, c) for c in _DEFINITION_COLUMNS[1:]))


def _whole_kommun_values(*conditions):
    """The join of a partnership to its kommun's whole-year, whole-kommun indicator values."""
    return and_(
        IndicatorValue.organisation_id == Partnership.kommun_id,
        IndicatorValue.area == "",
        IndicatorValue.period_no == WHOLE_YEAR,
        *conditions,
    )


def _in_scope(query: Select, region: str | None, codes: tuple[str, ...] | None) -> Select:
    query = _with_region(query, region)
    return query if codes is None else query.where(Partnership.kommun_code.in_(codes))


def build_indicator_years_query(
    *, region: str | None, codes: tuple[str, ...] | None = None
) -> Select:
    """Each indicator with values for kommuner in scope, per year: how many kommuner have one."""
    query = (
        select(*_DEFINITION, IndicatorValue.year, func.count(IndicatorValue.id))
        .select_from(Partnership)
        .join(IndicatorValue, _whole_kommun_values())
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
    )
    return (
        _in_scope(query, region, codes)
        .group_by(*_DEFINITION, IndicatorValue.year)
        .order_by(Indicator.name, Indicator.id, IndicatorValue.year)
    )


def load_indicator_years(
    conn: Connection, *, region: str | None, codes: tuple[str, ...] | None = None
) -> pl.DataFrame:
    """CHOICES_SCHEMA: the indicators a reader can compare in scope, and their years."""
    return frame(conn, build_indicator_years_query(region=region, codes=codes), CHOICES_SCHEMA)


def build_indicator_comparison_query(
    indicator_id: int, year: int, *, region: str | None, codes: tuple[str, ...] | None = None
) -> Select:
    """Every kommun in scope with its value of the indicator in ``year`` and ``CHANGE_YEARS``
    before (a row for each it has), by kommun and year."""
    years = (year - CHANGE_YEARS, year)
    query = (
        select(
            Partnership.kommun_code,
            Partnership.kommun_name,
            _REGION.name,
            IndicatorValue.year,
            IndicatorValue.value,
            IndicatorValue.origin,
            IndicatorValue.source,
        )
        .select_from(Partnership)
        .join(
            IndicatorValue,
            _whole_kommun_values(
                IndicatorValue.indicator_id == indicator_id, IndicatorValue.year.in_(years)
            ),
        )
    )
    return _in_scope(query, region, codes).order_by(Partnership.kommun_code, IndicatorValue.year)


def load_indicator_comparison(
    conn: Connection,
    indicator_id: int,
    year: int,
    *,
    region: str | None,
    codes: tuple[str, ...] | None = None,
) -> pl.DataFrame:
    """COMPARISON_SCHEMA rows (see ``region_tables.indicator_comparison``)."""
    query = build_indicator_comparison_query(indicator_id, year, region=region, codes=codes)
    return frame(conn, query, COMPARISON_SCHEMA)
