"""Export: the presentation pack, the year's result text, every chart and the data (issue 5)."""

import datetime as dt
import functools

import streamlit as st

from dashboard import cache, components, labels, opening_ui
from dashboard.export import images, pack, result_text
from dashboard.export import ui as export_ui

components.ensure_entrypoint()
st.title("Export")
st.caption(
    "Presentationspaket, årets resultattext, diagrammen som bild och data för Excel. "
    "Varje fil har titel, period, källa och uttagsdatum."
)
today = dt.date.today()
year_column, period_column = st.columns([1, 3])
shown = opening_ui.open_year(year_column)
year, promise = shown.year, shown.promise
with period_column:
    tertial = opening_ui.period(shown)
exports = cache.year_exports(year, tertial, today=today, promise=promise)
if exports is None:
    st.info(f"Det finns inget löfte för {year}.")
    st.stop()
if exports.pack_meta.demo:
    components.demo_badge()

st.subheader("Presentationspaket (PowerPoint)", anchor=False)
slides = pack.pack_slide_titles(exports.pack)
st.text(f"{len(slides)} bilder i 16:9: titelbild, en bild per fokusområde och diagrammen.")
export_ui.generated_download(
    "presentationspaketet",
    key=f"pack-{promise}-{year}-{tertial}-{cache.data_version(cache.settings().database_url)}",
    build=lambda report: pack.build_pack(exports.pack, progress=report),
    file_name=images.file_name(exports.pack_meta, "presentation", "pptx"),
    mime=images.MIME["pptx"],
)

st.subheader(exports.result.heading, anchor=False)
st.text(
    "Varje aktivitet och hur den gick vid årets sista period, per fokusområde, för kommunens "
    "webbplats."
)
markdown = result_text.result_markdown(exports.result)
with st.container(horizontal=True, gap="small"):
    for fmt, label, make in (
        ("md", "Markdown", lambda: markdown),
        ("docx", "Word", functools.partial(result_text.result_docx, exports.result)),
    ):
        st.download_button(
            label, make, file_name=images.file_name(exports.result_meta, "resultat", fmt),
            mime=images.MIME[fmt], key=f"dl-resultat-{fmt}", on_click="ignore",
            icon=":material/description:",
        )  # fmt: skip
# Drawn when opened (issue 15), as a chart's data table is.
shown_text = st.expander("Visa resultattexten", key="visa-resultattext", on_change="rerun")
if shown_text.open:
    with shown_text:
        st.code(markdown, language="markdown", wrap_lines=True)

st.subheader("Diagram och deras data", anchor=False)
for item in exports.charts:
    st.text(item.meta.title)
    export_ui.download_popover(item.chart, item.meta, key=item.key, data=item.data)

st.subheader(f"Alla utvärderingar {year}", anchor=False)
counted = labels.count(exports.evaluations.height, "utvärdering", "utvärderingar")
st.text(f"{counted}: en rad per aktivitet och period.")
with st.container(horizontal=True, gap="small"):
    export_ui.table_downloads(exports.evaluations, exports.evaluations_meta, key="utvarderingar")
