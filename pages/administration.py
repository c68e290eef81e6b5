"""Administration: promises, focus areas and activities, users, import (issue 7), indicators
(issue 12), publishing for citizens (issue 13).

Only admins see this page (app.py builds the page list from the role); the check below is a
second lock, and every service function checks the role a third time. The kommun choice
offers the kommuner the admin's grants cover; the services check that scope again.
"""

import streamlit as st

from dashboard import auth, cache, components, database
from dashboard.admin import (
    forms_ui,
    import_ui,
    indicators_ui,
    items_ui,
    partnership_ui,
    promise_ui,
    queries,
    reminders_ui,
    users_ui,
)
from dashboard.publication import admin_ui

TABS = "administration_flik"
components.ensure_entrypoint()
st.title("Administration")
user = auth.require(
    auth.ADMIN_ROLES, "Logga in som administratör för att använda administrationen."
)

settings = cache.settings()
# New rows are demo data in demo mode, real data otherwise (as the entry page saves them).
source = "exempel" if settings.demo_mode else "verklig"
kommun = partnership_ui.kommun_choice(user, default=settings.partnership_code)
with database.reading() as conn:
    partnership_id = queries.partnership_id(conn, kommun)
    if partnership_id is not None:
        promises = queries.load_promises(conn, partnership_id)
forms_ui.flash()
if partnership_id is None:  # a new kommun starts here (issue 11)
    partnership_ui.setup_form(kommun, source)
    st.stop()
if settings.demo_mode:
    components.demo_badge()

# Only the tabs opened are drawn (issue 15); one opened stays drawn, so nothing typed is lost.
components.lazy_tabs(
    {
        "Löften": lambda: promise_ui.promises_tab(partnership_id, promises, source),
        "Fokusområden och aktiviteter": lambda: items_ui.items_tab(promises),
        "Användare": users_ui.users_tab,
        "Import": lambda: import_ui.import_tab(partnership_id, source),
        "Indikatorer": lambda: indicators_ui.indicators_tab(kommun, promises, source),
        "Publicering": lambda: admin_ui.publication_tab(kommun, promises),
        "Påminnelser": lambda: reminders_ui.reminders_tab(user),
    },
    key=TABS,
)
