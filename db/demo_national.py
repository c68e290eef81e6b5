"""The national demo (``demo --national``): every one of Sweden's 290 kommuner as a partnership.

Real (``verklig``): the kommuner with their SCB codes and län and the seven police regions
(db/reference, made by the migration); Strängnäs exactly as in the single demo, in its real
police area Lokalpolisområde Eskilstuna/Strängnäs, which also covers Eskilstuna (0484).
Invented (``exempel``): every other police area and which kommuner it groups (no published
list of the lokalpolisområden and their kommuner was found; each groups one to five
neighbouring kommuner by code in one län, so it lies in that län's police region; Stockholm,
Göteborg and Malmö have one each of their own), every other promise (Eskilstuna's
included), and the parties beside kommun and police.

The shapes vary on purpose, as real promises do: two or three parallel promises for named
areas (Stockholm, Göteborg, Malmö and a few others), promises for two years or from 1 July,
a winter promise from 18 November to 31 March followed up by half-year, one with its own named
periods, quarterly and half-yearly rhythms, three or four parties, years without a promise,
and kommuner that have not yet evaluated the period that ended last. Each kommun draws from
its own seeded ``random.Random``, so loading a few kommuner gives them the same rows as loading
all 290.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, insert, select

from db import demo_facts as facts
from db.demo_evaluations import add_evaluations, promise_periods_of
from db.demo_invented import invented_promise, invented_signatories
from db.demo_rows import insert_with_ids
from db.models import Organisation, PoliceAreaKommun
from db.organisations import REFERENCE, region_code_by_lan
from db.periods import last_ended
from db.rules import validity_text
from db.vocabulary import FIRST_YEAR

SEED = "medborgarlöften-nationellt"
ESKILSTUNA = "0484"
# Parallel promises for named parts of the big cities, from the year given on.
CITY_AREAS: dict[str, tuple[int, tuple[str, ...]]] = {
    "0180": (2019, ("Järva", "Södermalm", "Skärholmen")),  # Stockholm
    "1480": (2020, ("Angered", "Resecentrum")),  # Göteborg
    "1280": (2018, ("Rosengård", "Södra innerstaden", "Resecentrum")),  # Malmö
}
# Shapes the national demo always has, whatever the draws: a winter promise (18 November to
# 31 March, by half-year) in Uppsala and one with its own named periods on Gotland.
WINTER_KOMMUNER = frozenset({"0380"})
SUMMER_KOMMUNER = frozenset({"0980"})
# This share of kommuner, and Kiruna always, has not yet evaluated the period that ended last
# (within LATE_DAYS), so the regional view's list of missing evaluations has rows.
LATE_SHARE, LATE_DAYS, LATE_KOMMUNER = 0.12, 120, frozenset({"2584"})
OTHER_PARTIES = ("Fastighetsägarna i {}", "Centrumföreningen i {}", "Bostadsbolaget i {}")


@dataclass(frozen=True)
class Kommun:
    code: str
    name: str  # SCB's short name: "Strängnäs"
    lan_code: str

    @property
    def partnership_name(self) -> str:
        return f"{self.name} kommun"


@dataclass(frozen=True)
class PoliceArea:
    name: str
    region: str  # polisregion code
    kommuner: tuple[str, ...]
    source: str


def reference_kommuner() -> list[Kommun]:
    """The 290 kommuner of db/reference/kommuner.csv, by code."""
    with (REFERENCE / "kommuner.csv").open(encoding="utf-8", newline="") as file:
        return [Kommun(r["kod"], r["namn"], r["lanskod"]) for r in csv.DictReader(file)]


def police_areas(kommuner: list[Kommun]) -> list[PoliceArea]:
    """Police areas of one to five kommuner of one län each; Eskilstuna/Strängnäs the real one."""
    rng = random.Random(f"{SEED}-lokalpolisområden")
    shared = (ESKILSTUNA, facts.KOMMUN_CODE)
    areas = [PoliceArea(facts.POLICE_AREA, region_code_by_lan()["04"], shared, "verklig")]
    by_lan: dict[str, list[Kommun]] = {}
    for kommun in kommuner:
        if kommun.code not in shared:
            by_lan.setdefault(kommun.lan_code, []).append(kommun)
    for lan, members in sorted(by_lan.items()):
        for city in [k for k in members if k.code in CITY_AREAS]:  # a big city alone
            areas.append(PoliceArea(f"Lokalpolisområde {city.name}", region_code_by_lan()[lan],
                                    (city.code,), "exempel"))  # fmt: skip
        members = [k for k in members if k.code not in CITY_AREAS]
        while members:
            size = min(rng.choice((1, 2, 2, 3, 3, 4)), len(members))
            if len(members) - size == 1:
                size += 1  # no kommun left over alone at the end of a län
            group, members = members[:size], members[size:]
            name = "Lokalpolisområde " + "/".join(k.name for k in group)
            codes = tuple(k.code for k in group)
            areas.append(PoliceArea(name, region_code_by_lan()[lan], codes, "exempel"))
    return areas


def national_plans(
    today: dt.date, strangnas: dict[str, Any], only: Collection[str] | None = None
) -> tuple[list[PoliceArea], list[dict[str, Any]]]:
    """The police areas and one plan per kommun (``only``: these codes and Strängnäs).

    ``strangnas`` is the single demo's plan of Strängnäs, used as it is.
    """
    kommuner = reference_kommuner()
    areas = police_areas(kommuner)
    area_of = {code: area for area in areas for code in area.kommuner}
    wanted = None if only is None else {*only, facts.KOMMUN_CODE}
    if wanted is not None:
        unknown = wanted - {k.code for k in kommuner}
        if unknown:
            raise ValueError(f"Okända kommunkoder: {', '.join(sorted(unknown))}.")
        kommuner = [k for k in kommuner if k.code in wanted]
    strangnas["police_area"] = area_of[facts.KOMMUN_CODE]
    plans = [strangnas]  # first, so its rows get the same ids as in the single demo
    for kommun in kommuner:
        if kommun.code != facts.KOMMUN_CODE:
            plans.append(kommun_plan(kommun, area_of[kommun.code], today) | {
                "police_area": area_of[kommun.code]
            })  # fmt: skip
    used = {plan["police_area"].name for plan in plans}
    return [a for a in areas if a.name in used], plans


def kommun_plan(kommun: Kommun, area: PoliceArea, today: dt.date) -> dict[str, Any]:
    """One kommun's invented promises (its plan, as ``demo.partnership_plan`` makes them)."""
    rng = random.Random(f"{SEED}-{kommun.code}")
    real_pair = kommun.code == ESKILSTUNA  # a real kommun in its real police area
    row = {
        "kommun_name": kommun.partnership_name,
        "kommun_code": kommun.code,
        "police_area": area.name,
        "source": "verklig" if real_pair else "exempel",
    }
    signatories = invented_signatories(rng, range(FIRST_YEAR, today.year + 2))
    maker = _PromiseMaker(rng, kommun, area, signatories)
    start = dt.date(FIRST_YEAR if rng.random() < 0.3 else rng.randint(2008, 2018), 1, 1)
    gaps = 0.15 if rng.random() < 0.3 else 0.0
    promises = []
    city = CITY_AREAS.get(kommun.code)
    until = None if city is None else dt.date(city[0] - 1, 12, 31)
    for shape in _shapes(rng, start, today, gaps=gaps, until=until):
        promises.append(maker.promise(*shape))
    if city is not None:
        for name in city[1]:
            for shape in _shapes(rng, dt.date(city[0], 1, 1), today, gaps=0.0):
                extra = 2 if name == "Resecentrum" else rng.choice((0, 0, 1))
                promises.append(maker.promise(*shape, area=name, extra_parties=extra))
    elif rng.random() < 0.06:
        name = rng.choice(("Centrum", "Resecentrum", "Stationsområdet"))
        for shape in _shapes(rng, dt.date(2021, 1, 1), today, gaps=0.0):
            promises.append(maker.promise(*shape, area=name, extra_parties=1))
    if kommun.code in WINTER_KOMMUNER or rng.random() < 0.05:
        year = rng.randint(2018, today.year - 1)
        start, end = dt.date(year, 11, 18), dt.date(year + 1, 3, 31)
        promises.append(maker.promise(start, end, "halvar", area="Stadskärnan", extra_parties=1))
    if kommun.code in SUMMER_KOMMUNER or rng.random() < 0.03:
        year = rng.randint(2019, today.year - 1)
        own = (
            ("Försommar", dt.date(year, 6, 1), dt.date(year, 7, 15)),
            ("Högsommar", dt.date(year, 7, 16), dt.date(year, 8, 31)),
        )
        summer = maker.promise(own[0][1], own[-1][2], "egna", area="Hamnen och badplatserna")
        summer["own_periods"] = own
        promises.append(summer)
    for promise in promises:
        add_evaluations(rng, promise, today)
    if rng.random() < LATE_SHARE or kommun.code in LATE_KOMMUNER:
        for promise in promises:
            _not_yet_evaluated(promise, today)
    return {"partnership": row, "promises": promises}


def _not_yet_evaluated(promise: dict[str, Any], today: dt.date) -> None:
    """Drop the evaluations of ``promise``'s last ended period and after, if it ended lately."""
    periods = promise_periods_of(promise)
    ended = last_ended(periods, today)
    if ended is None or (today - ended.ends_on).days > LATE_DAYS:
        return
    dropped = {(p.year, p.number) for p in periods if p.starts_on >= ended.starts_on}
    for focus_area in promise["focus_areas"]:
        for activity in focus_area["activities"]:
            activity["evaluations"] = [
                e for e in activity["evaluations"] if (e["year"], e["period_no"]) not in dropped
            ]


def _shapes(
    rng: random.Random,
    start: dt.date,
    today: dt.date,
    *,
    gaps: float,
    until: dt.date | None = None,
) -> Iterator[tuple[dt.date, dt.date, str]]:
    """Validity and rhythm of back-to-back promises from ``start``, none starting after
    ``today`` or ending after ``until``: mostly one year, sometimes two, now and then from
    1 July; with ``gaps``, that share of years has no promise."""
    last = until or dt.date.max
    cursor, first = start, True
    while cursor <= min(today, last):
        draw = rng.random()
        if cursor.month == 1 and not first and draw < gaps:
            cursor = dt.date(cursor.year + 1, 1, 1)
            continue
        first = False
        if cursor.month == 1:
            months = 24 if draw < 0.25 else 18 if draw < 0.32 and cursor.year >= 2016 else 12
        else:
            months = 24 if draw < 0.5 else 18
        ends = _months_later(cursor, months) - dt.timedelta(days=1)
        ends = min(ends, last)
        yield cursor, ends, _rhythm(rng, cursor.year)
        cursor = ends + dt.timedelta(days=1)


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def _rhythm(rng: random.Random, year: int) -> str:
    draw = rng.random()
    if year < 2016:
        return "tertial"
    return "kvartal" if draw < 0.1 else "halvar" if draw < 0.18 else "tertial"


class _PromiseMaker:
    """Invented promises of one kommun, with their validity, area and parties."""

    def __init__(self, rng: random.Random, kommun: Kommun, area: PoliceArea, signatories):
        self.rng, self.kommun, self.signatories = rng, kommun, signatories
        self.police = area.name[0].lower() + area.name[1:]

    def promise(
        self,
        valid_from: dt.date,
        valid_to: dt.date,
        rhythm: str,
        *,
        area: str | None = None,
        extra_parties: int | None = None,
    ) -> dict[str, Any]:
        rng = self.rng
        if extra_parties is None:
            several = valid_from.year >= 2016 and rng.random() < 0.1
            extra_parties = rng.choice((1, 2)) if several else 0
        others = [p.format(self.kommun.name) for p in rng.sample(OTHER_PARTIES, extra_parties)]
        names = [self.kommun.partnership_name, self.police, *others]
        parties = f"{', '.join(names[:-1])} och {names[-1]}"
        promise = invented_promise(rng, valid_from.year, parties, self.signatories[valid_from.year])
        validity = validity_text(SimpleNamespace(valid_from=valid_from, valid_to=valid_to))
        label = promise["title"].split(" ", 1)[0]
        where = f" för {area}" if area else ""
        promise.update(
            valid_from=valid_from,
            valid_to=valid_to,
            rhythm=rhythm,
            area=area,
            title=f"{label} {validity}{where} – {parties}",
            other_parties=others,
        )
        if (valid_from.month, valid_from.day) != (1, 1):
            promise["signed_on"] = valid_from - dt.timedelta(days=rng.randint(5, 45))
        if others:  # one activity carried out by another party of the promise
            activities = [a for f in promise["focus_areas"] for a in f["activities"]]
            chosen = rng.choice(activities)
            chosen["owner"], chosen["owner_party"] = "annan", rng.choice(others)
        return promise


def link_organisations(
    conn: Connection, areas: list[PoliceArea], plans: list[dict[str, Any]]
) -> None:
    """Give the plans their organisations' ids, adding the police areas and other parties.

    An organisation already in the database (by kind and name, as after an earlier load) is
    used again, so ``--replace`` never meets a name twice. Sets each partnership's
    ``kommun_id``/``police_area_id``, each promise's ``party_ids`` and each activity of
    another party its ``owner_organisation_id``.
    """
    org = Organisation.__table__

    def ids(kind: str, key) -> dict[str, int]:
        return dict(conn.execute(select(key, org.c.id).where(org.c.kind == kind)).all())

    kommun_ids, region_ids = ids("kommun", org.c.code), ids("polisregion", org.c.code)
    area_ids = _missing_added(conn, ids("lokalpolisomrade", org.c.name), [
        {"kind": "lokalpolisomrade", "name": a.name, "parent_id": region_ids[a.region],
         "source": a.source}
        for a in areas
    ])  # fmt: skip
    covered = set(conn.execute(select(PoliceAreaKommun.police_area_id, PoliceAreaKommun.kommun_id)))
    coverage = [
        {"police_area_id": area_ids[a.name], "kommun_id": kommun_ids[code]}
        for a in areas
        for code in a.kommuner
        if (area_ids[a.name], kommun_ids[code]) not in covered
    ]
    if coverage:
        conn.execute(insert(PoliceAreaKommun.__table__), coverage)
    others = sorted({name for plan in plans for p in plan["promises"] for name in
                     p.get("other_parties", ())})  # fmt: skip
    other_ids = _missing_added(conn, ids("annan", org.c.name), [
        {"kind": "annan", "name": name, "source": "exempel"} for name in others
    ])  # fmt: skip
    for plan in plans:
        row = plan["partnership"]
        row["kommun_id"] = kommun_ids[row["kommun_code"]]
        row["police_area_id"] = area_ids[plan["police_area"].name]
        for promise in plan["promises"]:
            promise["party_ids"] = [
                (row["kommun_id"], "kommun"),
                (row["police_area_id"], "polis"),
                *((other_ids[name], "annan") for name in promise.get("other_parties", ())),
            ]
            for focus_area in promise["focus_areas"]:
                for activity in focus_area["activities"]:
                    if "owner_party" in activity:
                        activity["owner_organisation_id"] = other_ids[activity["owner_party"]]


def _missing_added(conn: Connection, known: dict[str, int], rows: list[dict]) -> dict[str, int]:
    """``known`` (name → id) plus the ``rows`` whose names it lacks, inserted now."""
    missing = [row for row in rows if row["name"] not in known]
    added = insert_with_ids(conn, Organisation, missing)
    return known | {row["name"]: id_ for row, id_ in zip(missing, added, strict=True)}
