"""A promise's follow-up periods, derived from its validity and rhythm. Pure functions.

A calendar rhythm (tertial, kvartal, halvår) cuts each calendar year the same way; the periods
of a promise are the rhythm's periods that overlap its validity, clipped to it. A promise from
18 November 2026 to 31 March 2027 with half-yearly follow-up has "H2 2026" (18 nov–31 dec) and
"H1 2027" (1 jan–31 mar). A promise with its own named periods ("egna") lists them.

Every period counts toward the calendar year it ends in (``year``) and has a ``number`` in
that year: for a calendar rhythm its place in the rhythm (K2 is 2 even when K1 is not part of
the promise), for own periods the order in which they end. Pages pick a year and then one of
its periods, and the year's result is read at the last evaluated period ending in that year.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from db.vocabulary import CALENDAR_RHYTHMS, MAX_PERIODS_PER_YEAR, RHYTHM_LETTERS, RHYTHMS

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
MONTH_ABBREVIATIONS = (
    "jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
)  # fmt: skip


class PeriodError(ValueError):
    """Periods that cannot be derived or stored; the message is Swedish."""


@dataclass(frozen=True)
class PeriodSpec:
    """One period as it is stored: the year it ends in, its number there, code and name."""

    year: int
    number: int
    code: str  # "T1", "K2", "H1", or an own period's short name
    name: str  # "T1 jan–apr", "H2 18 nov–31 dec", or an own period's name
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class OwnPeriod:
    """A period a promise names itself: "Vintern", 18 November to 28 February."""

    name: str
    starts_on: dt.date
    ends_on: dt.date


def promise_periods(
    valid_from: dt.date,
    valid_to: dt.date,
    rhythm: str,
    own: Sequence[OwnPeriod] = (),
) -> list[PeriodSpec]:
    """The periods of a promise valid from ``valid_from`` to ``valid_to`` (both inclusive).

    Raises:
        PeriodError: The dates are in the wrong order, the rhythm is unknown, or own periods
            are missing, overlap, fall outside the validity or are too many in one year.
    """
    if valid_to < valid_from:
        raise PeriodError("Slutdatum måste vara samma dag som eller efter startdatum.")
    if rhythm not in RHYTHMS:
        raise PeriodError(f"Okänd uppföljningsrytm {rhythm!r}: välj en av {', '.join(RHYTHMS)}.")
    if rhythm == "egna":
        periods = _own_periods(valid_from, valid_to, own)
    else:
        periods = list(_calendar_periods(valid_from, valid_to, rhythm))
    _check_per_year(periods)
    return periods


def _calendar_periods(valid_from: dt.date, valid_to: dt.date, rhythm: str) -> Iterable[PeriodSpec]:
    letter = RHYTHM_LETTERS[rhythm]
    for year in range(valid_from.year, valid_to.year + 1):
        for part in CALENDAR_RHYTHMS[rhythm]:
            first = dt.date(year, part.first_month, 1)
            last = _month_end(year, part.last_month)
            starts_on, ends_on = max(first, valid_from), min(last, valid_to)
            if starts_on > ends_on:
                continue
            code = f"{letter}{part.number}"
            whole = starts_on == first and ends_on == last
            span = _month_span(first, last) if whole else day_span(starts_on, ends_on)
            yield PeriodSpec(year, part.number, code, f"{code} {span}", starts_on, ends_on)


def _own_periods(
    valid_from: dt.date, valid_to: dt.date, own: Sequence[OwnPeriod]
) -> list[PeriodSpec]:
    if not own:
        raise PeriodError("Ange minst en egen period (namn, startdatum och slutdatum).")
    ordered = sorted(own, key=lambda p: (p.starts_on, p.ends_on))
    names = [p.name.strip() for p in ordered]
    if any(not name for name in names):
        raise PeriodError("Varje egen period behöver ett namn.")
    if len(set(names)) != len(names):
        raise PeriodError("Två egna perioder har samma namn; ge dem olika namn.")
    for period in ordered:
        if period.ends_on < period.starts_on:
            raise PeriodError(f"Perioden {period.name.strip()} slutar före den börjar.")
        if period.starts_on < valid_from or period.ends_on > valid_to:
            raise PeriodError(
                f"Perioden {period.name.strip()} ligger utanför löftets giltighetstid."
            )
    for before, after in itertools.pairwise(ordered):
        if after.starts_on <= before.ends_on:
            raise PeriodError(
                f"Perioderna {before.name.strip()} och {after.name.strip()} överlappar."
            )
    specs, numbers = [], {}
    for period in sorted(ordered, key=lambda p: p.ends_on):
        year = period.ends_on.year
        numbers[year] = numbers.get(year, 0) + 1
        name = period.name.strip()
        specs.append(
            PeriodSpec(year, numbers[year], name[:20], name, period.starts_on, period.ends_on)
        )
    return specs


def _check_per_year(periods: Sequence[PeriodSpec]) -> None:
    years = [p.year for p in periods]
    for year in set(years):
        if years.count(year) > MAX_PERIODS_PER_YEAR:
            raise PeriodError(
                f"Högst {MAX_PERIODS_PER_YEAR} perioder får sluta samma år ({year} har "
                f"{years.count(year)})."
            )


def whole_years(year_from: int, year_to: int) -> tuple[dt.date, dt.date]:
    """The validity of a promise for whole calendar years: 1 January to 31 December."""
    return dt.date(year_from, 1, 1), dt.date(year_to, 12, 31)


def day_span(starts_on: dt.date, ends_on: dt.date) -> str:
    """``18 nov–31 dec`` (the year is said by the page's year choice)."""
    return (
        f"{starts_on.day} {MONTH_ABBREVIATIONS[starts_on.month - 1]}–"
        f"{ends_on.day} {MONTH_ABBREVIATIONS[ends_on.month - 1]}"
    )


def _month_span(first: dt.date, last: dt.date) -> str:
    return f"{MONTH_ABBREVIATIONS[first.month - 1]}–{MONTH_ABBREVIATIONS[last.month - 1]}"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_on(periods: Sequence[PeriodSpec], day: dt.date) -> PeriodSpec | None:
    """The period ``day`` falls in, if any."""
    return next((p for p in periods if p.starts_on <= day <= p.ends_on), None)


def last_ended(periods: Sequence[PeriodSpec], day: dt.date) -> PeriodSpec | None:
    """The latest period that ended before ``day``, if any."""
    ended = [p for p in periods if p.ends_on < day]
    return max(ended, key=lambda p: p.ends_on) if ended else None
