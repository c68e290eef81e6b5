"""The pieces of the entry page (Registrera utvärdering): form, grid, conflict, history.

Besides cache, components and auth, only the *ui* modules under dashboard/ (this one and
admin's) import streamlit: the entry page keeps per-session state (what was loaded, what was
typed) that no other page has. Saving happens in button callbacks, before the rerun draws the
form, so the outcome (errors per field, a conflict, a fault) is known when the fields are
drawn.

Optimistic locking needs the version the user *loaded*, not the one stored now: each form and
the grid keep a snapshot of the loaded rows in the session until a save succeeds or the user
reloads; everything typed lives in widget state and survives any refused save.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl
import streamlit as st
from sqlalchemy.exc import InterfaceError, OperationalError

from dashboard import components, database, html_blocks, labels, queries, reminders
from dashboard.access import Actor, NotPermitted
from dashboard.components import plain
from dashboard.entry import grid, history
from dashboard.entry.evaluations import (
    FIELDS,
    InvalidEvaluation,
    SaveConflict,
    SaveUnavailable,
    save_evaluations,
)
from dashboard.entry.history import show_value
from dashboard.entry.queries import load_tertial_entries
from dashboard.entry.rules import FIELD_LABELS, EvaluationInput
from dashboard.queries.promises import PARTNERSHIPS_SCHEMA
from dashboard.queries.scope import load_readable
from db.models import STATUSES

STATUS_CODES = list(STATUSES)
ENTRY_GRANTS = ("samordnare", "admin")
TABS = "registrera_flik"  # components.lazy_tabs's key on the page


def _fresh_or_remembered(memory: str, load: Callable):
    """``load(conn)`` read now and remembered in the session under ``memory``; while the
    database does not answer, what was remembered (None if nothing was)."""
    try:
        with database.reading() as conn:
            value = load(conn)
    except (OperationalError, InterfaceError) as exc:
        components.log_database_error(exc)
        st.session_state["entry_offline"] = True
        return st.session_state.get(memory)
    st.session_state["entry_offline"] = False
    st.session_state[memory] = value
    return value


def load_years(partnership: str) -> list[int] | None:
    """The years with a promise; while the database does not answer, the ones last read.

    None when the database does not answer and this session has read nothing yet.
    """
    return _fresh_or_remembered(
        f"entry_years:{partnership}",
        lambda conn: queries.load_years(conn, partnership=partnership)["year"].to_list(),
    )


def load_writable(user: Actor) -> pl.DataFrame:
    """The partnerships (code, name, police_area) ``user`` may enter evaluations for: those
    their samordnare or admin grants cover (remembered while the database is away)."""

    def load(conn) -> pl.DataFrame:
        partnerships = queries.load_partnerships(conn)
        grants = [g for g in user.grants if g.role in ENTRY_GRANTS]
        if any(g.national for g in grants):
            return partnerships
        covered = load_readable(conn, grants)["kommun_code"] if grants else []
        return partnerships.filter(pl.col("code").is_in(list(covered)))

    writable = _fresh_or_remembered(f"entry_writable:{user.username}", load)
    return writable if writable is not None else pl.DataFrame(schema=PARTNERSHIPS_SCHEMA)


def load_promise_choice(year: int, partnership: str) -> pl.DataFrame:
    """The year's promises of the kommun, for the promise picker (the remembered ones while
    the database does not answer; an empty frame if none)."""
    promises = _fresh_or_remembered(
        f"entry_promises:{partnership}:{year}",
        lambda conn: queries.load_year_promises(conn, year, partnership=partnership),
    )
    return promises if promises is not None else pl.DataFrame(schema=queries.YEAR_PROMISES_SCHEMA)


def load_periods(year: int, promise: str) -> pl.DataFrame:
    """The shown promise's periods of ``year`` (remembered while the database is away)."""
    periods = _fresh_or_remembered(
        f"entry_periods:{promise}:{year}",
        lambda conn: queries.load_periods(conn, year, partnership=promise),
    )
    return periods if periods is not None else pl.DataFrame(schema=queries.PERIODS_SCHEMA)


def grid_key(year: int, tertial: int, promise: str) -> str:
    """The session keys' prefix of the grid of one promise's period."""
    return f"grid:{year}:{tertial}:{promise}"


def load_entries(year: int, tertial: int, partnership: str) -> pl.DataFrame | None:
    """The tertial's activities and evaluations, read fresh (versions must be current).

    While the database does not answer (issue 10), the rows this session last loaded for the
    period, so the form and the grid still show what was typed; None if it loaded none. They
    are remembered here, not taken from the grid's own snapshot: the grid is drawn only once
    its tab is opened (issue 15), and the form must not lose its rows when it was not.
    """
    memory = f"{grid_key(year, tertial, partnership)}:rows"
    if not offline():
        try:
            with database.reading() as conn:
                entries = load_tertial_entries(conn, year, tertial, partnership=partnership)
        except (OperationalError, InterfaceError) as exc:
            components.log_database_error(exc)
            st.session_state["entry_offline"] = True
        else:
            st.session_state[memory] = entries
            return entries
    return st.session_state.get(memory)


def load_history(activity_id: int) -> pl.DataFrame | None:
    """The activity's history table; None while the database does not answer."""
    if offline():
        return None
    try:
        with database.reading() as conn:
            return history.history_table(queries.load_audit_history(conn, activity_id))
    except (OperationalError, InterfaceError) as exc:
        components.log_database_error(exc)
        return None


def offline() -> bool:
    """Whether this run found the database not answering."""
    return bool(st.session_state.get("entry_offline"))


def offline_notice() -> None:
    """Said at the top of the page while the database does not answer."""
    st.warning(
        "Databasen svarar inte just nu. Det du har skrivit finns kvar här; spara igen när "
        "databasen svarar. Historiken visas när databasen svarar igen."
    )


def flash() -> None:
    """Show, once, the message a successful save left for the next run."""
    slot = st.empty()  # always one element, so the tabs below keep their place (and state)
    message = st.session_state.pop("entry_flash", None)
    if message:
        slot.success(message)


def forget_loaded(year: int, tertial: int) -> None:
    """Drop every snapshot and typed value of the period, so the next run reads afresh."""
    prefixes = (f"entry:{year}:{tertial}:", f"grid:{year}:{tertial}:")
    for key in [k for k in st.session_state if str(k).startswith(prefixes)]:
        del st.session_state[key]


def missing_section(year: int, promise: str, today: dt.date) -> None:
    """Saknade utvärderingar (issue 14): the shown promise's activities with no evaluation of
    its last ended period, by owner, with the days since it ended (dashboard/reminders.py).

    Drawn in one container that is always there, whatever it holds (nothing while the database
    is down): the form below keeps its place in the page, so a rerun never shows a second copy
    of it while the first is still on screen, and what was typed stays where it was typed.
    """
    with st.container():
        if offline():
            return
        try:
            with database.reading() as conn:
                missing = reminders.load_missing(conn, today, year=year, promise=promise)
        except (OperationalError, InterfaceError) as exc:
            components.log_database_error(exc)
            return
        heading = html_blocks.section_heading("Saknade utvärderingar")
        if missing.is_empty():
            components.draw_html(
                heading,
                html_blocks.paragraph(
                    "Inga aktiviteter saknar utvärdering för löftets senaste avslutade period.",
                    note=True,
                ),
            )
            return
        row = missing.row(0, named=True)
        n = labels.count(missing.height, "aktivitet saknar", "aktiviteter saknar")
        components.draw_html(  # one HTML block (issue 15)
            heading,
            html_blocks.notice(
                f"{n} utvärdering för {row['period_name']} {row['year']}, som slutade "
                f"{labels.format_date(row['ends_on'])} "
                f"({labels.count(row['days_overdue'], 'dag', 'dagar')} sedan).",
                "warning",
            ),
            html_blocks.table(reminders.missing_table(missing), label="Saknade utvärderingar"),
        )


def history_section(activity_id: int) -> None:
    """Historik: every change of the activity's evaluations, who and when, as an HTML table
    (the data grid's script was the largest part of the page's load in the browser, issue 15).
    """
    history = load_history(activity_id)
    if history is None:
        shown = html_blocks.paragraph("Historiken visas när databasen svarar igen.", note=True)
    elif history.is_empty():
        shown = html_blocks.paragraph("Inga ändringar registrerade ännu.", note=True)
    else:
        shown = html_blocks.table(history, label="Historik")
    components.draw_html(html_blocks.section_heading("Historik"), shown)


# ------------------------------------------------------------------ one activity


def evaluation_form(user: Actor, row: dict, *, year: int, tertial: int, source: str):
    """The form for one activity, prefilled with its evaluation; saving in a callback."""
    key = f"entry:{year}:{tertial}:{row['activity_id']}"
    loaded = st.session_state.setdefault(f"{key}:loaded", _loaded(row))
    for name in FIELDS:
        st.session_state.setdefault(f"{key}:{name}", loaded[name])
    result = st.session_state.get(f"{key}:result", {})
    errors = result.get("errors", {}).get(row["activity_id"], {})
    with st.form(f"{key}:form", border=True):
        st.selectbox(
            FIELD_LABELS["status"],
            STATUS_CODES,
            key=f"{key}:status",
            format_func=labels.status_text,
            index=None,
            placeholder="Välj status",
        )
        _field_error(errors, "status")
        st.number_input(FIELD_LABELS["completion"], 0, 100, step=5, key=f"{key}:completion")
        _field_error(errors, "completion")
        if row["target_value"] is not None:
            _achieved_field(key, row, errors)
        st.text_area(FIELD_LABELS["comment"], max_chars=None, key=f"{key}:comment", height=120)
        _field_error(errors, "comment")
        _public_fields(key, errors)
        st.form_submit_button(
            "Spara",
            type="primary",
            on_click=_save_form,
            args=(user, key, row, year, tertial, source),
        )
    _outcome(
        result,
        key,
        on_overwrite=_overwrite_form,
        args=(user, key, row, year, tertial, source),
    )


def _achieved_field(key: str, row: dict, errors: dict) -> None:
    # Widget labels render markdown: the stored unit is escaped.
    target = f"{labels.format_number(row['target_value'], 0)} {plain(row['target_unit'] or '')}"
    st.number_input(
        f"{FIELD_LABELS['achieved_value']} (mål {target.strip()})",
        min_value=0.0,
        step=1.0,
        format="%g",  # "4", not "4.00"; a fraction still shows (issue 10)
        key=f"{key}:achieved_value",
    )
    _field_error(errors, "achieved_value")


def _public_fields(key: str, errors: dict) -> None:
    """What citizens may see once the period is published (issue 13): nothing unless marked."""
    st.checkbox(
        "Kommentaren får visas för invånare",
        key=f"{key}:comment_public",
        help=(
            "Kommentarer är interna. Markera bara om kommentaren får visas på medborgarsidan "
            "när uppföljningen publiceras."
        ),
    )
    st.text_input(
        "Rad för invånare (valfri)",
        key=f"{key}:public_line",
        max_chars=None,  # the rule (500 tecken) answers next to the field, text kept
        help="Visas på medborgarsidan när uppföljningen publiceras.",
    )
    _field_error(errors, "public_line")


def _loaded(row: dict) -> dict:
    return {
        "status": row["status"],
        "completion": row["completion"] if row["completion"] is not None else 0,
        "achieved_value": row["achieved_value"],
        "comment": row["comment"] or "",
        "comment_public": bool(row["comment_public"]),
        "public_line": row["public_line"] or "",
        "version": row["version"],
    }


def _form_entry(key: str, row: dict, year: int, tertial: int) -> EvaluationInput:
    values = {name: st.session_state.get(f"{key}:{name}") for name in FIELDS}
    values["comment"] = values["comment"] or ""
    values["public_line"] = values["public_line"] or ""
    values["comment_public"] = bool(values["comment_public"])
    version = st.session_state[f"{key}:loaded"]["version"]
    return EvaluationInput(row["activity_id"], year, tertial, expected_version=version, **values)


def _save_form(user, key, row, year, tertial, source) -> None:
    result = _save(user, [_form_entry(key, row, year, tertial)], source=source)
    if result.get("saved"):
        forget_loaded(year, tertial)
    else:
        st.session_state[f"{key}:result"] = result


def _overwrite_form(user, key, row, year, tertial, source) -> None:
    """Save mine over theirs: take their version as the one loaded, then save again."""
    theirs = st.session_state[f"{key}:result"]["conflicts"][0].theirs
    st.session_state[f"{key}:loaded"]["version"] = theirs["version"]
    _save_form(user, key, row, year, tertial, source)


def _use_theirs(key: str) -> None:
    theirs = st.session_state.pop(f"{key}:result")["conflicts"][0].theirs
    st.session_state[f"{key}:loaded"] = {
        **{n: theirs[n] for n in FIELDS},
        "version": theirs["version"],
    }
    for name in FIELDS:
        st.session_state[f"{key}:{name}"] = theirs[name] if theirs[name] is not None else None


# ------------------------------------------------------------------ the whole tertial


def evaluation_grid(
    user: Actor,
    entries: pl.DataFrame,
    *,
    year: int,
    tertial: int,
    source: str,
    promise: str = "",
):
    """Every activity of the period in one st.data_editor, saved in one transaction."""
    key = grid_key(year, tertial, promise)
    base = st.session_state.setdefault(f"{key}:base", entries)
    cols = grid.GRID_COLUMNS
    st.data_editor(
        grid.grid_frame(base),
        key=f"{key}:editor",
        hide_index=True,
        width="stretch",
        placeholder="–",
        disabled=[cols["focus_area"], cols["title"], cols["target"]],
        column_config={
            cols["status"]: st.column_config.SelectboxColumn(options=list(grid.STATUS_BY_TEXT)),
            cols["completion"]: st.column_config.NumberColumn(min_value=0, max_value=100, step=1),
            cols["achieved_value"]: st.column_config.NumberColumn(min_value=0),
            cols["comment"]: st.column_config.TextColumn(
                width="large", help="Intern, om den inte markeras som publik."
            ),
            cols["comment_public"]: st.column_config.CheckboxColumn(
                help="Kommentaren får visas för invånare när uppföljningen publiceras."
            ),
            cols["public_line"]: st.column_config.TextColumn(
                width="medium", help="Visas på medborgarsidan när uppföljningen publiceras."
            ),
        },
    )
    st.button(
        "Spara tabellen",
        type="primary",
        key=f"{key}:save",
        on_click=_save_grid,
        args=(user, key, year, tertial, source),
    )
    result = st.session_state.get(f"{key}:result", {})
    if result.get("errors"):
        st.error("Inget i tabellen sparades. Rätta raderna nedan och spara igen:")
        st.dataframe(_grid_errors(base, result["errors"]), hide_index=True)
    _outcome(result, key, on_overwrite=_overwrite_grid, args=(user, key, year, tertial, source))


def _save_grid(user, key, year, tertial, source) -> None:
    base = st.session_state[f"{key}:base"]
    edited = st.session_state.get(f"{key}:editor", {}).get("edited_rows", {})
    entries = grid.changed_entries(base, edited, year=year, tertial=tertial)
    if not entries:
        st.session_state[f"{key}:result"] = {"message": "Inga ändringar att spara i tabellen."}
        return
    result = _save(user, entries, source=source)
    if result.get("saved"):
        forget_loaded(year, tertial)
    else:
        st.session_state[f"{key}:result"] = result


def _overwrite_grid(user, key, year, tertial, source) -> None:
    theirs = {
        c.yours.activity_id: c.theirs["version"]
        for c in st.session_state[f"{key}:result"]["conflicts"]
    }
    base = st.session_state[f"{key}:base"]
    st.session_state[f"{key}:base"] = base.with_columns(
        pl.col("activity_id")
        .replace_strict(theirs, default=pl.col("version"), return_dtype=pl.Int64)
        .alias("version")
    )
    _save_grid(user, key, year, tertial, source)


def _grid_errors(base: pl.DataFrame, errors: dict) -> pl.DataFrame:
    titles = dict(zip(base["activity_id"], base["title"], strict=True))
    rows = [
        {
            "Aktivitet": titles.get(activity_id, str(activity_id)),
            "Fält": FIELD_LABELS.get(f, f),
            "Vad du behöver rätta": m,
        }
        for activity_id, problems in errors.items()
        for f, m in problems.items()
    ]
    return pl.DataFrame(
        rows, schema=dict.fromkeys(("Aktivitet", "Fält", "Vad du behöver rätta"), pl.String)
    )


# ------------------------------------------------------------------ shared


def _save(user, entries, *, source) -> dict:
    """Call the save service; return what the next run must show."""
    try:
        outcomes = save_evaluations(database.engine(), user, entries, source=source)
    except InvalidEvaluation as exc:
        return {"errors": exc.errors}
    except SaveConflict as exc:
        return {"conflicts": exc.conflicts, "warning": str(exc)}
    except (SaveUnavailable, NotPermitted) as exc:
        return {"failure": str(exc)}
    saved = [o for o in outcomes if o.action != "unchanged"]
    notes = " ".join(dict.fromkeys(n for o in outcomes for n in o.notes))
    message = (
        f"Sparat: {len(saved)} utvärdering{'ar' if len(saved) != 1 else ''}."
        if saved
        else ("Redan sparat: inget hade ändrats.")
    )
    st.session_state["entry_flash"] = f"{message} {notes}".strip()
    return {"saved": True}


def _field_error(errors: dict, name: str) -> None:
    if errors.get(name):
        st.error(errors[name], icon="✏️")


def _outcome(result: dict, key: str, *, on_overwrite, args) -> None:
    if result.get("errors") and key.startswith("entry:"):
        st.error("Utvärderingen sparades inte. Rätta de markerade fälten; det du skrev finns kvar.")
    if result.get("failure"):
        st.error(result["failure"])
    if result.get("message"):
        st.info(result["message"])
    if result.get("conflicts"):
        st.warning(result["warning"])
        st.dataframe(conflict_table(result["conflicts"]), hide_index=True)
        left, right = st.columns(2)
        left.button(
            "Spara mina värden ändå", key=f"{key}:overwrite", on_click=on_overwrite, args=args
        )
        if key.startswith("entry:"):
            right.button(
                "Använd deras värden", key=f"{key}:theirs", on_click=_use_theirs, args=(key,)
            )
        else:
            right.button(
                "Släng mina ändringar", key=f"{key}:discard", on_click=forget_loaded, args=args[3:5]
            )


def conflict_table(conflicts) -> pl.DataFrame:
    """Their stored values beside yours, one row per field that differs."""
    rows = []
    for conflict in conflicts:
        theirs = conflict.theirs
        who = f"{theirs['evaluated_by']}, {labels.format_datetime(theirs['evaluated_at'])}"
        for name in FIELDS:
            mine, stored = getattr(conflict.yours, name), theirs[name]
            if (mine or None) != (stored or None):
                rows.append(
                    (FIELD_LABELS[name], show_value(name, stored), who, show_value(name, mine))
                )
    columns = ("Fält", "Sparat värde", "Sparat av", "Ditt värde")
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String), orient="row")
