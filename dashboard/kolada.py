"""Kolada's public API v3 (issue 12): a KPI's title and one kommun's yearly values.

Routes used (base ``https://api.kolada.se/v3``):

- ``/kpi/{kpi}``: the KPI's metadata, ``{"count": 1, "values": [{"id": ..., "title": ...}]}``;
  an unknown KPI gives a 404 or no values.
- ``/data/kpi/{kpi}/municipality/{kommun}/year/{y1,y2,...}``: the values,
  ``{"count": n, "values": [{"kpi", "municipality", "period", "values": [{"gender", "value",
  "status", "count"}]}], "next_url": ...}``; ``gender`` is "T" (total), "K" or "M"; ``value``
  is null where Kolada has no figure; ``period`` is the year.

Where the shape comes from: Kolada's published documentation, github.com/Hypergene/kolada
README.rst, linked from kolada.se/om-oss/api (the envelope ``values``/``count``/
``next_page`` with full URLs, the data object with its per-gender ``values`` and null
values, the ``/year/`` segment with comma-separated years, 404 and 400). For v3, the public
clients that call it: isakskogstad/Kolada-MCP ``src/config/types.ts`` ("Type definitions for
Kolada API v3": ``next_page``, a numeric ``period``), and other public v3 callers (seen in
code search, not all named) that page by ``next_url``, pick the "T" entry of
``/v3/data/kpi/{kpi}/municipality/{id}`` and read ``values[0]`` of ``/v3/kpi/{id}``.
No real response was available offline, so both ``next_page`` and ``next_url`` are followed,
as full or relative URLs, and anything else is refused. See tests/recordings/kolada.

The client is strict: a body that is not JSON or lacks a field is refused with a
``KoladaError`` naming what was unexpected, before anything is written. It waits
``min_interval`` between requests, has connect and read timeouts, retries 5xx answers and
broken connections with a doubling backoff and never retries a 4xx.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

BASE_URL = "https://api.kolada.se/v3"
SITE_URL = "https://www.kolada.se/"
TOTAL = "T"  # Kolada's gender code for the whole population
KPI_ID = re.compile(r"[A-Z][0-9]{5}")
KOMMUN_CODE = re.compile(r"[0-9]{4}")
MAX_PAGES = 50
MAX_BODY = 20 * 1024 * 1024
USER_AGENT = "medborgarloften-uppfoljning (indikatorer)"


class KoladaError(Exception):
    """Kolada could not be read, or answered something unexpected; the message is Swedish."""


class KoladaUnreachable(KoladaError):
    """No connection to Kolada (no network, refused, timed out)."""


class UnknownKpi(KoladaError):
    """Kolada has no KPI with that id."""


@dataclass(frozen=True)
class Kpi:
    id: str
    title: str


@dataclass(frozen=True)
class YearValue:
    year: int
    value: float


def unexpected(what: str) -> KoladaError:
    return KoladaError(f"Oväntat svar från Kolada: {what}.")


@dataclass
class KoladaClient:
    """Reads Kolada; every wait goes through ``sleep`` and ``clock`` so tests need no time."""

    base_url: str = BASE_URL
    min_interval: float = 0.2
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    tries: int = 4
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    _last: float | None = field(default=None, init=False, repr=False)

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc

    def kpi(self, kpi_id: str) -> Kpi:
        """The KPI's id and title.

        Raises:
            UnknownKpi: Kolada answers 404 or has no such KPI.
            KoladaError: Unreachable, or a response of another shape.
        """
        body = self._get_json(f"{self.base_url.rstrip('/')}/kpi/{kpi_id}", kpi_id=kpi_id)
        values = _field(body, "values", list)
        match = [v for v in values if isinstance(v, dict) and v.get("id") == kpi_id]
        if not match:
            raise UnknownKpi(f"Nyckeltalet {kpi_id} finns inte i Kolada.")
        title = _field(match[0], "title", str, where=f"nyckeltalet {kpi_id}")
        return Kpi(kpi_id, title.strip())

    def data_url(self, kpi_id: str, kommun: str) -> str:
        """The address of one kommun's values of a KPI, without the years."""
        return f"{self.base_url.rstrip('/')}/data/kpi/{kpi_id}/municipality/{kommun}"

    def values(self, kpi_id: str, kommun: str, years: range) -> list[YearValue]:
        """The kommun's total ("T") values of the KPI in ``years``, sorted; nulls left out.

        Raises:
            KoladaError: Unreachable, a 4xx, or a response of another shape (any page).
        """
        url = f"{self.data_url(kpi_id, kommun)}/year/{','.join(str(y) for y in years)}"
        found: dict[int, float] = {}
        for page in self._pages(url, kpi_id=kpi_id):
            for row in _field(page, "values", list):
                parsed = _parse_row(row, kpi_id, kommun)
                if parsed is None:
                    continue
                if parsed.year in found:
                    raise unexpected(f"året {parsed.year} finns två gånger")
                if parsed.year in years:
                    found[parsed.year] = parsed.value
        return [YearValue(year, found[year]) for year in sorted(found)]

    def _pages(self, url: str, *, kpi_id: str) -> Iterator[dict]:
        seen: set[str] = set()
        next_url: str | None = url
        while next_url:
            if next_url in seen or len(seen) >= MAX_PAGES:
                raise unexpected(f"sidorna tar inte slut ({len(seen)} sidor)")
            seen.add(next_url)
            page = self._get_json(next_url, kpi_id=kpi_id)
            next_url = self._next(page, next_url)
            yield page

    def _next(self, page: dict, current: str) -> str | None:
        """The next page's full URL from ``next_page`` or ``next_url`` (v2 and v3 names)."""
        for name in ("next_page", "next_url"):
            link = page.get(name)
            if link is None or link == "":
                continue
            if not isinstance(link, str):
                raise unexpected(f"fältet '{name}' är inte en adress")
            full = urljoin(current, link)
            if urlsplit(full).netloc != urlsplit(current).netloc:
                raise unexpected(f"nästa sida ligger på en annan server ({urlsplit(full).netloc})")
            return full
        return None

    def _get_json(self, url: str, *, kpi_id: str) -> dict:
        status, body = self._get(url)
        if status == 404:
            raise UnknownKpi(f"Nyckeltalet {kpi_id} finns inte i Kolada (svar 404).")
        if 400 <= status < 500:
            raise KoladaError(f"Kolada avvisade frågan (svar {status}) för {url}.")
        if status != 200:
            raise unexpected(f"statuskoden {status}")
        try:
            parsed = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise unexpected("svaret är inte JSON") from None
        if not isinstance(parsed, dict):
            raise unexpected("svaret är inte ett JSON-objekt")
        return parsed

    def _get(self, url: str) -> tuple[int, bytes]:
        """One GET, retried on 5xx and broken connections; 4xx and 2xx are returned."""
        failure = ""
        for attempt in range(self.tries):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            self._wait_turn()
            try:
                status, body = self._request(url)
            except (OSError, http.client.HTTPException) as exc:
                failure = _reason(exc, self.read_timeout)
                continue
            if status < 500:
                return status, body
            failure = f"svar {status}"
        if failure.startswith("svar "):
            raise KoladaError(
                f"Kolada svarar inte just nu ({failure} efter {self.tries} försök). "
                "Försök igen senare."
            )
        raise KoladaUnreachable(
            f"Kunde inte nå Kolada ({self.host}): {failure}. Kontrollera nätverket."
        )

    def _wait_turn(self) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.min_interval:
            self.sleep(self.min_interval - (now - self._last))
            now = self.clock()
        self._last = now

    def _request(self, url: str) -> tuple[int, bytes]:
        parts = urlsplit(url)
        https = parts.scheme == "https"
        kind = http.client.HTTPSConnection if https else http.client.HTTPConnection
        conn = kind(parts.hostname, parts.port, timeout=self.connect_timeout)
        try:
            conn.connect()
            conn.sock.settimeout(self.read_timeout)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            conn.request(
                "GET", target, headers={"Accept": "application/json", "User-Agent": USER_AGENT}
            )
            response = conn.getresponse()
            body = response.read(MAX_BODY + 1)
            if len(body) > MAX_BODY:
                raise unexpected("svaret är större än 20 MB")
            return response.status, body
        finally:
            conn.close()


def _field(obj, name: str, kind: type, *, where: str = "svaret"):
    if not isinstance(obj, dict):
        raise unexpected(f"{where} är inte ett objekt")
    if name not in obj:
        raise unexpected(f"fältet '{name}' saknas" + ("" if where == "svaret" else f" i {where}"))
    value = obj[name]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise unexpected(f"fältet '{name}' har fel typ ({type(value).__name__})")
    return value


def _parse_row(row, kpi_id: str, kommun: str) -> YearValue | None:
    """One year's object: its total value, or None when Kolada has no total for the year."""
    period = _field(row, "period", int | str, where="ett år")
    if isinstance(period, str) and not period.isdigit():
        raise unexpected(f"perioden '{period}' är inte ett år")
    year = int(period)
    for name, wanted in (("kpi", kpi_id), ("municipality", kommun)):
        if name in row and row[name] != wanted:
            raise unexpected(f"fältet '{name}' är {row[name]!r}, inte {wanted!r}")
    totals = []
    for entry in _field(row, "values", list, where=f"året {year}"):
        gender = _field(entry, "gender", str, where=f"året {year}")
        if gender != TOTAL:
            continue
        if "value" not in entry:
            raise unexpected(f"fältet 'value' saknas i året {year}")
        value = entry["value"]
        if value is None:
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise unexpected(f"värdet för {year} är inte ett tal ({value!r})")
        totals.append(float(value))
    if len(totals) > 1:
        raise unexpected(f"året {year} har flera totalvärden")
    return YearValue(year, totals[0]) if totals else None


def _reason(exc: BaseException, read_timeout: float) -> str:
    """A short Swedish reason for a failed connection."""
    if isinstance(exc, socket.gaierror):
        return "adressen gick inte att slå upp"
    if isinstance(exc, ConnectionRefusedError):
        return "anslutningen nekades"
    if isinstance(exc, ConnectionResetError | http.client.RemoteDisconnected):
        return "anslutningen bröts"
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"inget svar inom {read_timeout:g} sekunder"
    return str(exc) or type(exc).__name__
