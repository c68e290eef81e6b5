"""The indicator chart (issue 12) as a Vega-Lite spec: promise periods and baseline marked on
the time axis, Swedish locale and text alternative, series told apart by shape as well as
colour, demo values never attributed to the source, and the data as the downloads hold it."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from dashboard import indicator_charts, labels
from dashboard.export import data_files
from dashboard.queries import VALUE_SCHEMA
from db.vocabulary import KOLADA_ATTRIBUTION

FETCHED = dt.datetime(2026, 1, 15, 6, tzinfo=dt.UTC)
PROMISES = [(2020, 2021, "Tryggare Strängnäs"), (2022, 2023, "Trygg i hela kommunen")]


def values(rows: list[tuple[str, int, float, str]], **definition) -> pl.DataFrame:
    """VALUE_SCHEMA rows of one indicator: (area, year, value, origin)."""
    base = {
        "indicator_id": 1, "code": "N07403", "name": "Anmälda våldsbrott per 100 000 invånare",
        "unit": "per 100 000 invånare", "better": "lagre", "source_name": "Kolada",
        "attribution": KOLADA_ATTRIBUTION, "period_no": 0, "source": "verklig",
        "fetched_at": FETCHED,
    } | definition  # fmt: skip
    return pl.DataFrame(
        [
            base | {"area": area, "year": year, "value": value, "origin": origin,
                    "source": "exempel" if origin == "demo" else base["source"]}
            for area, year, value, origin in rows
        ],
        schema=VALUE_SCHEMA,
    )  # fmt: skip


def series(origin: str = "kolada") -> pl.DataFrame:
    return values([("", year, 800.0 + 10.5 * (year - 2018), origin) for year in range(2018, 2026)])


def layers(spec: dict) -> list[dict]:
    return spec["layer"]


def test_promise_periods_are_shaded_bands_with_the_promise_in_the_tooltip():
    spec = indicator_charts.indicator_chart(series(), promise_years=PROMISES).to_dict()
    bands = [layer for layer in layers(spec) if layer["mark"]["type"] == "rect"]
    assert len(bands) == 1
    band_rows = bands[0]["data"]["values"]
    assert [(b["Från"], b["Till"], b["Löfte"]) for b in band_rows] == [
        (2019.5, 2021.5, "Tryggare Strängnäs"),
        (2021.5, 2023.5, "Trygg i hela kommunen"),
    ]
    assert band_rows[0]["Skugga"] != band_rows[1]["Skugga"]  # neighbours told apart
    tooltip = [t["field"] for t in bands[0]["encoding"]["tooltip"]]
    assert tooltip == ["Löfte", "Löftesperiod"]
    assert (
        "Löftesperioder: Tryggare Strängnäs (2020–2021); Trygg i hela kommunen (2022–2023)"
        in (spec["description"])
    )


def test_a_promise_outside_the_years_shown_is_left_out_and_one_at_the_edge_is_clipped():
    promises = [(2008, 2009, "Gammalt"), (2016, 2019, "Över kanten"), (2030, 2031, "Senare")]
    spec = indicator_charts.indicator_chart(series(), promise_years=promises).to_dict()
    (band,) = next(layer for layer in layers(spec) if layer["mark"]["type"] == "rect")["data"][
        "values"
    ]
    assert (band["Från"], band["Till"], band["Löfte"]) == (2017.5, 2019.5, "Över kanten")


def test_promise_periods_may_come_as_a_frame():
    frame = pl.DataFrame({"year_from": [2022, 2020], "year_to": [2023, 2021], "title": ["B", "A"]})
    assert indicator_charts.promise_periods(frame) == [(2020, 2021, "A"), (2022, 2023, "B")]
    data = indicator_charts.indicator_data(series(), promise_years=frame)
    assert dict(zip(data["År"], data["Löfte"], strict=True))[2019] == ""
    assert dict(zip(data["År"], data["Löfte"], strict=True))[2021] == "A"


def test_the_baseline_year_is_a_dashed_rule_written_basar():
    spec = indicator_charts.indicator_chart(series(), baseline_year=2019).to_dict()
    rule = next(layer for layer in layers(spec) if layer["mark"]["type"] == "rule")
    assert rule["data"]["values"][0]["Basår"] == 2019 and rule["mark"]["strokeDash"]
    text = next(layer for layer in layers(spec) if layer["mark"]["type"] == "text")
    assert text["data"]["values"][0]["Etikett"] == "Basår 2019"
    assert "Basår 2019." in spec["description"]


def test_swedish_locale_text_alternative_and_years_without_thousands_separator():
    spec = indicator_charts.indicator_chart(series()).to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["description"].startswith(
        "Anmälda våldsbrott per 100 000 invånare (per 100 000 invånare) per år. "
        "Hela kommunen: 800,0 år 2018, 873,5 år 2025."
    )
    point = next(layer for layer in layers(spec) if layer["mark"]["type"] == "point")
    assert point["encoding"]["x"]["axis"]["format"] == "d"
    assert spec["title"]["text"] == "Anmälda våldsbrott per 100 000 invånare, 2018–2025"


def test_each_area_is_a_line_with_its_own_colour_and_shape_in_one_legend():
    frame = values(
        [(area, year, 2.0 + i, "import") for i, area in enumerate(["", "Mariefred"])
         for year in (2020, 2021)],
        code="p", name="Problemindex", unit="index 0–6",
        source_name="Polisens lokala trygghetsmätning",
        attribution="Källa: Polisens lokala trygghetsmätning",
    )  # fmt: skip
    chart = indicator_charts.indicator_chart(frame)
    assert sorted(set(chart.data["Område"])) == ["Hela kommunen", "Mariefred"]
    point = next(layer for layer in layers(chart.to_dict()) if layer["mark"]["type"] == "point")
    assert point["encoding"]["color"]["field"] == point["encoding"]["shape"]["field"] == "Område"


def test_only_values_from_kolada_are_attributed_to_kolada():
    real = indicator_charts.indicator_chart(series("kolada")).to_dict()
    assert real["title"]["subtitle"] == f"per 100 000 invånare · {KOLADA_ATTRIBUTION}"
    demo = indicator_charts.indicator_chart(series("demo"))
    subtitle = demo.to_dict()["title"]["subtitle"]
    assert subtitle == "per 100 000 invånare · Påhittade exempelvärden, inte uppgifter från Kolada."
    assert set(demo.data["Ursprung"]) == {labels.VALUE_ORIGINS["demo"]}


def test_sub_year_values_are_left_out():
    frame = pl.concat([series(), series().with_columns(period_no=pl.lit(2, pl.Int64))])
    assert indicator_charts.indicator_data(frame).height == series().height


def test_the_chart_data_downloads_as_whole_years_rounded_values_and_ja_nej():
    frame = values([("", 2019, 812.345, "kolada"), ("", 2020, 790.06, "kolada")])
    data = indicator_charts.indicator_data(frame, promise_years=PROMISES, baseline_year=2019)
    rows = data_files.chart_rows(data)
    assert rows["År"].to_list() == [2019, 2020]
    assert rows["Värde"].to_list() == [812.3, 790.1]
    assert rows["Basår"].to_list() == ["Ja", "Nej"]
    assert rows["Löfte"].to_list() == ["", "Tryggare Strängnäs"]


def test_a_series_other_than_area_names_the_lines_as_given():
    frame = series().with_columns(kommun=pl.lit("Strängnäs"))
    chart = indicator_charts.indicator_chart(frame, series="kommun", series_title="Kommun")
    assert set(chart.data["Kommun"]) == {"Strängnäs"}
    json.dumps(chart.to_dict())  # the whole spec is plain JSON


def test_an_indicator_name_a_spreadsheet_would_run_is_inert_in_the_csv():
    frame = values([('=HYPERLINK("http://x")', 2020, 1.26, "import")], name="+SUM(1)")
    data = indicator_charts.indicator_data(frame, baseline_year=2020)
    text = data_files.frame_to_csv(data_files.chart_rows(data)).decode("utf-8-sig")
    header, row = text.splitlines()
    assert header.split(";")[:4] == ["Indikator", "Område", "År", "Värde"]
    assert row.split(";")[0] == "'+SUM(1)" and row.split(";")[1].startswith("\"'=HYPERLINK")
    assert row.split(";")[2:4] == ["2020", "1,3"]  # rounded as the tooltip shows it
    assert row.split(";")[-1] == "Ja"


def test_an_exported_indicator_chart_names_its_own_source_in_the_footnote():
    from dashboard.indicator_charts import footnote_source

    assert footnote_source("Källa: Kolada") == "Kolada"
    assert footnote_source("Påhittade exempelvärden, inte uppgifter från Kolada.") == (
        "Påhittade exempelvärden, inte uppgifter från Kolada"
    )
