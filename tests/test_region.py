"""Region och riket (issue 11): every partnership of a region or of the country, in AppTest,
and its roll-up as a table of cases."""

from __future__ import annotations

import json

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import rollups


def _region_page(**params: str) -> AppTest:
    at = AppTest.from_file("../app.py", default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/region.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.usefixtures("two_partnerships_env")
def test_the_country_lists_every_partnership_with_a_link_to_its_overview():
    at = _region_page(ar="2021", period="3")
    table = next(d.value for d in at.dataframe if "Översikt" in d.value.columns)
    rows = {r["Kommun"]: r for r in table.to_dict("records")}
    assert set(rows) == {"Strängnäs kommun", "Exempelkommun 002"}
    assert rows["Strängnäs kommun"]["Polisregion"] == "Polisregion Öst"
    assert rows["Strängnäs kommun"]["Översikt"] == "/?kommun=0486&ar=2021&period=3"
    assert rows["Exempelkommun 002"]["Polisregion"] == "–"  # an invented kommun: no län
    assert next(m.value for m in at.metric) == "2 par"
    assert any("Exempeldata" in m.value for m in at.markdown)  # the demo badge
    titles = [json.loads(c.proto.spec)["title"]["text"] for c in at.get("vega_lite_chart")]
    assert titles == ["Årets resultat per samverkan, hela landet"]


@pytest.mark.usefixtures("two_partnerships_env")
def test_a_region_shows_only_its_partnerships():
    at = _region_page(ar="2021", period="3", region="ost")
    table = next(d.value for d in at.dataframe if "Översikt" in d.value.columns)
    assert table["Kommun"].to_list() == ["Strängnäs kommun"]
    assert at.selectbox(key="valt_region").value == "ost"
    at = _region_page(ar="2021", period="3", region="syd")
    assert any("Inga medborgarlöften för 2021 i Polisregion Syd" in i.value for i in at.info)


def _rows(*activities: tuple[str, str | None, int | None]) -> pl.DataFrame:
    return pl.DataFrame(
        [("0486", "verklig", "Strängnäs", "LPO", "Öst", n, s, c)
         for n, (_, s, c) in enumerate(activities)],
        schema=["kommun_code", "source", "kommun_name", "police_area", "region", "activity_id",
                "status", "completion"],
        orient="row",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("activities", "expected"),
    [
        ([("a", "pagar", 40), ("b", "genomford", 100)], (2, 2, 70.0, "pagar")),
        ([("a", "forsenad", 20), ("b", None, None)], (2, 1, 20.0, "forsenad")),
        ([("a", None, None)], (1, 0, None, None)),
        ([("a", "genomford", 100), ("b", "ej_genomford", 0)], (2, 2, 50.0, "ej_genomford")),
    ],
    ids=["mean-and-worst", "unevaluated-left-out", "none-evaluated", "most-serious"],
)
def test_a_partnerships_period_rolls_up_like_a_focus_area(activities, expected):
    row = rollups.partnership_status(_rows(*activities)).row(0, named=True)
    assert (row["n_activities"], row["n_evaluated"], row["completion"], row["status"]) == expected
