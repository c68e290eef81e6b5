"""Exports for presentations (issue 5): charts as PNG, SVG and PDF, and how files are named.

A chart leaves the app through :func:`export_spec`, which takes the very chart object a page
shows and frames it for a slide: a title, a subtitle with partnership, year and tertial, the
footnote "Källa: … · Uttag <datum>", the "Exempeldata" label when demo rows are included, the
Swedish locale and type sizes legible from the back of the room. vl-convert renders it on the
server, so the file does not depend on the user's browser.

``ExportMeta`` and the file naming here serve every exported file. Data leaves through
data_files.py (CSV and Excel), the presentation pack through pack.py and the year's result text
through result_text.py, all in this package.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
import struct
import unicodedata
from dataclasses import dataclass
from typing import Any

import altair as alt
import vl_convert as vlc

from dashboard import labels

LOCALE = "sv-SE"
# 960 × 500 CSS pixels at a factor of two: a PNG at least 1920 px wide, which fills a 16:9
# slide (1920 × 1080 at full HD) without upscaling.
EXPORT_WIDTH, EXPORT_HEIGHT = 960, 500
MIN_PNG_WIDTH = 1920
PNG_PPI = 144
# Keys that Vega-Lite only allows on the outermost spec.
TOP_LEVEL_KEYS = ("$schema", "config", "datasets", "autosize", "background", "padding", "usermeta")
PRESENTATION_CONFIG: dict[str, Any] = {
    "font": "Liberation Sans, Arial, Helvetica, sans-serif",
    "title": {"fontSize": 26, "subtitleFontSize": 17, "subtitleColor": "#333333", "offset": 14},
    "axis": {"labelFontSize": 15, "titleFontSize": 16},
    "legend": {"labelFontSize": 15, "titleFontSize": 16, "symbolSize": 160},
    "header": {"labelFontSize": 15, "titleFontSize": 16},
    "text": {"fontSize": 15},
}
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown",
}


@dataclass(frozen=True)
class ExportMeta:
    """What an exported file says about itself.

    Attributes:
        title: The chart's or document's title, e.g. "Fokusområden – status".
        partnership: The two parties, e.g. "Strängnäs kommun och lokalpolisområde Strängnäs".
        kommun: The kommun's name; its slug starts every file name ("strangnas-…").
        year: The year shown, or None for a chart over many years.
        tertial: The tertial shown (1–3), or None.
        source: Where the figures come from, written after "Källa:".
        extracted_on: The day the data was read from the database ("Uttag").
        demo: True when any demo row (source "exempel") is included.
        span: Shown instead of the year for charts over many years, e.g. "2007–2026".
    """

    title: str
    partnership: str
    kommun: str
    year: int | None
    tertial: int | None
    source: str
    extracted_on: dt.date
    demo: bool = False
    span: str | None = None
    period_code: str | None = None  # "T3", "K2": the period's short name, for file names
    period_name: str | None = None  # "T3 sep–dec": for subtitles and slides


def partnership_name(kommun_name: str, police_area: str) -> str:
    """``Strängnäs kommun och lokalpolisområde Eskilstuna/Strängnäs``."""
    return f"{kommun_name} och {police_area[:1].lower()}{police_area[1:]}"


def export_meta(
    promise: dict[str, Any],
    *,
    title: str,
    year: int | None,
    tertial: int | None,
    today: dt.date,
    demo: bool,
    span: str | None = None,
    periods: dict[int, tuple[str, str]] | None = None,
    source: str | None = None,
) -> ExportMeta:
    """The ExportMeta of a file about ``promise`` (a row of ``queries.load_promise``);
    ``periods`` maps the year's period numbers to (code, name), default the tertials';
    ``source`` replaces the follow-up as the source (an indicator's: "Kolada")."""
    code, name = (None, None)
    if tertial is not None:
        code, name = (periods or {}).get(
            tertial, (labels.period_code(tertial), labels.period_name(tertial))
        )
    noun = "medborgarlöftet" if promise["kind"] == "medborgarlöfte" else "överenskommelsen"
    return ExportMeta(
        title=title,
        partnership=partnership_name(promise["kommun_name"], promise["police_area"]),
        kommun=promise["kommun_name"].removesuffix(" kommun"),
        year=year,
        tertial=tertial,
        source=source or f"{promise['kommun_name']} och Polisen, uppföljningen av {noun}",
        extracted_on=today,
        demo=demo,
        span=span,
        period_code=code,
        period_name=name,
    )


def subtitle_lines(meta: ExportMeta) -> list[str]:
    """The subtitle: partnership, period and, for demo data, the "Exempeldata" label."""
    period = [meta.span or (str(meta.year) if meta.year is not None else "")]
    if meta.tertial is not None:
        period.append(meta.period_name or labels.period_name(meta.tertial))
    lines = [" · ".join(part for part in [meta.partnership, *period] if part)]
    if meta.demo:
        lines.append(f"{labels.DEMO_BADGE}: innehåller påhittade rader")
    return lines


def source_line(meta: ExportMeta) -> str:
    """``Källa: … · Uttag 26 november 2026``: the footnote of every chart and slide."""
    return f"Källa: {meta.source} · Uttag {labels.format_date(meta.extracted_on)}"


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: "Fokusområden – status" → fokusomraden-status."""
    folded = "".join(
        c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c)
    )
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def file_name(meta: ExportMeta, what: str, extension: str) -> str:
    """A file name that says what it holds, e.g. ``strangnas-2021-T3-fokusomraden.png``."""
    parts = [slug(meta.kommun)]
    if meta.span:
        parts.append(slug(meta.span))
    elif meta.year is not None:
        parts.append(str(meta.year))
    if meta.tertial is not None:
        parts.append(slug(meta.period_code or labels.period_code(meta.tertial)).upper())
    parts.append(slug(what))
    return "-".join(part for part in parts if part) + f".{extension}"


def _spec(chart: alt.TopLevelMixin | dict) -> dict[str, Any]:
    """The Vega-Lite spec of ``chart``, as given or from Altair without validating it again
    (the builders' specs are validated in the chart tests; validation was most of an export's
    time, issue 15)."""
    return chart if isinstance(chart, dict) else chart.to_dict(validate=False)


def _title_of(chart: alt.TopLevelMixin | dict):
    """A chart's ``title`` as in its spec, read without converting the whole chart."""
    if isinstance(chart, dict):
        return chart.get("title")
    title = chart.title
    if title is alt.Undefined:
        return None
    return title.to_dict(validate=False) if isinstance(title, alt.TitleParams) else title


def chart_title(chart: alt.TopLevelMixin | dict) -> str:
    """The title text a chart was given (its first line), or "Diagram" when it has none."""
    title = _title_of(chart) or "Diagram"
    text = title.get("text", "Diagram") if isinstance(title, dict) else title
    return text[0] if isinstance(text, list) else str(text)


def chart_subtitle(chart: alt.TopLevelMixin | dict) -> list[str]:
    """The subtitle lines a chart was given (none when it has no subtitle)."""
    title = _title_of(chart)
    subtitle = title.get("subtitle", []) if isinstance(title, dict) else []
    return [subtitle] if isinstance(subtitle, str) else list(subtitle)


def swedish_locale() -> dict[str, Any]:
    """Vega-Lite's ``config.locale`` for sv-SE: decimal comma, Swedish month and day names.

    vl-convert's sv-SE time locale capitalises the names ("Maj"); Swedish writes them in
    lower case ("11 maj 2021"), as labels.format_date does.
    """
    time = dict(vlc.get_time_format_locale(LOCALE))
    for key in ("days", "shortDays", "months", "shortMonths"):
        time[key] = [name.lower() for name in time[key]]
    return {"number": vlc.get_format_locale(LOCALE), "time": time}


def export_spec(chart: alt.TopLevelMixin | dict, meta: ExportMeta | None) -> dict[str, Any]:
    """The Vega-Lite spec of ``chart`` framed for a slide.

    The chart keeps its marks, encodings and data; its title is replaced by ``meta.title``
    with the subtitle lines, and it is wrapped in a one-view ``vconcat`` whose bottom title is
    the source line. A single or layered chart sized to the page's container gets a fixed
    export size, since there is no container on the server.

    Args:
        chart: The chart the page shows (an Altair chart or its ``to_dict()``).
        meta: What the file is and where its figures come from; ``None`` for a chart placed on
            a slide that carries its own title and source line (no title, no footnote).

    Returns:
        A Vega-Lite spec (dict) ready for vl-convert.
    """
    inner = copy.deepcopy(_spec(chart))
    outer: dict[str, Any] = {key: inner.pop(key) for key in TOP_LEVEL_KEYS if key in inner}
    if "params" in inner and "mark" not in inner:
        # Layered/concatenated charts carry top-level selection params with "views"; they stay
        # valid only on the outermost spec.
        outer["params"] = inner.pop("params")
    if "mark" in inner or "layer" in inner:
        for key, size in (("width", EXPORT_WIDTH), ("height", EXPORT_HEIGHT)):
            if not isinstance(inner.get(key), int | float):
                inner[key] = size
    outer["config"] = _merged(outer.get("config", {}), PRESENTATION_CONFIG)
    outer["config"]["locale"] = swedish_locale()
    outer.setdefault("background", "white")
    own_subtitle = chart_subtitle(inner)
    if meta is None:
        inner.pop("title", None)
        return {**outer, "vconcat": [inner]}
    lines = subtitle_lines(meta)
    lines[1:1] = own_subtitle  # the chart's own explanation, before the demo label
    inner["title"] = {"text": meta.title, "subtitle": lines, "anchor": "start"}
    outer["vconcat"] = [inner]
    outer["title"] = {
        "text": source_line(meta),
        "orient": "bottom",
        "anchor": "start",
        "fontSize": 14,
        "fontWeight": "normal",
        "color": "#333333",
        "offset": 18,
    }
    return outer


def _merged(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``extra`` laid under ``base``: the chart's own config wins where both set a key."""
    result = copy.deepcopy(extra)
    for key, value in base.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merged(value, result[key])
        else:
            result[key] = value
    return result


def spec_key(spec: dict[str, Any]) -> str:
    """A stable text form of a spec, usable as a cache key."""
    return json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str)


def spec_to_svg(spec: dict[str, Any]) -> str:
    """The framed spec as SVG text (vector: scales to any size in PowerPoint and Word)."""
    return vlc.vegalite_to_svg(spec, format_locale=LOCALE, time_format_locale=LOCALE)


def spec_to_png(spec: dict[str, Any], *, min_width: int = MIN_PNG_WIDTH) -> bytes:
    """The framed spec as a PNG at least ``min_width`` pixels wide, tagged ``PNG_PPI``.

    vl-convert multiplies the chart's CSS size by ``scale × ppi / 72``. At 144 ppi a chart of
    the export width (960 px) already gives 1920 px, so one render is the common case; a
    narrower chart is rendered once more at the scale that reaches ``min_width``.
    """
    png = _png(spec, scale=1.0)
    width = png_size(png)[0]
    if width >= min_width:
        return png
    return _png(spec, scale=math.ceil(100 * min_width / width) / 100)


def _png(spec: dict[str, Any], *, scale: float) -> bytes:
    return vlc.vegalite_to_png(
        spec, scale=scale, ppi=PNG_PPI, format_locale=LOCALE, time_format_locale=LOCALE
    )


def spec_to_pdf(spec: dict[str, Any]) -> bytes:
    """The framed spec as a one-page vector PDF."""
    return vlc.vegalite_to_pdf(spec, format_locale=LOCALE, time_format_locale=LOCALE)


def chart_bytes(spec: dict[str, Any], fmt: str) -> bytes:
    """The framed spec in ``fmt`` (``png``, ``svg`` or ``pdf``) as bytes."""
    if fmt == "png":
        return spec_to_png(spec)
    if fmt == "svg":
        return spec_to_svg(spec).encode("utf-8")
    if fmt == "pdf":
        return spec_to_pdf(spec)
    raise ValueError(f"okänt bildformat: {fmt}")


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) read from a PNG's IHDR chunk."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("inte en PNG-fil")
    return struct.unpack(">II", data[16:24])
