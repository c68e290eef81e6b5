"""The Administration tab "Publicering" (issue 13): preview, publish, withdraw.

The admin chooses a promise and an ended period, writes how citizens reach the partnership,
and presses *Förhandsvisa*: the snapshot is built and shown exactly as the public page will
show it. *Publicera T3 2021* stores that very snapshot (the service refuses if anything changed
in between). Every publication of the promise is listed with who published and withdrew it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from dashboard import auth, components, database, labels
from dashboard.access import NotPermitted
from dashboard.admin import users
from dashboard.admin.forms_ui import promise_label
from dashboard.components import plain
from dashboard.publication import service, static_html
from db.models import Period

PREVIEW = "publication_preview"
FLASH = "publication_flash"
ERROR = "publication_error"


def publication_tab(kommun_code: str, promises: pl.DataFrame, today: dt.date | None = None) -> None:
    """The whole tab for the chosen kommun's promises (``admin.queries.load_promises`` rows)."""
    today = today or dt.date.today()
    if message := st.session_state.pop(FLASH, None):
        st.success(plain(message))
    if promises.is_empty():
        st.info("Skapa först ett löfte under fliken Löften.")
        return
    st.markdown(
        "Publicera uppföljningen av ett löfte för invånarna. Bara det du ser i "
        "förhandsvisningen blir publikt: status i ord, mål och utfall, de rader samordnarna "
        "skrivit för invånare och kopplade indikatorer. Interna kommentarer och namn visas aldrig."
    )
    promise_id = st.selectbox(
        "Löfte", promises["id"].to_list(), format_func=promise_label(promises),
        key="publication_promise",
    )  # fmt: skip
    with database.session() as session:
        periods = session.execute(
            select(Period.id, Period.code, Period.year, Period.name)
            .where(Period.promise_id == promise_id, Period.ends_on < today)
            .order_by(Period.ends_on.desc())
        ).all()
        history = service.publications_of(session, promise_id)
        live = service.live_publications(session, kommun_code)
    if not periods:
        st.info("Ingen av löftets perioder är slut än; en period publiceras när den är slut.")
    else:
        names = {pid: f"{code} {year} ({name})" for pid, code, year, name in periods}
        period_id = st.selectbox("Period", list(names), format_func=names.get,
                                 key="publication_period")  # fmt: skip
        contact = st.text_area(
            "Kontakt för invånare",
            value=_last_contact(live),
            key="publication_contact",
            help="Hur invånare når samverkan, t.ex. kommunens kontaktcenter och polisens 114 14.",
        )
        _error("contact")
        st.button("Förhandsvisa", key="publication_preview_button",
                  on_click=_preview, args=(promise_id, period_id, contact))  # fmt: skip
        _error("preview")
        _preview_and_publish(promise_id, period_id, contact, names[period_id])
    _history(history, kommun_code)


def _preview(promise_id: int, period_id: int, contact: str) -> None:
    st.session_state.pop(ERROR, None)
    st.session_state.pop(PREVIEW, None)
    try:
        with database.session() as session:
            actor = users.as_stored(session, auth.current_user())
            content = service.preview(session, actor, promise_id, period_id, contact=contact)
    except (service.PublishRefused, NotPermitted) as exc:
        field = "contact" if "kontakt" in str(exc) else "preview"
        st.session_state[ERROR] = (field, str(exc))
        return
    st.session_state[PREVIEW] = {"key": (promise_id, period_id, contact), "content": content}


def _preview_and_publish(promise_id: int, period_id: int, contact: str, name: str) -> None:
    shown = st.session_state.get(PREVIEW)
    if not shown or shown["key"] != (promise_id, period_id, contact):
        return
    st.subheader("Förhandsvisning: så här ser invånarna det", anchor=False)
    with st.container(border=True):
        st.html(static_html.fragment(shown["content"], dt.datetime.now(dt.UTC)))
    code = name.split(" (")[0]
    st.button(
        f"Publicera {code}", type="primary", key="publication_publish", on_click=_publish,
        args=(promise_id, period_id, contact, shown["content"]),
    )  # fmt: skip
    _error("publish")


def _publish(promise_id: int, period_id: int, contact: str, content: dict) -> None:
    st.session_state.pop(ERROR, None)
    try:
        with database.writing() as session:
            actor = users.as_stored(session, auth.current_user())
            publication = service.publish(session, actor, promise_id, period_id,
                                          contact=contact, previewed=content)  # fmt: skip
            period = session.get(Period, period_id)
            where = f"{period.code} {period.year}"
            publication_id = publication.id
    except (service.PublishRefused, NotPermitted) as exc:
        st.session_state[ERROR] = ("publish", str(exc))
        return
    except SQLAlchemyError as exc:
        components.log_database_error(exc)
        st.session_state[ERROR] = ("publish", database.unavailable_message(exc))
        return
    st.session_state.pop(PREVIEW, None)
    st.session_state[FLASH] = f"Uppföljningen {where} är publicerad (nummer {publication_id})."


def _withdraw(publication_id: int) -> None:
    st.session_state.pop(ERROR, None)
    try:
        with database.writing() as session:
            actor = users.as_stored(session, auth.current_user())
            service.withdraw(session, actor, publication_id)
    except (service.PublishRefused, NotPermitted) as exc:
        st.session_state[ERROR] = ("history", str(exc))
        return
    st.session_state[FLASH] = "Publiceringen är återkallad och syns inte längre för invånare."


def _history(history, kommun_code: str) -> None:
    st.subheader("Publiceringar av löftet", anchor=False)
    _error("history")
    if not history:
        st.caption("Löftet är inte publicerat.")
        return
    rows = [
        {
            "Period": f"{p.content['period']['code']} {p.content['period']['year']}",
            "Publicerad": labels.format_local_datetime(p.published_at),
            "Av": p.published_by,
            "Återkallad": labels.format_local_datetime(p.withdrawn_at) or "–",
            "Återkallad av": p.withdrawn_by or "–",
        }
        for p in history
    ]
    components.table(pl.DataFrame(rows), label="Publiceringar")
    st.markdown(
        f"Den publika sidan: [/medborgare?kommun={kommun_code}](medborgare?kommun={kommun_code})"
    )
    for p in history:
        if p.withdrawn_at is None:
            label = f"Återkalla {p.content['period']['code']} {p.content['period']['year']}"
            st.button(label, key=f"publication_withdraw:{p.id}", on_click=_withdraw, args=(p.id,))


def _last_contact(live: list[service.LivePublication]) -> str:
    return live[0].content.get("contact", "") if live else ""


def _error(field: str) -> None:
    error = st.session_state.get(ERROR)
    if error and error[0] == field:
        st.error(plain(error[1]))
