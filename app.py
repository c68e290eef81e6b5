"""Entrypoint: page config, database check, auth gate and st.navigation. Nothing else."""

import streamlit as st

from dashboard import auth, cache, components, meeting_ui

st.set_page_config(
    page_title="Medborgarlöften – uppföljning",
    page_icon="🤝",
    layout="wide",
    initial_sidebar_state=meeting_ui.sidebar_state(),  # collapsed in meeting mode (issue 10)
)

settings = cache.settings()
engine = cache.engine(settings.database_url)
if not components.database_ready(engine):
    st.stop()

# Who sees which page (issue 4): EVERYONE, or only users holding one of the given roles.
# With DASHBOARD_REQUIRE_LOGIN=1 "everyone" means everyone logged in (auth.gate stops the rest).
# The first page is the default.
EVERYONE = None
PAGES = [
    # (script, title, icon, url_path, roles)
    ("pages/oversikt.py", "Översikt", "🏠", "oversikt", EVERYONE),
    ("pages/fokusomraden.py", "Fokusområden", "🎯", "fokusomraden", EVERYONE),
    ("pages/aktiviteter.py", "Aktiviteter per tertial", "📋", "aktiviteter", EVERYONE),
    ("pages/trender.py", "Trender sedan 2007", "📈", "trender", EVERYONE),
    ("pages/export.py", "Export", "📤", "export", EVERYONE),
    ("pages/registrera.py", "Registrera utvärdering", "✍️", "registrera", auth.ENTRY_ROLES),
    ("pages/administration.py", "Administration", "🛠️", "administration", auth.ADMIN_ROLES),
]

user = auth.gate(settings, engine)
pages = [
    st.Page(script, title=title, icon=icon, url_path=url_path)
    for script, title, icon, url_path, roles in PAGES
    if auth.may_see(user, roles)
]
st.navigation(pages).run()
