"""Entrypoint: page config, database check, auth gate and st.navigation. Nothing else."""

import streamlit as st
from sqlalchemy.exc import InterfaceError, OperationalError

from dashboard import auth, cache, components, database, meeting_ui, streamlit_adapter
from dashboard.publication import public_ui

cache.begin_run()  # settings and data version are read afresh once in every run
st.set_page_config(
    page_title="Medborgarlöften – uppföljning",
    page_icon="🤝",
    layout="wide",
    initial_sidebar_state=meeting_ui.sidebar_state(),  # collapsed in meeting mode (issue 10)
)
components.leave_folder_routing()

settings = cache.settings()
engine = database.engine()
database_down = components.database_problem(engine)

# Who sees which page (issue 4): EVERYONE, or only users holding one of the given roles.
# With DASHBOARD_REQUIRE_LOGIN=1 "everyone" means everyone logged in (auth.gate stops the rest).
# The first page is the default.
EVERYONE = None
PUBLIC_PAGE = "medborgare"
PAGES = [
    # (script, title, icon, url_path, roles)
    ("pages/oversikt.py", "Översikt", "🏠", "oversikt", EVERYONE),
    ("pages/fokusomraden.py", "Fokusområden", "🎯", "fokusomraden", EVERYONE),
    ("pages/aktiviteter.py", "Aktiviteter per period", "📋", "aktiviteter", EVERYONE),
    ("pages/trender.py", "Trender sedan 2007", "📈", "trender", EVERYONE),
    ("pages/region.py", "Region och riket", "🗺️", "region", EVERYONE),
    ("pages/export.py", "Export", "📤", "export", EVERYONE),
    ("pages/registrera.py", "Registrera utvärdering", "✍️", "registrera", auth.ENTRY_ROLES),
    ("pages/administration.py", "Administration", "🛠️", "administration", auth.ADMIN_ROLES),
]

# The citizens' page (issue 13) is open to everyone, also with DASHBOARD_REQUIRE_LOGIN=1: it
# runs alone, before the login gate, with no menu, so it names none of the other pages.
if streamlit_adapter.requested_page([PUBLIC_PAGE]):
    if database_down is not None:
        st.error(components.PUBLIC_DOWN)
        st.stop()
    # Streamlit serves the first page at the root and looks others up by path: the public
    # page must not be the first, or /medborgare is "not found" (checked on Streamlit 1.67).
    start = st.Page(public_ui.render, title="Medborgare", url_path="medborgare-start",
                    visibility="hidden")  # fmt: skip
    public = st.Page("pages/medborgare.py", title="Medborgare", url_path=PUBLIC_PAGE)
    st.navigation([start, public], position="hidden").run()
    st.stop()

if database_down is None:
    user = auth.gate(settings, engine)
else:
    # The database stopped answering (issue 10). A session that was logged in keeps its pages,
    # so the entry page can still show what was typed; each page says the database is down.
    user = auth.current_user()
    if user is None and settings.require_login:
        components.database_error(database_down)
        st.stop()
pages = [
    st.Page(script, title=title, icon=icon, url_path=url_path)
    for script, title, icon, url_path, roles in PAGES
    if auth.may_see(user, roles)
]
# Registered for every run too (hidden from the menu), so a switch to it is known; the run
# that serves it is the public one above.
pages.append(st.Page("pages/medborgare.py", title="Medborgare", url_path=PUBLIC_PAGE,
                     visibility="hidden"))  # fmt: skip
# A page opened by its address that this user may not see: say why and offer the login, in
# place of Streamlit's silent fall-back to the first page (issue 10). Hidden from the menu.
refused = {url_path: roles for *_, url_path, roles in PAGES if not auth.may_see(user, roles)}
if requested := streamlit_adapter.requested_page(refused):
    refusal = auth.refusal_page(refused[requested])
    pages.append(
        st.Page(refusal, title="Inloggning krävs", url_path=requested, visibility="hidden")
    )
try:
    st.navigation(pages).run()
except (OperationalError, InterfaceError) as exc:  # the database went away mid-run
    components.database_error(exc)
