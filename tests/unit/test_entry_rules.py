"""The entry page's rules (pure): bad input refused with a Swedish message on its field, the
edges accepted, what Genomförd implies filled in, and a change described field by field. The
save service that applies them: tests/data/test_evaluations.py."""

from __future__ import annotations

import pytest

from dashboard.entry.history import describe_change
from dashboard.entry.rules import normalise, validate
from testsupport.builders import evaluation_input

BAD_INPUT = [
    ({"status": None}, "status", "Välj en status."),
    ({"status": "klar"}, "status", "Okänd status ”klar”"),
    ({"completion": None}, "completion", "Ange hur stor del som är klar"),
    ({"completion": -1}, "completion", "mellan 0 och 100 %; du angav -1 %"),
    ({"completion": 101}, "completion", "mellan 0 och 100 %; du angav 101 %"),
    ({"completion": 12.5}, "completion", "hela procent"),
    ({"completion": "femtio"}, "completion", "som ett tal"),
    ({"status": "genomford", "completion": 80}, "completion", "Genomförd betyder"),
    ({"status": "forsenad", "comment": "  "}, "comment", "krävs när statusen är Försenad"),
    ({"status": "ej_genomford"}, "comment", "krävs när statusen är Ej genomförd"),
    ({"comment": "x" * 2001}, "comment", "högst 2\u00a0000. Korta den med 1 tecken"),
    ({"achieved_value": -2}, "achieved_value", "kan inte vara negativt"),
    ({"tertial": 7}, "period", "en av löftets uppföljningsperioder"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUT)
def test_rules_refuse_bad_input_with_a_swedish_message_on_the_field(changes, field, message):
    entry, _ = normalise(evaluation_input(1, **changes))
    errors = validate(entry, has_target=True)
    assert list(errors) == [field]
    assert message in errors[field]


def test_rules_accept_the_edges_and_fill_in_what_genomford_implies():
    ok = [
        evaluation_input(1, completion=0),
        evaluation_input(1, completion=100.0),
        evaluation_input(1, status="forsenad", comment="Väntar på ny samverkanspart."),
        evaluation_input(1, comment="x" * 2000, achieved_value=0),
    ]
    assert [validate(normalise(e)[0], has_target=True) for e in ok] == [{}] * 4
    entry, notes = normalise(evaluation_input(1, status="genomford", completion=None))
    assert entry.completion == 100 and "100 %" in notes[0]
    no_target = validate(normalise(evaluation_input(1, achieved_value=3))[0], has_target=False)
    assert "inget mätbart mål" in no_target["achieved_value"]


def test_describe_change_names_only_the_changed_fields():
    before = {"status": "pagar", "completion": 60, "comment": "a"}
    after = {"status": "genomford", "completion": 100, "comment": "a"}
    assert (
        describe_change(before, after)
        == "Status: 🔄 Pågår → ✅ Genomförd; Klart: 60\u00a0% → 100\u00a0%"
    )
    assert describe_change(None, {"status": "pagar", "completion": 5, "comment": ""}).startswith(
        "Status: 🔄 Pågår; Klart: 5\u00a0%"
    )
