"""The look every chart shares: Swedish locale, title and text alternative, projector fonts.

The sv-SE number and time locales come from vl-convert and go into the Vega-Lite spec itself
(``config.locale``), so the browser, the PNG/SVG/PDF export and any other renderer all show
decimal commas, no-break-space thousands and Swedish month names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import altair as alt
import polars as pl
import pyarrow as pa
import vl_convert

LOCALE = alt.Locale(
    number=vl_convert.get_format_locale("sv-SE"),
    time=vl_convert.get_time_format_locale("sv-SE"),
)
FONT = 14  # axis and legend labels, legible from the back of a meeting room
WIDTH = 760  # the default for exports; Streamlit stretches it to the column on a page
# Screen-reader names of axes and legends (issue 10, item 16). Without them Vega writes its
# own English ones ("X-axis titled 'År' for a linear scale with values from 2007 to 2026").
# The chart's values are in its description and in the table beside it.
AXIS_X, AXIS_Y, LEGEND = "Vågrät axel", "Lodrät axel", "Teckenförklaring"


def channels(**encodings) -> dict:
    """``encodings`` for ``.encode(**channels(...))``, each shorthand as its Altair channel.

    Given a string (``"År:N"``) or a dict, Altair finds the channel's class by hashing and
    deep-copying its part of the Vega-Lite schema: 20 ms per ``encode`` call, most of the time
    it took to build a chart (issue 15: the charts of a kommun's first visit, at national
    scale). Given the channel object itself it does none of that, and the spec is the same.
    """
    return {name: _channel(name, value) for name, value in encodings.items()}


def _channel(name: str, value):
    if isinstance(value, list | tuple):
        return [_channel(name, item) for item in value]
    if not isinstance(value, str | dict):
        return value  # already a channel (alt.X(...)), or Undefined
    kind = name[0].upper() + name[1:]
    if isinstance(value, str):
        return getattr(alt, kind)(value)
    return getattr(alt, f"{kind}Value" if "value" in value else kind)(**value)


@dataclass(frozen=True)
class Fonts:
    """Font sizes (px) of a chart: labels (axes, legend, text marks), title and subtitle."""

    label: int
    title: int
    subtitle: int
    label_limit: int  # px of an axis label before it is cut with "…"


NORMAL = Fonts(label=FONT, title=18, subtitle=FONT, label_limit=320)
# Meeting mode (issue 10): every text of a chart at 18 px or more on a 1920-pixel projector.
MEETING = Fonts(label=20, title=28, subtitle=20, label_limit=480)


def fonts(meeting: bool = False) -> Fonts:
    """The font sizes for meeting mode or for the ordinary pages and exports."""
    return MEETING if meeting else NORMAL


def _config(size: Fonts) -> alt.Config:
    return alt.Config(
        locale=LOCALE,
        font="sans-serif",
        axis=alt.AxisConfig(
            labelFontSize=size.label, titleFontSize=size.label, labelLimit=size.label_limit
        ),
        axisX=alt.AxisConfig(description=AXIS_X),
        axisY=alt.AxisConfig(description=AXIS_Y),
        legend=alt.LegendConfig(
            labelFontSize=size.label,
            titleFontSize=size.label,
            orient="bottom",
            columns=3,
            description=LEGEND,
        ),
        title=alt.TitleConfig(
            fontSize=size.title, subtitleFontSize=size.subtitle, subtitleColor="#333333"
        ),
        text=alt.MarkConfig(fontSize=size.label),
        view=alt.ViewConfig(stroke=None),
    )


# Built once: every chart of a kind shares its config, which nothing changes after it is set
# (Altair's copies are deep, and to_dict only reads it).
_CONFIGS = {False: _config(NORMAL), True: _config(MEETING)}
# fit-x: Streamlit stretches the width; the height stays the plot's own height instead of
# squeezing title and axes into it.
_AUTOSIZE = alt.AutoSizeParams(type="fit-x", contains="padding")


def finish(chart, *, title: str, subtitle: str = "", description: str, meeting: bool = False):
    """Title, text alternative, Swedish locale and projector-sized fonts on a top-level chart.

    Text marks take their size from ``config.text`` unless a builder sets one, so ``meeting``
    enlarges every text of the chart: axes, legend, title and the written values.

    The chart is finished in place and returned: it is the builder's own, just made.
    ``chart.properties(...)`` and ``chart.configure(...)`` would each deep-copy the whole chart
    and validate every property against the Vega-Lite schema, which was two thirds of the time
    it took to build one (issue 15); the spec is the same (tests/unit/test_charts.py).
    """
    chart.title = alt.TitleParams(title, subtitle=subtitle or alt.Undefined, anchor="start")
    chart.description = description
    chart.width = WIDTH
    chart.autosize = _AUTOSIZE
    chart.config = _CONFIGS[meeting]
    return chart


def layered(*layers, data, **properties) -> alt.LayerChart:
    """``alt.layer(*layers, data=data).properties(**properties)``, without Altair's copies.

    ``alt.layer`` deep-copies every layer twice to merge selection parameters and moves a
    layer's width, height and view up to the chart; ``properties`` copies the result again
    (issue 15). The layers of dashboard's charts have none of those (they are drawn from the
    chart's ``data``, or from their own), so the list is set as it is and the spec is the
    same as ``alt.layer``'s (tests/unit/test_charts.py).
    """
    chart = alt.LayerChart(data=data, **properties)
    chart.layer = list(layers)
    return chart


BAR_PADDING = 0.1  # Vega-Lite's default paddingInner of a band scale
# The widest bar label, "100 %", is 2.84 em wide in Helvetica/Arial; a quarter em more keeps
# neighbouring labels apart.
BAR_LABEL_EM = 2.84 + 0.25


def bar_label_size(largest: int) -> dict:
    """A text mark's font size that fits the band of the x scale, at most ``largest`` px.

    Twenty equal years drew "71,4 %71,4 %" as one run of text (issue 10). The size follows the
    band width in the renderer (the browser stretches the chart to its column), so the widest
    label stays a quarter em narrower than the step from one bar to the next.
    """
    return {"expr": f"min({largest}, bandwidth('x') / (1 - {BAR_PADDING}) / {BAR_LABEL_EM})"}


def page_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` (a chart's ``to_dict()``) for ``st.vega_lite_chart``: each dataset as an Arrow
    table, which Streamlit sends to the browser in Arrow's binary form rather than as JSON.

    Made from the one ``to_dict`` the chart needs anyway (issue 15): ``st.altair_chart``'s own
    conversion validates the whole chart against the Vega-Lite schema (15–20 ms a chart) and
    switches Altair's global data transformer, which a chart converted at the same moment in
    another session's thread would pick up. The same spec as ``st.altair_chart`` sends, but for
    the datasets' names and the default theme's view size (unused: every chart has its own).
    """
    datasets = {name: pa.Table.from_pylist(rows) for name, rows in spec["datasets"].items()}
    return {**spec, "datasets": datasets}


def data_of(chart) -> pl.DataFrame:
    """The frame a chart of dashboard.charts was drawn from (Swedish column names)."""
    return chart.data
