"""The look every chart shares: Swedish locale, title and text alternative, projector fonts.

The sv-SE number and time locales come from vl-convert and go into the Vega-Lite spec itself
(``config.locale``), so the browser, the PNG/SVG/PDF export and any other renderer all show
decimal commas, no-break-space thousands and Swedish month names.
"""

from __future__ import annotations

import altair as alt
import polars as pl
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


def finish(chart, *, title: str, subtitle: str = "", description: str):
    """Title, text alternative, Swedish locale and projector-sized fonts on a top-level chart."""
    title_params = alt.TitleParams(title, subtitle=subtitle or alt.Undefined, anchor="start")
    return (
        # fit-x: Streamlit stretches the width; the height stays the plot's own height
        # instead of squeezing title and axes into it.
        chart.properties(
            title=title_params,
            description=description,
            width=WIDTH,
            autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
        )
        .configure(locale=LOCALE, font="sans-serif")
        .configure_axis(labelFontSize=FONT, titleFontSize=FONT, labelLimit=320)
        .configure_axisX(description=AXIS_X)
        .configure_axisY(description=AXIS_Y)
        .configure_legend(
            labelFontSize=FONT, titleFontSize=FONT, orient="bottom", columns=3, description=LEGEND
        )
        .configure_title(fontSize=18, subtitleFontSize=FONT, subtitleColor="#333333")
        .configure_view(stroke=None)
    )


def data_of(chart) -> pl.DataFrame:
    """The frame a chart of dashboard.charts was drawn from (Swedish column names)."""
    return chart.data
