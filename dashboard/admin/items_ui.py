"""The Fokusområden och aktiviteter tab of the Administration page (issue 7).

Streamlit, like forms_ui (whose plumbing it uses): pick a year's promise, see its focus
areas and activities (archived ones too) in one table, then add, edit, reorder, archive or
delete one at a time. A hard delete is offered only where there are no evaluations, and asks
for confirmation in a dialog.
"""

from __future__ import annotations

from functools import partial

import polars as pl
import streamlit as st

from dashboard import database, labels
from dashboard.admin import items, queries
from dashboard.admin.forms_ui import (
    NEW,
    confirm_delete,
    error_for,
    form_errors,
    promise_label,
    run_service,
    value,
)
from dashboard.admin.items import ActivityFields, FocusAreaFields
from db.models import OWNERS, Activity, FocusArea

AREA_FIELDS = ("name", "theme")
ACTIVITY_FIELDS = ("focus_area_id", "title", "owner", "target_value", "target_unit", "lineage_key")


def area_fields(key: str) -> FocusAreaFields:
    return FocusAreaFields(
        name=value(f"{key}:name") or "",
        description=value(f"{key}:description") or "",
        theme=(value(f"{key}:theme") or "").strip(),
    )


def save_area(key: str, promise_id: int, area_id: int) -> None:
    """Callback of "Lägg till" / "Spara" for a focus area."""
    fields = area_fields(key)
    if area_id == NEW:
        run_service(
            key,
            items.add_focus_area,
            promise_id,
            fields,
            done=f"Fokusområdet {fields.name} är tillagt.",
        )
    else:
        run_service(
            key,
            items.update_focus_area,
            area_id,
            fields,
            done=f"Fokusområdet {fields.name} är sparat.",
        )


def activity_fields(key: str) -> ActivityFields:
    partners = (value(f"{key}:partners") or "").split(",")
    owner, party = owner_of(value(f"{key}:owner"))
    return ActivityFields(
        focus_area_id=value(f"{key}:focus_area_id"),
        title=value(f"{key}:title") or "",
        owner=owner,
        owner_organisation_id=party,
        description=value(f"{key}:description") or "",
        partners=[p.strip() for p in partners if p.strip()],
        target_value=value(f"{key}:target_value"),
        target_unit=value(f"{key}:target_unit") or None,
        lineage_key=(value(f"{key}:lineage_key") or "").strip() or None,
    )


def owner_choice(owner: str, party: int | None) -> str:
    """The "Ansvarig" choice of an activity: kommun, polis, gemensam, or ``annan:<party id>``."""
    return f"annan:{party}" if owner == "annan" else owner


def owner_of(choice: str) -> tuple[str, int | None]:
    """The owner and owner party of an "Ansvarig" choice (owner_choice backwards)."""
    owner, _, party = choice.partition(":")
    return owner, int(party) if party else None


def save_activity(key: str, activity_id: int) -> None:
    """Callback of "Lägg till" / "Spara" for an activity."""
    fields = activity_fields(key)
    if activity_id == NEW:
        run_service(key, items.add_activity, fields, done=f"Aktiviteten {fields.title} är tillagd.")
    else:
        run_service(
            key,
            items.update_activity,
            activity_id,
            fields,
            done=f"Aktiviteten {fields.title} är sparad.",
        )


# Swedish participles agree with the noun: fokusområdet (neuter) ... -t, aktiviteten ... -d.
ITEM_KINDS = {
    "area": (FocusArea, "Fokusområdet", ("flyttat", "arkiverat", "återställt", "borttaget")),
    "activity": (Activity, "Aktiviteten", ("flyttad", "arkiverad", "återställd", "borttagen")),
}


def item_actions(kind: str, row: dict, name: str) -> None:
    """Move up and down, archive or bring back, and delete (only without evaluations)."""
    model, noun, (moved, archived_word, restored, deleted) = ITEM_KINDS[kind]
    up, down, archive, delete = st.columns(4)
    for column, label, step in ((up, "↑ Flytta upp", -1), (down, "↓ Flytta ned", 1)):
        column.button(
            label,
            key=f"{kind}:{step}",
            on_click=partial(
                run_service, kind, items.move, model, row["id"], step, done=f"{noun} är {moved}."
            ),
        )
    archived = row["archived"]
    archive.button(
        "Återställ" if archived else "Arkivera",
        key=f"{kind}:archive",
        on_click=partial(
            run_service,
            kind,
            items.set_archived,
            model,
            row["id"],
            not archived,
            done=f"{noun} är {restored if archived else archived_word}.",
        ),
    )
    with delete:
        if row["evaluations"]:
            counted = labels.count(row["evaluations"], "utvärdering", "utvärderingar")
            st.caption(f"{counted}: kan arkiveras, inte tas bort.")
        else:
            delete_it = partial(
                run_service, kind, items.delete, model, row["id"], done=f"{noun} är {deleted}."
            )
            confirm_delete(kind, f"{noun} ”{name}”", delete_it)
    error_for(kind)


def items_tab(promises: pl.DataFrame) -> None:
    """Fokusområden och aktiviteter of one promise."""
    if promises.is_empty():
        st.info("Skapa först ett löfte under fliken Löften.")
        return
    promise_id = st.selectbox(
        "Löfte", promises["id"].to_list(), format_func=promise_label(promises), key="items_promise"
    )
    with database.reading() as conn:
        areas = queries.load_focus_areas(conn, promise_id)
        activities = queries.load_activities(conn, promise_id)
        stored = queries.load_parties(conn, promise_id).filter(pl.col("role") == "annan")
    others = dict(zip(stored["organisation_id"], stored["name"], strict=True))
    st.dataframe(overview(areas, activities), hide_index=True, width="stretch")
    st.subheader("Fokusområde", anchor=False)
    area_tab(promise_id, areas)
    st.subheader("Aktivitet", anchor=False)
    if areas.is_empty():
        st.info("Lägg till ett fokusområde först.")
    else:
        activity_tab(promise_id, areas, activities, others)


def overview(areas: pl.DataFrame, activities: pl.DataFrame) -> pl.DataFrame:
    """One line per activity (and per empty focus area), with the Swedish column names."""
    joined = areas.rename({"id": "focus_area_id", "name": "Fokusområde"}).join(
        activities, on="focus_area_id", how="left", suffix="_activity"
    )
    return joined.select(
        "Fokusområde",
        pl.col("title").alias("Aktivitet"),
        pl.when(pl.col("owner") == "annan")
        .then(pl.col("owner_party"))
        .otherwise(pl.col("owner").replace_strict(labels.OWNERS, default=None))
        .alias("Ansvarig"),
        pl.col("lineage_key").alias("Linjenyckel"),
        (pl.col("archived") | pl.col("archived_activity").fill_null(False)).alias("Arkiverad"),
        pl.col("evaluations_activity").fill_null(0).alias("Utvärderingar"),
    )


def area_tab(promise_id: int, areas: pl.DataFrame) -> None:
    names = dict(zip(areas["id"], areas["name"], strict=True))
    area_id = st.selectbox(
        "Välj fokusområde",
        [NEW, *names],
        key="pick_area",
        format_func=lambda i: (
            "➕ Nytt fokusområde" if i == NEW else _with_state(names[i], areas, i, "arkiverat")
        ),
    )
    row = areas.row(by_predicate=pl.col("id") == area_id, named=True) if area_id else {}
    key = f"area:{promise_id}:{area_id}"
    with st.form(key):
        st.text_input("Namn", row.get("name", ""), key=f"{key}:name")
        error_for(key, "name")
        st.text_area("Beskrivning", row.get("description", ""), key=f"{key}:description")
        st.text_input(
            "Tema (fast nyckel, t.ex. ungdomar)", row.get("theme", ""), key=f"{key}:theme"
        )
        error_for(key, "theme")
        form_errors(key, AREA_FIELDS)
        st.form_submit_button(
            "Lägg till fokusområde" if area_id == NEW else "Spara fokusområde",
            on_click=save_area,
            args=(key, promise_id, area_id),
        )
    if row:
        item_actions("area", row, row["name"])


def activity_tab(
    promise_id: int, areas: pl.DataFrame, activities: pl.DataFrame, others: dict[int, str]
) -> None:
    """Pick, add or edit one activity; ``others`` are the promise's added parties (id: name)."""
    titles = dict(zip(activities["id"], activities["title"], strict=True))
    activity_id = st.selectbox(
        "Välj aktivitet",
        [NEW, *titles],
        key="pick_activity",
        format_func=lambda i: (
            "➕ Ny aktivitet" if i == NEW else _with_state(titles[i], activities, i, "arkiverad")
        ),
    )
    row = (
        activities.row(by_predicate=pl.col("id") == activity_id, named=True) if activity_id else {}
    )
    area_names = dict(zip(areas["id"], areas["name"], strict=True))
    key = f"activity:{promise_id}:{activity_id}"
    with st.form(key):
        area_ids = list(area_names)
        st.selectbox(
            "Fokusområde",
            area_ids,
            area_ids.index(row.get("focus_area_id", area_ids[0])),
            format_func=area_names.get,
            key=f"{key}:focus_area_id",
        )
        error_for(key, "focus_area_id")
        st.text_input("Titel", row.get("title", ""), key=f"{key}:title")
        error_for(key, "title")
        st.text_area("Beskrivning", row.get("description", ""), key=f"{key}:description")
        # Another party of the promise carries it out: one choice per added party.
        owners = [code for code in OWNERS if code != "annan"]
        owners += [owner_choice("annan", party) for party in others]
        current = owner_choice(row.get("owner", "gemensam"), row.get("owner_organisation_id"))
        st.selectbox(
            "Ansvarig",
            owners if current in owners else [*owners, current],
            owners.index(current) if current in owners else len(owners),
            format_func=lambda c: labels.OWNERS.get(c) or others.get(owner_of(c)[1], "Annan part"),
            key=f"{key}:owner",
        )
        error_for(key, "owner")
        st.text_input(
            "Samverkanspartner (åtskilda med kommatecken)",
            row.get("partners", ""),
            key=f"{key}:partners",
        )
        left, right = st.columns(2)
        left.number_input(
            "Målvärde", min_value=0.0, value=row.get("target_value"), key=f"{key}:target_value"
        )
        right.text_input("Enhet", row.get("target_unit") or "", key=f"{key}:target_unit")
        error_for(key, "target_value")
        st.text_input(
            "Linjenyckel (samma varje år för en återkommande aktivitet)",
            row.get("lineage_key") or "",
            key=f"{key}:lineage_key",
        )
        error_for(key, "lineage_key")
        form_errors(key, ACTIVITY_FIELDS)
        st.form_submit_button(
            "Lägg till aktivitet" if activity_id == NEW else "Spara aktivitet",
            on_click=save_activity,
            args=(key, activity_id),
        )
    if row:
        item_actions("activity", row, row["title"])


def _with_state(name: str, frame: pl.DataFrame, row_id: int, word: str) -> str:
    archived = frame.filter(pl.col("id") == row_id)["archived"].item()
    return f"{name} ({word})" if archived else name
