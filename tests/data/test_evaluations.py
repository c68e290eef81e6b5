"""The save service on SQLite and PostgreSQL: rules, role check, audit, locking, faults. The
rules alone: tests/unit/test_entry_rules.py."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from dashboard.access import Actor, NotPermitted
from dashboard.entry.evaluations import (
    InvalidEvaluation,
    SaveConflict,
    SaveUnavailable,
    save_evaluation,
    save_evaluations,
)
from dashboard.entry.history import history_table
from dashboard.entry.queries import load_tertial_entries
from dashboard.queries import load_audit_history
from db import make_engine, rules
from db.models import Activity, AppUser, AuditLog, Evaluation
from testsupport.builders import (
    evaluation_input,
    make_activity,
    make_evaluation,
    make_focus_area,
    make_partnership,
    make_promise,
    make_user,
)

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
ANNA = Actor.of("anna", ["samordnare"])


@pytest.fixture
def world(engine):
    """A 2026 promise with two activities (one with a target) and three users."""
    with Session(engine) as session:
        partnership = make_partnership(session)
        area = make_focus_area(session, make_promise(session, partnership, year=2026))
        walks = make_activity(session, area, title="Trygghetsvandringar", target_value=4)
        talks = make_activity(session, area, title="Dialogmöten")
        kommun = partnership.kommun_id
        make_user(session, "anna", ("samordnare", kommun))
        make_user(session, "lars", ("lasare", kommun))
        make_user(session, "ada", ("admin", None))
        make_user(session, "gone", ("samordnare", kommun), active=False)
        session.commit()
        return {"walks": walks.id, "talks": talks.id, "partnership": partnership.id}


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        evaluations = conn.scalar(select(func.count()).select_from(Evaluation))
        audits = conn.scalar(select(func.count()).select_from(AuditLog))
    return evaluations, audits


def _stored(engine, activity_id: int) -> Evaluation:
    with Session(engine) as session:
        return session.scalar(select(Evaluation).where(Evaluation.activity_id == activity_id))


# ------------------------------------------------------------------ saves and audit


def test_a_new_evaluation_is_stored_with_one_audit_row(engine, world):
    outcome = save_evaluation(
        engine,
        ANNA,
        evaluation_input(world["walks"], achieved_value=2, comment="Två av fyra."),
        source="exempel",
    )
    assert (outcome.action, outcome.version) == ("insert", 1)
    row = _stored(engine, world["walks"])
    assert (row.status, row.completion, row.achieved_value, row.comment) == (
        "pagar",
        50,
        2,
        "Två av fyra.",
    )
    assert (row.evaluated_by, row.source, row.version) == ("Anna", "exempel", 1)
    with Session(engine) as session:
        (entry,) = session.scalars(select(AuditLog))
    assert (entry.username, entry.table_name, entry.row_id, entry.action) == (
        "anna",
        "evaluation",
        row.id,
        "insert",
    )
    assert entry.before is None and entry.after["completion"] == 50


def test_an_update_bumps_the_version_and_audits_before_and_after(engine, world):
    first = save_evaluation(engine, ANNA, evaluation_input(world["walks"]))
    second = save_evaluation(
        engine,
        ANNA,
        evaluation_input(world["walks"], status="genomford", completion=100, expected_version=1),
    )
    assert (second.action, second.version, second.evaluation_id) == (
        "update",
        2,
        first.evaluation_id,
    )
    with Session(engine) as session:
        last = session.scalars(select(AuditLog).order_by(AuditLog.id.desc())).first()
    assert last.action == "update"
    assert (last.before["status"], last.before["version"]) == ("pagar", 1)
    assert (last.after["status"], last.after["version"]) == ("genomford", 2)
    with engine.connect() as conn:
        history = history_table(load_audit_history(conn, world["walks"]))
    assert history["Vad"].to_list() == ["Ändrad", "Ny"]
    assert history["Period"].to_list() == ["2026 T3", "2026 T3"]
    assert "Pågår → ✅ Genomförd" in history["Ändring"][0]


def test_a_grid_save_is_one_transaction(engine, world):
    entries = [
        evaluation_input(world["walks"], completion=20),
        evaluation_input(world["talks"], completion=30),
    ]
    outcomes = save_evaluations(engine, ANNA, entries, now=NOW)
    assert [o.action for o in outcomes] == ["insert", "insert"]
    assert _counts(engine) == (2, 2)
    with engine.connect() as conn:
        frame = load_tertial_entries(conn, 2026, 3, partnership="0486")
    assert frame["completion"].to_list() == [20, 30]
    assert frame["version"].to_list() == [1, 1]


@pytest.mark.parametrize(
    "actor",
    [
        None,
        Actor.of("lars", ["lasare"]),
        Actor.of("lars", ["samordnare"]),
        Actor.of("gone", ["samordnare"]),
        Actor.of("nobody", ["admin"]),
    ],
    ids=["logged-out", "lasare", "role-only-in-session", "inactive", "unknown-user"],
)
def test_the_save_function_itself_refuses_without_the_role(engine, world, actor):
    with pytest.raises(NotPermitted):
        save_evaluation(engine, actor, evaluation_input(world["walks"]))
    assert _counts(engine) == (0, 0)


def test_admin_may_save(engine, world):
    assert (
        save_evaluation(engine, Actor.of("ada", ["admin"]), evaluation_input(world["walks"])).action
        == "insert"
    )


def test_a_user_scoped_to_another_partnership_may_not_save(engine, world):
    with Session(engine) as session:
        other = make_partnership(session, code="0484", kommun_name="Eskilstuna kommun")
        anna = session.scalar(select(AppUser).where(AppUser.username == "anna"))
        anna.grants[0].organisation_id = other.kommun_id
        session.commit()
    with pytest.raises(NotPermitted, match="registrera för Strängnäs kommun"):
        save_evaluation(engine, ANNA, evaluation_input(world["walks"]))
    assert _counts(engine) == (0, 0)


def test_a_refused_save_writes_nothing_not_even_the_valid_rows(engine, world):
    entries = [
        evaluation_input(world["walks"]),
        evaluation_input(world["talks"], status="forsenad", comment=""),
    ]
    with pytest.raises(InvalidEvaluation) as refused:
        save_evaluations(engine, ANNA, entries)
    assert list(refused.value.errors) == [world["talks"]]
    assert "comment" in refused.value.errors[world["talks"]]
    assert _counts(engine) == (0, 0)


def test_the_database_constraints_back_the_rules(engine, world):
    with Session(engine) as session, pytest.raises(Exception, match=r"(?i)check|constraint"):
        session.add(
            Evaluation(
                activity_id=world["walks"],
                period_id=rules.period_of(
                    session, session.get(Activity, world["walks"]).promise_id, 2026, 3
                ).id,
                year=2026,
                period_no=3,
                status="pagar",
                completion=150,
                evaluated_by="x",
                evaluated_at=NOW,
            )
        )
        session.commit()


# ------------------------------------------------------------------ concurrency


def test_a_double_submit_makes_one_evaluation(engine, world):
    entry = evaluation_input(world["walks"], comment="Samma klick två gånger.")
    first = save_evaluation(engine, ANNA, entry)
    again = save_evaluation(engine, ANNA, entry)
    assert (first.action, again.action) == ("insert", "unchanged")
    assert again.evaluation_id == first.evaluation_id
    assert _counts(engine) == (1, 1)


def _race(engine, entries):
    """Save each entry from its own thread, released together; return outcomes or errors."""
    barrier = threading.Barrier(len(entries))
    results: list = [None] * len(entries)

    def run(i):
        barrier.wait()
        try:
            results[i] = save_evaluation(engine, ANNA, entries[i])
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(entries))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_simultaneous_identical_first_saves_make_one_evaluation(engine, world):
    results = _race(engine, [evaluation_input(world["walks"])] * 2)
    assert sorted(r.action for r in results) == ["insert", "unchanged"]
    assert _counts(engine) == (1, 1)


def test_two_sessions_saving_different_values_lose_nothing(engine, world):
    save_evaluation(engine, ANNA, evaluation_input(world["walks"], completion=10))
    # Both coordinators loaded version 1; each types something else.
    mine = evaluation_input(world["walks"], completion=40, comment="Mitt", expected_version=1)
    theirs = evaluation_input(world["walks"], completion=70, comment="Ditt", expected_version=1)
    results = _race(engine, [mine, theirs])
    saved = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, SaveConflict)]
    assert len(saved) == 1 and len(refused) == 1
    conflict = refused[0].conflicts[0]
    winner = mine if conflict.yours.comment == theirs.comment else theirs
    assert conflict.theirs["completion"] == winner.completion
    assert conflict.theirs["version"] == 2
    assert "sparat samma utvärdering" in str(refused[0])
    assert _stored(engine, world["walks"]).completion == winner.completion
    assert _counts(engine) == (1, 2)  # the first insert and the winning update only
    # The loser sees both and keeps theirs by saving again against the new version.
    retry = save_evaluation(
        engine,
        ANNA,
        evaluation_input(
            world["walks"],
            completion=conflict.yours.completion,
            comment=conflict.yours.comment,
            expected_version=2,
        ),
    )
    assert (retry.action, retry.version) == ("update", 3)


def test_a_stale_form_is_refused_even_without_a_race(engine, world):
    save_evaluation(engine, ANNA, evaluation_input(world["walks"], completion=10))
    save_evaluation(
        engine, ANNA, evaluation_input(world["walks"], completion=20, expected_version=1)
    )
    with pytest.raises(SaveConflict) as refused:
        save_evaluation(
            engine, ANNA, evaluation_input(world["walks"], completion=30, expected_version=1)
        )
    assert refused.value.conflicts[0].theirs["completion"] == 20
    # A stale first entry (loaded when nothing was stored) conflicts the same way.
    with pytest.raises(SaveConflict):
        save_evaluation(engine, ANNA, evaluation_input(world["walks"], completion=99))
    assert _stored(engine, world["walks"]).completion == 20


# ------------------------------------------------------------------ faults


def test_a_locked_sqlite_database_gives_a_swedish_message_and_a_retry_succeeds(
    sqlite_url, tmp_path
):
    engine = make_engine(sqlite_url)

    @event.listens_for(engine, "connect")
    def _short_wait(dbapi_connection, _record):  # keep the test fast: 0.1 s instead of 5 s
        dbapi_connection.execute("PRAGMA busy_timeout=100")

    with Session(engine) as session:
        partnership = make_partnership(session)
        area = make_focus_area(session, make_promise(session, partnership, year=2026))
        activity = make_activity(session, area).id
        make_user(session, "anna", ("samordnare", partnership.kommun_id))
        session.commit()
    blocker = make_engine(sqlite_url).raw_connection()
    blocker.execute("BEGIN IMMEDIATE")
    blocker.execute("UPDATE partnership SET police_area = police_area")
    with pytest.raises(SaveUnavailable, match=r"upptagen.*försök spara igen"):
        save_evaluation(engine, ANNA, evaluation_input(activity))
    blocker.rollback()
    blocker.close()
    assert save_evaluation(engine, ANNA, evaluation_input(activity)).action == "insert"
    engine.dispose()


def test_an_unreachable_database_gives_a_swedish_message():
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(SaveUnavailable, match=r"går inte att nå.*det du skrev finns kvar"):
        save_evaluation(engine, ANNA, evaluation_input(1))
    engine.dispose()


def test_evaluations_made_by_builders_show_in_the_entry_frame(engine, world):
    with Session(engine) as session:
        make_evaluation(
            session,
            session.get(Activity, world["talks"]),
            year=2026,
            tertial=3,
            status="forsenad",
            completion=30,
            comment="<b>inte fet</b>",
        )
        session.commit()
    with engine.connect() as conn:
        frame = load_tertial_entries(conn, 2026, 3, partnership="0486")
    assert frame["title"].to_list() == ["Trygghetsvandringar", "Dialogmöten"]
    assert frame["status"].to_list() == [None, "forsenad"]
    assert frame["comment"][1] == "<b>inte fet</b>"
