"""Nekade inloggningar, under Administration → Användare (issue 14): people the organisation's
identity provider signed in but who have no account here, and "Skapa konto" from one of them.

The account is created with one role in a scope the admin picks among their own (the same rule
as "Ny användare"), linked at once to the person's issuer and subject, and the row is marked
handled, in one transaction (dashboard/oidc_users.py). Names and addresses came from the
provider: they are shown in tables and as text only.
"""

from __future__ import annotations

import re
from functools import partial

import polars as pl
import streamlit as st

from dashboard import auth, database, labels
from dashboard.access import ROLE_LABELS, NotPermitted
from dashboard.admin.forms_ui import error_for, run_service, value
from dashboard.admin.scopes import NewUser
from dashboard.oidc_users import REASON_TEXT, create_from_refused, dismiss_refused, refused_sign_ins
from db.models import ROLES

NATIONAL = 0  # as users_ui: the "hela landet" choice of a scope picker


def refused_section(places: dict[int, str]) -> None:
    """The list, and the form that creates the account of the one picked."""
    st.subheader("Nekade inloggningar", anchor=False)
    try:
        with database.session() as session:
            rows = [_row(r) for r in refused_sign_ins(session, auth.current_user())]
    except NotPermitted:
        return
    if not rows:
        st.caption("Ingen har nekats inloggning med organisationens konto.")
        return
    st.caption(
        "Personer som loggade in med organisationens konto men saknar konto här. De såg inga "
        "uppgifter. Skapa kontot, så kan de logga in direkt."
    )
    st.dataframe(_table(rows), hide_index=True, width="stretch")
    chosen = st.selectbox(
        "Nekad inloggning", [r["id"] for r in rows], key="refused:pick",
        format_func={r["id"]: f"{r['name'] or '(inget namn)'} – {r['email'] or '(ingen e-post)'}"
                     for r in rows}.get,
    )  # fmt: skip
    row = next(r for r in rows if r["id"] == chosen)
    with st.form(f"refused:{chosen}", clear_on_submit=False):
        st.text_input("Användarnamn (a–z, 0–9, . - _)", value=_username(row["email"]),
                      key=f"refused:{chosen}:username")  # fmt: skip
        st.text_input("Namn", value=row["name"], key=f"refused:{chosen}:name")
        st.text_input("E-post", value=row["email"], key=f"refused:{chosen}:email")
        st.selectbox("Roll", ROLES, format_func=ROLE_LABELS.get, key=f"refused:{chosen}:role")
        st.selectbox("Gäller", list(places), format_func=places.get, key=f"refused:{chosen}:scope",
                     help="Du kan bara ge behörighet inom ditt eget område.")  # fmt: skip
        error_for("refused")
        left, right = st.columns(2)
        left.form_submit_button("Skapa konto", on_click=partial(_create, chosen))
        right.form_submit_button("Ta bort från listan", on_click=partial(_dismiss, chosen))


def _create(refused_id: int) -> None:
    key = f"refused:{refused_id}"
    scope = value(f"{key}:scope")
    user = NewUser(
        (value(f"{key}:username") or "").strip(),
        value(f"{key}:name") or "",
        value(f"{key}:email") or "",
        value(f"{key}:role"),
        organisation_id=scope or None,
        national=scope == NATIONAL,
    )
    run_service(
        "refused", create_from_refused, refused_id, user,
        done=f"Kontot {user.username} är skapat; personen kan logga in med organisationens konto.",
    )  # fmt: skip


def _dismiss(refused_id: int) -> None:
    run_service("refused", dismiss_refused, refused_id, done="Borttagen från listan.")


def _row(refused) -> dict:
    return {
        "id": refused.id, "at": refused.at, "name": refused.name, "email": refused.email,
        "verified": refused.email_verified, "reason": refused.reason,
    }  # fmt: skip


def _table(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "När": [labels.format_datetime(r["at"]) for r in rows],
            "Namn": [r["name"] for r in rows],
            "E-post": [r["email"] for r in rows],
            "E-post verifierad": ["ja" if r["verified"] else "nej" for r in rows],
            "Orsak": [REASON_TEXT.get(r["reason"], r["reason"]) for r in rows],
        }
    )


def _username(email: str) -> str:
    """A suggestion from the address: its local part in the characters a username allows."""
    local = re.sub(r"[^a-z0-9._-]", "", email.split("@")[0].lower()).strip("._-")
    return local[:60]
