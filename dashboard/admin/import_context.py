"""Where an import's rows belong (issue 11): the kommun's promises, loaded once per import.

No Streamlit here. ``ImportContext`` holds the partnership's promises with their periods,
activities, evaluations and added parties; importer.py asks it which promise a row's area and
year (and periods) name, which focus area, stored activity and party. ``placement_problem``
says, in Swedish, why a row has no place.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.admin import import_values
from db.models import Activity, Evaluation, FocusArea, Organisation, Promise, PromiseParty

NO_PROMISE = "Det finns inget löfte{where} för {year}. Skapa det först under fliken Löften."
NO_AREA = "Kommunen har inget löfte för området ”{place}”. Kommunens områden: {names}."


def placement_problem(context, first, promise, area) -> tuple[str, str] | None:
    """(column, reason) when ``first`` (a group's first row) has no promise or focus area."""
    year, area_name, place = first.year, first.area, first.place
    if promise is None and place and not context.has_area(place):
        return "Område", NO_AREA.format(place=place, names=", ".join(context.areas) or "inga")
    if promise is None:
        return "År", NO_PROMISE.format(year=year, where=f" för {place}" if place else "")
    if area is None or area.archived:
        names = ", ".join(a.name for a in promise.focus_areas if not a.archived)
        reason = "är arkiverat" if area else f"finns inte i löftet för {year}"
        return "Fokusområde", f"Fokusområdet ”{area_name}” {reason}. Välj ett av: {names}."
    return None


class ImportContext:
    """The partnership's promises with their activities and evaluations, loaded once."""

    def __init__(self, session: Session, partnership_id: int) -> None:
        self._promises = list(
            session.scalars(select(Promise).where(Promise.partnership_id == partnership_id))
        )
        ids = [p.id for p in self._promises]
        activities = list(session.scalars(select(Activity).where(Activity.promise_id.in_(ids))))
        self._by_lineage = {(a.promise_id, a.lineage_key): a for a in activities}
        self._by_title = {(a.focus_area_id, a.title.strip().casefold()): a for a in activities}
        self._parties: dict[int, dict[str, int]] = defaultdict(dict)
        query = (
            select(PromiseParty.promise_id, Organisation.name, Organisation.id)
            .join(Organisation, Organisation.id == PromiseParty.organisation_id)
            .where(PromiseParty.promise_id.in_(ids), PromiseParty.role == "annan")
            .order_by(PromiseParty.sort_order)
        )
        for promise_id, name, organisation_id in session.execute(query):
            self._parties[promise_id][name] = organisation_id
        self._evaluations: dict[int, dict] = defaultdict(dict)
        query = select(Evaluation).join(Activity).where(Activity.promise_id.in_(ids))
        for row in session.scalars(query):
            self._evaluations[row.activity_id][(row.year, row.period_no)] = row

    def promise(self, year: int, place: str | None, periods: list[str]) -> Promise | None:
        """The promise for ``place`` (None: the whole kommun) covering ``year``.

        Where two do (one ended and the next began that year), the one that has every period
        in ``periods``, else the latest.
        """
        wanted = place.casefold() if place else None
        covering = [
            p
            for p in self._promises
            if (p.area.casefold() if p.area else None) == wanted
            and p.year_from <= year <= p.year_to
        ]
        holding = [
            p
            for p in covering
            if all(import_values.find_period(p.periods, year, text) for text in periods)
        ]
        candidates = holding or covering
        return max(candidates, key=lambda p: p.valid_from) if candidates else None

    @property
    def areas(self) -> list[str]:
        """The named areas of the kommun's promises, by name."""
        return sorted({p.area for p in self._promises if p.area}, key=str.casefold)

    def has_area(self, place: str) -> bool:
        return place.casefold() in {a.casefold() for a in self.areas}

    def parties(self, promise: Promise) -> dict[str, int]:
        """The promise's added parties (possible owners): name → organisation id."""
        return self._parties.get(promise.id, {})

    def party(self, promise: Promise, name: str) -> int | None:
        wanted = " ".join(name.split()).casefold()
        return next((i for n, i in self.parties(promise).items() if n.casefold() == wanted), None)

    def area(self, promise: Promise, name: str) -> FocusArea | None:
        wanted = name.casefold()
        return next((a for a in promise.focus_areas if a.name.casefold() == wanted), None)

    def activity(self, promise: Promise, area: FocusArea, row) -> Activity | None:
        """By lineage key in the promise; else by title in the focus area (see the module)."""
        lineage = row.values.get("lineage_key")
        found = self._by_lineage.get((promise.id, lineage)) if lineage else None
        if found is None:
            found = self._by_title.get((area.id, row.values["title"].casefold()))
            if found is not None and lineage and found.lineage_key not in (None, lineage):
                found = None  # same title, but the file says it is another recurring activity
        return found

    def evaluations(self, activity: Activity | None) -> dict:
        return self._evaluations.get(activity.id, {}) if activity is not None else {}
