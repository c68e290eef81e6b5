"""The rules an evaluation must meet, as pure functions with Swedish messages per field.

They live in the save service's path (evaluations.py beside it), not only in widgets, so a
grid, a form or a script gets the same answer (issue 4). Each message says what to fix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from numbers import Real

from dashboard import labels
from db.vocabulary import PERIOD_NUMBERS, STATUSES

MAX_COMMENT = 2_000
MAX_PUBLIC_LINE = 500
COMMENT_REQUIRED = ("forsenad", "ej_genomford")
FIELD_LABELS = {
    "status": "Status",
    "completion": "Klart (%)",
    "achieved_value": "Uppnått värde",
    "comment": "Kommentar",
    "comment_public": "Kommentar publik",
    "public_line": "Rad för invånare",
    "period": "År och tertial",
    "activity": "Aktivitet",
}


@dataclass(frozen=True)
class EvaluationInput:
    """What a coordinator typed for one activity in one tertial.

    ``expected_version`` is the version the form was loaded at (``None``: no evaluation yet).
    The comment is internal unless ``comment_public`` marks it for citizens; ``public_line``
    is a separate line written for them (issue 13). Only published snapshots show either.
    """

    activity_id: int
    year: int
    tertial: int
    status: str | None
    completion: float | None
    achieved_value: float | None = None
    comment: str = ""
    expected_version: int | None = None
    comment_public: bool = False
    public_line: str = ""


def normalise(entry: EvaluationInput) -> tuple[EvaluationInput, tuple[str, ...]]:
    """Tidy the input (blank numbers to None, comment and public line stripped) and fill what
    is implied.

    Genomförd with no completion typed is stored as 100 % and a note says so; genomförd with a
    lower figure is refused by ``validate`` instead, because then the two fields disagree.
    """
    completion = _blank_to_none(entry.completion)
    notes: tuple[str, ...] = ()
    if entry.status == "genomford" and completion is None:
        completion = 100
        notes = ("Klart sattes till 100 % eftersom statusen är Genomförd.",)
    if _is_number(completion) and float(completion).is_integer():
        completion = int(completion)
    tidy = replace(
        entry,
        status=entry.status or None,
        completion=completion,
        achieved_value=_blank_to_none(entry.achieved_value),
        comment=(entry.comment or "").strip(),
        comment_public=bool(entry.comment_public),
        public_line=(entry.public_line or "").strip(),
    )
    return tidy, notes


def validate(entry: EvaluationInput, *, has_target: bool) -> dict[str, str]:
    """Every problem of a normalised entry, as ``{field: Swedish message}`` (empty: valid)."""
    errors = {
        "period": _period_error(entry),
        "status": _status_error(entry.status),
        "completion": _completion_error(entry.completion, entry.status),
        "achieved_value": _achieved_error(entry.achieved_value, has_target=has_target),
        "comment": _comment_error(entry.comment, entry.status),
        "public_line": _public_line_error(entry.public_line),
    }
    return {name: message for name, message in errors.items() if message}


def _period_error(entry: EvaluationInput) -> str | None:
    if entry.tertial not in PERIOD_NUMBERS or not 2000 <= entry.year <= 2100:
        return "Välj ett år (2000–2100) och en av löftets uppföljningsperioder."
    return None


def _status_error(status: str | None) -> str | None:
    if status is None:
        return "Välj en status."
    if status not in STATUSES:
        choices = ", ".join(labels.status(code).label for code in STATUSES)
        return f"Okänd status ”{status}”. Välj en av: {choices}."
    return None


def _completion_error(completion, status: str | None) -> str | None:
    if completion is None:
        return "Ange hur stor del som är klar, 0–100 %."
    if not _is_number(completion):
        return "Ange klart som ett tal mellan 0 och 100."
    if not 0 <= completion <= 100:
        return (
            f"Klart ska vara mellan 0 och 100 %; du angav {labels.format_number(completion, 0)} %."
        )
    if not float(completion).is_integer():
        return "Ange klart i hela procent (0–100), utan decimaler."
    if status == "genomford" and completion != 100:
        return (
            f"Genomförd betyder att aktiviteten är klar, men klart är {int(completion)} %. "
            "Ange 100 % eller välj en annan status, till exempel Pågår."
        )
    return None


def _achieved_error(achieved, *, has_target: bool) -> str | None:
    if achieved is None:
        return None
    if not _is_number(achieved):
        return "Ange uppnått värde som ett tal, eller lämna fältet tomt."
    if achieved < 0:
        return "Uppnått värde kan inte vara negativt."
    if not has_target:
        return "Aktiviteten har inget mätbart mål; lämna uppnått värde tomt."
    return None


def _comment_error(comment: str, status: str | None) -> str | None:
    if len(comment) > MAX_COMMENT:
        return _too_long("Kommentaren", comment, MAX_COMMENT)
    if status in COMMENT_REQUIRED and not comment:
        return (
            f"Skriv en kommentar: den krävs när statusen är {labels.status(status).label} "
            "(vad hände, och vad görs nu?)."
        )
    return None


def _public_line_error(line: str) -> str | None:
    return (
        _too_long("Raden för invånare", line, MAX_PUBLIC_LINE)
        if len(line) > MAX_PUBLIC_LINE
        else None
    )


def _too_long(subject: str, text: str, limit: int) -> str:
    return (
        f"{subject} är {labels.format_number(len(text), 0)} tecken men får vara högst "
        f"{labels.format_number(limit, 0)}. Korta den med "
        f"{labels.format_number(len(text) - limit, 0)} tecken."
    )


def _is_number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(value)


def _blank_to_none(value):
    if value is None or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
