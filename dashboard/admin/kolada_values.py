"""Fetching a KPI's values for one kommun from Kolada and storing them (issue 12).

The request is checked first (KPI id, kommun code, years), then everything is read from
Kolada, and only then is anything written: the definition (if new) and the values, in the
caller's one transaction, through ``save_values``. A failure at any step writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.admin.indicator_values import Changes, ValueRow, save_values
from dashboard.kolada import KOMMUN_CODE, KPI_ID, SITE_URL, KoladaClient, Kpi, YearValue
from dashboard.labels import format_number, format_years
from db.models import Indicator, Organisation
from db.vocabulary import DIRECTIONS, INDICATOR_YEARS, KOLADA_ATTRIBUTION

FIRST_KOLADA_YEAR = 2007  # the app's series start in 2007, when the first promises were made
PER_100_000 = "per 100 000 invånare"


class FetchRefused(ValueError):
    """A request that cannot be made; the message is Swedish."""


@dataclass(frozen=True)
class FetchRequest:
    kpi_id: str
    kommun_code: str
    years: range
    better: str | None = None


@dataclass(frozen=True)
class Fetched:
    """What Kolada gave: the KPI, the kommun (id, name) and its yearly totals."""

    kpi: Kpi
    kommun_id: int
    kommun_name: str
    values: list[YearValue]
    source_url: str


@dataclass(frozen=True)
class Stored:
    indicator_code: str
    indicator_name: str
    created: bool
    changes: Changes


def make_request(
    kpi: str,
    kommun: str,
    first: int | None,
    last: int | None,
    *,
    better: str | None = None,
    today: dt.date | None = None,
) -> FetchRequest:
    """Check what was asked for; years default to 2007 through this year.

    Raises:
        FetchRefused: A KPI id not like "N07403", a kommun code not four digits, a year
            outside 2000–2100, or a first year after the last.
    """
    kpi_id = kpi.strip().upper()
    if not KPI_ID.fullmatch(kpi_id):
        raise FetchRefused(f"{kpi!r} är inte ett nyckeltals-id i Kolada (som N07403).")
    code = kommun.strip()
    if not KOMMUN_CODE.fullmatch(code):
        raise FetchRefused(f"{kommun!r} är inte en kommunkod (fyra siffror, som 0486).")
    first = FIRST_KOLADA_YEAR if first is None else first
    last = (today or dt.date.today()).year if last is None else last
    low, high = INDICATOR_YEARS
    for year in (first, last):
        if not low <= year <= high:
            raise FetchRefused(f"Året {year} ligger utanför {low}–{high}.")
    if first > last:
        raise FetchRefused(f"Första året ({first}) ligger efter det sista ({last}).")
    if better is not None and better not in DIRECTIONS:
        raise FetchRefused(f"Riktningen {better!r} finns inte ({' eller '.join(DIRECTIONS)}).")
    return FetchRequest(kpi_id, code, range(first, last + 1), better)


def find_kommun(session: Session, code: str) -> Organisation:
    """The kommun with SCB code ``code``.

    Raises:
        FetchRefused: No kommun has that code.
    """
    kommun = session.scalar(
        select(Organisation).where(Organisation.kind == "kommun", Organisation.code == code)
    )
    if kommun is None:
        raise FetchRefused(f"Det finns ingen kommun med koden {code}.")
    return kommun


def fetch(session: Session, client: KoladaClient, request: FetchRequest) -> Fetched:
    """Check the kommun, then read the KPI and its values from Kolada; writes nothing.

    Raises:
        FetchRefused: The kommun does not exist.
        dashboard.kolada.KoladaError: Kolada unreachable, the KPI unknown, or a changed shape.
    """
    kommun = find_kommun(session, request.kommun_code)
    kpi = client.kpi(request.kpi_id)
    values = client.values(request.kpi_id, request.kommun_code, request.years)
    source_url = client.data_url(request.kpi_id, request.kommun_code)
    return Fetched(kpi, kommun.id, kommun.name, values, source_url)


def store(session: Session, fetched: Fetched, *, better: str | None = None) -> Stored:
    """Create the definition if it is missing and save the values, in the session's transaction.

    Raises:
        FetchRefused: An indicator with the KPI's code exists but is not Kolada's.
        dashboard.admin.indicator_values.ValuesRefused: A value the database would refuse.
    """
    indicator, created = _indicator(session, fetched.kpi, better)
    rows = [
        ValueRow(fetched.kommun_id, v.year, v.value, source_url=fetched.source_url)
        for v in fetched.values
    ]
    changes = save_values(
        session, indicator, rows, origin="kolada", source="verklig", username="kommandorad"
    )
    return Stored(indicator.code, indicator.name, created, changes)


def _indicator(session: Session, kpi: Kpi, better: str | None) -> tuple[Indicator, bool]:
    found = session.scalar(select(Indicator).where(Indicator.kolada_kpi == kpi.id))
    if found is not None:
        return found, False
    if session.scalar(select(Indicator.id).where(Indicator.code == kpi.id)) is not None:
        raise FetchRefused(
            f"Indikatorn {kpi.id} finns redan men är inte kopplad till Koladas nyckeltal "
            f"{kpi.id}; inget hämtades."
        )
    indicator = Indicator(
        code=kpi.id,
        name=kpi.title[:200],
        unit=guess_unit(kpi.title),
        better=better or "lagre",
        source_name="Kolada",
        attribution=KOLADA_ATTRIBUTION,
        kolada_kpi=kpi.id,
        description="",
        source="verklig",
        source_url=SITE_URL,
    )
    session.add(indicator)
    session.flush()
    return indicator, True


def guess_unit(title: str) -> str:
    """Kolada's titles end in the unit: "…, antal/100 000 inv" is per 100,000 inhabitants."""
    return PER_100_000 if "/100 000 inv" in title else ""


def describe(fetched: Fetched, request: FetchRequest, stored: Stored | None) -> list[str]:
    """The lines the command prints: what was fetched, what changed, and the attribution."""
    years = format_years(request.years.start, request.years.stop - 1)
    where = f"{fetched.kpi.id} {fetched.kpi.title}, {fetched.kommun_name} {years}"
    if stored is None:
        return [f"Kolada har inga värden för {where}; inget sparades."]
    lines = []
    if stored.created:
        lines.append(f"Indikatorn {stored.indicator_code} ({stored.indicator_name}) skapades.")
    lines.append(f"{where}: {stored.changes.text()}.")
    for key, old, new in sorted(stored.changes.changed):
        if old == new:
            lines.append(f"  {key[2]}: {_number(new)} (samma värde, nu från Kolada)")
        else:
            lines.append(f"  {key[2]}: {_number(old)} → {_number(new)}")
    lines.append(KOLADA_ATTRIBUTION)
    return lines


def _number(value: float) -> str:
    """Every decimal Kolada gave (up to four), so a small revision shows."""
    decimals = len(f"{value:.4f}".rstrip("0").split(".")[1])
    return format_number(value, decimals)
