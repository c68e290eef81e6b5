"""Columns of Swedish text made by Python formatters, outside polars' thread pool (issue 15).

A Python function inside a polars expression (``map_elements``, ``map_batches``) runs on
polars' worker threads, which must take the GIL to call it. A session's thread that holds the
GIL while it waits for those same workers (polars does, in ``is_empty``, ``rechunk``,
``hash_rows``, ``to_arrow`` …) then waits for ever, and with it every session of the server,
health check included: found by the load test with 50 sessions once the sessions shared their
frames. So the formatters of labels run here, in the caller's thread, over a column's Python
values, and tests/unit/test_no_python_in_polars.py keeps Python functions out of polars
expressions in the app.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl


def text(formatter: Callable[..., str], *columns: pl.Series, name: str | None = None) -> pl.Series:
    """``formatter`` applied to each row of ``columns`` (one value of each), as a text column.

    Args:
        formatter: A function of as many values as there are columns, e.g. ``labels.format_date``
            of one, ``labels.format_target`` of two; it is given None for a missing value.
        *columns: Columns of equal length (a frame's ``frame["name"]``).
        name: The new column's name; by default the first column's.

    Returns:
        A String column of the same length.
    """
    values = zip(*(column.to_list() for column in columns), strict=True)
    return pl.Series(name or columns[0].name, [formatter(*row) for row in values], pl.String)
