"""Region och riket's indicator comparison (issue 12) from small frames: per 100 000 so sizes
compare, a kommun without the earlier year has no change, the median marked, and only rates,
indices and shares compared across sizes. The query: tests/data/test_region_indicators.py."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from dashboard import region_charts, region_tables
from dashboard.export import images
from dashboard.queries import region_indicators as queries

TODAY = dt.date(2026, 11, 26)


def _values(*rows: tuple) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=queries.COMPARISON_SCHEMA, orient="row")


def test_a_kommun_without_the_earlier_year_has_no_change_and_the_median_is_marked():
    values = _values(
        ("0486", "Strängnäs kommun", "Öst", 2022, 900.0, "kolada", "verklig"),
        ("0486", "Strängnäs kommun", "Öst", 2025, 820.0, "kolada", "verklig"),
        ("0484", "Eskilstuna kommun", "Öst", 2025, 1210.6, "demo", "exempel"),
        ("0428", "Vingåker kommun", "Öst", 2022, 700.0, "demo", "exempel"),  # nothing in 2025
    )
    compared = region_tables.indicator_comparison(values, 2025, years_back=3)
    assert compared.select("kommun_code", "change").rows() == [("0484", None), ("0486", -80.0)]
    table = region_tables.comparison_table(compared, years_back=3)
    assert table.row(1) == ("Strängnäs kommun", "820,0", 2025, "−80,0", "Öst")
    assert table.row(0)[3] == "–"
    assert region_tables.comparison_origins(values, compared) == ["demo", "kolada"]
    assert region_tables.export_source("Kolada", ["demo", "kolada"]).startswith("Kolada; vissa")
    assert region_tables.export_source("Kolada", ["demo"]).startswith("påhittade")
    chart = region_charts.indicator_comparison_chart(
        compared, name="Våld", unit="per 100 000 invånare", year=2025, scope="Polisregion Öst",
        years_back=3,
    ).to_dict()  # fmt: skip
    assert chart["layer"][0]["encoding"]["y"]["sort"] == ["Eskilstuna kommun", "Strängnäs kommun"]
    assert "medianen (1\u00a0015,3 per 100 000 invånare)" in chart["title"]["subtitle"]
    assert chart["description"].startswith("Våld 2025 i 2 kommuner")
    assert "lägst Strängnäs kommun (820,0)" in chart["description"]
    assert chart["config"]["locale"]["number"]["decimal"] == ","
    meta = region_tables.comparison_meta(
        "Våld, 2025", scope="hela landet", year=2025, source_name="Kolada", origins=["demo"],
        today=TODAY,
    )  # fmt: skip
    assert (
        images.file_name(meta, "indikator-N07403", "png") == "hela-landet-2025-indikator-n07403.png"
    )
    assert images.source_line(meta).startswith("Källa: påhittade exempelvärden, inte uppgifter")
    assert meta.demo and meta.partnership == "Hela landet"
    png = images.chart_bytes(images.export_spec(chart, meta), "png")
    assert images.png_size(png)[0] >= images.MIN_PNG_WIDTH


@pytest.mark.parametrize(
    ("unit", "rate"),
    [("per 100 000 invånare", True), ("index 0–6", True), ("procent", True), ("%", True),
     ("antal", False), ("kronor", False), ("Antal anmälda brott", False)],
)  # fmt: skip
def test_only_rates_indices_and_shares_compare_across_sizes(unit, rate):
    assert region_tables.is_rate(unit) is rate
