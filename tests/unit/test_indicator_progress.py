"""What happened to what a focus area aims at: verdicts, sentences and attribution (pure)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard.indicator_progress import attribution, progress, verdict
from dashboard.queries.indicators import LINK_SCHEMA, VALUE_SCHEMA

FETCHED = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


def _link(**overrides) -> dict:
    return {
        "focus_area_id": 1, "link_id": 1, "indicator_id": 7, "code": "N07403",
        "name": "Anmälda våldsbrott per 100 000 invånare", "unit": "per 100 000 invånare",
        "better": "lagre", "source_name": "Kolada", "attribution": "Källa: Kolada", "area": "",
        "baseline_year": 2020, "direction": "lagre", "target_value": None, "sort_order": 0,
    } | overrides  # fmt: skip


def _values(series: dict[int, float], origin: str = "kolada", area: str = "") -> pl.DataFrame:
    rows = [
        {"indicator_id": 7, "code": "N07403", "name": "x", "unit": "u", "better": "lagre",
         "source_name": "Kolada", "attribution": "Källa: Kolada", "area": area, "year": year,
         "period_no": 0, "value": value, "origin": origin,
         "source": "exempel" if origin == "demo" else "verklig", "fetched_at": FETCHED}
        for year, value in series.items()
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=VALUE_SCHEMA, orient="row")


def _progress(link: dict, values: pl.DataFrame, **kwargs) -> dict:
    links = pl.DataFrame([link], schema=LINK_SCHEMA, orient="row")
    return progress(links, values, **kwargs).row(0, named=True)


@pytest.mark.parametrize(
    ("baseline", "latest", "direction", "expected"),
    [
        (1000.0, 900.0, "lagre", "onskad"),
        (1000.0, 1100.0, "lagre", "fel"),
        (60.0, 70.0, "hogre", "onskad"),
        (60.0, 50.0, "hogre", "fel"),
        (1000.0, 1004.0, "lagre", "oforandrad"),  # within half a percent
        (None, 900.0, "lagre", "saknas"),
        (1000.0, None, "lagre", "saknas"),
    ],
)
def test_verdict_follows_the_intended_direction(baseline, latest, direction, expected):
    assert verdict(baseline, latest, direction) == expected


def test_progress_compares_the_latest_value_with_the_baseline_in_words_and_a_mark():
    row = _progress(_link(), _values({2019: 1200.0, 2020: 1000.0, 2023: 950.0, 2024: 900.0}))
    assert (row["baseline_value"], row["latest_year"], row["latest_value"]) == (1000.0, 2024, 900)
    assert row["change"] == -100.0 and row["change_percent"] == -10.0
    assert (row["verdict"], row["mark"]) == ("onskad", "✓")
    assert row["summary"] == (
        "Anmälda våldsbrott per 100 000 invånare: 900,0 år 2024, ned 10,0\u00a0% sedan basåret "
        "2020 (1\u00a0000,0). Målet är att det ska minska: i önskad riktning ✓."
    )
    assert row["attribution"] == "Källa: Kolada"


def test_a_past_year_is_judged_by_the_figures_of_its_own_time():
    row = _progress(_link(), _values({2020: 1000.0, 2021: 1100.0, 2024: 900.0}), until_year=2021)
    assert (row["latest_year"], row["verdict"], row["mark"]) == (2021, "fel", "✗")
    assert "upp 10,0\u00a0%" in row["summary"] and "åt fel håll ✗" in row["summary"]


def test_a_missing_baseline_says_so_and_judges_nothing():
    row = _progress(_link(baseline_year=2015), _values({2020: 1000.0, 2024: 900.0}))
    assert row["verdict"] == "saknas" and row["change"] is None
    assert "inget värde för basåret 2015" in row["summary"]


def test_a_target_value_says_whether_it_is_reached():
    row = _progress(_link(target_value=950.0), _values({2020: 1000.0, 2024: 900.0}))
    assert row["summary"].endswith("Målvärdet 950,0 är nått.")
    row = _progress(_link(target_value=800.0), _values({2020: 1000.0, 2024: 900.0}))
    assert row["summary"].endswith("Målvärdet 800,0 är inte nått ännu.")


def test_an_area_link_reads_only_that_areas_values():
    values = pl.concat(
        [_values({2020: 3.0, 2024: 2.0}, area="Mariefred"), _values({2020: 3.0, 2024: 4.0})]
    )
    row = _progress(_link(area="Mariefred"), values)
    assert row["verdict"] == "onskad" and "(Mariefred)" in row["summary"]


def test_invented_values_are_never_attributed_to_the_source():
    row = _progress(_link(), _values({2020: 1000.0, 2024: 900.0}, origin="demo"))
    assert row["attribution"] == "Påhittade exempelvärden, inte uppgifter från Kolada."
    assert "Källa: Kolada" not in row["attribution"]


@pytest.mark.parametrize(
    ("origins", "text"),
    [
        ({"kolada"}, "Källa: Kolada"),
        ({"import"}, "Källa: Kolada"),
        ({"demo"}, "Påhittade exempelvärden, inte uppgifter från Kolada."),
        ({"demo", "kolada"}, "Källa: Kolada. Vissa värden är påhittade exempel."),
        (set(), ""),
    ],
)
def test_attribution_by_origin(origins, text):
    assert attribution("Källa: Kolada", "Kolada", origins) == text


def test_attribution_falls_back_to_the_source_name():
    assert attribution("", "Polisens lokala trygghetsmätning", {"import"}) == (
        "Källa: Polisens lokala trygghetsmätning"
    )
