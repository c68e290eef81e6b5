"""Administration's first form on a fresh database: the kommun's partnership (issue 11)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import choices, database
from dashboard.admin import partnerships, scopes
from dashboard.admin.forms_ui import NEW, error_for, form_errors, run_service, value
from dashboard.components import plain

FORM = "partnership"


def kommun_choice(user, *, default: str) -> str:
    """The kommun to administer: *Kommun* among those the admin's grants cover (``?kommun=``),
    in a popover named after the kommun shown, the configured one first if it is among them.
    Stops the page if none."""
    with database.session() as session:
        kommuner = scopes.administrable_kommuner(session, user)
    if not kommuner:
        st.info("Ditt konto administrerar ingen kommun ännu. Kontakta en administratör.")
        st.stop()
    options = pl.DataFrame(kommuner, schema={"code": pl.String, "name": pl.String}, orient="row")
    return choices.partnership_choice(options, default=default)


def setup_form(kommun_code: str, source: str) -> None:
    """Set up the configured kommun's partnership: choose or name its lokalpolisområde."""
    with database.session() as session:
        kommun = partnerships.reference_kommun(session, kommun_code)
        areas = partnerships.police_areas(session, kommun_code) if kommun else []
    if kommun is None:
        st.error(
            f"Appen är inställd på kommunkoden {plain(kommun_code)} (DASHBOARD_PARTNERSHIP), "
            "som inte finns i SCB:s kommunlista. Ställ in kommunens fyrsiffriga kod."
        )
        return
    st.subheader(f"Lägg upp samverkan för {plain(kommun.name)} ({kommun.code})", anchor=False)
    st.text(
        "Här finns inget medborgarlöfte ännu. Börja med vilket lokalpolisområde kommunen "
        "samverkar med; sedan lägger du upp det första löftet under Löften."
    )
    with st.form(FORM, border=True):
        st.selectbox(
            "Lokalpolisområde",
            [NEW, *areas],
            key=f"{FORM}:choice",
            format_func=lambda a: "Nytt lokalpolisområde (skriv namnet nedan)" if a == NEW else a,
        )
        st.text_input(
            "Namn på nytt lokalpolisområde",
            key=f"{FORM}:police_area",
            placeholder="t.ex. Lokalpolisområde Katrineholm",
        )
        error_for(FORM, "police_area")
        st.form_submit_button(
            "Lägg upp samverkan", type="primary", on_click=_create, args=(kommun.code, source)
        )
    form_errors(FORM, ("police_area",))


def _create(kommun_code: str, source: str) -> None:
    choice = value(f"{FORM}:choice")
    name = (value(f"{FORM}:police_area") or "") if choice == NEW else choice
    run_service(
        FORM,
        partnerships.create_partnership,
        kommun_code=kommun_code,
        police_area=name,
        source=source,
        done=lambda p: (
            f"Samverkan för {p.kommun_name} och {p.police_area} är upplagd. "
            "Lägg nu upp det första löftet under Löften."
        ),
    )
