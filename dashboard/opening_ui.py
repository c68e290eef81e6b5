"""The opening every browse page shares (issue 11): which kommun, year, promise and period.

A page calls ``open_year(column)``: it draws one popover whose button names the kommun, year
and (when the kommun has several that year) promise shown, with their pickers inside, and
returns what is shown; then ``period(shown)`` draws the period picker where the page wants
it. The Export page's files and every chart's download name the same kommun
(``choices.shown_partnership``).
Registrera and Administration write: they offer only the kommuner the user's grants let them
write in (the same popover), and their services refuse a user whose grants do not cover it.

With DASHBOARD_REQUIRE_LOGIN=1 a reader sees only the partnerships their grants cover
(``readable``, dashboard/queries/scope.py): the kommun choice offers only those, and an address
naming another kommun gets the short note and the default, never the other kommun's data.
Without it every visitor sees every partnership, as before.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

import polars as pl
import streamlit as st

from dashboard import auth, cache, choices, components, database, labels, queries, tables
from dashboard.queries.scope import load_readable

NOTHING_READABLE = (
    "Ditt konto har ingen behörighet för något medborgarlöfte ännu. Kontakta en administratör."
)


@dataclass(frozen=True)
class Shown:
    """What a browse page shows: the kommun, the year and the promise (a view key for the
    queries, ``queries.split_key``), with the promise's periods of that year."""

    code: str
    year: int
    promise: str
    periods: pl.DataFrame

    @property
    def codes(self) -> dict[int, str]:
        return labels.period_codes(self.periods)

    @property
    def names(self) -> dict[int, str]:
        return labels.period_names(self.periods)


def open_year(column=None) -> Shown:
    """Kommun, year and promise pickers in one popover (``choices.choices_popover``) in
    ``column`` (e.g. one of ``st.columns``), its button naming what is shown.

    Stops the page with the empty-database note when the kommun has no promise at all.
    """
    options, default = partnerships(), cache.settings().partnership_code
    code = choices.partnership_preview(options, default=default)
    years = cache.load(queries.load_years, partnership=code)["year"].to_list()
    default_year = tables.default_year(years, dt.date.today()) if years else None
    parts = choices.partnership_label(options, code)
    if years:
        year = choices.year_preview(years, default=default_year)
        promises = cache.load(queries.load_year_promises, year, partnership=code)
        parts += [str(year), choices.promise_preview(promises)]
    with column if column is not None else contextlib.nullcontext():
        box = choices.choices_popover([part for part in parts if part])
        code = choices.partnership_picker(options, default=default, box=box)
        if not years:
            components.empty_database()
            st.stop()
        year = choices.year_picker(years, default=default_year, box=box)
        key = choices.promise_picker(promises, code, box=box)
    return Shown(code, year, key, periods(key, year))


def periods(key: str, year: int):
    """The year's periods of the shown promise (``queries.load_periods``)."""
    return cache.load(queries.load_periods, year, partnership=key)


def period(shown: Shown, *, default: int | None = None) -> int:
    """The period picker for the shown promise's year; ``default``: the current period."""
    if default is None:
        default = tables.current_period(shown.periods, dt.date.today())
    return choices.period_picker(shown.periods, default=default)


def partnership(column=None) -> str:
    """The SCB code of the kommun this page shows (a page without years, e.g. Trender): the
    choice in its popover (in ``column``) when there are several, else the configured kommun."""
    default = cache.settings().partnership_code
    return choices.partnership_choice(partnerships(), default=default, where=column)


def partnerships() -> pl.DataFrame:
    """The partnerships this user may read (``queries.load_partnerships``, ``within_scope``)."""
    return within_scope(cache.load(queries.load_partnerships), readable(), column="code")


def readable() -> pl.DataFrame | None:
    """kommun_code, region_code of the partnerships the user may read; None: every one."""
    user = auth.current_user()
    if not cache.settings().require_login or user is None:
        return None  # (with login required, the gate has stopped a run without a user)
    if user.national_reader:
        return None
    with database.reading() as conn:
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
