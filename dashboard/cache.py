"""The only st.cache_* wrappers. Each says what it shares across sessions and what clears it.

Cache keys of data caches include ``data_version`` (a cheap query, see queries.data_version),
so a save in this or any other app process shows on the next rerun without waiting for a ttl.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

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
