"""The pieces of the Administration page (issue 7): promises, focus areas and activities.

Like dashboard/entry/ui.py, this module imports streamlit: the page keeps per-session state
(which form failed and why, a password to show once) that the thin page script should not
carry. Every
write runs in a button callback, before the rerun draws the page, in one transaction through
the services (items, promises, users, importer in this package), which check the admin role
themselves. The outcome is a message on the next run, or a Swedish error drawn right below
the field it concerns. Stored text is shown with st.text or in tables, never as markdown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial

import polars as pl
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from dashboard import auth, cache, labels
from dashboard.access import NotPermitted
from dashboard.admin import promises as promise_service
from dashboard.admin import users
from dashboard.admin.import_file import ImportFileError
from dashboard.admin.importer import ImportRefused
from dashboard.admin.items import AdminError
from dashboard.admin.promises import PromiseFields
from dashboard.admin.users import UserError
from dashboard.components import plain
from db.models import KINDS

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
    engine = cache.engine(cache.settings().database_url)
    st.session_state.pop(ERRORS, None)
    try:
        with Session(engine, expire_on_commit=False) as session, session.begin():
            actor = users.as_stored(session, auth.current_user())
            result = service(session, actor, *args, **kwargs)
    except (AdminError, UserError, NotPermitted, ImportRefused, ImportFileError) as exc:
        st.session_state[ERRORS] = {
            "form": form,
            "field": getattr(exc, "field", None),
            "message": str(exc),
        }
        return None
    except SQLAlchemyError:
        message = "Databasen svarade inte; inget sparades. Försök igen om en stund."
        st.session_state[ERRORS] = {"form": form, "field": None, "message": message}
        return None
    st.session_state[FLASH] = done(result) if callable(done) else done
    return result


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


# ---------------------------------------------------------------- promises


PROMISE_FIELDS = ("year", "title", "kind", "signatories")


def promise_form(key: str, row: dict | None, *, year_default: int) -> None:
    """The fields of a promise (new when ``row`` is None), with their errors below them."""
    row = row or {}
    if not row:
        st.number_input("År", 2000, 2100, year_default, key=f"{key}:year")
        error_for(key, "year")
    st.text_input(
        "Titel",
        row.get("title", ""),
        key=f"{key}:title",
        placeholder=f"Medborgarlöfte {year_default}",
    )
    error_for(key, "title")
    kinds = list(KINDS)
    st.selectbox(
        "Typ",
        kinds,
        kinds.index(row.get("kind", kinds[0])),
        format_func=labels.KINDS.get,
        key=f"{key}:kind",
    )
    st.date_input("Undertecknat", row.get("signed_on"), format="YYYY-MM-DD", key=f"{key}:signed_on")
    st.text_area(
        "Undertecknare, en per rad: Namn, roll",
        row.get("signatories", ""),
        key=f"{key}:signatories",
    )
    error_for(key, "signatories")
    st.text_area("Sammanfattning", row.get("summary", ""), key=f"{key}:summary")


def promise_fields(key: str, year: int) -> PromiseFields:
    return PromiseFields(
        title=value(f"{key}:title") or f"Medborgarlöfte {year}",
        kind=value(f"{key}:kind"),
        signed_on=value(f"{key}:signed_on"),
        signatories=promise_service.parse_signatories(value(f"{key}:signatories") or ""),
        summary=value(f"{key}:summary") or "",
    )


def create_promise(partnership_id: int, source: str) -> None:
    """Callback of "Skapa löfte"."""
    year = int(value("new_promise:year"))
    copy = bool(value("new_promise:copy"))

    def done(result) -> str:
        promise, copied = result
        st.session_state["edit_promise"] = promise.id  # show the new promise below
        text = f"Löftet för {year} är skapat."
        if copy:
            areas = labels.count(copied.focus_areas, "fokusområde", "fokusområden")
            recurring = labels.count(
                copied.activities, "återkommande aktivitet", "återkommande aktiviteter"
            )
            one_off = labels.count(copied.skipped_one_off, "engångsaktivitet", "engångsaktiviteter")
            text += f" Kopierade {areas} och {recurring}; {one_off} kopierades inte."
        return text

    run_service(
        "new_promise",
        promise_service.create_promise,
        partnership_id=partnership_id,
        year=year,
        fields=promise_fields("new_promise", year),
        copy_previous=copy,
        source=source,
        done=done,
    )


def update_promise(key: str, promise_id: int, year: int) -> None:
    """Callback of "Spara ändringar"."""
    run_service(
        key,
        promise_service.update_promise,
        promise_id,
        promise_fields(key, year),
        done=f"Löftet för {year} är sparat.",
    )


def delete_promise(promise_id: int, year: int) -> None:
    run_service(
        "delete",
        promise_service.delete_promise,
        promise_id,
        done=f"Löftet för {year} är borttaget.",
    )


def promise_label(promises: pl.DataFrame) -> Callable[[int], str]:
    years = {
        row["id"]: f"{labels.format_years(row['year_from'], row['year_to'])} – {row['title']}"
        for row in promises.iter_rows(named=True)
    }
    return lambda promise_id: years.get(promise_id, "")


def default_year(promises: pl.DataFrame) -> int:
    """Next year after the newest promise (or this year when there is none)."""
    return int(promises["year_to"].max()) + 1 if promises.height else dt.date.today().year


def promises_tab(partnership_id: int, promises: pl.DataFrame, source: str) -> None:
    """Löften: create a year's promise (optionally from last year's), edit or delete one.

    ``promises`` is views.load_promises of the partnership.
    """
    year = default_year(promises)
    st.subheader("Nytt löfte", anchor=False)
    with st.form("new_promise"):
        promise_form("new_promise", None, year_default=year)
        st.checkbox(
            "Kopiera fokusområden och återkommande aktiviteter (med linjenyckel) från "
            "föregående års löfte",
            value=promises.height > 0,
            key="new_promise:copy",
        )
        form_errors("new_promise", PROMISE_FIELDS)
        st.form_submit_button(
            "Skapa löfte", type="primary", on_click=create_promise, args=(partnership_id, source)
        )
    if promises.is_empty():
        return
    st.subheader("Ändra ett löfte", anchor=False)
    promise_id = st.selectbox(
        "Löfte", promises["id"].to_list(), format_func=promise_label(promises), key="edit_promise"
    )
    row = promises.row(by_predicate=pl.col("id") == promise_id, named=True)
    key = f"promise:{promise_id}"
    with st.form(key):
        promise_form(key, row, year_default=row["year_from"])
        form_errors(key, PROMISE_FIELDS)
        st.form_submit_button(
            "Spara ändringar", on_click=update_promise, args=(key, promise_id, row["year_from"])
        )
    if row["evaluations"]:
        st.caption(
            f"Löftet har {labels.count(row['evaluations'], 'utvärdering', 'utvärderingar')} "
            "och kan inte tas bort; "
            "arkivera dess fokusområden eller aktiviteter i stället."
        )
    else:
        label = labels.format_years(row["year_from"], row["year_to"])
        confirm_delete(
            "promise",
            f"Löftet för {label} med alla fokusområden och aktiviteter",
            partial(delete_promise, promise_id, label),
        )
        error_for("delete")
