"""The opening every browse page shares (issue 11): which kommun's promise is shown.

Pages call ``partnership()`` first; the Export page's files and every chart's download name
the same kommun (``components.shown_partnership``). Registrera and Administration write, so they
stay on the configured kommun (``DASHBOARD_PARTNERSHIP``); their services refuse a user whose
grants do not cover it.

With DASHBOARD_REQUIRE_LOGIN=1 a reader sees only the partnerships their grants cover
(``readable``, dashboard/queries/scope.py): the kommun choice offers only those, and an address
naming another kommun gets the short note and the default, never the other kommun's data.
Without it every visitor sees every partnership, as before.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import auth, cache, components, queries
from dashboard.queries.scope import load_readable

NOTHING_READABLE = (
    "Ditt konto har ingen behörighet för något medborgarlöfte ännu. Kontakta en administratör."
)


def partnership() -> str:
    """The SCB code of the kommun this page shows: the sidebar's choice, else the configured."""
    options = within_scope(cache.load(queries.load_partnerships), readable(), column="code")
    return components.partnership_picker(options, default=cache.settings().partnership_code)


def readable() -> pl.DataFrame | None:
    """kommun_code, region_code of the partnerships the user may read; None: every one."""
    user = auth.current_user()
    if not cache.settings().require_login or user is None:
        return None  # (with login required, the gate has stopped a run without a user)
    if user.national_reader:
        return None
    engine = cache.engine(cache.settings().database_url)
    with engine.connect() as conn:
        return load_readable(conn, user.grants)


def within_scope(
    frame: pl.DataFrame, scope: pl.DataFrame | None, *, column: str = "kommun_code"
) -> pl.DataFrame:
    """The rows of ``frame`` whose partnership is in ``scope`` (``readable()``); stops the page
    with a note if the scope holds none."""
    if scope is None:
        return frame
    if scope.is_empty():
        st.info(NOTHING_READABLE)
        st.stop()
    return frame.filter(pl.col(column).is_in(scope["kommun_code"].to_list()))


def codes(scope: pl.DataFrame | None) -> tuple[str, ...] | None:
    """The SCB codes of ``scope`` (a cache key for queries that take them); None: every one."""
    return None if scope is None else tuple(scope["kommun_code"].to_list())
