"""The opening every browse page shares (issue 11): which kommun's promise is shown.

Pages call ``partnership()`` first; the Export page's files and every chart's download name
the same kommun (``components.shown_partnership``). Registrera and Administration write, so they
stay on the configured kommun (``DASHBOARD_PARTNERSHIP``) until roles carry a scope.
"""

from __future__ import annotations

import datetime as dt

from dashboard import cache, components, queries, tables


def promise(code: str, year: int) -> str:
    """The view key of the promise shown for ``year``: the kommun's only promise, or the one
    chosen in the promise picker (``?lofte=``) when it has several (areas, or two in a year)."""
    promises = cache.load(queries.load_year_promises, year, partnership=code)
    return components.promise_picker(promises, code)


def periods(key: str, year: int):
    """The year's periods of the shown promise (``queries.load_periods``)."""
    return cache.load(queries.load_periods, year, partnership=key)


def period(key: str, year: int, *, default: int | None = None) -> int:
    """The period picker for the shown promise's ``year``; ``default``: the current period."""
    shown = periods(key, year)
    if default is None:
        default = tables.current_period(shown, dt.date.today())
    return components.period_picker(shown, default=default)


def partnership() -> str:
    """The SCB code of the kommun this page shows: the sidebar's choice, else the configured."""
    options = cache.load(queries.load_partnerships)
    return components.partnership_picker(options, default=cache.settings().partnership_code)
