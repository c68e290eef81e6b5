"""Registrera utvärdering: a period's evaluations, one activity at a time or all in a grid.

Only samordnare and admin see this page (app.py builds the page list from the role); the
check below is a second lock, and the save service checks the role a third time. The kommun
choice offers the kommuner the user's samordnare or admin grants cover (the save service
checks the scope again when it writes).
"""

import datetime as dt

import polars as pl
import streamlit as st

from dashboard import auth, cache, choices, components, labels, tables
from dashboard.entry import ui

components.ensure_entrypoint()
st.title("Registrera utvärdering")
user = auth.require(
    auth.ENTRY_ROLES,
    "Logga in som samordnare eller administratör för att registrera utvärderingar.",
)

settings = cache.settings()
today = dt.date.today()
writable = ui.load_writable(user)
if writable.is_empty() and not ui.offline():
    st.info(
        "Ditt konto får inte registrera utvärderingar för något medborgarlöfte ännu. "
        "Kontakta en administratör."
    )
    st.stop()
# Kommun, year and promise in one popover named after them, as on the browse pages (issue 15).
previewed = choices.partnership_preview(writable, default=settings.partnership_code)
covered = ui.load_years(previewed)
default_year = (today.year if today.year in covered else max(covered)) if covered else None
parts = choices.partnership_label(writable, previewed)
if covered:
    year = choices.year_preview(covered, default=default_year)
    promises = ui.load_promise_choice(year, previewed)
    parts += [str(year), choices.promise_preview(promises)]
left, right = st.columns([1, 2])
with left:
    box = choices.choices_popover([part for part in parts if part])
    kommun = choices.partnership_picker(writable, default=settings.partnership_code, box=box)
    if covered is None:
        components.database_error()
        st.stop()
    if not covered:
        components.empty_database()
        st.stop()
    year = choices.year_picker(covered, default=default_year, box=box)  # the year previewed
    promise = choices.promise_picker(promises, kommun, box=box)
periods = ui.load_periods(year, promise)
with right:
    tertial = choices.period_picker(periods, default=tables.current_period(periods, today))
entries = ui.load_entries(year, tertial, promise)
if entries is None:
    components.database_error()
    st.stop()
if ui.offline():
    ui.offline_notice()
if entries.is_empty():
    components.needs_admin(f"Löftet för {year} har inga aktiviteter ännu.")
    st.stop()
if settings.demo_mode:
    components.demo_badge()
ui.flash()
source = "exempel" if settings.demo_mode else "verklig"
ui.missing_section(year, promise, today)


def one_at_a_time() -> None:
    """One activity: its form and its history."""
    titles = dict(zip(entries["activity_id"], entries["title"], strict=True))
    activity_id = st.selectbox(
        "Aktivitet", list(titles), format_func=titles.get, key="entry_activity"
    )
    row = entries.row(by_predicate=pl.col("activity_id") == activity_id, named=True)
    st.text(f"{row['focus_area']} · {labels.OWNERS.get(row['owner'], row['owner'])}")
    ui.evaluation_form(user, row, year=year, tertial=tertial, source=source)
    ui.history_section(activity_id)


def whole_period() -> None:
    """Every activity of the period in one grid."""
    st.caption("Ändra direkt i tabellen och spara alla rader på en gång.")
    ui.evaluation_grid(user, entries, year=year, tertial=tertial, source=source, promise=promise)


# The grid is drawn from the first time its tab is opened (issue 15); an opened tab stays
# drawn, so what was typed in the form or the grid is there when the user comes back.
components.lazy_tabs(
    {"En aktivitet i taget": one_at_a_time, "Hela perioden i en tabell": whole_period},
    key=ui.TABS,
)
