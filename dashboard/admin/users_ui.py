"""The Användare tab of the Administration page (issues 7 and 11): users, their role grants,
and the refused organisation sign-ins (refused_ui).

Streamlit, like forms_ui (whose plumbing it uses). A generated password is kept in the
session only until the next run has shown it: it is never stored anywhere else in clear text.
"""

from __future__ import annotations

from functools import partial

import polars as pl
import streamlit as st

from dashboard import auth, database, labels
from dashboard.access import ROLE_LABELS
from dashboard.admin import queries, refused_ui, scopes, users
from dashboard.admin.forms_ui import error_for, form_errors, run_service, value
from dashboard.column_text import text
from db.models import ROLES

SECRET = "admin_password"


# ---------------------------------------------------------------- users

NATIONAL = 0  # the "hela landet" choice of a scope picker (organisation ids start at 1)


def add_user() -> None:
    """Callback of "Lägg till användare"."""
    scope = value("new_user:scope")
    user = users.NewUser(
        (value("new_user:username") or "").strip(),
        value("new_user:name") or "",
        value("new_user:email") or "",
        value("new_user:role"),
        organisation_id=scope or None,
        national=scope == NATIONAL,
    )
    run_service("new_user", users.add_user, user, done=partial(_show_password, user.username))


def add_grant(username: str) -> None:
    """Callback of "Lägg till behörighet"."""
    scope = value(f"grant:{username}:scope")
    role = value(f"grant:{username}:role")
    run_service(
        "grant", users.add_grant, username, role, scope or None,
        done=f"{username} har fått rollen {ROLE_LABELS[role]}.",
    )  # fmt: skip


def reset_password(username: str) -> None:
    run_service("user", users.reset_password, username, done=partial(_show_password, username))


def _show_password(username: str, result) -> str:
    password = result[1] if isinstance(result, tuple) else result
    st.session_state[SECRET] = (username, password)
    return f"Klart för {username}."


def users_tab() -> None:
    """Användare: the users this admin administers with their grants, a new user, and the
    grants, deactivation and password of one user (issue 11: all within the admin's scope)."""
    secret = st.session_state.pop(SECRET, None)
    if secret:
        st.warning(
            f"Nytt lösenord för {secret[0]}. Det visas bara nu: lämna det till användaren på ett "
            "säkert sätt. Kommer det bort, återställ lösenordet igen."
        )
        st.code(secret[1], language=None)
    with database.session() as session:
        visible = scopes.visible_users(session, auth.current_user())
        choices = scopes.scope_choices(session, auth.current_user())
        people = queries.load_users(session.connection())
        grants = queries.load_grants(session.connection())
    people = people.filter(pl.col("username").is_in(sorted(visible)))
    places = {NATIONAL if k is None else k: v for k, v in choices.items()}
    st.dataframe(_readable(people), hide_index=True, width="stretch")
    st.subheader("Ny användare", anchor=False)
    with st.form("new_user", clear_on_submit=False):
        st.text_input("Användarnamn (a–z, 0–9, . - _)", key="new_user:username")
        st.text_input("Namn", key="new_user:name")
        st.text_input("E-post", key="new_user:email")
        st.selectbox("Roll", ROLES, format_func=ROLE_LABELS.get, key="new_user:role")
        _scope_picker(places, "new_user:scope")
        form_errors("new_user", ())
        st.form_submit_button("Lägg till användare", on_click=add_user)
    refused_ui.refused_section(places)  # sign-ins by the organisation's provider (issue 14)
    if people.is_empty():
        return
    st.subheader("Ändra en användare", anchor=False)
    username = st.selectbox("Användare", people["username"].to_list(), key="pick_user")
    row = people.row(by_predicate=pl.col("username") == username, named=True)
    _grants(username, grants.filter(username=username), places)
    left, right = st.columns(2)
    active = row["active"]
    left.button(
        "Inaktivera" if active else "Aktivera",
        key="user:active",
        on_click=partial(
            run_service,
            "user",
            users.set_active,
            username,
            not active,
            done=f"{username} är {'inaktiverad' if active else 'aktiverad'}.",
        ),
    )
    right.button("Återställ lösenord", key="user:reset", on_click=reset_password, args=(username,))
    error_for("user")


def _grants(username: str, held: pl.DataFrame, scopes: dict[int, str]) -> None:
    """The user's grants, each with "Ta bort", and a role and scope to add."""
    st.markdown("**Roller och behörighet**")
    if held.is_empty():
        st.caption("Inga roller ännu.")
    for grant in held.iter_rows(named=True):
        text, button = st.columns([4, 1])
        text.text(f"{ROLE_LABELS[grant['role']]}: {grant['scope']}")
        button.button(
            "Ta bort",
            key=f"grant:{grant['id']}:remove",
            on_click=partial(
                run_service, "grant", users.remove_grant, grant["id"],
                done=f"Rollen {ROLE_LABELS[grant['role']]} för {grant['scope']} är borttagen.",
            ),
        )  # fmt: skip
    role, scope, add = st.columns([2, 3, 2], vertical_alignment="bottom")
    with role:
        st.selectbox("Roll", ROLES, format_func=ROLE_LABELS.get, key=f"grant:{username}:role")
    with scope:
        _scope_picker(scopes, f"grant:{username}:scope")
    add.button("Lägg till behörighet", key="grant:add", on_click=add_grant, args=(username,))
    error_for("grant")


def _scope_picker(scopes: dict[int, str], key: str) -> None:
    st.selectbox(
        "Gäller",
        list(scopes),
        format_func=scopes.get,
        key=key,
        help="Rollen gäller här: en kommun, ett lokalpolisområde (med dess kommuner), en "
        "polisregion eller hela landet. Du kan bara ge behörighet inom ditt eget område.",
    )


def _readable(people: pl.DataFrame) -> pl.DataFrame:
    return people.select(
        pl.col("username").alias("Användarnamn"),
        pl.col("display_name").alias("Namn"),
        pl.col("email").alias("E-post"),
        pl.col("roles").alias("Roller och behörighet"),
        pl.when("active").then(pl.lit("aktiv")).otherwise(pl.lit("inaktiv")).alias("Status"),
        text(labels.format_datetime, people["locked_until"], name="Spärrad till"),
    )
