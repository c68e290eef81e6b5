"""The demo's indicators (issue 12): definitions, invented values, and links to focus areas.

Two definitions are real and one is invented:

- Kolada's KPI N07403, reported violent crime per 100,000 inhabitants (a verified id; its
  values are public at kolada.se). The demo has no fetched values, so the values it writes are
  invented (origin ``demo``, source ``exempel``), shaped like the real series: hundreds to low
  thousands per 100,000. They are never attributed to Kolada: the pages say "Exempelvärden"
  for values that did not come from Kolada (dashboard/indicators).
- The police's local trygghetsmätning problem index (0–6 with one decimal; above 3 means
  action is needed), per område of Strängnäs and for the whole kommun. Invented values.
- An invented survey ("andel unga som känner sig trygga"), a percentage, higher is better.

Values are drawn deterministically from each kommun's own seed, like the rest of the demo.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, insert, select

from db.demo_rows import insert_with_ids
from db.models import (
    FocusArea,
    FocusAreaIndicator,
    Indicator,
    IndicatorValue,
    Organisation,
    Partnership,
    Promise,
)
from db.vocabulary import FIRST_YEAR, KOLADA_ATTRIBUTION

SEED = 20070486
VIOLENCE = "N07403"
PROBLEM_INDEX = "trygghetsmatning-problemindex"
YOUTH_SURVEY = "enkat-unga-trygga"
STRANGNAS = "0486"
# Strängnäs's områden in the trygghetsmätning demo (real place names; invented values).
AREAS = ("Strängnäs tätort", "Mariefred", "Stallarholmen")

DEFINITIONS: tuple[dict[str, Any], ...] = (
    {
        "code": VIOLENCE,
        "name": "Anmälda våldsbrott per 100 000 invånare",
        "unit": "per 100 000 invånare",
        "better": "lagre",
        "source_name": "Kolada",
        "attribution": KOLADA_ATTRIBUTION,
        "kolada_kpi": VIOLENCE,
        "description": "Anmälda våldsbrott under året, antal per 100 000 invånare.",
        "source": "verklig",
        "source_url": "https://www.kolada.se/",
    },
    {
        "code": PROBLEM_INDEX,
        "name": "Problemindex, Polisens lokala trygghetsmätning",
        "unit": "index 0–6",
        "better": "lagre",
        "source_name": "Polisens lokala trygghetsmätning",
        "attribution": "Källa: Polisens lokala trygghetsmätning",
        "kolada_kpi": None,
        "description": (
            "Hur stora problem invånarna upplever i sitt närområde, från 0 till 6. "
            "Över 3 betyder att åtgärder behövs."
        ),
        "source": "verklig",
        "source_url": "https://polisen.se/",
    },
    {
        "code": YOUTH_SURVEY,
        "name": "Andel unga som känner sig trygga ute på kvällen",
        "unit": "procent",
        "better": "hogre",
        "source_name": "Kommunens egen enkät (exempel)",
        "attribution": "Källa: kommunens egen enkät (exempel)",
        "kolada_kpi": None,
        "description": "Påhittad enkät i exempeldatan: andel av de svarande i årskurs 9.",
        "source": "exempel",
        "source_url": None,
    },
)
FIRST_VALUE_YEAR = {VIOLENCE: FIRST_YEAR, PROBLEM_INDEX: 2016, YOUTH_SURVEY: 2012}
# A demo link compares with the figure of three years before the promise began.
BASELINE_YEARS_BEFORE = 3
# Which indicators a focus area of a theme follows in the demo.
THEME_INDICATORS = {
    "trygghet_offentlig_miljo": (PROBLEM_INDEX, VIOLENCE),
    "vald_i_nara_relationer": (VIOLENCE,),
    "ungdomar": (YOUTH_SURVEY,),
}


def add(conn: Connection, today: dt.date, first_focus_area_id: int) -> int:
    """Definitions (those not there yet), invented values for every demo kommun, and links for
    the focus areas with ids from ``first_focus_area_id`` (this load's). Returns the values
    written.
    """
    ids = _definitions(conn)
    kommuner = conn.execute(
        select(Organisation.id, Organisation.code)
        .join(Partnership, Partnership.kommun_id == Organisation.id)
        .order_by(Organisation.code)
    ).all()
    fetched = dt.datetime.combine(today, dt.time(6), tzinfo=dt.UTC)
    last_year = today.year - 1  # a year's figures are published the year after
    rows = []
    for organisation_id, code in kommuner:
        rng = random.Random(f"{SEED}-indikatorer-{code}")
        for indicator, area, year, value in _series(rng, code, last_year):
            rows.append(
                {
                    "indicator_id": ids[indicator],
                    "organisation_id": organisation_id,
                    "area": area,
                    "year": year,
                    "period_no": 0,
                    "value": value,
                    "origin": "demo",
                    "fetched_at": fetched,
                    "source": "exempel",
                    "source_url": None,
                }
            )
    existing = set(
        conn.execute(
            select(
                IndicatorValue.indicator_id,
                IndicatorValue.organisation_id,
                IndicatorValue.area,
                IndicatorValue.year,
            )
        ).all()
    )
    rows = [
        r
        for r in rows
        if (r["indicator_id"], r["organisation_id"], r["area"], r["year"]) not in existing
    ]
    insert_with_ids(conn, IndicatorValue, rows)
    _links(conn, ids, first_focus_area_id)
    return len(rows)


def _definitions(conn: Connection) -> dict[str, int]:
    have = dict(conn.execute(select(Indicator.code, Indicator.id)).all())
    missing = [d for d in DEFINITIONS if d["code"] not in have]
    for definition, id_ in zip(missing, insert_with_ids(conn, Indicator, missing), strict=True):
        have[definition["code"]] = id_
    return have


def _series(rng: random.Random, code: str, last_year: int) -> Iterable[tuple[str, str, int, float]]:
    """(indicator, area, year, value): a slow drift with noise, like the real series."""
    level = rng.uniform(550, 1400)
    drift = rng.uniform(-12, 8)
    for year in range(FIRST_YEAR, last_year + 1):
        value = level + drift * (year - FIRST_YEAR) + rng.gauss(0, 45)
        yield VIOLENCE, "", year, round(max(value, 150.0), 1)
    if code != STRANGNAS:
        return
    for area in ("", *AREAS):
        index = rng.uniform(2.2, 3.4)
        for year in range(FIRST_VALUE_YEAR[PROBLEM_INDEX], last_year + 1):
            index = min(max(index + rng.uniform(-0.3, 0.2), 0.5), 5.5)
            yield PROBLEM_INDEX, area, year, round(index, 1)
    share = rng.uniform(58, 66)
    for year in range(FIRST_VALUE_YEAR[YOUTH_SURVEY], last_year + 1):
        share = min(max(share + rng.uniform(-2.0, 3.0), 30.0), 95.0)
        yield YOUTH_SURVEY, "", year, round(share, 1)


def _links(conn: Connection, ids: dict[str, int], first_focus_area_id: int) -> None:
    areas = conn.execute(
        select(FocusArea.id, FocusArea.theme, Promise.year_from, Partnership.kommun_code)
        .join(Promise, Promise.id == FocusArea.promise_id)
        .join(Partnership, Partnership.id == Promise.partnership_id)
        .where(FocusArea.id >= first_focus_area_id)
        .order_by(FocusArea.id)
    ).all()
    better = {d["code"]: d["better"] for d in DEFINITIONS}
    rows = [
        {
            "focus_area_id": area_id,
            "indicator_id": ids[code],
            "area": "",
            "baseline_year": max(year_from - BASELINE_YEARS_BEFORE, FIRST_VALUE_YEAR[code]),
            "direction": better[code],
            "target_value": None,
            "sort_order": order,
        }
        for area_id, theme, year_from, kommun in areas
        for order, code in enumerate(THEME_INDICATORS.get(theme, ()))
        # the other kommuner have only Kolada's figure; no link before a series begins
        if (kommun == STRANGNAS or code == VIOLENCE) and year_from > FIRST_VALUE_YEAR[code]
    ]
    if rows:
        conn.execute(insert(FocusAreaIndicator.__table__), rows)
