"""What every form of the Administration page shares (issue 7): run a service, remember its
refusal, flash the outcome; the "new …" choice, the delete confirmation, the promise picker's
labels.

The tabs are drawn by promise_ui (promises and their parties), items_ui, users_ui, import_ui,
indicators_ui (indicators, their links to focus areas and the import of their values),
reminders_ui and publication.admin_ui.

Like dashboard/entry/ui.py, this module imports streamlit: the page keeps per-session state
(which form failed and why, a password to show once) that the thin page script should not
carry. Every write runs in a button callback, before the rerun draws the page, in one
transaction through the services (items, promises, users, importer in this package), which
check the admin role themselves. The outcome is a message on the next run, or a Swedish error
drawn right below the field it concerns. Stored text is shown with st.text or in tables, never
as markdown.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from dashboard import auth, components, database
from dashboard.access import NotPermitted
from dashboard.admin import users
from dashboard.admin.import_file import ImportFileError
from dashboard.admin.importer import ImportRefused
from dashboard.admin.indicator_values import ValuesRefused
from dashboard.admin.items import AdminError
from dashboard.admin.users import UserError
from dashboard.components import plain
from db import rules

FLASH = "admin_flash"
ERRORS = "admin_errors"
NEW = 0  # the "new …" choice of a picker


# ---------------------------------------------------------------- plumbing


def run_service(form: str, service: Callable, *args, done: Callable | str, **kwargs):
    """Call ``service(session, actor, *args)`` in one transaction (a button callback).

    The actor is the logged-in user with the roles the database holds now (users.as_stored).

    Success leaves ``done`` (a text, or a function of the result) as the next run's message;
    a refusal leaves its Swedish message for ``form``, by field.
    """
    st.session_state.pop(ERRORS, None)
    try:
        with database.writing(expire_on_commit=False) as session:
            actor = users.as_stored(session, auth.current_user())
            result = service(session, actor, *args, **kwargs)
    except (
        AdminError,
        UserError,
        NotPermitted,
        ImportRefused,
        ImportFileError,
        ValuesRefused,
    ) as exc:
        refuse(form, exc)
        return None
    except SQLAlchemyError as exc:
        components.log_database_error(exc)
        refuse(form, AdminError(database.unavailable_message(exc)))
        return None
    st.session_state[FLASH] = done(result) if callable(done) else done
    return result


def refuse(form: str, exc: Exception) -> None:
    """Leave ``exc``'s Swedish message for ``form``, below its field if it names one."""
    st.session_state[ERRORS] = {
        "form": form,
        "field": getattr(exc, "field", None),
        "message": str(exc),
    }


def flash() -> None:
    """Show, once, the message the last successful change left."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(plain(message))  # names in it are stored text: never markdown


def error_for(form: str, field: str | None = None) -> None:
    """Draw the refusal of ``form`` here if it concerns ``field`` (None: the form as such)."""
    error = st.session_state.get(ERRORS)
    if error and error["form"] == form and error["field"] == field:
        st.error(plain(error["message"]))


def form_errors(form: str, fields: tuple[str, ...]) -> None:
    """Draw a refusal of ``form`` that concerns none of the fields drawn with their own."""
    error = st.session_state.get(ERRORS)
    if error and error["form"] == form and error["field"] not in fields:
        st.error(plain(error["message"]))


def value(key: str):
    return st.session_state.get(key)


def confirm_delete(key: str, what: str, on_confirm: Callable[[], None]) -> None:
    """A "Ta bort…" button that opens a dialog; only its "Ja, ta bort" deletes."""

    @st.dialog("Ta bort för gott?")
    def dialog() -> None:
        st.text(f"{what} tas bort för gott. Det går inte att ångra.")
        st.caption("Vill du bara dölja det? Arkivera i stället; då finns historiken kvar.")
        left, right = st.columns(2)
        left.button("Ja, ta bort", type="primary", key=f"{key}:confirm", on_click=on_confirm)
        right.button("Avbryt", key=f"{key}:cancel")

    if st.button("Ta bort…", key=f"{key}:delete"):
        dialog()


# ---------------------------------------------------------------- the promise picker


def promise_label(promises: pl.DataFrame) -> Callable[[int], str]:
    """``2026 · Resecentrum – Title``: validity, area (none: the whole kommun) and title."""
    names = {
        row["id"]: " · ".join(filter(None, (validity(row), row["area"]))) + f" – {row['title']}"
        for row in promises.iter_rows(named=True)
    }
    return lambda promise_id: names.get(promise_id, "")


def validity(row: dict) -> str:
    """A promise row's validity: ``2026``, ``2022–2023`` or ``18 november 2026–31 mars 2027``."""
    return rules.dates_text(row["valid_from"], row["valid_to"])
