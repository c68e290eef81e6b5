"""How the pages word an indicator's progress (issue 12): pure text and tables, and the
promise periods query the time axis marks them from (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy.orm import Session

from dashboard import indicator_text, queries
from dashboard.indicator_progress import PROGRESS_SCHEMA
from testsupport import builders

ROW = {
    "focus_area_id": 7, "link_id": 3, "indicator_id": 1,
    "name": "Problemindex", "unit": "index 0–6", "area": "", "direction": "lagre",
    "baseline_year": 2019, "baseline_value": 3.1, "latest_year": 2025, "latest_value": 2.8,
    "change": -0.3, "change_percent": -9.677, "target_value": None,
    "verdict": "onskad", "verdict_text": "I önskad riktning", "mark": "✓",
    "summary": "…", "attribution": "Källa: Polisens lokala trygghetsmätning",
}  # fmt: skip
MISSING = ROW | {
    "latest_year": None, "latest_value": None, "change": None, "change_percent": None,
    "verdict": "saknas", "verdict_text": "Inga värden att jämföra", "mark": "–",
}  # fmt: skip


def test_a_card_gives_name_latest_value_year_change_and_the_verdict_in_words_and_mark():
    assert indicator_text.card_lines(ROW).split("\n") == [
        "Indikator: Problemindex",
        "2,8 index 0–6 år 2025 · \u22120,3 (\u22129,7\u00a0%) sedan basåret 2019 (3,1)",
        "✓ I önskad riktning (ska minska)",
    ]


def test_a_card_without_later_values_says_so():
    lines = indicator_text.card_lines(MISSING | {"area": "Mariefred"}).split("\n")
    assert lines == [
        "Indikator: Problemindex (Mariefred)",
        "– · Inget värde efter basåret 2019",
        "– Inga värden att jämföra (ska minska)",
    ]
    no_base = MISSING | {"baseline_value": None}
    assert indicator_text.change_text(no_base) == "Inget värde för basåret 2019"


def test_values_take_their_unit_and_a_percentage_its_sign():
    assert indicator_text.value_text(1234.5, "per 100 000 invånare") == (
        "1\u00a0234,5 per 100 000 invånare"
    )
    assert indicator_text.value_text(62.14, "procent") == "62,1\u00a0%"
    assert indicator_text.value_text(None, "procent") == "–"
    assert indicator_text.signed(0.5, "0,5") == "+0,5"


def test_the_progress_table_and_the_grouping_per_focus_area():
    progress = pl.DataFrame([ROW, MISSING | {"link_id": 4}], schema=PROGRESS_SCHEMA, orient="row")
    table = indicator_text.progress_table(progress)
    assert table.columns == [
        "Indikator", "Basår", "Värde basår", "Senaste år", "Senaste värde", "Förändring",
        "Bedömning", "Källa",
    ]  # fmt: skip
    assert table.row(0) == (
        "Problemindex", "2019", "3,1 index 0–6", "2025", "2,8 index 0–6",
        "\u22120,3 (\u22129,7\u00a0%) sedan basåret 2019 (3,1)",
        "✓ I önskad riktning (ska minska)", "Källa: Polisens lokala trygghetsmätning",
    )  # fmt: skip
    assert table["Senaste år"][1] == ""
    grouped = indicator_text.by_focus_area(progress)
    assert list(grouped) == [7] and [r["link_id"] for r in grouped[7]] == [3, 4]


def test_promise_periods_are_the_series_years_and_titles_oldest_first(engine):
    with Session(engine) as s:
        p = builders.make_partnership(s)
        builders.make_promise(s, p, year=2022, year_to=2023, title="Löfte B")
        builders.make_promise(s, p, year=2020, title="Löfte A")
        builders.make_promise(
            s, p, year=2026, title="Resecentrum", area="Resecentrum",
            valid=(dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
        )  # fmt: skip
        s.commit()
    with engine.connect() as conn:
        periods = queries.load_promise_periods(conn, partnership="0486")
    assert periods.rows() == [(2020, 2020, "Löfte A"), (2022, 2023, "Löfte B")]
