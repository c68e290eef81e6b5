"""Swedish text: status labels, icons, marks and colours, and date and number formats.

Status is never shown by colour alone: every status has a label and an icon, and the colours
come from the Okabe–Ito palette, which stays distinguishable for the common colour-vision
deficiencies. The icons are emoji, for the web pages. Files leave the app for programs that
may have no emoji font (LibreOffice's PDF showed 🔄 and ✅ blank), so there a status is its
``mark`` and its label (``status_text_plain``): the marks are characters of WGL4, the set
every Windows core font and DejaVu Sans and Liberation Sans have (issue 10).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from db.periods import MONTH_ABBREVIATIONS, MONTHS


@dataclass(frozen=True)
class Status:
    code: str
    label: str
    icon: str  # emoji, for the web pages
    colour: str
    mark: str  # one of OFFICE_MARKS, for files (see status_text_plain)


# Marks for files (issue 10): full circle = done, empty circle = not begun, pointer = under
# way, warning triangle = late, cross = not done, dash = nothing entered. All in WGL4; ◆ and ✓
# are not (Liberation Sans lacks them), so they are not used.
OFFICE_MARKS = frozenset("●○►▲×–")
STATUSES: dict[str, Status] = {
    s.code: s
    for s in (
        Status("genomford", "Genomförd", "✅", "#009E73", "●"),
        Status("ej_paborjad", "Ej påbörjad", "⏸️", "#999999", "○"),
        Status("pagar", "Pågår", "🔄", "#0072B2", "►"),
        Status("forsenad", "Försenad", "⚠️", "#E69F00", "▲"),
        Status("ej_genomford", "Ej genomförd", "⛔", "#D55E00", "×"),
    )
}
NOT_EVALUATED = Status("ej_utvarderad", "Ej utvärderad", "➖", "#CCCCCC", "–")

OWNERS = {"kommun": "Kommunen", "polis": "Polisen", "gemensam": "Gemensam", "annan": "Annan part"}
KINDS = {
    "medborgarlöfte": "Medborgarlöfte",
    "samverkansöverenskommelse": "Samverkansöverenskommelse",
}
# The tertials' names, as db/periods.py names the periods of the default rhythm; other
# rhythms' periods carry their names in the period table (queries.load_periods).
TERTIALS = {1: "T1 jan–apr", 2: "T2 maj–aug", 3: "T3 sep–dec"}
SOURCES = {"verklig": "Verklig uppgift", "exempel": "Exempeldata"}
RHYTHMS = {"tertial": "Tertial", "kvartal": "Kvartal", "halvar": "Halvår", "egna": "Egna perioder"}
ORGANISATION_KINDS = {
    "kommun": "Kommun",
    "lokalpolisomrade": "Lokalpolisområde",
    "polisregion": "Polisregion",
    "annan": "Annan part",
}
# Indicators (issue 12): which way is better, and how a value came in.
DIRECTIONS = {"lagre": "Lägre är bättre", "hogre": "Högre är bättre"}
INTENDED = {"lagre": "ska minska", "hogre": "ska öka"}
VALUE_ORIGINS = {
    "kolada": "Hämtad från Kolada",
    "import": "Inläst från fil",
    "demo": "Påhittat exempelvärde",
}
EFFECT_CAVEAT = (
    "Genomförda aktiviteter är inte detsamma som uppnådd effekt: indikatorerna påverkas av "
    "mycket mer än löftets aktiviteter."
)
DEMO_BADGE = "Exempeldata"
DEMO_EXPLANATION = (
    "Exempeldata: raderna är påhittade för att visa verktyget. Uppgifter märkta "
    "”Verklig uppgift” kommer från kommunens och polisens publicerade texter."
)


def status(code: str | None) -> Status:
    """The Status for a code; ``None`` (or "ej_utvarderad") means no evaluation was entered."""
    return NOT_EVALUATED if code in (None, NOT_EVALUATED.code) else STATUSES[code]


def status_text(code: str | None) -> str:
    """Icon and label together, e.g. ``"⚠️ Försenad"``."""
    s = status(code)
    return f"{s.icon} {s.label}"


def status_text_plain(code: str | None) -> str:
    """Mark and label for files, readable without an emoji font, e.g. ``"▲ Försenad"``."""
    s = status(code)
    return f"{s.mark} {s.label}"


def format_date(value: dt.date | dt.datetime | None) -> str:
    """``11 mars 2021``; an empty string for no date."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_datetime(value: dt.datetime | None) -> str:
    """``11 mars 2021 kl. 14.05`` (Swedish uses a full stop between hours and minutes)."""
    if value is None:
        return ""
    return f"{format_date(value)} kl. {value:%H.%M}"


def format_number(value: float | None, decimals: int = 1) -> str:
    """``1 234,5``: a no-break space between thousands and a decimal comma."""
    if value is None:
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def format_percent(value: float | None, decimals: int = 1) -> str:
    """``87,5 %`` with a no-break space before the sign, as Swedish typography wants."""
    if value is None:
        return "–"
    return f"{format_number(value, decimals)}\u00a0%"


def format_years(year_from: int, year_to: int) -> str:
    """``2021`` or ``2022–2023``."""
    return str(year_from) if year_from == year_to else f"{year_from}–{year_to}"


def format_signatory(signatory: dict) -> str:
    """``Lars Ekström, kommundirektör``."""
    role = signatory.get("role")
    return f"{signatory['name']}, {role}" if role else signatory["name"]


def current_tertial(today: dt.date) -> int:
    """The tertial a date falls in: T1 jan–apr, T2 maj–aug, T3 sep–dec."""
    return (today.month - 1) // 4 + 1


# ---------------------------------------------------------------- browse pages and charts

THEMES = {
    "ungdomar": "Unga och kriminalitet",
    "droger": "Narkotika och droger",
    "trafik": "Trafiksäkerhet",
    "trygghet_offentlig_miljo": "Trygghet i offentlig miljö",
    "inbrott": "Inbrott",
    "vald_i_nara_relationer": "Våld i nära relationer",
}
# Okabe–Ito without the status colours' meaning: for series that are not statuses
# (themes, owners). Eight colours distinguishable with the common colour-vision deficiencies.
CATEGORY_COLOURS = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
)  # fmt: skip
# Vega point shapes per status, so a status reads by shape as well as by colour and label.
STATUS_SHAPES = {
    "genomford": "circle",
    "ej_paborjad": "square",
    "pagar": "diamond",
    "forsenad": "triangle-up",
    "ej_genomford": "cross",
    "ej_utvarderad": "stroke",
}
TERTIAL_SHORT = {1: "T1", 2: "T2", 3: "T3"}


def validity(valid_from: dt.date, valid_to: dt.date) -> str:
    """``2022–2023`` for whole calendar years, else ``18 nov 2026–31 mar 2027``."""
    whole = (valid_from.month, valid_from.day, valid_to.month, valid_to.day) == (1, 1, 12, 31)
    if whole:
        first, last = valid_from.year, valid_to.year
        return str(first) if first == last else f"{first}–{last}"
    return f"{_short_date(valid_from)}–{_short_date(valid_to)}"


def _short_date(day: dt.date) -> str:
    return f"{day.day} {MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"


def period_code(number: int, codes: dict[int, str] | None = None) -> str:
    """The short name of period ``number`` of a year: ``codes`` (a promise's own, from
    ``period_codes``) or the tertial's ``T1``…"""
    return (codes or TERTIAL_SHORT).get(number, f"P{number}")


def period_name(number: int, names: dict[int, str] | None = None) -> str:
    """The full name of period ``number``: ``names`` or the tertial's ``T1 jan–apr``…"""
    return (names or TERTIALS).get(number, f"Period {number}")


def period_codes(periods) -> dict[int, str]:
    """``{number: code}`` of a periods frame (queries.load_periods)."""
    return dict(zip(periods["number"], periods["code"], strict=True))


def period_names(periods) -> dict[int, str]:
    """``{number: name}`` of a periods frame (queries.load_periods)."""
    return dict(zip(periods["number"], periods["name"], strict=True))


STOCKHOLM = "Europe/Stockholm"


def theme_label(code: str | None) -> str:
    """The Swedish name of a focus-area theme; an unknown code is shown readably."""
    if code is None:
        return "Utan tema"
    return THEMES.get(code, code.replace("_", " ").capitalize())


def owner_label(code: str) -> str:
    """``Kommunen``, ``Polisen`` or ``Gemensam``."""
    return OWNERS.get(code, code)


def format_local_datetime(value: dt.datetime | None) -> str:
    """A stored (UTC) time as Swedish local time: ``11 mars 2021 kl. 14.05``."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return format_datetime(value.astimezone(ZoneInfo(STOCKHOLM)))


def format_target(value: float | None, unit: str | None) -> str:
    """A numeric target with its unit, ``8 områden``; ``–`` when there is none."""
    if value is None:
        return "–"
    number = format_number(value, 0 if float(value).is_integer() else 1)
    return f"{number} {unit}" if unit else number


# The year's result per activity (issue 5): at T3 every activity ends as genomförd, delvis
# (still ej påbörjad, pågår or försenad at year end) or ej genomförd; see rollups.IN_PROGRESS.
YEAR_OUTCOMES = {
    "genomford": "Genomförd",
    "delvis": "Delvis genomförd",
    "ej_genomford": "Ej genomförd",
    "ej_utvarderad": "Ej utvärderad",
}


def year_outcome(status_code: str | None) -> str:
    """The year-end outcome code of a T3 status: genomford, delvis, ej_genomford or
    ej_utvarderad (no T3 evaluation)."""
    if status_code is None or status_code == NOT_EVALUATED.code:
        return "ej_utvarderad"
    if status_code in ("genomford", "ej_genomford"):
        return status_code
    return "delvis"


def count(number: int, singular: str, plural: str) -> str:
    """A count with its noun: ``1 aktivitet``, ``4 aktiviteter``, ``1 234 rader`` (issue 10).

    Swedish takes the singular only for exactly one; the number has no-break-space thousands.
    """
    return f"{format_number(number, 0)} {singular if number == 1 else plural}"
