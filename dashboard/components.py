"""Small reusable st.* pieces shared by the pages.

Stored text (titles, names, comments) is shown with ``st.text``/``st.dataframe``, in HTML
blocks built by dashboard/html_blocks.py (``draw_html``, ``table``), which escape it, or escaped
with ``plain`` before it reaches anything that renders markdown.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Sequence

import polars as pl
import streamlit as st
from markupsafe import Markup
from sqlalchemy import Engine

from dashboard import (
    auth,
    browser_ui,
    html_blocks,
    labels,
    streamlit_adapter,
    tables,
)
from db import DatabaseUnavailable, check_connection

_LOG = logging.getLogger("dashboard")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def ensure_entrypoint() -> None:
    """Run app.py first when Streamlit ran a page script on its own.

    With a ``pages/`` folder beside app.py, the first run after a server start uses
    Streamlit's folder routing: a link to /trender runs ``pages/trender.py`` without app.py,
    so without the login gate and the role-based page list. Every page calls this first: it
    switches that routing off for the process and runs app.py in its place, which gates and
    routes the same URL as on every later run (dashboard.streamlit_adapter).
    """
    import runpy

    from dashboard import PROJECT_ROOT

    if streamlit_adapter.folder_routing_on():
        streamlit_adapter.stop_folder_routing()
        runpy.run_path(str(PROJECT_ROOT / "app.py"), run_name="__main__")
        st.stop()
    browser_ui.keep_history_tidy()


def leave_folder_routing() -> None:
    """Stop Streamlit's ``pages/`` folder routing for this process, before anything is drawn.

    With a ``pages/`` folder, the first run of a fresh process goes through Streamlit's
    legacy routing, which sends a navigation of the raw file names (app, administration, …)
    before any of our code runs, and keeps doing so on every run until ``st.navigation`` is
    called, which a login-required app does only after login (issue 10). config.toml sets
    ``client.showSidebarNavigation = false`` so that list is never drawn; here the legacy
    routing is switched off (dashboard.streamlit_adapter) and the option turned back on, so
    the page list app.py builds from the user's role shows in the sidebar from this run on.
    """
    streamlit_adapter.stop_folder_routing()
    if st.get_option("client.showSidebarNavigation") is False:
        st.set_option("client.showSidebarNavigation", True)


def plain(text: str) -> str:
    """Stored text escaped so markdown shows it literally (no links, emphasis or LaTeX)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# ---------------------------------------------------------------- states


def database_problem(engine: Engine) -> DatabaseUnavailable | None:
    """None when the database answers; else the fault, written to the server log."""
    try:
        check_connection(engine)
    except DatabaseUnavailable as exc:
        log_database_error(exc)
        return exc
    return None


PUBLIC_DOWN = "Sidan kan inte visas just nu. Försök igen om en stund."
DATABASE_DOWN = (
    "**Databasen går inte att nå just nu.** Sidorna kan inte visas. Försök igen om en stund; "
    "om felet består, kontakta den som förvaltar verktyget."
)


def log_database_error(exc: BaseException) -> None:
    """The technical detail (server, database, user, the driver's text) for the server log."""
    _LOG.error("Databasen svarar inte: %s", exc, exc_info=exc.__cause__ or exc)


def database_error(exc: BaseException | None = None) -> None:
    """The database does not answer or lacks its tables (issue 10).

    Visitors get a Swedish message and nothing about the system; the server, database, user
    and the driver's own text go to the server log, and on screen only to a logged-in admin.
    """
    if exc is not None and not isinstance(exc, DatabaseUnavailable):  # logged already
        log_database_error(exc)
    st.error(DATABASE_DOWN)
    if exc is not None and auth.may_see(auth.current_user(), auth.ADMIN_ROLES):
        first_line = (str(exc).strip().splitlines() or ["okänt fel"])[0][:300]
        with st.expander("Teknisk information (visas bara för administratörer)"):
            st.text(first_line)
            st.text(
                "Kontrollera att databasservern är igång, att DASHBOARD_DATABASE_URL är rätt "
                "och att databasen är migrerad (python -m dashboard migrate)."
            )


def empty_database() -> None:
    """No promise at all: say how to get one."""
    st.info(
        "Det finns inga medborgarlöften i databasen ännu. Ladda exempeldata med "
        "`python -m dashboard demo`, eller lägg upp årets löfte under Administration."
    )


def needs_admin(what: str) -> None:
    """Something the administrator sets up is missing: say what, and who adds it."""
    st.info(f"{what} En administratör lägger till dem under Administration.")


def demo_badge() -> None:
    """The visible "Exempeldata" badge shown whenever demo rows are on screen."""
    draw_html(html_blocks.demo_badge())


def demo_badge_if(*frames: pl.DataFrame) -> None:
    """The badge, when any of ``frames`` holds demo rows."""
    if tables.contains_demo(*frames):
        demo_badge()


# ---------------------------------------------------------------- content


def draw_html(*parts: Markup | str) -> None:
    """Read-only content as one ``st.html`` block (dashboard/html_blocks.py escapes it).

    Neighbouring text, headings, tables and cards go into one block where the layout allows:
    each Streamlit element kind costs the browser its own script and styles, and st.table one
    Markdown render per cell (issue 15).
    """
    st.html(html_blocks.render(*parts))


def demo_note(*frames: pl.DataFrame) -> Markup:
    """The "Exempeldata" badge for an HTML block when any of ``frames`` holds demo rows."""
    return html_blocks.demo_badge() if tables.contains_demo(*frames) else html_blocks.EMPTY


# Rows an HTML table shows at once; a longer one is built when the reader asks for it (issue
# 15): Region och riket's 337 promises as 3,400 table cells cost the browser more than the
# canvas grid they replaced (+0.1× the floor, 20,000 elements).
LONG_TABLE = 40


def long_table(
    frame: pl.DataFrame,
    *,
    key: str,
    label: str,
    noun: tuple[str, str],
    links: dict[str, str] | None = None,
    lead: Sequence[Markup] = (),
) -> None:
    """A read-only table of up to hundreds of rows, in a box that scrolls under its header.

    Up to ``LONG_TABLE`` rows it is drawn at once, in one HTML block with ``lead`` (e.g. its
    heading); a longer one sits in an expander ("Visa alla 337 löften", ``noun``: the
    singular and plural of a row) under ``lead`` and is built when opened, as the charts'
    data tables are. ``label`` names the table for screen readers; ``links`` as in
    ``html_blocks.table``.
    """
    table = functools.partial(html_blocks.table, frame, links=links, label=label, scroll=True)
    if frame.height <= LONG_TABLE:
        draw_html(*lead, table())
        return
    if lead:
        draw_html(*lead)
    box = st.expander(f"Visa alla {labels.count(frame.height, *noun)}", key=key, on_change="rerun")
    if box.open:
        with box:
            draw_html(table())


def lazy_tabs(tabs: dict[str, Callable[[], object]], *, key: str) -> None:
    """Tabs (label → the function that draws its content) whose content is drawn from the
    first time each is opened, then on every run (issue 15).

    ``st.tabs`` draws every tab's content on every run, hidden or not: Administration's seven
    tabs were 9,000 elements in the browser before anyone clicked one. Here only the tabs
    opened in this session are drawn; opening another reruns the page. A tab once opened stays
    drawn, hidden like before, so what someone typed in one of its forms (held by the browser
    until it is sent) is still there when they come back to it
    (tests/browser/test_lazy_tabs.py).
    """
    labels_ = list(tabs)
    containers = st.tabs(labels_, key=key, on_change="rerun")
    seen = st.session_state.setdefault(seen_tabs_key(key), set())
    seen.update(label for label, tab in zip(labels_, containers, strict=True) if tab.open)
    for label, tab in zip(labels_, containers, strict=True):
        if label in seen:
            with tab:
                tabs[label]()


def seen_tabs_key(key: str) -> str:
    """The session-state key of the labels of ``lazy_tabs(..., key=key)`` opened so far."""
    return f"{key}:sedda"


def chart(shown, *, rows: pl.DataFrame | None = None) -> None:
    """A chart (``cache.chart``) stretched to the column, its data as a table in an expander.

    ``st.vega_lite_chart`` with the cached spec sends what ``st.altair_chart`` would, without
    validating and converting the chart again on every rerun (issue 6). The table is built only
    when the reader opens the expander (issue 15): a closed expander still drew a data grid
    for every chart on every page load, which cost the browser more than the chart itself.
    Opening it reruns the page once; it is an HTML table (``table``), read by screen readers.
    ``rows`` replaces the chart's own rows in that table.
    """
    st.vega_lite_chart(spec=shown.streamlit_spec, width="stretch", theme=None)
    data_table = st.expander(
        "Visa diagrammets data som tabell", key=_table_key(shown), on_change="rerun"
    )
    if data_table.open:
        with data_table:
            table(tables.readable(shown.data if rows is None else rows), label=_data_label(shown))


def _data_label(shown) -> str:
    """What screen readers call a chart's data table: "Data: " and the chart's title."""
    title = shown.spec.get("title")
    text = title.get("text", "") if isinstance(title, dict) else title or ""
    return f"Data: {' '.join(text) if isinstance(text, list) else text}".strip()


def _table_key(shown) -> str:
    """A stable key for a chart's data expander: its title and its datasets' content names, so
    the same chart keeps its expander open across reruns and two charts never share one."""
    import hashlib
    import json

    datasets = sorted(shown.streamlit_spec.get("datasets", {}))
    title = json.dumps(shown.title, ensure_ascii=False, sort_keys=True, default=str)
    digest = hashlib.sha1(f"{title}|{'|'.join(datasets)}".encode()).hexdigest()[:16]
    return f"diagramdata-{digest}"


def table(frame: pl.DataFrame, *, label: str) -> None:
    """A read-only display table (from dashboard.tables) as an HTML table, full width.

    st.dataframe's canvas grid cut titles at the column width even at 1920 pixels (issue 10);
    an HTML table wraps them, and screen readers read it as a table. st.table rendered every
    cell through Streamlit's Markdown renderer, the largest single cost in the browser on
    Översikt (issue 15); the HTML table escapes stored text and draws it as it is.
    """
    draw_html(html_blocks.table(frame, label=label))
