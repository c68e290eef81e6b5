"""Periods (issue 11), pure: a promise's validity cut into named periods by its rhythm, own
periods numbered in the year they end and refused in Swedish when they do not fit. Periods in
the database and migration 0004: tests/data/test_periods.py."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from db.periods import OwnPeriod, PeriodError, last_ended, period_on, promise_periods

D = dt.date


@pytest.mark.parametrize(
    ("start", "end", "rhythm", "expected"),
    [
        (D(2026, 1, 1), D(2026, 12, 31), "tertial",
         [(2026, 1, "T1 jan–apr"), (2026, 2, "T2 maj–aug"), (2026, 3, "T3 sep–dec")]),
        (D(2026, 11, 18), D(2027, 3, 31), "halvar",
         [(2026, 2, "H2 18 nov–31 dec"), (2027, 1, "H1 1 jan–31 mar")]),
        (D(2026, 7, 1), D(2027, 6, 30), "kvartal",
         [(2026, 3, "K3 jul–sep"), (2026, 4, "K4 okt–dec"), (2027, 1, "K1 jan–mar"),
          (2027, 2, "K2 apr–jun")]),
        (D(2026, 7, 1), D(2026, 12, 31), "tertial",
         [(2026, 2, "T2 1 jul–31 aug"), (2026, 3, "T3 sep–dec")]),
    ],
)  # fmt: skip
def test_calendar_rhythms_cut_the_validity_into_named_periods(start, end, rhythm, expected):
    periods = promise_periods(start, end, rhythm)
    assert [(p.year, p.number, p.name) for p in periods] == expected
    assert periods[0].starts_on == start and periods[-1].ends_on == end
    for before, after in itertools.pairwise(periods):
        assert after.starts_on == before.ends_on + dt.timedelta(days=1)


def test_own_periods_are_numbered_in_the_year_they_end():
    own = [
        OwnPeriod("Vår", D(2027, 1, 1), D(2027, 3, 31)),
        OwnPeriod("Vinter", D(2026, 11, 18), D(2026, 12, 31)),
    ]
    periods = promise_periods(D(2026, 11, 18), D(2027, 3, 31), "egna", own)
    assert [(p.year, p.number, p.code) for p in periods] == [(2026, 1, "Vinter"), (2027, 1, "Vår")]
    assert period_on(periods, D(2027, 2, 1)).code == "Vår"
    assert last_ended(periods, D(2027, 2, 1)).code == "Vinter"
    assert last_ended(periods, D(2026, 12, 1)) is None


@pytest.mark.parametrize(
    ("own", "message"),
    [
        ([], "minst en egen period"),
        ([OwnPeriod("A", D(2026, 1, 1), D(2026, 6, 30)), OwnPeriod("B", D(2026, 6, 1),
          D(2026, 12, 31))], "överlappar"),
        ([OwnPeriod("A", D(2025, 12, 1), D(2026, 6, 30))], "utanför"),
        ([OwnPeriod(" ", D(2026, 1, 1), D(2026, 6, 30))], "namn"),
    ],
)  # fmt: skip
def test_bad_own_periods_are_refused_in_swedish(own, message):
    with pytest.raises(PeriodError, match=message):
        promise_periods(D(2026, 1, 1), D(2026, 12, 31), "egna", own)
