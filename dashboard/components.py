"""Small reusable st.* pieces shared by the pages."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from db import DatabaseUnavailable, check_connection


def database_ready(engine: Engine) -> bool:
    """Show a Swedish message and return False when the database does not answer."""
    try:
        check_connection(engine)
    except DatabaseUnavailable as exc:
        st.error(
            "**Databasen går inte att nå.** Sidorna kan inte visas just nu.\n\n"
            f"{exc}\n\nKontrollera att databasservern är igång och att "
            "`DASHBOARD_DATABASE_URL` är rätt, och ladda sedan om sidan."
        )
        return False
    return True


def demo_badge() -> None:
    """The visible "Exempeldata" badge shown whenever demo rows are on screen."""
    st.badge("Exempeldata", icon="🧪", color="orange")
