"""The only st.cache_* wrappers. Each says what it shares across sessions and what clears it.

Cache keys of data caches include ``data_version`` (a cheap query, see queries.data_version),
so a save in this or any other app process shows on the next rerun without waiting for a ttl.
The version is read once per script run (``begin_run``), not once per query.

Frames, charts and the Export page's content are shared as they are (``st.cache_resource``),
not copied: ``st.cache_data`` pickles a value when it is stored and unpickles a new copy on
every hit, which at national scale cost more than the page's own work (issue 15). What is
shared is never changed in place: polars frames are immutable unless one calls an in-place
method (``insert_column``, ``extend``, ``vstack(in_place=True)``; the app calls none), and the
chart specs are only read (``st.vega_lite_chart`` copies a spec before it changes it).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from dashboard import chart_style, charts, choices, components, queries
from dashboard.export import content as export_content
from dashboard.export import images as export
from dashboard.settings import Settings
from db import make_engine

# Read once per script run, kept in the session's state: the data version (database URL,
# version) and the settings.
_RUN_VERSION = "_data_version_this_run"
_RUN_SETTINGS = "_settings_this_run"


def settings() -> Settings:
    """The settings, read once per script run and not cached across runs.

    A run asked for them a dozen times (every cached read names its database), and each read
    parsed the secrets file again: 3 ms of a 50 ms page run (issue 15). Read afresh in every
    run, a test (or an operator) can still point the same process at another database.
    """
    remembered = st.session_state.get(_RUN_SETTINGS)
    if remembered is None:
        remembered = st.session_state[_RUN_SETTINGS] = Settings.load()
    return remembered


@st.cache_resource(show_spinner=False)
def engine(url: str) -> Engine:
    """One engine (and so one connection pool) per database URL, shared by every session.

    Holds no user state. Cleared only by a process restart.
    """
    return make_engine(url)


def begin_run() -> None:
    """Start a script run (app.py, first): settings and data version are read again."""
    st.session_state.pop(_RUN_SETTINGS, None)
    st.session_state.pop(_RUN_VERSION, None)


def data_version(url: str) -> str:
    """The database's data version, read once per script run.

    Every cached read of a run keys on it: a page of ten queries asked for it ten times, each
    a query of its own (issue 15). Writes happen in button callbacks, before app.py starts the
    run that draws the page (``begin_run``), and ``database.writing`` forgets it too, so a run
    never keys on the version from before its own session's write.
    """
    remembered = st.session_state.get(_RUN_VERSION)
    if remembered is not None and remembered[0] == url:
        return remembered[1]
    with engine(url).connect() as conn:
        version = queries.data_version(conn)
    st.session_state[_RUN_VERSION] = (url, version)
    return version


def forget_data_version() -> None:
    """After a write: the next cached read of this run asks the database for its version."""
    st.session_state.pop(_RUN_VERSION, None)


@st.cache_resource(show_spinner=False, max_entries=512)
def _load(
    key: str, _query: Callable, url: str, version: str, args: tuple, kwargs: tuple
) -> pl.DataFrame:
    """A query's frame, shared (not copied) by every session that asks the same question of
    the same data.

    Key: the query's module and name (``_query`` itself is not hashed; it is the function
    called), database URL, data version and arguments. No ttl: a write anywhere changes the
    data version, so the next rerun asks a new key and the old entry ages out of the 512-entry
    LRU. ``clear_data`` empties it at once (not needed for correctness).
    """
    with engine(url).connect() as conn:
        return _query(conn, *args, **dict(kwargs))


def load(query: Callable[..., pl.DataFrame], *args, **kwargs) -> pl.DataFrame:
    """Run ``query`` (a ``queries.load_*`` function) through the shared cache.

    A database error stops the page with a short Swedish message instead of a traceback.
    """
    url = settings().database_url
    try:
        version = data_version(url)
        key = f"{query.__module__}.{query.__qualname__}"
        return _load(key, query, url, version, args, tuple(sorted(kwargs.items())))
    except SQLAlchemyError as exc:
        components.database_error(exc)
        st.stop()
        raise  # st.stop() raises; this line keeps type checkers honest


def clear_data() -> None:
    """Forget every cached query result (e.g. after a bulk import)."""
    _load.clear()
    forget_data_version()


# ---------------------------------------------------------------- charts (issue 6)


@dataclass(frozen=True)
class ShownChart:
    """A chart of dashboard.charts, built once and kept in the forms the page needs.

    Attributes:
        spec: The plain Vega-Lite spec (data inline), for the exports.
        streamlit_spec: The same spec with each dataset as an Arrow table, for
            ``st.vega_lite_chart`` (``chart_style.page_spec``).
        data: The rows the chart is drawn from (``charts.data_of``).
    """

    spec: dict
    streamlit_spec: dict
    data: pl.DataFrame

    @property
    def title(self):
        """The chart's title (a string, or a dict with ``text`` and ``subtitle``)."""
        return self.spec.get("title")


@st.cache_resource(show_spinner=False, max_entries=256)
def _chart(key: str, _build: Callable, args: tuple, kwargs: tuple) -> ShownChart:
    """A built chart, shared (not copied) by every session that draws the same chart of the
    same rows.

    Key: the builder's module and name (``_build`` itself, the function given, is not hashed)
    and its arguments, frames hashed by content (the frames come from ``load``, keyed by data
    version, so a write anywhere gives new frames and a new key). No ttl; old entries age out
    of the 256-entry LRU. Building a chart and converting it for the page was three quarters
    of a warm Trender run (issue 6), and at national scale every kommun's first visit builds
    its own (issue 15): the builders avoid Altair's copies (chart_style.finish, ``layered``)
    and the chart is turned into a spec once, without validating it again.
    """
    built = _build(*args, **dict(kwargs))
    spec = built.to_dict(validate=False)
    return ShownChart(spec, chart_style.page_spec(spec), charts.data_of(built))


def chart(build: Callable, *args, **kwargs) -> ShownChart:
    """``build(*args, **kwargs)`` (a chart builder, e.g. of dashboard.charts) through the cache.

    The cache calls the function it was given, keyed on its module and name (issue 11).
    """
    key = f"{build.__module__}.{build.__qualname__}"
    return _chart(key, build, args, tuple(sorted(kwargs.items())))


# ---------------------------------------------------------------- exports (issue 5)


@st.cache_data(show_spinner=False, max_entries=64)
def chart_file(spec_json: str, fmt: str) -> bytes:
    """A framed chart (``export.export_spec``) rendered by vl-convert as PNG, SVG or PDF.

    Shared by every session: the key is the spec's JSON, data included, and the format, so a
    chart is rendered once however many people download it. A changed chart is a new key, so
    nothing needs clearing; the 64-entry LRU bounds the memory (a PNG is a few hundred kB).
    """
    return export.chart_bytes(json.loads(spec_json), fmt)


@st.cache_resource(show_spinner=False, max_entries=16)
def _year_exports(
    url: str, version: str, year: int, tertial: int, partnership: str, today: dt.date
) -> export_content.YearExports | None:
    """Everything the Export page offers for a year and tertial (charts, tables, pack content).

    Shared (not copied) by every session. Key: database URL, data version, year, tertial,
    partnership and the day (the "Uttag" date on the files). A write anywhere changes the
    data version, so no ttl is needed; old entries age out of the 16-entry LRU.
    """
    with engine(url).connect() as conn:
        return export_content.load_year_exports(
            conn, year, tertial, partnership=partnership, today=today
        )


def year_exports(
    year: int, tertial: int, *, today: dt.date, promise: str | None = None
) -> export_content.YearExports | None:
    """``export_content.load_year_exports`` for the configured database, through the cache:
    the promise shown (a view key, queries.split_key), else the kommun's whole-kommun one."""
    current = settings()
    url = current.database_url
    partnership = promise or choices.shown_partnership(current.partnership_code)
    return _year_exports(url, data_version(url), year, tertial, partnership, today)
