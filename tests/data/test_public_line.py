"""What citizens may see of an evaluation (issue 13): the comment's public mark and the public
line, through the rules, the save service (SQLite and PostgreSQL) and the import; the entry page
in tests/app/test_public_line.py.

The comment stays internal unless marked; nothing here publishes anything (a published snapshot
does, dashboard/publication), so these tests check that both fields are saved, compared, shown
in conflicts and history, and audited like the other fields.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.access import Actor
from dashboard.admin.importer import STORED_DIFFERS
from dashboard.entry.evaluations import InvalidEvaluation, SaveConflict, save_evaluation
from dashboard.entry.grid import GRID_COLUMNS, changed_entries, grid_frame
from dashboard.entry.history import describe_change, history_table
from dashboard.entry.queries import load_tertial_entries
from dashboard.entry.rules import normalise, validate
from dashboard.entry.ui import conflict_table
from dashboard.queries import load_audit_history
from db.models import AuditLog, Evaluation
from testsupport.builders import (
    evaluation_input,
    make_activity,
    make_focus_area,
    make_partnership,
    make_promise,
    make_user,
)
from testsupport.files import csv_file, import_bytes, refused, row

ANNA = Actor.of("anna", ["samordnare"])
ADA = Actor.of("ada", ["admin"])
LINE = "Vi har gått fyra trygghetsvandringar i centrum."
TOO_LONG = "Raden för invånare är 501 tecken men får vara högst 500. Korta den med 1 tecken."


@pytest.fixture
def world(engine):
    """A 2026 promise (focus area Unga) with one activity, a coordinator and an admin."""
    with Session(engine) as session:
        partnership = make_partnership(session)
        area = make_focus_area(session, make_promise(session, partnership, year=2026), name="Unga")
        walks = make_activity(
            session, area, title="Trygghetsvandringar", lineage_key="walks", target_value=4
        )
        make_user(session, "anna", ("samordnare", partnership.kommun_id))
        make_user(session, "ada", ("admin", None))
        session.commit()
        return {"engine": engine, "walks": walks.id, "partnership": partnership.id}


def _stored(engine, activity_id: int) -> Evaluation:
    with Session(engine) as session:
        return session.scalar(select(Evaluation).where(Evaluation.activity_id == activity_id))


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (
            conn.scalar(select(func.count()).select_from(Evaluation)),
            conn.scalar(select(func.count()).select_from(AuditLog)),
        )


def _last_audit(engine) -> AuditLog:
    with Session(engine) as session:
        return session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()


# ------------------------------------------------------------------ rules (pure)


def test_the_comment_is_internal_unless_marked_and_the_line_is_stripped_like_the_comment():
    plain = normalise(evaluation_input(1, comment="Intern anteckning"))[0]
    assert (plain.comment_public, plain.public_line) == (False, "")
    tidy = normalise(evaluation_input(1, comment_public=True, public_line=f"  {LINE}\n"))[0]
    assert (tidy.comment_public, tidy.public_line) == (True, LINE)
    assert validate(normalise(evaluation_input(1, public_line="x" * 500))[0], has_target=True) == {}


def test_a_public_line_over_500_characters_is_refused_in_swedish_on_its_field():
    entry = normalise(evaluation_input(1, public_line="x" * 501))[0]
    assert validate(entry, has_target=True) == {"public_line": TOO_LONG}


# ------------------------------------------------------------------ the save service


def test_the_mark_and_the_line_are_saved_and_audited(world):
    engine = world["engine"]
    entry = evaluation_input(
        world["walks"], comment="Intern", comment_public=True, public_line=LINE
    )
    outcome = save_evaluation(engine, ANNA, entry)
    assert outcome.action == "insert"
    stored = _stored(engine, world["walks"])
    assert (stored.comment, stored.comment_public, stored.public_line) == ("Intern", True, LINE)
    audit = _last_audit(engine)
    assert audit.before is None
    assert (audit.after["comment_public"], audit.after["public_line"]) == (True, LINE)


def test_saving_the_same_again_is_a_no_op_and_a_changed_mark_alone_is_an_update(world):
    engine = world["engine"]
    first = evaluation_input(
        world["walks"], comment="Intern", comment_public=True, public_line=LINE
    )
    save_evaluation(engine, ANNA, first)
    before = _counts(engine)
    again = save_evaluation(engine, ANNA, replace(first, expected_version=1))
    assert (again.action, _counts(engine)) == ("unchanged", before)
    changed = save_evaluation(
        engine, ANNA, replace(first, expected_version=1, comment_public=False)
    )
    assert (changed.action, changed.version) == ("update", 2)
    audit = _last_audit(engine)
    assert (audit.before["comment_public"], audit.after["comment_public"]) == (True, False)
    assert audit.after["public_line"] == LINE
    with engine.connect() as conn:
        history = history_table(load_audit_history(conn, world["walks"]))
    assert history["Ändring"][0] == "Kommentar publik: Ja → Nej"


def test_a_conflict_carries_both_sides_of_the_public_fields(world):
    engine = world["engine"]
    save_evaluation(engine, ANNA, evaluation_input(world["walks"], public_line="Deras rad"))
    save_evaluation(
        engine,
        ADA,
        evaluation_input(world["walks"], public_line="Deras nya rad", expected_version=1),
    )
    mine = evaluation_input(
        world["walks"], comment_public=True, public_line="Min rad", expected_version=1
    )
    before = _counts(engine)
    with pytest.raises(SaveConflict) as caught:
        save_evaluation(engine, ANNA, mine)
    assert _counts(engine) == before
    (conflict,) = caught.value.conflicts
    assert (conflict.theirs["comment_public"], conflict.theirs["public_line"]) == (
        False,
        "Deras nya rad",
    )
    assert (conflict.yours.comment_public, conflict.yours.public_line) == (True, "Min rad")
    table = {r["Fält"]: r for r in conflict_table([conflict]).iter_rows(named=True)}
    assert (table["Rad för invånare"]["Sparat värde"], table["Rad för invånare"]["Ditt värde"]) == (
        "”Deras nya rad”",
        "”Min rad”",
    )
    assert (table["Kommentar publik"]["Sparat värde"], table["Kommentar publik"]["Ditt värde"]) == (
        "Nej",
        "Ja",
    )


def test_a_too_long_public_line_writes_nothing(world):
    engine = world["engine"]
    before = _counts(engine)
    with pytest.raises(InvalidEvaluation) as caught:
        save_evaluation(engine, ANNA, evaluation_input(world["walks"], public_line="x" * 501))
    assert caught.value.errors == {world["walks"]: {"public_line": TOO_LONG}}
    assert _counts(engine) == before


def test_the_entry_frame_and_the_grid_carry_both_fields(world):
    engine = world["engine"]
    with engine.connect() as conn:
        empty = load_tertial_entries(conn, 2026, 3, partnership="0486")
    grid = grid_frame(empty)  # no evaluation yet: unmarked, no line
    assert grid[GRID_COLUMNS["comment_public"]].to_list() == [False]
    assert grid[GRID_COLUMNS["public_line"]].to_list() == [None]
    edits = {
        0: {
            "Status": "🔄 Pågår",
            "Klart (%)": 50,
            "Kommentar publik": True,
            "Rad för invånare": LINE,
        }
    }
    (entry,) = changed_entries(empty, edits, year=2026, tertial=3)
    assert (entry.comment_public, entry.public_line, entry.expected_version) == (True, LINE, None)
    save_evaluation(engine, ANNA, entry)
    with engine.connect() as conn:
        saved = load_tertial_entries(conn, 2026, 3, partnership="0486")
    assert (saved["comment_public"][0], saved["public_line"][0]) == (True, LINE)
    (cleared,) = changed_entries(saved, {0: {"Rad för invånare": None}}, year=2026, tertial=3)
    assert (cleared.public_line, cleared.comment_public, cleared.expected_version) == ("", True, 1)


def test_history_of_rows_from_before_the_public_fields_shows_no_change_in_them():
    old = {"status": "pagar", "completion": 60, "comment": "a"}  # an audit row from before 0006
    new = {**old, "completion": 70, "comment_public": False, "public_line": ""}
    assert describe_change(old, new) == "Klart: 60\u00a0% → 70\u00a0%"
    assert "publik" not in describe_change(None, new)
    assert describe_change(None, {**new, "public_line": "Rad"}).endswith("Rad för invånare: ”Rad”")


# ------------------------------------------------------------------ the import


def _public_row(**cells) -> dict:
    base = row(aktivitet="Trygghetsvandringar", linje="walks", tertial="T3", status="Pågår")
    return {**base, **cells}


def test_an_import_reads_the_public_columns_and_an_older_file_leaves_them_alone(world):
    engine, pid = world["engine"], world["partnership"]
    marked = _public_row(**{"Kommentar publik": "ja", "Rad för invånare": LINE})
    summary = import_bytes(engine, pid, csv_file([{**marked, "Klart (%)": "50"}]), "a.csv")
    assert summary.evaluations_created == 1
    stored = _stored(engine, world["walks"])
    assert (stored.comment_public, stored.public_line) == (True, LINE)
    before = _counts(engine)
    older = _public_row(**{"Klart (%)": "50", "Kommentar publik": "", "Rad för invånare": ""})
    again = import_bytes(engine, pid, csv_file([older]), "b.csv")
    assert (again.evaluations_created, again.unchanged, _counts(engine)) == (0, 1, before)


def test_an_import_refuses_a_bad_mark_and_a_differing_line(world):
    engine, pid = world["engine"], world["partnership"]
    save_evaluation(engine, ANNA, evaluation_input(world["walks"], public_line=LINE))
    bad = _public_row(**{"Klart (%)": "50", "Kommentar publik": "Kanske"})
    assert refused(engine, pid, csv_file([bad]), "a.csv") == [
        (2, "Kommentar publik", "Kommentar publik ska vara Ja eller Nej, inte ”Kanske”.")
    ]
    other = _public_row(**{"Klart (%)": "50", "Rad för invånare": "En annan rad"})
    assert refused(engine, pid, csv_file([other]), "a.csv") == [
        (2, "Period", STORED_DIFFERS.format(code="T3", year=2026))
    ]
    too_long = _public_row(**{"Klart (%)": "50", "Rad för invånare": "x" * 501})
    assert refused(engine, pid, csv_file([too_long]), "a.csv") == [
        (2, "Rad för invånare", TOO_LONG)
    ]


def test_nej_alone_does_not_make_a_row_an_evaluation(world):
    engine, pid = world["engine"], world["partnership"]
    only_no = {**row(aktivitet="Trygghetsvandringar", linje="walks"), "Kommentar publik": "Nej"}
    summary = import_bytes(engine, pid, csv_file([only_no]), "a.csv")
    assert summary.evaluations_created == 0
