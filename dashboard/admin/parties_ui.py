"""The parties of the promise being edited, under Löften (issue 11): see, add, remove.

Streamlit, like forms_ui. The kommun and the police area are there from the start and stay; an
admin adds another party by choosing an organisation that exists or naming a new one (of kind
"annan", real data unless the demo is on), and removes an added one with its button.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import components, database, labels
from dashboard.admin import parties, queries
from dashboard.admin.forms_ui import NEW, error_for, form_errors, run_service, value

FORM = "party_add"


def parties_section(promise_id: int, source: str) -> None:
    """The promise's parties as a table, a remove button per added one, and the add form."""
    with database.reading() as conn:
        stored = queries.load_parties(conn, promise_id)
        choices = queries.load_organisations(conn, promise_id)
    st.subheader("Parter", anchor=False)
    components.table(party_table(stored), label="Löftets parter")
    for party in stored.filter(pl.col("role") == parties.ADDED_ROLE).iter_rows(named=True):
        st.button(
            f"Ta bort {party['name']} som part",
            key=f"party:remove:{party['organisation_id']}",
            on_click=run_service,
            args=("party", parties.remove_party, promise_id, party["organisation_id"]),
            kwargs={"done": f"{party['name']} är inte längre part i löftet."},
        )
    error_for("party", "party")
    names = dict(zip(choices["id"], choices["name"], strict=True))
    kinds = dict(zip(choices["id"], choices["kind"], strict=True))
    with st.form(FORM):
        st.selectbox(
            "Lägg till en part",
            [NEW, *names],
            key=f"{FORM}:organisation",
            format_func=lambda i: (
                "Ny organisation (skriv namnet nedan)"
                if i == NEW
                else f"{names[i]} ({labels.ORGANISATION_KINDS[kinds[i]].lower()})"
            ),
        )
        st.text_input(
            "Namn på ny part",
            key=f"{FORM}:name",
            placeholder="t.ex. Fastighetsägarna Mellansverige",
        )
        error_for(FORM, "organisation")
        form_errors(FORM, ("organisation",))
        st.form_submit_button(
            "Lägg till part", on_click=add_party, args=(promise_id, source, names)
        )


def add_party(promise_id: int, source: str, names: dict[int, str]) -> None:
    """Callback of "Lägg till part"."""
    chosen = value(f"{FORM}:organisation")
    name = " ".join((value(f"{FORM}:name") or "").split()) if chosen == NEW else names[chosen]
    run_service(
        FORM,
        parties.add_party,
        promise_id,
        organisation_id=None if chosen == NEW else chosen,
        name=name,
        source=source,
        done=f"{name} är nu part i löftet.",
    )


def party_table(stored: pl.DataFrame) -> pl.DataFrame:
    """Party, kind and how many activities it carries out, with the Swedish column names."""
    return stored.select(
        pl.col("name").alias("Part"),
        pl.col("kind").replace_strict(labels.ORGANISATION_KINDS).alias("Typ"),
        pl.col("activities").alias("Ansvarig för aktiviteter"),
    )
