"""Chart specs (not pixels): Swedish locale, title, text alternative, status never by colour
alone, years as ordinals, and the data behind each chart."""

from __future__ import annotations

import html
import itertools
import json
import re

import altair as alt
import polars as pl
import pytest
import vl_convert

from dashboard import charts, labels

STATUS_FRAME = pl.DataFrame(
    {
        "focus_area": ["Unga", "Trafik", "Tomt"],
        "completion": [87.5, 40.0, None],
        "status": ["forsenad", "genomford", None],
    }
)
RESULTS = pl.DataFrame(
    {
        "year": [2007, 2021, 2026],
        "n_activities": [4, 4, 5],
        "result_tertial": [3, 3, 2],
        "n_evaluated": [4, 4, 5],
        "n_genomford": [2, 3, 1],
        "n_delvis": [2, 1, 4],
        "n_ej_genomford": [0, 0, 0],
        "n_not_evaluated": [0, 0, 0],
        "share_genomford": [50.0, 75.0, 20.0],
        "preliminary": [False, False, True],
    }
)
COUNTS = pl.DataFrame(
    {"year": [2020, 2020, 2021], "key": ["kommun", "polis", "kommun"], "n": [2, 1, 3]}
)
LINEAGE = pl.DataFrame(
    {
        "lineage_key": ["w", "w"],
        "year": [2020, 2021],
        "activity_id": [1, 2],
        "title": ["Vandringar", "Trygghetsvandringar"],
        "owner": ["gemensam", "gemensam"],
        "tertial": [3, 2],
        "status": ["genomford", "pagar"],
        "completion": [100, 50],
    }
)
TERTIAL_COUNTS = pl.DataFrame(
    {"tertial": [1, 1, 2], "status": ["pagar", "ej_utvarderad", "genomford"], "n": [2, 1, 3]}
)


def every_chart(*, meeting: bool = False):
    return {
        "completion": charts.completion_chart(
            STATUS_FRAME,
            category="focus_area",
            category_title="Fokusområde",
            title="Genomförandegrad",
            description="beskrivning",
            meeting=meeting,
        ),
        "tertial_completion": charts.tertial_completion_chart(
            pl.DataFrame({"tertial": [1, 2, 3], "completion": [50.0, 62.5, None]}),
            year=2021,
            meeting=meeting,
        ),
        "tertial_status": charts.tertial_status_chart(TERTIAL_COUNTS, year=2021, meeting=meeting),
        "year_result": charts.trend_result_chart(RESULTS, meeting=meeting),
        "activity_counts": charts.trend_activity_chart(COUNTS, by="owner", meeting=meeting),
        "lineage": charts.trend_lineage_chart(LINEAGE, meeting=meeting),
    }


@pytest.fixture(params=list(every_chart()))
def spec(request):
    return every_chart()[request.param].to_dict()


def test_every_chart_has_swedish_locale_title_and_description(spec):
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert spec["config"]["locale"]["time"]["months"][2] == "Mars"
    assert spec["title"]["text"]
    assert len(spec["description"]) > 10


def _encodings(spec):
    layers = spec.get("layer", [spec])
    return [layer.get("encoding", {}) for layer in layers]


def test_status_is_never_shown_by_colour_alone(spec):
    for encoding in _encodings(spec):
        colour = encoding.get("color", {})
        if colour.get("field") != "Status":
            continue
        # The same chart names the status in text, on an axis or by shape.
        text_fields = [e.get("text", {}).get("field") for e in _encodings(spec)]
        axis_fields = [e.get("y", {}).get("field") for e in _encodings(spec)]
        shape_fields = [e.get("shape", {}).get("field") for e in _encodings(spec)]
        assert {"Etikett", "Status"} & set(text_fields + axis_fields + shape_fields)
        assert colour["scale"]["range"] == charts.STATUS_RANGE


def test_years_are_ordinal_so_no_thousands_separator(spec):
    for encoding in _encodings(spec):
        if encoding.get("x", {}).get("field") == "År":
            assert encoding["x"]["type"] == "ordinal"


def test_status_palette_is_okabe_ito_and_complete():
    assert set(charts.STATUS_DOMAIN) == {s.label for s in labels.STATUSES.values()} | {
        labels.NOT_EVALUATED.label
    }
    assert charts.STATUS_RANGE[:5] == [labels.STATUSES[c].colour for c in charts.STATUS_ORDER]
    assert charts.STATUS_ORDER[0] == "ej_genomford" and charts.STATUS_ORDER[-1] == "genomford"


def test_completion_data_writes_swedish_labels_and_never_zero_for_missing():
    data = charts.data_of(every_chart()["completion"])
    assert data["Etikett"].to_list() == [
        "87,5\u00a0% · Försenad",
        "40,0\u00a0% · Genomförd",
        "Ej utvärderad",
    ]
    assert data["Genomförandegrad, %"][2] is None


def test_year_result_marks_preliminary_years_in_the_axis_label():
    data = charts.data_of(every_chart()["year_result"])
    assert data["År"].to_list() == ["2007", "2021", "2026 prel."]
    assert data["Etikett"].to_list() == ["50,0\u00a0%", "75,0\u00a0%", "20,0\u00a0%"]


def test_lineage_names_each_row_by_its_latest_title():
    data = charts.data_of(every_chart()["lineage"])
    assert set(data["Aktivitet"]) == {"Trygghetsvandringar"}
    assert data["Status"].to_list() == ["Genomförd", "Pågår"]


def test_rendered_svg_uses_decimal_commas():
    svg = vl_convert.vegalite_to_svg(json.loads(every_chart()["completion"].to_json()))
    assert "87,5" in svg and "87.5" not in svg


def test_describe_completion_reads_every_bar():
    text = charts.describe_completion(STATUS_FRAME, period="T3 2021")
    assert text.startswith("Genomförandegrad T3 2021.")
    assert "Unga: 87,5\u00a0% · Försenad" in text and "Tomt: Ej utvärderad" in text


# ---------------------------------------------------------------- issue 10: labels and fonts

# Advance widths (em) of Helvetica/Arial, the "sans-serif" vl-convert and Chromium draw with;
# any other character is counted as wide as the widest digit-like glyph.
_ADVANCE = {**dict.fromkeys("0123456789", 0.556), ",": 0.278, ".": 0.278, " ": 0.278}
_ADVANCE |= {"\u00a0": 0.278, "%": 0.889, "–": 0.556}
_TEXT = re.compile(
    r'<text[^>]*?transform="translate\(([-\d.]+),([-\d.]+)\)"[^>]*?'
    r'font-size="([\d.]+)px"[^>]*>([^<]*)</text>'
)


def _equal_results(n: int = 20, share: float = 500 / 7) -> pl.DataFrame:
    years = list(range(2007, 2007 + n))
    return pl.DataFrame(
        {
            "year": years,
            "n_activities": [7] * n,
            "result_tertial": [3] * n,
            "n_evaluated": [7] * n,
            "n_genomford": [5] * n,
            "n_delvis": [2] * n,
            "n_ej_genomford": [0] * n,
            "n_not_evaluated": [0] * n,
            "share_genomford": [share] * n,
            "preliminary": [False] * (n - 1) + [True],
        }
    )


def _svg(chart, width: int | None = None) -> str:
    spec = chart.to_dict()
    if width:
        spec["width"] = width
    return vl_convert.vegalite_to_svg(spec)


def _bar_labels(svg: str) -> list[tuple[float, float, float, str]]:
    """(left, right, y, text) of each bar label: the text marks of the chart's second layer."""
    group = re.search(r'<g class="mark-text role-mark layer_1_marks".*?</g>', svg, re.S).group(0)
    boxes = []
    for x, y, size, text in _TEXT.findall(group):
        width = float(size) * sum(_ADVANCE.get(c, 0.6) for c in html.unescape(text))
        boxes.append((float(x) - width / 2, float(x) + width / 2, float(y), text))
    return boxes


@pytest.mark.parametrize("meeting", [False, True], ids=["vanligt", "mötesläge"])
@pytest.mark.parametrize("width", [None, 1200, 1800], ids=["export", "1200", "1800"])
def test_equal_neighbouring_bar_labels_never_touch(meeting, width):
    # Twenty years of 5 of 7 genomförda drew "71,4 %71,4 %" as one run of text (issue 10).
    svg = _svg(charts.trend_result_chart(_equal_results(), meeting=meeting), width)
    boxes = sorted(_bar_labels(svg))
    assert len(boxes) == 20
    assert len({y for _, _, y, _ in boxes}) == 1  # equal values: all on one line
    for (_, right, _, text), (left, _, _, _) in itertools.pairwise(boxes):
        assert left - right >= 2, f"{text!r} ends at {right:.1f}, the next starts at {left:.1f}"


def test_bar_labels_keep_the_meeting_size_where_the_bars_are_wide():
    # Shrinking the text to the bar is for narrow charts; a projector-wide chart keeps 18 px.
    svg = _svg(charts.trend_result_chart(_equal_results(), meeting=True), 1800)
    group = re.search(r'<g class="mark-text role-mark layer_1_marks".*?</g>', svg, re.S).group(0)
    assert min(float(size) for _, _, size, _ in _TEXT.findall(group)) >= 18


@pytest.mark.parametrize("name", list(every_chart()))
def test_meeting_mode_draws_every_text_of_every_chart_at_18_px_or_more(name):
    chart = every_chart(meeting=True)[name]
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)px"', _svg(chart, 1800))]
    assert sizes and min(sizes) >= 18, sorted(set(sizes))
    spec = chart.to_dict()
    assert spec["config"]["axis"]["labelFontSize"] >= 18
    assert spec["config"]["legend"]["labelFontSize"] >= 18
    assert spec["config"]["title"]["subtitleFontSize"] >= 18


def test_a_year_ending_in_a_fourth_period_is_named_by_its_number():
    """A kommun whose year ends in K4 (quarters) or a promise's own fifth period: the trend's
    data names the period, where it once stopped the page (T1–T3 only)."""
    results = RESULTS.with_columns(pl.Series("result_tertial", [4, 3, 5]))
    data = charts.year_result_data(results)
    assert data["Period"].to_list() == ["P4", "T3", "P5"]


def test_channels_give_the_spec_altair_gives_for_shorthands():
    """chart_style.channels only skips Altair's slow lookup; the spec is the same."""
    from dashboard.chart_style import channels

    encodings = {
        "x": "År:N", "y": {"field": "Andel", "type": "quantitative", "title": None},
        "text": "Etikett:N", "tooltip": ["År:N", alt.Tooltip("Andel:Q", format=".0f")],
        "strokeDash": {"condition": {"test": "datum.p", "value": [5, 3]}, "value": [1, 0]},
        "color": alt.value("#000000"),
    }  # fmt: skip
    plain = alt.Chart().mark_bar().encode(**encodings).to_dict()
    fast = alt.Chart().mark_bar().encode(**channels(**encodings)).to_dict()
    assert fast == plain
    assert isinstance(channels(x="År:N")["x"], alt.X)
