"""A promise's own periods as the Löften tab's small table of name, start and end (issue 11).

No Streamlit here: the table's rows (``table_rows``) and, after the user's edits as
st.data_editor keeps them in the session (edited, added and deleted rows), the periods they
describe (``from_table``), which db/periods.py then checks for order and overlap.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dashboard.admin.items import AdminError
from db.periods import OwnPeriod

OWN_COLUMNS = {"name": "Namn", "starts_on": "Från", "ends_on": "Till"}
TABLE_SCHEMA = {"Namn": pl.String, "Från": pl.Date, "Till": pl.Date}


def table_rows(periods: pl.DataFrame) -> list[dict]:
    """A promise's stored periods as rows of the own-periods table."""
    return [
        {OWN_COLUMNS["name"]: p["name"], OWN_COLUMNS["starts_on"]: p["starts_on"],
         OWN_COLUMNS["ends_on"]: p["ends_on"]}
        for p in periods.iter_rows(named=True)
    ]  # fmt: skip


def from_table(base: list[dict], edits: dict) -> tuple[OwnPeriod, ...]:
    """The own-periods table after the user's edits (st.data_editor's state), as OwnPeriods.

    Raises:
        AdminError: A row lacks its name, start or end, or a date cannot be read.
    """
    rows = [dict(r) for r in base]
    for index, changes in (edits.get("edited_rows") or {}).items():
        rows[int(index)].update(changes)
    deleted = {int(i) for i in edits.get("deleted_rows") or []}
    rows = [r for i, r in enumerate(rows) if i not in deleted]
    rows += [dict(r) for r in edits.get("added_rows") or []]
    periods = []
    for number, row in enumerate(rows, start=1):
        name = (row.get(OWN_COLUMNS["name"]) or "").strip()
        start, end = (_date(row.get(OWN_COLUMNS[c])) for c in ("starts_on", "ends_on"))
        if not (name or start or end):
            continue  # an empty row the table offers
        if not (name and start and end):
            raise AdminError(f"Period {number} behöver namn, från och till.", "periods")
        periods.append(OwnPeriod(name, start, end))
    return tuple(periods)


def _date(text) -> dt.date | None:
    if text is None or isinstance(text, dt.date):
        return text
    try:
        return dt.date.fromisoformat(str(text)[:10])
    except ValueError:
        raise AdminError(f"”{text}” är inget datum; skriv ÅÅÅÅ-MM-DD.", "periods") from None
