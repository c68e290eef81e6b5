"""What a logged-in reader may see (issue 11): the partnerships their grants cover.

A grant of any role lets its holder read inside its scope: a kommun its partnership, a
lokalpolisområde the partnerships of that police area, a polisregion those whose police area
belongs to it, the nation everything (dashboard/access.py). With DASHBOARD_REQUIRE_LOGIN=1
the browse pages and Region och riket offer only these; without it every visitor sees all.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl
from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import aliased

from dashboard.access import Grant, partnership_scope_clause
from dashboard.queries.base import frame
from db.models import Organisation, Partnership

READABLE_SCHEMA = {"kommun_code": pl.String, "region_code": pl.String}

_AREA = aliased(Organisation, name="area")
_REGION = aliased(Organisation, name="region")


def build_readable_query(grants: Iterable[Grant]) -> Select:
    """Every partnership ``grants`` cover, with its police region's code (null: none)."""
    query = (
        select(Partnership.kommun_code, _REGION.code)
        .outerjoin(_AREA, _AREA.id == Partnership.police_area_id)
        .outerjoin(_REGION, _REGION.id == _AREA.parent_id)
        .order_by(Partnership.kommun_code)
    )
    clause = partnership_scope_clause(grants)
    return query if clause is None else query.where(clause)


def load_readable(conn: Connection, grants: Iterable[Grant]) -> pl.DataFrame:
    """kommun_code, region_code of every partnership the grants cover."""
    return frame(conn, build_readable_query(grants), READABLE_SCHEMA)
