"""Download buttons (issue 5): charts as PNG/SVG/PDF, frames as CSV/Excel, slow files on demand.

The Streamlit side of the exports: the files themselves are made by the modules beside this
one (images, data_files), deferred until a button is clicked so a page pays nothing for them on
first paint. Like the other ``ui`` modules it imports streamlit; cache is imported at call
time, because cache imports what the pages show.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st

from dashboard import labels
from dashboard.components import plain

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
    source: str | None = None,
    meta=None,
) -> None:
    """A "Ladda ner" popover under a chart: PNG, SVG and PDF of ``shown``, its data as CSV/Excel.

    The files are made on the server with vl-convert from the chart the page shows, framed
    with title, partnership, period, source line, "Uttag" date and, when ``demo``, the
    Exempeldata label. The buttons are drawn when the popover is opened (it reruns the page),
    nothing is rendered until a button is clicked (deferred downloads), and rendered images
    are shared through ``cache.chart_file``.

    Args:
        shown: The chart on the page (``cache.chart``).
        key: Names the files (``strangnas-2021-T3-<key>.png``) and the buttons' widget keys.
        year: The year shown; None for a chart over many years (give ``span``).
        tertial: The tertial shown, if the chart is about one.
        demo: True when the chart includes demo rows.
        span: The years of a trend chart, e.g. "2007–2026".
        data: The rows behind the chart; defaults to the rows it is drawn from.
        source: What the footnote names after "Källa:" when the figures are not the
            follow-up's own (an indicator's source, issue 12).
        meta: The files' ``export.ExportMeta`` when the chart is not about the shown
            partnership's promise (Region och riket); by default made from that promise.
    """

    def files_meta():
        if meta is not None:
            return meta
        return _export_meta(shown.streamlit_spec, year=year, tertial=tertial, demo=demo,
                            span=span, source=source)  # fmt: skip

    download_popover(shown, files_meta, key=key, data=shown.data if data is None else data)


def download_popover(chart, meta, *, key: str, data: pl.DataFrame) -> None:
    """One "Ladda ner" button whose popover holds ``chart_download_row``, built when opened.

    The five formats open in a popover (issue 6), and are built only when it opens (issue 15):
    the framed spec, five buttons and two data files per chart cost every page run, and the
    browser, for what few people open. ``meta`` is the files' ``export.ExportMeta``, or a
    function that reads it (then also only when the popover opens).
    """
    from dashboard.export import images as export

    popover = st.popover(
        "Ladda ner", icon=":material/download:", key=f"ladda-ner-{export.slug(key)}",
        on_change="rerun",
    )  # fmt: skip
    if not popover.open:
        return
    meta = meta() if callable(meta) else meta
    with popover:
        if meta is None:
            st.text("Det finns inget löfte att ta diagrammet ur.")
            return
        chart_download_row(chart, meta, key=key, data=data)


def _export_meta(title_spec, *, year, tertial, demo, span, source=None):
    # cache imports this module; importing it at call time keeps the import graph acyclic.
    import datetime as dt

    from dashboard import cache, choices, queries
    from dashboard.export import images as export

    partnership = choices.shown_partnership(cache.settings().partnership_code)
    if year is None:
        years = cache.load(queries.load_years, partnership=partnership)["year"]
        if years.is_empty():
            return None
    promise = cache.load(queries.load_promise, year or years.max(), partnership=partnership)
    if promise.is_empty():
        return None
    return export.export_meta(
        promise.row(0, named=True), title=export.chart_title(title_spec), year=year,
        tertial=tertial, today=dt.date.today(), demo=demo, span=span, source=source,
    )  # fmt: skip


def chart_download_row(chart, meta, *, key: str, data: pl.DataFrame) -> None:
    """PNG, SVG, PDF, CSV and Excel buttons in one row for a chart and its ``export.ExportMeta``.

    ``chart`` is a chart the page shows (``cache.chart``), an Altair chart or its spec. Every
    file is made when its button is clicked (deferred downloads), the framed spec included.
    """
    import functools

    from dashboard.export import data_files
    from dashboard.export import images as export

    key = export.slug(key)  # names files, widget keys and the row's CSS class
    with st.container(horizontal=True, gap="small", key=f"nedladdning-{key}"):
        for fmt, label, help_text in CHART_FORMATS:
            st.download_button(
                label, functools.partial(_chart_file, chart, meta, fmt),
                file_name=export.file_name(meta, key, fmt), mime=export.MIME[fmt],
                key=f"dl-{key}-{fmt}", help=help_text, on_click="ignore",
                icon=":material/download:",
            )  # fmt: skip
        # Whole years, rounded values and Ja/Nej, not the chart's text years (issue 10).
        table_downloads(data_files.chart_rows(data), meta, key=f"{key}-data")


def _chart_file(chart, meta, fmt: str) -> bytes:
    """The framed chart as ``fmt``, rendered once for every session (``cache.chart_file``)."""
    from dashboard import cache
    from dashboard.export import images as export

    spec = chart.spec if isinstance(chart, cache.ShownChart) else chart
    return cache.chart_file(export.spec_key(export.export_spec(spec, meta)), fmt)


def table_downloads(frame: pl.DataFrame, meta, *, key: str) -> None:
    """CSV (for Swedish Excel: BOM, semicolons, decimal comma) and Excel buttons for a frame."""
    import functools

    from dashboard.export import data_files
    from dashboard.export import images as export

    key = export.slug(key)
    about = [meta.title, export.source_line(meta)]
    if meta.demo:
        about.append(labels.DEMO_EXPLANATION)
    st.download_button(
        "CSV", functools.partial(data_files.frame_to_csv, frame),
        file_name=export.file_name(meta, key, "csv"), mime=export.MIME["csv"],
        key=f"dl-{key}-csv", help="För Excel: UTF-8, semikolon och decimalkomma",
        on_click="ignore", icon=":material/table:",
    )  # fmt: skip
    st.download_button(
        "Excel", functools.partial(data_files.frame_to_xlsx, frame, about=about),
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
