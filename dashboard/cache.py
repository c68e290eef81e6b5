"""The only st.cache_* wrappers. Each says what it shares across sessions and what clears it.

Cache keys of data caches include ``data_version`` (a cheap query, see queries.data_version),
so a save in this or any other app process shows on the next rerun without waiting for a ttl.
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

from dashboard import charts, components, queries, streamlit_adapter
from dashboard.export import content as export_content
from dashboard.export import images as export
from dashboard.settings import Settings
from db import make_engine


def settings() -> Settings:
    """The settings, read on every run: deliberately not cached.

    Reading the environment and a small TOML file costs microseconds, and an uncached read
    lets a test (or an operator) point the same process at another database.
    """
    return Settings.load()


@st.cache_resource(show_spinner=False)
def engine(url: str) -> Engine:
    """One engine (and so one connection pool) per database URL, shared by every session.

    Holds no user state. Cleared only by a process restart.
    """
    return make_engine(url)


def data_version(url: str) -> str:
    """The database's current data version; not cached, it is what makes caching safe."""
    with engine(url).connect() as conn:
        return queries.data_version(conn)


@st.cache_data(show_spinner=False, max_entries=512)
def _load(
    key: str, _query: Callable, url: str, version: str, args: tuple, kwargs: tuple
) -> pl.DataFrame:
    """A query's frame, shared by every session that asks the same question of the same data.

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


# ---------------------------------------------------------------- charts (issue 6)


@dataclass(frozen=True)
class ShownChart:
    """A chart of dashboard.charts, built once and kept in the forms the page needs.

    Attributes:
        streamlit_spec: What ``st.altair_chart`` would send: the Vega-Lite spec with each
            dataset as Arrow bytes under a content-hash name.
        spec: The plain Vega-Lite spec (data inline), for the title and the exports.
        data: The rows the chart is drawn from (``charts.data_of``).
    """

    streamlit_spec: dict
    spec: dict
    data: pl.DataFrame


@st.cache_data(show_spinner=False, max_entries=256)
def _chart(key: str, _build: Callable, args: tuple, kwargs: tuple) -> ShownChart:
    """A built chart, shared by every session that draws the same chart of the same rows.

    Key: the builder's module and name (``_build`` itself, the function given, is not hashed)
    and its arguments, frames hashed by content (the frames come from ``load``, keyed by data
    version, so a write anywhere gives new frames and a new key). No ttl; old entries age out
    of the 256-entry LRU. Building a chart validates every encoding against the Vega-Lite
    schema, and ``st.altair_chart`` validates again and converts the data to Arrow: at
    national scale that was three quarters of a warm Trender run (issue 6).
    """
    built = _build(*args, **dict(kwargs))
    # Streamlit's own conversion, so the page sends exactly what st.altair_chart would.
    streamlit_spec = streamlit_adapter.vega_lite_spec(built)
    return ShownChart(streamlit_spec, built.to_dict(validate=False), charts.data_of(built))


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


@st.cache_data(show_spinner=False, max_entries=16)
def _year_exports(
    url: str, version: str, year: int, tertial: int, partnership: str, today: dt.date
) -> export_content.YearExports | None:
    """Everything the Export page offers for a year and tertial (charts, tables, pack content).

    Shared by every session. Key: database URL, data version, year, tertial, partnership and
    the day (the "Uttag" date on the files). A write anywhere changes the data version, so no
    ttl is needed; old entries age out of the 16-entry LRU.
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
    partnership = promise or components.shown_partnership(current.partnership_code)
    return _year_exports(url, data_version(url), year, tertial, partnership, today)
