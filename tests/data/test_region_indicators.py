"""Region och riket's "Indikatorer" query (issue 12) on SQLite and PostgreSQL at national scale:
every kommun in scope read, in SQL. The comparison's rules: tests/unit/test_region_indicators.py;
the page: tests/app/test_region_indicators.py."""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import select, text

from dashboard import region_tables
from dashboard.queries import region_indicators as queries
from db import demo
from db.models import Indicator

TODAY = dt.date(2026, 11, 26)  # the fixtures' demo day: the latest values are of 2025
VIOLENCE = "N07403"
INDEX = "trygghetsmatning-problemindex"


def _indicator_id(conn, code: str) -> int:
    return conn.scalar(select(Indicator.id).where(Indicator.code == code))


def test_the_comparison_reads_every_kommun_in_scope_at_national_scale(engine):
    demo.load(engine, national=True, today=TODAY)
    with engine.connect() as conn:
        violence = _indicator_id(conn, VIOLENCE)
        choices = queries.load_indicator_years(conn, region=None)
        latest = choices.filter(pl.col("code") == VIOLENCE, pl.col("year") == 2025)
        assert latest["n_kommuner"].to_list() == [290]
        assert choices.filter(pl.col("code") == VIOLENCE)["year"].min() == 2007
        # The problem index has values per område too; only the whole kommun's are compared.
        assert set(choices.filter(pl.col("code") == INDEX)["n_kommuner"]) == {1}

        nation = queries.load_indicator_comparison(conn, violence, 2025, region=None)
        assert nation.height == 2 * 290 and set(nation["year"]) == {2022, 2025}
        assert set(nation["origin"]) == {"demo"} and set(nation["source"]) == {"exempel"}
        ost = queries.load_indicator_comparison(conn, violence, 2025, region="ost")
        assert {"0486", "0484"} <= set(ost["kommun_code"]) and set(ost["region"]) == {
            "Polisregion Öst"
        }
        assert ost.height < nation.height
        two = queries.load_indicator_comparison(
            conn, violence, 2025, region=None, codes=("0484", "0486")
        )
        assert two["kommun_code"].to_list() == ["0484", "0484", "0486", "0486"]
        compared = region_tables.indicator_comparison(nation, 2025, years_back=3)
        assert compared.height == 290 and compared["change"].null_count() == 0
        assert compared["value"].is_sorted(descending=True)
        if engine.dialect.name == "sqlite":  # one index lookup, not a scan of every value
            query = queries.build_indicator_comparison_query(violence, 2025, region=None)
            sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
            plan = " ".join(row[3] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "SEARCH indicator_value USING INDEX" in plan
