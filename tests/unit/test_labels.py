"""Swedish labels and formats used by the browse pages."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import labels, tables
from dashboard.components import plain


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.date(2021, 3, 11), "11 mars 2021"),
        (dt.date(2019, 12, 1), "1 december 2019"),
        (None, ""),
    ],
)
def test_format_date(value, text):
    assert labels.format_date(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(87.5, "87,5\u00a0%"), (100, "100,0\u00a0%"), (None, "–"), (1234.5, "1\u00a0234,5\u00a0%")],
)
def test_format_percent(value, text):
    assert labels.format_percent(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        # Stored in UTC; shown in Swedish time, summer and winter.
        (dt.datetime(2021, 3, 11, 13, 5, tzinfo=dt.UTC), "11 mars 2021 kl. 14.05"),
        (dt.datetime(2021, 6, 1, 8, 0), "1 juni 2021 kl. 10.00"),
        (None, ""),
    ],
)
def test_format_local_datetime(value, text):
    assert labels.format_local_datetime(value) == text


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(8, "områden", "8 områden"), (2.5, None, "2,5"), (None, "st", "–")],
)
def test_format_target(value, unit, text):
    assert labels.format_target(value, unit) == text


@pytest.mark.parametrize(
    ("code", "text"),
    [("forsenad", "⚠️ Försenad"), (None, "➖ Ej utvärderad"), ("ej_utvarderad", "➖ Ej utvärderad")],
)
def test_status_text_has_icon_and_label(code, text):
    assert labels.status_text(code) == text


def test_every_status_has_a_shape_and_a_distinct_colour():
    codes = [*labels.STATUSES, labels.NOT_EVALUATED.code]
    assert set(labels.STATUS_SHAPES) == set(codes)
    assert len({labels.status(c).colour for c in codes}) == len(codes)


@pytest.mark.parametrize(
    ("code", "text"),
    [("ungdomar", "Unga och kriminalitet"), ("nytt_tema", "Nytt tema"), (None, "Utan tema")],
)
def test_theme_label(code, text):
    assert labels.theme_label(code) == text


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("[klicka](https://x.se)", r"\[klicka\]\(https\:\/\/x\.se\)".replace(r"\/", "/")),
        ("**fet** $x$", r"\*\*fet\*\* \$x\$"),
        ("Unga i riskzon", "Unga i riskzon"),
    ],
)
def test_plain_escapes_markdown(text, escaped):
    assert plain(text) == escaped


@pytest.mark.parametrize(
    ("years", "today", "default"),
    [([2020, 2021, 2026], dt.date(2026, 5, 1), 2026), ([2020, 2021], dt.date(2026, 5, 1), 2021),
     ([2030], dt.date(2026, 5, 1), 2030)],
)  # fmt: skip
def test_default_year(years, today, default):
    assert tables.default_year(years, today) == default


def test_labels_name_every_code_of_the_vocabulary_and_nothing_else():
    """db/vocabulary.py owns the codes; dashboard/labels.py only adds Swedish text to them."""
    from dashboard.access import ROLE_LABELS
    from db import vocabulary

    assert set(labels.STATUSES) == set(vocabulary.STATUSES)
    assert labels.NOT_EVALUATED.code == vocabulary.NOT_EVALUATED
    assert set(labels.OWNERS) == set(vocabulary.OWNERS)
    assert set(labels.KINDS) == set(vocabulary.KINDS)
    assert set(labels.SOURCES) == set(vocabulary.SOURCES)
    assert set(ROLE_LABELS) == set(vocabulary.ROLES)
    assert set(labels.RHYTHMS) == set(vocabulary.RHYTHMS)
    assert set(labels.DIRECTIONS) == set(labels.INTENDED) == set(vocabulary.DIRECTIONS)
    assert set(labels.VALUE_ORIGINS) == set(vocabulary.VALUE_ORIGINS)


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (dt.date(2022, 1, 1), dt.date(2023, 12, 31), "2022–2023"),
        (dt.date(2021, 1, 1), dt.date(2021, 12, 31), "2021"),
        (dt.date(2026, 11, 18), dt.date(2027, 3, 31), "18 nov 2026–31 mar 2027"),
    ],
)
def test_validity_reads_as_years_or_as_dates(start, end, text):
    assert labels.validity(start, end) == text
