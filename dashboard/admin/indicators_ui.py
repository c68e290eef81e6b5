"""The Indikatorer tab of the Administration page (issue 12, items 3 and 4).

Streamlit, like forms_ui (whose plumbing it uses). Three parts: the indicator definitions (shared
by the whole country; with how many values the chosen kommun has of each) and a form to add or
change one; the links of the chosen promise's focus areas to indicators (baseline year,
intended direction, optional target and named area), to add, change or remove one at a time;
and the import of values from a file: the template, an upload checked at once with a preview
of what will be written, and Importera värden, all or nothing. Every write goes through
indicators.py or indicator_import.py in one transaction (run_service), which check role and
scope themselves. Stored text is shown in tables or as plain text, never as markdown.
"""

from __future__ import annotations

from functools import partial

import polars as pl
import streamlit as st

from dashboard import auth, cache, database, labels
from dashboard.access import NotPermitted
from dashboard.admin import indicator_import, indicator_queries, indicators, queries
from dashboard.admin.forms_ui import (
    NEW,
    error_for,
    form_errors,
    promise_label,
    run_service,
    value,
)
from dashboard.admin.import_file import MAX_BYTES, ImportFileError
from dashboard.admin.import_ui import import_refusal, template_and_upload
from dashboard.admin.importer import ImportRefused
from dashboard.admin.indicator_values import ValuesRefused
from dashboard.admin.indicators import IndicatorFields, LinkFields
from dashboard.components import plain
from db.vocabulary import DIRECTIONS, INDICATOR_YEARS

DEFINITION_FIELDS = (
    "code",
    "name",
    "unit",
    "better",
    "source_name",
    "attribution",
    "source_url",
    "kolada_kpi",
)
LINK_FIELDS = ("indicator_id", "area", "baseline_year", "direction", "target_value")
IMPORT = "indicator_import"


def indicators_tab(kommun_code: str, promises: pl.DataFrame, source: str) -> None:
    """Indikatorer: definitions, the chosen promise's links, and the import of values."""
    with database.reading() as conn:
        definitions = indicator_queries.load_indicators(conn, kommun_code)
    st.caption(labels.EFFECT_CAVEAT)
    st.subheader("Indikatorer", anchor=False)
    st.dataframe(definition_table(definitions), hide_index=True, width="stretch")
    definition_form(definitions, source)
    st.subheader("Fokusområdenas indikatorer", anchor=False)
    if promises.is_empty():
        st.info("Skapa först ett löfte under fliken Löften.")
    elif definitions.is_empty():
        st.info("Lägg till en indikator ovan först.")
    else:
        links_section(promises, definitions)
    st.subheader("Importera indikatorvärden", anchor=False)
    import_section(kommun_code)


# ---------------------------------------------------------------- definitions


def definition_table(definitions: pl.DataFrame) -> pl.DataFrame:
    """One line per definition, with the Swedish column names."""
    return definitions.select(
        pl.col("code").alias("Kod"),
        pl.col("name").alias("Namn"),
        pl.col("unit").alias("Enhet"),
        pl.col("better").replace_strict(labels.DIRECTIONS, default=None).alias("Bättre"),
        pl.col("source_name").alias("Källa"),
        pl.col("attribution").alias("Källhänvisning"),
        pl.col("kolada_kpi").alias("Kolada-KPI"),
        pl.col("values").alias("Värden i kommunen"),
        pl.col("source").replace_strict(labels.SOURCES, default=None).alias("Uppgift"),
    )


def definition_form(definitions: pl.DataFrame, source: str) -> None:
    names = dict(zip(definitions["id"], definitions["code"], strict=True))
    indicator_id = st.selectbox(
        "Lägg till eller ändra indikator",
        [NEW, *names],
        format_func=lambda i: "➕ Ny indikator" if i == NEW else names[i],
        key="pick_indicator",
    )
    row = (
        definitions.row(by_predicate=pl.col("id") == indicator_id, named=True)
        if indicator_id
        else {}
    )
    key = f"indicator:{indicator_id}"
    with st.form(key):
        if row:
            st.caption(
                "Definitionen är gemensam för hela landet. Används den också utanför din "
                "behörighet kan bara en administratör för hela landet ändra den."
            )
        left, right = st.columns(2)
        left.text_input("Kod (t.ex. N07403)", row.get("code", ""), key=f"{key}:code")
        right.text_input(
            "Koladas KPI-id (om värdena hämtas från Kolada)",
            row.get("kolada_kpi") or "",
            key=f"{key}:kolada_kpi",
        )
        error_for(key, "code")
        error_for(key, "kolada_kpi")
        st.text_input("Namn", row.get("name", ""), key=f"{key}:name")
        error_for(key, "name")
        left, right = st.columns(2)
        left.text_input(
            "Enhet (t.ex. per 100 000 invånare)", row.get("unit", ""), key=f"{key}:unit"
        )
        _choice(
            right, "Vilket håll är bättre", labels.DIRECTIONS, row.get("better"), f"{key}:better"
        )
        error_for(key, "unit")
        left, right = st.columns(2)
        left.text_input(
            "Källa (t.ex. Kolada)", row.get("source_name", ""), key=f"{key}:source_name"
        )
        right.text_input(
            "Källhänvisning som ska stå vid värdena (t.ex. Källa: Kolada)",
            row.get("attribution", ""),
            key=f"{key}:attribution",
        )
        error_for(key, "source_name")
        error_for(key, "attribution")
        st.text_input("Källans adress", row.get("source_url") or "", key=f"{key}:source_url")
        error_for(key, "source_url")
        st.text_area("Beskrivning", row.get("description", ""), key=f"{key}:description")
        _submit(key, DEFINITION_FIELDS, ("Lägg till indikator", "Spara indikatorn")[bool(row)],
                partial(save_definition, key, indicator_id, source))  # fmt: skip


def _submit(key: str, fields: tuple[str, ...], label: str, on_click) -> None:
    """A form's refusal that concerns none of its ``fields``, then its submit button."""
    form_errors(key, fields)
    st.form_submit_button(label, type="primary", on_click=on_click)


def _choice(place, label: str, names: dict, current, key: str) -> None:
    """A selectbox in ``place`` over ``names`` (option: text), ``current`` chosen, else the
    first option."""
    options = list(names)
    index = options.index(current) if current in options else 0
    place.selectbox(label, options, index, format_func=names.get, key=key)


def save_definition(key: str, indicator_id: int, source: str) -> None:
    """Callback of "Lägg till indikator" / "Spara indikatorn"."""
    fields = IndicatorFields(
        code=(value(f"{key}:code") or "").strip(),
        name=value(f"{key}:name") or "",
        unit=value(f"{key}:unit") or "",
        better=value(f"{key}:better"),
        source_name=value(f"{key}:source_name") or "",
        attribution=value(f"{key}:attribution") or "",
        description=value(f"{key}:description") or "",
        source_url=(value(f"{key}:source_url") or "").strip() or None,
        kolada_kpi=(value(f"{key}:kolada_kpi") or "").strip().upper() or None,
    )
    if indicator_id == NEW:
        run_service(
            key,
            indicators.create_indicator,
            fields,
            source=source,
            done=f"Indikatorn {fields.code} är tillagd.",
        )
    else:
        run_service(
            key,
            indicators.update_indicator,
            indicator_id,
            fields,
            done=f"Indikatorn {fields.code} är sparad.",
        )


# ---------------------------------------------------------------- links


def links_section(promises: pl.DataFrame, definitions: pl.DataFrame) -> None:
    """The chosen promise's links as a table; one focus area's links to add, change, remove."""
    promise_id = st.selectbox(
        "Löfte",
        promises["id"].to_list(),
        format_func=promise_label(promises),
        key="indicators_promise",
    )
    with database.reading() as conn:
        areas = queries.load_focus_areas(conn, promise_id).filter(~pl.col("archived"))
        links = named_links(indicator_queries.load_links(conn, promise_id), areas, definitions)
    if areas.is_empty():
        st.info(
            "Löftet har inga fokusområden ännu: lägg till dem under Fokusområden och aktiviteter."
        )
        return
    if links.is_empty():
        st.text("Inget fokusområde i löftet följer någon indikator ännu.")
    else:
        st.dataframe(link_table(links), hide_index=True, width="stretch")
    area_names = dict(zip(areas["id"], areas["name"], strict=True))
    area_id = st.selectbox(
        "Fokusområde",
        list(area_names),
        format_func=area_names.get,
        key=f"indicators_area:{promise_id}",
    )
    own = links.filter(pl.col("focus_area_id") == area_id)
    texts = {r["id"]: _link_text(r) for r in own.iter_rows(named=True)}
    link_id = st.selectbox(
        "Koppling",
        [NEW, *texts],
        format_func=lambda i: "➕ Ny koppling till en indikator" if i == NEW else texts[i],
        key=f"indicators_link:{area_id}",
    )
    row = own.row(by_predicate=pl.col("id") == link_id, named=True) if link_id else {}
    year = promises.filter(pl.col("id") == promise_id)["year_from"].item()
    link_form(area_id, link_id, row, definitions, baseline=max(year - 3, INDICATOR_YEARS[0]))


def named_links(links: pl.DataFrame, areas: pl.DataFrame, definitions: pl.DataFrame):
    """The links with their focus area's and indicator's names, in the focus areas' order
    (links of archived focus areas, absent from ``areas``, drop out)."""
    order = areas.select(
        pl.col("id").alias("focus_area_id"), pl.col("name").alias("focus_area")
    ).with_row_index("position")
    names = definitions.select(
        pl.col("id").alias("indicator_id"), pl.col("name").alias("indicator")
    )
    joined = links.join(order, on="focus_area_id").join(names, on="indicator_id")
    return joined.sort("position", maintain_order=True)


def link_table(links: pl.DataFrame) -> pl.DataFrame:
    return links.select(
        pl.col("focus_area").alias("Fokusområde"),
        pl.col("indicator").alias("Indikator"),
        pl.col("area").replace("", "Hela kommunen").alias("Område"),
        pl.col("baseline_year").alias("Basår"),
        pl.col("direction").replace_strict(labels.INTENDED, default=None).alias("Avsikt"),
        pl.col("target_value").alias("Målvärde"),
    )


def _link_text(row: dict) -> str:
    parts = [
        row["indicator"],
        row["area"],
        f"från {row['baseline_year']}",
        labels.INTENDED[row["direction"]],
    ]
    if row["target_value"] is not None:
        parts.append(f"mål {labels.format_number(row['target_value'])}")
    return " · ".join(p for p in parts if p)


def link_form(area_id: int, link_id: int, row: dict, definitions: pl.DataFrame, *, baseline: int):
    names = {r["id"]: f"{r['name']} ({r['code']})" for r in definitions.iter_rows(named=True)}
    key = f"link:{area_id}:{link_id}"
    with st.form(key):
        _choice(st, "Indikator", names, row.get("indicator_id"), f"{key}:indicator_id")
        error_for(key, "indicator_id")
        st.text_input(
            "Område (tomt för hela kommunen; annars t.ex. Mariefred)",
            row.get("area", ""),
            key=f"{key}:area",
        )
        error_for(key, "area")
        left, middle, right = st.columns(3)
        low, high = INDICATOR_YEARS
        left.number_input(
            "Basår",
            low,
            high,
            row.get("baseline_year", baseline),
            step=1,
            key=f"{key}:baseline_year",
        )
        intended = {code: labels.INTENDED[code].capitalize() for code in DIRECTIONS}
        _choice(middle, "Avsikt", intended, row.get("direction"), f"{key}:direction")
        right.number_input(
            "Målvärde (valfritt)", value=row.get("target_value"), key=f"{key}:target_value"
        )
        for name in ("baseline_year", "direction", "target_value"):
            error_for(key, name)
        _submit(key, LINK_FIELDS, ("Lägg till koppling", "Spara kopplingen")[bool(row)],
                partial(save_link, key, area_id, link_id))  # fmt: skip
    if row:
        st.button(
            "Ta bort kopplingen",
            key=f"{key}:remove",
            on_click=partial(
                run_service,
                key,
                indicators.remove_link,
                link_id,
                done=f"Kopplingen till {row['indicator']} är borttagen.",
            ),
        )


def save_link(key: str, area_id: int, link_id: int) -> None:
    """Callback of "Lägg till koppling" / "Spara kopplingen"."""
    year = value(f"{key}:baseline_year")
    fields = LinkFields(
        indicator_id=value(f"{key}:indicator_id"),
        baseline_year=int(year) if year is not None else 0,
        direction=value(f"{key}:direction"),
        target_value=value(f"{key}:target_value"),
        area=value(f"{key}:area") or "",
    )
    if link_id == NEW:
        run_service(key, indicators.add_link, area_id, fields, done="Kopplingen är tillagd.")
    else:
        run_service(key, indicators.update_link, link_id, fields, done="Kopplingen är sparad.")


# ---------------------------------------------------------------- import


def import_section(kommun_code: str) -> None:
    """The template, an upload checked at once with its preview, and Importera värden."""
    st.caption(
        "En rad per indikator, kommun (eller lokalpolisområde), område, år och period. Filen "
        "kontrolleras helt innan något sparas; blir något fel sparas ingenting. Mallens rader "
        "är exempel (markerade i kolumnen Exempel) och importeras inte förrän du tömmer den "
        f"cellen. Högst {MAX_BYTES // 2**20} MB."
    )
    with database.session() as session:
        workbook = indicator_import.template_xlsx(session, kommun_code)
        text = indicator_import.template_csv(session, kommun_code)
    upload = template_and_upload(
        (workbook, text),
        "indikatorvarden",
        indicator_import.columns_frame(),
        what=" för indikatorvärden",
        upload_label="Fil med indikatorvärden (.xlsx eller .csv)",
        keys=("indicator_template_xlsx", "indicator_template_csv", "indicator_upload"),
    )
    if upload is None:
        return
    data, name = upload.getvalue(), upload.name
    plan = check_upload(data, name)
    error_for(IMPORT)
    if plan is None:
        return
    st.info(f"Kontrollerad: {plan.describe()}")
    if plan.rows:
        st.dataframe(plan.preview(), hide_index=True, width="stretch")
    if plan.writes:
        st.button(
            "Importera värden",
            type="primary",
            key="indicator_import_run",
            on_click=partial(
                run_service,
                IMPORT,
                run_import,
                data,
                name,
                done=lambda done: f"Importerat: {done.describe()}",
            ),
        )


def check_upload(data: bytes, name: str) -> indicator_import.Plan | None:
    """The plan if the file is good; else the reasons are drawn and None returned."""
    try:
        frame = indicator_import.read_file(data, name)
        with database.session() as session:
            return indicator_import.plan_import(session, auth.current_user(), frame)
    except (ImportFileError, NotPermitted, ValuesRefused) as exc:
        st.error(plain(str(exc)))  # may quote the file's name or cells: never markdown
    except ImportRefused as exc:
        import_refusal(exc)
    return None


def run_import(session, actor, data: bytes, name: str) -> indicator_import.Plan:
    """The write, as run_service calls it: read again, check again and write, in one go."""
    plan = indicator_import.run_import(session, actor, indicator_import.read_file(data, name))
    cache.clear_data()
    return plan
