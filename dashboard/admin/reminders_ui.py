"""Administration → Påminnelser (issue 14): every activity in the admin's scope with no
evaluation of its promise's last ended period, whom ``python -m dashboard paminnelser``
mails about it, and whether it has. Reads only; the rule is in dashboard/reminders.py."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import cache, components, database, labels, reminders
from dashboard.access import Actor


def reminders_tab(user: Actor, *, today: dt.date | None = None) -> None:
    """The admin's scope-wide list of missing evaluations and their reminders."""
    today = today or dt.date.today()
    days = cache.settings().reminder_days
    st.caption(
        "Aktiviteter som saknar utvärdering för sitt löftes senaste avslutade period, i hela "
        "ditt område. Kommandot python -m dashboard paminnelser (körs dagligen, se docs/drift.md) "
        f"mejlar samordnarna {labels.count(days, 'dag', 'dagar')} efter periodens slut: "
        "kommunens aktiviteter till kommunens samordnare, polisens till lokalpolisområdets "
        "(annars polisregionens), gemensamma till båda. Administratörer mejlas inte."
    )
    grants = [g for g in user.grants if g.role == "admin"]
    with database.reading() as conn:
        overview = reminders.scope_overview(conn, today, grants)
    if overview.is_empty():
        # A caption: st.success is kept for the outcome of what the admin did on the page.
        st.caption(
            "Inga aktiviteter i ditt område saknar utvärdering för senaste avslutade period."
        )
        return
    st.markdown(
        f"**{labels.count(overview.height, 'aktivitet saknar', 'aktiviteter saknar')} "
        "utvärdering.**"
    )
    components.table(overview, label="Saknade utvärderingar i ditt område")
