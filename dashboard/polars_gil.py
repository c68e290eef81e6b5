"""Polars' ``DataFrame.to_pandas`` without the deadlock under concurrent sessions (issue 15).

Polars (checked on 2.1) converts a frame to pandas by building Arrow batches on its thread
pool *while holding the GIL*. When another session's script thread runs a query with
``map_elements`` at the same time, the pool's workers wait for the GIL to call the Python
function, and the thread holding the GIL waits for the pool: every thread of the server stops,
health check included (found by bench/load.py with five sessions; pola-rs/polars#26821 and
#27396 are the same class of bug for ``to_numpy`` and for ``to_pandas`` of one frame).
Streamlit calls ``to_pandas`` for every polars frame given to ``st.table`` and for some
``st.dataframe`` and ``st.data_editor`` calls.

``install`` makes ``to_pandas`` go through ``to_arrow`` (which releases the GIL) and pyarrow's
own ``Table.to_pandas``: the same pandas frame, for frames without Object columns and without
``use_pyarrow_extension_array``; anything else takes polars' own path. The app's server
(``python -m dashboard.server``) installs it at start.
"""

from __future__ import annotations

from typing import Any

import polars as pl

_ORIGINAL = pl.DataFrame.to_pandas


def _to_pandas(self: pl.DataFrame, *, use_pyarrow_extension_array: bool = False, **kwargs: Any):
    if use_pyarrow_extension_array or not self.width or any(d.is_object() for d in self.dtypes):
        return _ORIGINAL(self, use_pyarrow_extension_array=use_pyarrow_extension_array, **kwargs)
    date_as_object = kwargs.pop("date_as_object", False)
    return self.to_arrow().to_pandas(date_as_object=date_as_object, **kwargs)


def install() -> None:
    """Route ``polars.DataFrame.to_pandas`` through Arrow for this process (idempotent)."""
    pl.DataFrame.to_pandas = _to_pandas  # type: ignore[method-assign]
