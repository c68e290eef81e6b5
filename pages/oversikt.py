"""Översikt: the chosen year's promise (first version; the browse pages build on it)."""

import datetime as dt

import streamlit as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import cache, components, labels
from db.models import Promise

st.title("Översikt")
engine = cache.engine(cache.settings().database_url)
year = st.number_input("År", min_value=2007, max_value=2100, value=dt.date.today().year)
with Session(engine) as session:
    promise = session.scalars(
        select(Promise).where(Promise.year_from <= year, Promise.year_to >= year)
    ).first()
    if promise is None:
        st.info(f"Det finns inget löfte för {year}.")
        st.stop()
    st.header(promise.title, anchor=False)
    if promise.source == "exempel":
        components.demo_badge()
    st.text(f"{labels.KINDS[promise.kind]}, undertecknat {labels.format_date(promise.signed_on)}")
    for signatory in promise.signatories:
        st.text(labels.format_signatory(signatory))
    for area in promise.focus_areas:
        st.subheader(area.name, anchor=False)
        for activity in area.activities:
            st.text(activity.title)
