"""The view above one partnership (issue 11): every promise of a police region or the nation.

Rows are few even nationally (one per activity of the year, about 3,000; status counts per
partnership, year and tertial, about 17,000), so the SQL groups what it can and polars rolls
the rest up with the same rules as one partnership's pages (dashboard/rollups.py).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import Connection, Select, and_, func, select
from sqlalchemy.orm import aliased

from dashboard import rollups
from dashboard.queries.base import FIRST_YEAR, frame
from dashboard.queries.trends import build_activity_counts_query, build_status_counts_query
from db.models import Activity, Evaluation, FocusArea, Organisation, Partnership, Promise

REGIONS_SCHEMA = {"code": pl.String, "name": pl.String}
ACTIVITY_STATUS_SCHEMA = {
    "kommun_code": pl.String,
    "source": pl.String,
    "kommun_name": pl.String,
    "police_area": pl.String,
    "region": pl.String,
    "activity_id": pl.Int64,
    "status": pl.String,
    "completion": pl.Int64,
}
PARTNERSHIP_COUNTS_SCHEMA = {
    "year": pl.Int64,
    "tertial": pl.Int64,
    "status": pl.String,
    "n": pl.Int64,
    "kommun_code": pl.String,
}
PARTNERSHIP_ACTIVITIES_SCHEMA = {
    "year": pl.Int64,
    "key": pl.String,
    "n": pl.Int64,
    "kommun_code": pl.String,
}
THEMES_SCHEMA = {"region": pl.String, "theme": pl.String, "n_promises": pl.Int64}

_AREA = aliased(Organisation, name="area")
_REGION = aliased(Organisation, name="region")


def _with_region(query: Select, region: str | None) -> Select:
    """``query`` (joined to Partnership) joined to its police area's region, limited to one."""
    query = query.outerjoin(_AREA, _AREA.id == Partnership.police_area_id).outerjoin(
        _REGION, _REGION.id == _AREA.parent_id
    )
    return query if region is None else query.where(_REGION.code == region)


def build_regions_query() -> Select:
    """The seven police regions, by name."""
    return (
        select(Organisation.code, Organisation.name)
        .where(Organisation.kind == "polisregion")
        .order_by(Organisation.name)
    )


def load_regions(conn: Connection) -> pl.DataFrame:
    """code, name of every police region."""
    return frame(conn, build_regions_query(), REGIONS_SCHEMA)


def build_activity_status_query(year: int, tertial: int, *, region: str | None) -> Select:
    """Every (not archived) activity of the year's promises in ``region`` (None: the nation),
    with its partnership and its evaluation of ``tertial`` (null when none)."""
    query = (
        select(
            Partnership.kommun_code,
            Partnership.source,
            Partnership.kommun_name,
            Partnership.police_area,
            _REGION.name,
            Activity.id,
            Evaluation.status,
            Evaluation.completion,
        )
        .select_from(Activity)
        .join(Promise, Promise.id == Activity.promise_id)
        .join(Partnership, Partnership.id == Promise.partnership_id)
        .outerjoin(
            Evaluation,
            and_(
                Evaluation.activity_id == Activity.id,
                Evaluation.year == year,
                Evaluation.period_no == tertial,
            ),
        )
        .where(Promise.year_from <= year, Promise.year_to >= year, Activity.archived.is_(False))
        .order_by(Partnership.kommun_name, Activity.id)
    )
    return _with_region(query, region)


def load_activity_status(
    conn: Connection, year: int, tertial: int, *, region: str | None
) -> pl.DataFrame:
    """``build_activity_status_query``'s rows (see ``rollups.partnership_status``)."""
    query = build_activity_status_query(year, tertial, region=region)
    return frame(conn, query, ACTIVITY_STATUS_SCHEMA)


def _per_partnership(query: Select, region: str | None) -> Select:
    """One partnership's count query of dashboard.queries.trends, split per partnership in
    ``region``: the same rules (which evaluations and activities count) in one place."""
    query = (
        query.join(Partnership, Partnership.id == Promise.partnership_id)
        .add_columns(Partnership.kommun_code)
        .group_by(Partnership.kommun_code)
    )
    return _with_region(query, region)


def build_partnership_counts_query(first_year: int, last_year: int, *, region: str | None):
    """Evaluations per year, tertial, status and partnership inside their promise's years."""
    counts = build_status_counts_query(first_year, last_year, partnership=None)
    return _per_partnership(counts, region)


def build_partnership_activities_query(first_year: int, last_year: int, *, region: str | None):
    """Activities per year and partnership (a promise covering several years counts in each)."""
    activities = build_activity_counts_query(first_year, last_year, partnership=None, by="all")
    return _per_partnership(activities, region)


def load_year_result_distribution(
    conn: Connection, *, region: str | None, today: dt.date, first_year: int = FIRST_YEAR
) -> pl.DataFrame:
    """Each partnership's year result (``rollups.year_results``) in ``region`` since 2007:
    kommun_code, year, share_genomford, preliminary."""
    counts = frame(
        conn,
        build_partnership_counts_query(first_year, today.year, region=region),
        PARTNERSHIP_COUNTS_SCHEMA,
    )
    activities = frame(
        conn,
        build_partnership_activities_query(first_year, today.year, region=region),
        PARTNERSHIP_ACTIVITIES_SCHEMA,
    ).drop("key")
    results = rollups.year_results(counts, activities, today=today, by=("kommun_code",))
    return results.select("kommun_code", "year", "share_genomford", "preliminary")


def build_themes_query(year: int, *, codes: tuple[str, ...] | None = None) -> Select:
    """Promises of ``year`` per police region and focus-area theme (of the partnerships of
    ``codes`` only, when given: a reader's scope)."""
    query = (
        select(_REGION.name, FocusArea.theme, func.count(func.distinct(Promise.id)))
        .select_from(FocusArea)
        .join(Promise, Promise.id == FocusArea.promise_id)
        .join(Partnership, Partnership.id == Promise.partnership_id)
        .where(Promise.year_from <= year, Promise.year_to >= year, FocusArea.archived.is_(False))
    )
    query = _with_region(query, None)
    if codes is not None:
        query = query.where(Partnership.kommun_code.in_(codes))
    return query.group_by(_REGION.name, FocusArea.theme).order_by(_REGION.name, FocusArea.theme)


def load_themes(
    conn: Connection, year: int, *, codes: tuple[str, ...] | None = None
) -> pl.DataFrame:
    """region, theme, n_promises for ``year`` (region null: a police area without one)."""
    return frame(conn, build_themes_query(year, codes=codes), THEMES_SCHEMA)
