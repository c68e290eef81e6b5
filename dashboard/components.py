"""Small reusable st.* pieces shared by the pages.

Stored text (titles, names, comments) is shown with ``st.text``/``st.dataframe`` or escaped
with ``plain`` before it reaches anything that renders markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import polars as pl
import streamlit as st
from sqlalchemy import Engine

from dashboard import charts, labels, tables
from db import DatabaseUnavailable, check_connection

BADGE_COLOURS = {
    "genomford": "green",
    "pagar": "blue",
    "forsenad": "orange",
    "ej_genomford": "red",
    "ej_paborjad": "gray",
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:])")


def ensure_entrypoint() -> None:
    """Run app.py first when Streamlit ran a page script on its own.

    With a ``pages/`` folder beside app.py, the first run after a server start uses
    Streamlit's folder routing: a link to /trender runs ``pages/trender.py`` without app.py,
    so without the login gate and the role-based page list. Every page calls this first: it
    switches that routing off for the process and runs app.py in its place, which gates and
    routes the same URL as on every later run.
    """
    import runpy

    from streamlit.runtime.pages_manager import PagesManager

    from dashboard import PROJECT_ROOT

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        runpy.run_path(str(PROJECT_ROOT / "app.py"), run_name="__main__")
        st.stop()


def plain(text: str) -> str:
    """Stored text escaped so markdown shows it literally (no links, emphasis or LaTeX)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# ---------------------------------------------------------------- states


def database_ready(engine: Engine) -> bool:
    """Show a Swedish message and return False when the database does not answer."""
    try:
        check_connection(engine)
    except DatabaseUnavailable as exc:
        database_error(exc)
        return False
    return True


def database_error(exc: BaseException) -> None:
    """The database does not answer or lacks its tables: what happened and what to do."""
    first_line = (str(exc).strip().splitlines() or ["okänt fel"])[0][:300]
    st.error(
        "**Databasen går inte att nå.** Sidorna kan inte visas just nu.\n\n"
        f"{plain(first_line)}\n\nKontrollera att databasservern är igång, att "
        "`DASHBOARD_DATABASE_URL` är rätt och att databasen är migrerad "
        "(`python -m dashboard migrate`), och ladda sedan om sidan."
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
    st.badge(labels.DEMO_BADGE, icon="🧪", color="orange", help=labels.DEMO_EXPLANATION)


def demo_badge_if(*frames: pl.DataFrame) -> None:
    """The badge, when any of ``frames`` holds demo rows."""
    if tables.contains_demo(*frames):
        demo_badge()


def status_badge(code: str | None) -> None:
    """A status as icon + label + colour (never colour alone)."""
    s = labels.status(code)
    st.badge(s.label, icon=s.icon, color=BADGE_COLOURS.get(s.code, "gray"))


# ---------------------------------------------------------------- choices kept in the URL


def _url_choice(name: str, options: Sequence, default, render: Callable[[str], object]):
    """A widget whose value lives in the URL query parameter ``name``.

    The value is remembered in the session (so the year follows the user between pages) and
    written into the widget's state before every render, because Streamlit forgets a widget's
    state when the page changes. A session without a value (a fresh page load, e.g. from a
    shared link) takes it from the URL, else ``default``; every run writes the value back to
    the URL, so a copied link opens the same view.
    """
    widget_key, memory_key = f"valt_{name}", f"minne_{name}"
    value = st.session_state.get(widget_key)
    if value not in options:
        value = st.session_state.get(memory_key)
    if value not in options:
        raw = st.query_params.get(name)
        value = _parse(raw, options)
        if value is None and raw not in (None, ""):
            st.warning(f"Adressens {name}={plain(raw)} finns inte; visar standardvalet.")
    st.session_state[widget_key] = default if value is None else value
    value = render(widget_key)
    st.session_state[memory_key] = value
    st.query_params[name] = str(value)
    return value


def _parse(raw: str | None, options: Sequence):
    by_text = {str(option): option for option in options}
    return by_text.get(raw) if raw is not None else None


def year_picker(years: Sequence[int], *, default: int) -> int:
    """Year selector kept in ``?ar=``."""
    options = sorted(set(years), reverse=True)
    return _url_choice(
        "ar",
        options,
        default,
        lambda key: st.selectbox("År", options, key=key),
    )


def tertial_picker(*, default: int) -> int:
    """Tertial selector (T1–T3) kept in ``?tertial=``."""
    return _url_choice(
        "tertial",
        [1, 2, 3],
        default,
        lambda key: st.segmented_control(
            "Tertial",
            [1, 2, 3],
            key=key,
            format_func=labels.TERTIALS.get,
            required=True,
        ),
    )


def focus_area_picker(areas: pl.DataFrame) -> dict:
    """Focus-area selector with previous/next buttons, kept in ``?fokus=`` (1-based position).

    Returns the chosen row of ``areas`` (``queries.load_focus_areas``) as a dict.
    """
    positions = list(range(1, areas.height + 1))
    names = dict(zip(positions, areas["name"], strict=True))
    key = "valt_fokus"

    def step(delta: int) -> None:
        st.session_state[key] = (st.session_state[key] - 1 + delta) % len(positions) + 1

    def render(widget_key: str):
        pick, back, forward = st.columns([5, 2, 2], vertical_alignment="bottom")
        back.button("◀ Föregående", on_click=step, args=(-1,), width="stretch")
        forward.button("Nästa ▶", on_click=step, args=(1,), width="stretch")
        return pick.selectbox(
            "Fokusområde", positions, key=widget_key,
            format_func=lambda p: f"{p} av {len(positions)}: {names[p]}",
        )  # fmt: skip

    position = _url_choice("fokus", positions, 1, render)
    return areas.row(position - 1, named=True)


# ---------------------------------------------------------------- content


def promise_header(promise: dict) -> None:
    """Title, kind, signing date and signatories of a promise (``queries.load_promise`` row)."""
    st.header(plain(promise["title"]), anchor=False)
    kind = labels.KINDS.get(promise["kind"], promise["kind"])
    years = labels.format_years(promise["year_from"], promise["year_to"])
    signed = labels.format_date(promise["signed_on"])
    st.text(f"{kind} {years}" + (f", undertecknat {signed}" if signed else ""))
    signatories = [labels.format_signatory(s) for s in promise["signatories"] or []]
    if signatories:
        st.text("Undertecknat av: " + " och ".join(signatories))
    if promise["source"] == "verklig" and promise["source_url"]:
        st.text(f"Källa: {promise['source_url']}")


def focus_area_card(area: dict, *, tertial: int) -> None:
    """One focus area's roll-up (``rollups.focus_area_status`` row) as a bordered card."""
    with st.container(border=True):
        st.subheader(plain(area["focus_area"]), anchor=False)
        if area["n_activities"] == 0:
            st.text("Inga aktiviteter i fokusområdet ännu.")
            return
        if area["n_evaluated"] == 0:
            status_badge(None)
            st.text(f"Ingen aktivitet är utvärderad för {labels.TERTIAL_SHORT[tertial]}.")
            return
        status_badge(area["status"])
        st.metric("Genomförandegrad", labels.format_percent(area["completion"]))
        counts = [
            f"{labels.status_text(code)}: {area[f'n_{code}']}"
            for code in charts.STATUS_ORDER
            if area[f"n_{code}"]
        ]
        if area["n_ej_utvarderad"]:
            counts.append(f"{labels.status_text(None)}: {area['n_ej_utvarderad']}")
        st.text("\n".join(counts))
        last = area["last_tertial"]
        st.text(f"Senast utvärderad: {labels.TERTIALS[last]}" if last else "Ej utvärderad")


def focus_area_cards(status: pl.DataFrame, *, tertial: int, per_row: int = 3) -> None:
    """A grid of focus-area cards."""
    rows = status.to_dicts()
    for start in range(0, len(rows), per_row):
        for column, area in zip(st.columns(per_row), rows[start : start + per_row], strict=False):
            with column:
                focus_area_card(area, tertial=tertial)


def activity_card(activity: dict) -> None:
    """One activity for meeting mode (a ``rollups.with_latest`` row): owner, partners, target
    vs achieved, the status of every tertial and the latest comment."""
    with st.container(border=True):
        st.markdown(f"**{plain(activity['title'])}**")
        partners = ", ".join(activity["partners"] or []) or "–"
        unit = activity["target_unit"]
        achieved = activity["latest_achieved"]
        achieved_text = "–" if achieved is None else labels.format_target(achieved, unit)
        owner = labels.owner_label(activity["owner"])
        st.text(f"Ansvarig: {owner}   ·   Samarbetspartner: {partners}")
        target = labels.format_target(activity["target_value"], unit)
        st.text(f"Mål: {target}   ·   Uppnått: {achieved_text}")
        cells = [
            f"{labels.TERTIAL_SHORT[t]}: {labels.status_text(activity[f'status_{t}'])}"
            for t in (1, 2, 3)
        ]
        st.text("      ".join(cells))
        comment = activity["latest_comment"]
        st.text(f"Senaste kommentar: {comment}" if comment else "Ingen kommentar.")


def chart(shown, *, table: pl.DataFrame | None = None) -> None:
    """A chart (``cache.chart``) stretched to the column, its data as a table in an expander.

    ``st.vega_lite_chart`` with the cached spec sends what ``st.altair_chart`` would, without
    validating and converting the chart again on every rerun (issue 6).
    """
    st.vega_lite_chart(spec=shown.streamlit_spec, width="stretch", theme=None)
    with st.expander("Visa diagrammets data som tabell"):
        data = shown.data if table is None else table
        st.dataframe(tables.readable(data), hide_index=True, width="stretch")


NARROW_COLUMNS = {"T1", "T2", "T3", "Ansvarig", "Status", "Mål", "Uppnått", "Från", "Till"}


def table(frame: pl.DataFrame) -> None:
    """A display table (from dashboard.tables), full width, no index; short columns narrow so
    the table fits 1280 pixels without scrolling sideways."""
    config = {
        name: st.column_config.TextColumn(width="small" if name in NARROW_COLUMNS else "medium")
        for name in frame.columns
    }
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config)


# ---------------------------------------------------------------- downloads (issue 5)

CHART_FORMATS = (
    ("png", "PNG", "Bild för presentationer, minst 1920 px bred"),
    ("svg", "SVG", "Vektorbild, skarp i alla storlekar"),
    ("pdf", "PDF", "Vektorbild som PDF"),
)


def chart_downloads(
    shown,
    *,
    key: str,
    year: int | None,
    tertial: int | None = None,
    demo: bool,
    span: str | None = None,
    data: pl.DataFrame | None = None,
) -> None:
    """A "Ladda ner" popover under a chart: PNG, SVG and PDF of ``shown``, its data as CSV/Excel.

    The files are made on the server with vl-convert from the chart the page shows, framed
    with title, partnership, period, source line, "Uttag" date and, when ``demo``, the
    Exempeldata label. Nothing is rendered until a button is clicked (deferred downloads), and
    rendered images are shared through ``cache.chart_file``.

    Args:
        shown: The chart on the page (``cache.chart``).
        key: Names the files (``strangnas-2021-T3-<key>.png``) and the buttons' widget keys.
        year: The year shown; None for a chart over many years (give ``span``).
        tertial: The tertial shown, if the chart is about one.
        demo: True when the chart includes demo rows.
        span: The years of a trend chart, e.g. "2007–2026".
        data: The rows behind the chart; defaults to the rows it is drawn from.
    """
    from dashboard.export import images as export

    meta = _export_meta(shown.spec, year=year, tertial=tertial, demo=demo, span=span)
    if meta is None:
        return
    rows = shown.data if data is None else data
    # One button per chart on first paint; the five formats open in a popover (issue 6).
    with st.popover("Ladda ner", icon=":material/download:", key=f"ladda-ner-{export.slug(key)}"):
        chart_download_row(shown.spec, meta, key=key, data=rows)


def _export_meta(shown, *, year, tertial, demo, span):
    # cache imports this module; importing it at call time keeps the import graph acyclic.
    import datetime as dt

    from dashboard import cache, queries
    from dashboard.export import images as export

    partnership = cache.settings().partnership_code
    if year is None:
        years = cache.load(queries.load_years, partnership=partnership)["year"]
        if years.is_empty():
            return None
    promise = cache.load(queries.load_promise, year or years.max(), partnership=partnership)
    if promise.is_empty():
        return None
    return export.export_meta(
        promise.row(0, named=True), title=export.chart_title(shown), year=year,
        tertial=tertial, today=dt.date.today(), demo=demo, span=span,
    )  # fmt: skip


def chart_download_row(shown, meta, *, key: str, data: pl.DataFrame) -> None:
    """PNG, SVG, PDF, CSV and Excel buttons in one row for a chart and its ``export.ExportMeta``."""
    import functools

    from dashboard import cache
    from dashboard.export import images as export

    key = export.slug(key)  # names files, widget keys and the row's CSS class
    spec_json = export.spec_key(export.export_spec(shown, meta))
    with st.container(horizontal=True, gap="small", key=f"nedladdning-{key}"):
        for fmt, label, help_text in CHART_FORMATS:
            st.download_button(
                label, functools.partial(cache.chart_file, spec_json, fmt),
                file_name=export.file_name(meta, key, fmt), mime=export.MIME[fmt],
                key=f"dl-{key}-{fmt}", help=help_text, on_click="ignore",
                icon=":material/download:",
            )  # fmt: skip
        table_downloads(data, meta, key=f"{key}-data")


def table_downloads(frame: pl.DataFrame, meta, *, key: str) -> None:
    """CSV (for Swedish Excel: BOM, semicolons, decimal comma) and Excel buttons for a frame."""
    import functools

    from dashboard.export import images as export
    from dashboard.export import tables as export_tables

    key = export.slug(key)
    about = [meta.title, export.source_line(meta)]
    if meta.demo:
        about.append(labels.DEMO_EXPLANATION)
    st.download_button(
        "CSV", functools.partial(export_tables.frame_to_csv, frame),
        file_name=export.file_name(meta, key, "csv"), mime=export.MIME["csv"],
        key=f"dl-{key}-csv", help="För Excel: UTF-8, semikolon och decimalkomma",
        on_click="ignore", icon=":material/table:",
    )  # fmt: skip
    st.download_button(
        "Excel", functools.partial(export_tables.frame_to_xlsx, frame, about=about),
        file_name=export.file_name(meta, key, "xlsx"), mime=export.MIME["xlsx"],
        key=f"dl-{key}-xlsx", help="Excel-arbetsbok (.xlsx) med källa på ett eget blad",
        on_click="ignore", icon=":material/table:",
    )  # fmt: skip


def generated_download(what: str, *, key: str, build: Callable, file_name: str, mime: str) -> None:
    """A "Skapa …" button for a slow file: progress while it is built, then a download button.

    ``build(report)`` returns the file's bytes and calls ``report(step)`` before each step.
    The file stays in the session under ``key`` (make it name everything the file depends on),
    so later reruns keep it. A failure names the step that failed and leaves the page's
    choices as they were.
    """
    stored = f"fil-{key}"
    if st.button(f"Skapa {what}", key=f"skapa-{key}", icon=":material/play_arrow:"):
        st.session_state.pop(stored, None)
        step = ["förberedelser"]
        with st.status(f"Skapar {what} …", expanded=True) as status:
            try:
                st.session_state[stored] = build(lambda text: (step.append(text), st.text(text)))
            except Exception as exc:  # every failure is shown; the page itself stays usable
                status.update(label=f"Det gick inte att skapa {what}", state="error")
                st.error(
                    f"Det gick inte att skapa {plain(what)}. Steget som misslyckades: "
                    f"{plain(step[-1])}. Fel: {plain(str(exc) or type(exc).__name__)}"
                )
                return
            status.update(label=f"Klart: {what}", state="complete", expanded=False)
    if stored in st.session_state:
        st.download_button(
            f"Ladda ner {what}", st.session_state[stored], file_name=file_name, mime=mime,
            key=f"dl-{key}", on_click="ignore", type="primary", icon=":material/download:",
        )  # fmt: skip
