"""Entrypoint: page config, database check, auth gate and st.navigation. Nothing else."""

import streamlit as st

from dashboard import cache, components

st.set_page_config(
    page_title="Medborgarlöften – uppföljning",
    page_icon="🤝",
    layout="wide",
    initial_sidebar_state="expanded",
)

settings = cache.settings()
engine = cache.engine(settings.database_url)
if not components.database_ready(engine):
    st.stop()

pages = [
    st.Page("pages/oversikt.py", title="Översikt", icon="🏠", url_path="oversikt", default=True),
]
st.navigation(pages).run()
