"""The public mark and line on the entry page (issue 13), in AppTest: a coordinator marks the
comment and writes the line for citizens, in the form and in the grid; a line that is too long,
or typed while the database is gone, is kept. The rules, the save service and the import:
tests/data/test_public_line.py."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Evaluation
from testsupport.apptest import Outage, entry_page, error_texts, form_key

pytestmark = pytest.mark.usefixtures("like_a_server")

LINE = "Vi har gått fyra trygghetsvandringar i centrum."
TOO_LONG = "Raden för invånare är 501 tecken men får vara högst 500. Korta den med 1 tecken."


def _form_evaluation(db, key: str) -> Evaluation:
    _, year, tertial, activity = key.split(":")
    with Session(db) as session:
        return session.scalar(
            select(Evaluation).where(
                Evaluation.activity_id == int(activity),
                Evaluation.year == int(year),
                Evaluation.period_no == int(tertial),
            )
        )


def _fill_public(at, key: str, *, line: str, status: str = "pagar") -> None:
    at.selectbox(key=f"{key}:status").set_value(status)
    at.checkbox(key=f"{key}:comment_public").check()
    at.text_input(key=f"{key}:public_line").input(line)
    next(b for b in at.button if b.label == "Spara").click().run()


def test_a_coordinator_marks_the_comment_and_writes_a_line_for_citizens(db):
    at = entry_page("sam")
    key = form_key(at)
    box = at.checkbox(key=f"{key}:comment_public")
    assert (box.label, box.value) == ("Kommentaren får visas för invånare", False)
    assert "interna" in box.help
    line = at.text_input(key=f"{key}:public_line")
    assert line.label == "Rad för invånare (valfri)"
    assert line.help == "Visas på medborgarsidan när uppföljningen publiceras."
    _fill_public(at, key, line=f"<b>{LINE}</b>")
    assert any("Sparat: 1 utvärdering." in s.value for s in at.success), error_texts(at)
    stored = _form_evaluation(db, key)
    assert (stored.comment_public, stored.public_line) == (True, f"<b>{LINE}</b>")
    # The reloaded form shows what was stored.
    assert at.checkbox(key=f"{key}:comment_public").value is True
    assert at.text_input(key=f"{key}:public_line").value == f"<b>{LINE}</b>"


def test_a_too_long_line_is_refused_next_to_the_field_and_kept(db):
    at = entry_page("sam")
    key = form_key(at)
    before = _form_evaluation(db, key)
    _fill_public(at, key, line="x" * 501)
    assert TOO_LONG in error_texts(at)
    assert at.text_input(key=f"{key}:public_line").value == "x" * 501
    assert at.checkbox(key=f"{key}:comment_public").value is True
    after = _form_evaluation(db, key)
    assert (after.version, after.public_line) == (before.version, before.public_line)


def test_the_public_fields_typed_while_the_database_is_gone_are_kept_and_saved(db):
    at = entry_page("sam")
    key = form_key(at)
    outage = Outage(str(db.url))
    outage.stop()
    _fill_public(at, key, line="Skrivet utan databas")
    assert any("Databasen går inte att nå just nu" in e for e in error_texts(at)), error_texts(at)
    at.run()
    assert at.text_input(key=f"{key}:public_line").value == "Skrivet utan databas"
    assert at.checkbox(key=f"{key}:comment_public").value is True
    outage.start()
    next(b for b in at.button if b.label == "Spara").click().run()
    assert any("Sparat: 1 utvärdering." in s.value for s in at.success), error_texts(at)
    stored = _form_evaluation(db, key)
    assert (stored.comment_public, stored.public_line) == (True, "Skrivet utan databas")


def test_the_grid_saves_the_mark_and_the_line(db):
    at = entry_page("sam")
    grid = next(k for k in at.session_state if str(k).endswith(":editor"))
    at.session_state[grid] = {
        "edited_rows": {0: {"Kommentar publik": True, "Rad för invånare": "Från tabellen"}}
    }
    next(b for b in at.button if b.label == "Spara tabellen").click().run()
    assert any("Sparat: 1 utvärdering." in s.value for s in at.success), error_texts(at)
    with Session(db) as session:
        stored = session.scalars(
            select(Evaluation).where(Evaluation.public_line == "Från tabellen")
        ).one()
    assert stored.comment_public is True
