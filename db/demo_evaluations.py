"""Tertial evaluations for the demo: invented paths through the year, published outcomes on top.

Each activity's year is drawn backwards from its year-end result: first the T3 outcome
(genomförd, delvis or ej genomförd, about 55–90 % genomförda per year), then T2 and T1 with
lower completion, so completion never falls within a year and genomförd is always 100 %. A
published outcome (``activity["outcomes"][year]``) replaces the invented T3 and is the only
evaluation marked ``verklig``.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

TERTIAL_LAST_DAY = {1: (4, 30), 2: (8, 31), 3: (12, 31)}
TERTIAL_FIRST_MONTH = {1: 1, 2: 5, 3: 9}
PANDEMIC_YEARS = (2020, 2021)
EVALUATORS = {"kommun": ("samordnare.kommun",), "polis": ("samordnare.polis",)}
EVALUATORS["gemensam"] = EVALUATORS["kommun"] + EVALUATORS["polis"]

_COMMENTS = {
    "ej_paborjad": (
        "Planeras till senare under året.",
        "Inte påbörjad ännu; planering pågår.",
        "Start planerad till nästa tertial.",
    ),
    "pagar": (
        "Arbetet pågår enligt plan.",
        "Pågår; avstämning på nästa möte i samverkansgruppen.",
        "Pågår, men i något lägre takt än planerat.",
    ),
    "forsenad": (
        "Försenad på grund av vakanser hos polisen.",
        "Försenad: personalbrist under sommaren.",
        "Försenad: parterna har inte hittat gemensamma datum.",
        "Försenad eftersom ansvarig samordnare har bytts ut.",
    ),
    "genomford": (
        "Genomförd enligt plan.",
        "Genomförd; erfarenheterna tas med till nästa år.",
        "Genomförd tillsammans med samverkansparterna.",
    ),
    "ej_genomford": (
        "Ej genomförd: resurserna prioriterades om till akuta insatser.",
        "Ej genomförd: aktiviteten utgick efter beslut i styrgruppen.",
        "Ej genomförd: finansieringen uteblev.",
    ),
}
_PANDEMIC_COMMENTS = {
    "forsenad": "Försenad på grund av pandemin och restriktionerna.",
    "ej_genomford": "Ej genomförd: inställd på grund av pandemin.",
}

Step = tuple[str, int]  # (status, completion)


def current_tertial(today: dt.date) -> int:
    """The tertial ``today`` falls in: T1 jan–apr, T2 maj–aug, T3 sep–dec."""
    return (today.month - 1) // 4 + 1


def started_tertials(year: int, today: dt.date) -> int:
    """How many tertials of ``year`` have started by ``today`` (0–3)."""
    if year < today.year:
        return 3
    if year > today.year:
        return 0
    return current_tertial(today)


def year_finals(rng: random.Random, count: int, year: int) -> list[Step]:
    """Year-end results of ``count`` activities, about 55–90 % of them genomförda."""
    low, high = (0.55, 0.7) if year in PANDEMIC_YEARS else (0.6, 0.9)
    done = round(count * rng.uniform(low, high))
    finals = [("genomford", 100)] * done + [_unfinished(rng) for _ in range(count - done)]
    rng.shuffle(finals)
    return finals


def year_evaluations(
    rng: random.Random, activity: dict[str, Any], year: int, final: Step, today: dt.date
) -> list[dict[str, Any]]:
    """The evaluation rows of ``activity`` for the tertials of ``year`` started by ``today``.

    Args:
        rng: The partnership's random source.
        activity: An activity spec (``owner``, ``target_value``, ``target_unit``, ``outcomes``).
        year: The year evaluated.
        final: The invented year-end result; a published outcome for ``year`` overrides it.
        today: Decides which tertials have started and caps ``evaluated_at``.
    """
    outcome = activity["outcomes"].get(year)
    if outcome is not None:
        final = (outcome["status"], outcome["completion"])
    path = _path(rng, final)
    started = started_tertials(year, today)
    if year == today.year:
        previous = path[started - 2] if started > 1 else ("ej_paborjad", 0)
        path[started - 1] = _in_progress(rng, path[started - 1], previous)
    target = activity["target_value"]
    # Drawn once a year, so an activity done early reports the same figure at T2 and T3.
    surplus = rng.choice((0, 0, 0, 1, 2)) * (int(target) // 4) if target else 0
    rows = []
    for tertial, (status, completion) in enumerate(path[:started], 1):
        row = {
            "year": year,
            "period_no": tertial,
            "status": status,
            "completion": completion,
            "achieved_value": _achieved(target, surplus, status, completion),
            "evaluated_by": rng.choice(EVALUATORS[activity["owner"]]),
            "evaluated_at": _evaluated_at(rng, year, tertial, today),
            "source": "exempel",
            "source_url": None,
            "version": 1,
        }
        if tertial == 3 and outcome is not None:
            row.update(outcome, source="verklig")  # the same status and completion as `final`
        else:
            closing = tertial == 3 and year < today.year
            row["comment"] = _comment(rng, activity, row, closing=closing)
        rows.append(row)
    return rows


def _unfinished(rng: random.Random) -> Step:
    draw = rng.random()
    if draw < 0.45:
        return "pagar", rng.randrange(50, 95, 5)
    if draw < 0.8:
        return "forsenad", rng.randrange(20, 80, 5)
    return "ej_genomford", rng.randrange(0, 45, 5)


def _path(rng: random.Random, final: Step) -> list[Step]:
    status, completion = final
    second = _round5(completion * rng.uniform(0.4, 0.8))
    first = _round5(second * rng.uniform(0.0, 0.5))
    opening = ("pagar", first) if first else ("ej_paborjad", 0)
    if status == "genomford" and rng.random() < 0.15:
        return [opening, ("genomford", 100), ("genomford", 100)]  # done early in the year
    if status in ("forsenad", "ej_genomford") and rng.random() < 0.6:
        middle = ("forsenad", second)
    else:
        middle = ("pagar", second) if second else ("ej_paborjad", 0)
    return [opening, middle, final]


def _in_progress(rng: random.Random, step: Step, previous: Step) -> Step:
    """The tertial under way: mostly still pågår, a few activities already done."""
    status, completion = step
    if previous[0] == "genomford":
        return previous
    if status == "ej_genomford":
        return "forsenad", completion
    if status == "genomford" and rng.random() < 0.75:
        return "pagar", max(previous[1], _round5(rng.uniform(55, 95)))
    return step


def _achieved(target: float | None, surplus: int, status: str, completion: int):
    """Against the target: the target plus a surplus when done, else the completed share."""
    if target is None:
        return None
    if status == "genomford":
        return target + surplus
    return float(int(target * completion / 100))


def _evaluated_at(rng: random.Random, year: int, tertial: int, today: dt.date) -> dt.datetime:
    month, day = TERTIAL_LAST_DAY[tertial]
    date = dt.date(year, month, day) - dt.timedelta(days=rng.randint(0, 20))
    if date > today:  # the tertial is under way: evaluated in the last weeks, never ahead
        start = dt.date(year, TERTIAL_FIRST_MONTH[tertial], 1)
        date = max(start, today - dt.timedelta(days=rng.randint(0, 14)))
    return dt.datetime(
        date.year, date.month, date.day, rng.randint(8, 15), rng.choice((0, 15, 30, 45)),
        tzinfo=dt.UTC,
    )  # fmt: skip


def _comment(
    rng: random.Random, activity: dict[str, Any], row: dict[str, Any], *, closing: bool
) -> str:
    status = row["status"]
    text = rng.choice(_COMMENTS[status])
    if row["year"] in PANDEMIC_YEARS and status in _PANDEMIC_COMMENTS and rng.random() < 0.7:
        text = _PANDEMIC_COMMENTS[status]
    achieved, target = row["achieved_value"], activity["target_value"]
    if achieved is None:
        return text
    unit = activity["target_unit"]
    if status == "genomford":
        return f"{text} Utfall: {achieved:g} {unit} (mål {target:g})."
    return f"{text} {'Utfall:' if closing else 'Hittills'} {achieved:g} av {target:g} {unit}."
    return text


def _round5(value: float) -> int:
    return int(round(value / 5) * 5)
