"""Evaluations for the demo: invented paths through each year's periods, published outcomes on top.

A promise's periods (db/periods.py) count toward the calendar year they end in. Each
activity's year is drawn backwards from its year-end result: first the outcome of the year's
last period (genomförd, delvis or ej genomförd, about 55–90 % genomförda per year), then the
earlier periods with lower completion, so completion never falls within a year and genomförd
is always 100 %. Only periods that have started by ``today`` are evaluated; the one under way
is mostly still "pågår". A published outcome (``activity["outcomes"][year]``) replaces the
invented T3 and is the only evaluation marked ``verklig``.

Three tertials a year draw from the random source exactly as before periods existed, so the
Strängnäs demo is the same row for row.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import Any

from db.periods import OwnPeriod, PeriodSpec, promise_periods, whole_years

PANDEMIC_YEARS = (2020, 2021)
EVALUATORS = {"kommun": ("samordnare.kommun",), "polis": ("samordnare.polis",)}
EVALUATORS["gemensam"] = EVALUATORS["kommun"] + EVALUATORS["polis"]
EVALUATORS["annan"] = EVALUATORS["kommun"]  # another party's activity: the kommun enters it

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


def year_finals(rng: random.Random, count: int, year: int) -> list[Step]:
    """Year-end results of ``count`` activities, about 55–90 % of them genomförda."""
    low, high = (0.55, 0.7) if year in PANDEMIC_YEARS else (0.6, 0.9)
    done = round(count * rng.uniform(low, high))
    finals = [("genomford", 100)] * done + [_unfinished(rng) for _ in range(count - done)]
    rng.shuffle(finals)
    return finals


def year_evaluations(
    rng: random.Random,
    activity: dict[str, Any],
    periods: Sequence[PeriodSpec],
    final: Step,
    today: dt.date,
) -> list[dict[str, Any]]:
    """The evaluation rows of ``activity`` for the periods of one year started by ``today``.

    Args:
        rng: The partnership's random source.
        activity: An activity spec (``owner``, ``target_value``, ``target_unit``, ``outcomes``).
        periods: The promise's periods ending in one year, in order (at least one started).
        final: The invented result of the year's last period; a published outcome overrides it.
        today: Decides which periods have started and caps ``evaluated_at``.
    """
    year = periods[-1].year
    outcome = activity["outcomes"].get(year)
    if outcome is not None:
        final = (outcome["status"], outcome["completion"])
    path = _path(rng, final, len(periods))
    started = sum(1 for period in periods if period.starts_on <= today)
    if periods[started - 1].ends_on >= today:  # the period under way
        previous = path[started - 2] if started > 1 else ("ej_paborjad", 0)
        path[started - 1] = _in_progress(rng, path[started - 1], previous)
    target = activity["target_value"]
    # Drawn once a year, so an activity done early reports the same figure at T2 and T3.
    surplus = rng.choice((0, 0, 0, 1, 2)) * (int(target) // 4) if target else 0
    rows = []
    for index, (status, completion) in enumerate(path[:started]):
        period = periods[index]
        last = index == len(periods) - 1
        row = {
            "year": year,
            "period_no": period.number,
            "status": status,
            "completion": completion,
            "achieved_value": _achieved(target, surplus, status, completion),
            "evaluated_by": rng.choice(EVALUATORS[activity["owner"]]),
            "evaluated_at": _evaluated_at(rng, period, today),
            "source": "exempel",
            "source_url": None,
            "version": 1,
        }
        if last and outcome is not None:
            row.update(outcome, source="verklig")  # the same status and completion as `final`
        else:
            closing = last and period.ends_on < today
            row["comment"] = _comment(rng, activity, row, closing=closing)
        rows.append(row)
    return rows


def add_evaluations(rng: random.Random, promise: dict[str, Any], today: dt.date) -> None:
    """Evaluations of every period of ``promise`` that has started by ``today``."""
    fill_shape(promise)
    activities = [a for area in promise["focus_areas"] for a in area["activities"]]
    for activity in activities:
        activity["evaluations"] = []
    by_year: dict[int, list[PeriodSpec]] = {}
    for period in promise_periods_of(promise):
        by_year.setdefault(period.year, []).append(period)
    for year, periods in by_year.items():
        if periods[0].starts_on > today:
            continue
        finals = year_finals(rng, len(activities), year)
        for activity, final in zip(activities, finals, strict=True):
            activity["evaluations"] += year_evaluations(rng, activity, periods, final, today)


def promise_periods_of(promise: dict[str, Any]) -> list[PeriodSpec]:
    own = [OwnPeriod(*p) for p in promise.get("own_periods", ())]
    return promise_periods(promise["valid_from"], promise["valid_to"], promise["rhythm"], own)


def fill_shape(promise: dict[str, Any]) -> None:
    """Whole years by tertial unless the plan says otherwise (dates, area, rhythm)."""
    if "valid_from" not in promise:
        promise["valid_from"], promise["valid_to"] = whole_years(
            promise["year_from"], promise["year_to"]
        )
    promise["year_from"], promise["year_to"] = promise["valid_from"].year, promise["valid_to"].year
    promise.setdefault("area", None)
    promise.setdefault("rhythm", "tertial")


def _unfinished(rng: random.Random) -> Step:
    draw = rng.random()
    if draw < 0.45:
        return "pagar", rng.randrange(50, 95, 5)
    if draw < 0.8:
        return "forsenad", rng.randrange(20, 80, 5)
    return "ej_genomford", rng.randrange(0, 45, 5)


def _path(rng: random.Random, final: Step, periods: int) -> list[Step]:
    if periods != 3:
        return _any_path(rng, final, periods)
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


def _any_path(rng: random.Random, final: Step, periods: int) -> list[Step]:
    """``periods`` steps ending in ``final``, completion rising step by step."""
    status, completion = final
    steps = []
    for share in sorted(rng.uniform(0.0, 0.85) for _ in range(periods - 1)):
        earlier = _round5(completion * share)
        steps.append(("pagar", earlier) if earlier else ("ej_paborjad", 0))
    if steps and status in ("forsenad", "ej_genomford") and rng.random() < 0.6:
        steps[-1] = ("forsenad", steps[-1][1])
    return [*steps, final]


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


def _evaluated_at(rng: random.Random, period: PeriodSpec, today: dt.date) -> dt.datetime:
    date = period.ends_on - dt.timedelta(days=rng.randint(0, 20))
    if date > today:  # the period is under way: evaluated in the last weeks, never ahead
        date = today - dt.timedelta(days=rng.randint(0, 14))
    date = max(period.starts_on, date)
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


def _round5(value: float) -> int:
    return int(round(value / 5) * 5)
