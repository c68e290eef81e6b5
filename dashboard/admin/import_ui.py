"""The Import tab of the Administration page (issues 7 and 11), and the pieces every import
shares: a template to download, an upload, and a refusal told row by row.

Streamlit, like forms_ui (whose plumbing it uses). An upload is read and checked
(importer.plan_import) as soon as it arrives, and written only when the admin presses
Importera, all or nothing. The Indikatorer tab's import of values (indicators_ui) uses
``template_and_upload`` and ``import_refusal`` too.
"""

from __future__ import annotations

from functools import partial

import polars as pl
import streamlit as st

from dashboard import auth, cache, database
from dashboard.access import NotPermitted
from dashboard.admin import import_file, importer
from dashboard.admin.forms_ui import error_for, run_service
from dashboard.admin.importer import ImportRefused
from dashboard.components import plain


def template_and_upload(
    templates: tuple[bytes, bytes],
    filename: str,
    columns: pl.DataFrame,
    *,
    what: str = "",
    upload_label: str,
    keys: tuple[str, str, str],
):
    """An import's template as .xlsx and .csv (``templates``), its columns explained, and the
    uploader (``keys``: the two downloads' and the uploader's). Returns the upload or None."""
    left, right = st.columns(2)
    left.download_button(
        f"Ladda ner mall{what} (.xlsx)", templates[0], f"{filename}.xlsx", key=keys[0]
    )
    right.download_button(
        f"Ladda ner mall{what} (.csv)", templates[1], f"{filename}.csv", mime="text/csv",
        key=keys[1],
    )  # fmt: skip
    with st.expander("Mallens kolumner"):
        st.dataframe(columns, hide_index=True, width="stretch")
    return st.file_uploader(upload_label, type=["xlsx", "csv"], key=keys[2])


def import_refusal(exc: ImportRefused) -> None:
    """A refused import: its summary, then every error as a table of row, column and reason
    (the file's cells quoted in them stay text)."""
    st.error(plain(str(exc)))
    rows = [(e.row, e.column or "", e.message) for e in exc.errors]
    table = pl.DataFrame(
        rows, schema={"Rad": pl.Int64, "Kolumn": pl.String, "Fel": pl.String}, orient="row"
    )
    st.dataframe(table, hide_index=True, width="stretch")


def import_tab(partnership_id: int, source: str) -> None:
    """Import: the template, an upload checked at once, and Importera."""
    st.caption(
        "Fyll i mallen (en rad per aktivitet, eller per aktivitet och tertial med en "
        "utvärdering). Filen kontrolleras helt innan något sparas; blir något fel sparas "
        f"ingenting. Högst {import_file.MAX_ROWS:,} rader och "
        f"{import_file.MAX_BYTES // 2**20} MB.".replace(",", "\u00a0")
    )
    upload = template_and_upload(
        (import_file.template_xlsx(), import_file.template_csv()),
        "importmall",
        import_file.columns_frame(),
        upload_label="Fil att importera (.xlsx eller .csv)",
        keys=("template_xlsx", "template_csv", "import_upload"),
    )
    if upload is None:
        return
    data, name = upload.getvalue(), upload.name
    check = check_upload(partnership_id, data, name)
    if check is None:
        return
    st.info(f"Kontrollerad: {check.describe()}")
    if check.activities_created or check.activities_updated or check.evaluations_created:
        st.button(
            "Importera",
            type="primary",
            key="import_run",
            on_click=partial(
                run_service,
                "import",
                run_import,
                partnership_id,
                data,
                name,
                source,
                done=lambda summary: f"Importerat: {summary.describe()}",
            ),
        )
    error_for("import")


def check_upload(partnership_id: int, data: bytes, name: str):
    """The import's summary if the file is good; else the reasons are drawn and None returned."""
    try:
        frame = import_file.read_upload(data, name)
        with database.session() as session:
            return importer.plan_import(session, auth.current_user(), partnership_id, frame)[1]
    except (import_file.ImportFileError, NotPermitted) as exc:
        st.error(plain(str(exc)))  # may quote the file's name or cells: never markdown
    except importer.ImportRefused as exc:
        import_refusal(exc)
    return None


def run_import(session, actor, partnership_id: int, data: bytes, name: str, source: str):
    """The write, as run_service calls it: read again, plan again and apply, in one go."""
    frame = import_file.read_upload(data, name)
    summary = importer.run_import(session, actor, partnership_id, frame, source=source)
    cache.clear_data()
    return summary
