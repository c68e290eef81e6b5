"""Writing indicator values (issue 12): the one place that stores them, for Kolada and files.

``save_values`` writes a whole batch in the caller's transaction: new keys are added, changed
values updated, equal ones left alone, and one audit row says what happened (so the pages'
caches see the change). Nothing is written if any row is bad; the checks that the database
would make (year range, duplicates in the batch) are made first with Swedish messages.
Who may write is the caller's concern: the app checks the actor's scope with
``require_values_scope``; the command line is the server's operator.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.access import Actor, require_organisation_scope
from db import audit
from db.models import Indicator, IndicatorValue, Organisation
from db.vocabulary import INDICATOR_YEARS, MAX_PERIODS_PER_YEAR, VALUE_ORIGINS, WHOLE_YEAR

Key = tuple[int, str, int, int]  # organisation id, area, year, period number


class ValuesRefused(ValueError):
    """A batch that cannot be stored; the message is Swedish and names the first problem."""


@dataclass(frozen=True)
class ValueRow:
    """One value to store; ``area`` "" is the whole organisation, ``period_no`` 0 the year."""

    organisation_id: int
    year: int
    value: float
    area: str = ""
    period_no: int = WHOLE_YEAR
    source_url: str | None = None

    @property
    def key(self) -> Key:
        return (self.organisation_id, self.area, self.year, self.period_no)


@dataclass
class Changes:
    """What a save did: keys added, (key, old, new) changed, and how many were already equal."""

    added: list[tuple[Key, float]] = field(default_factory=list)
    changed: list[tuple[Key, float, float]] = field(default_factory=list)
    unchanged: int = 0

    def text(self) -> str:
        """``"3 nya värden, 1 ändrat, 15 oförändrade"``."""
        return (
            f"{len(self.added)} {'nytt värde' if len(self.added) == 1 else 'nya värden'}, "
            f"{len(self.changed)} {'ändrat' if len(self.changed) == 1 else 'ändrade'}, "
            f"{self.unchanged} {'oförändrat' if self.unchanged == 1 else 'oförändrade'}"
        )


def check_rows(rows: Sequence[ValueRow]) -> None:
    """Refuse a batch with a year outside 2000–2100, a period out of range, a value that is not
    a finite number, or the same key twice.

    Raises:
        ValuesRefused: With the first problem, in Swedish.
    """
    seen: set[Key] = set()
    low, high = INDICATOR_YEARS
    for row in rows:
        if not low <= row.year <= high:
            raise ValuesRefused(f"Året {row.year} ligger utanför {low}–{high}.")
        if not 0 <= row.period_no <= MAX_PERIODS_PER_YEAR:
            raise ValuesRefused(f"Period {row.period_no} finns inte (0–{MAX_PERIODS_PER_YEAR}).")
        if not isinstance(row.value, int | float) or not math.isfinite(row.value):
            raise ValuesRefused(f"Värdet för {row.year} är inte ett tal.")
        if row.key in seen:
            raise ValuesRefused(f"Samma år ({row.year}) och område finns två gånger.")
        seen.add(row.key)


def save_values(
    session: Session,
    indicator: Indicator,
    rows: Sequence[ValueRow],
    *,
    origin: str,
    source: str,
    username: str,
    now: dt.datetime | None = None,
) -> Changes:
    """Store ``rows`` for ``indicator`` in the session's transaction and return what changed.

    Args:
        origin: "kolada", "import" or "demo" (VALUE_ORIGINS).
        source: "verklig" for real figures, "exempel" for invented ones.
        username: Who or what wrote them, for the audit log ("kommandorad" from the CLI).

    Raises:
        ValuesRefused: See ``check_rows``; nothing is written.
    """
    if origin not in VALUE_ORIGINS:
        raise ValueError(f"Okänt ursprung: {origin}")
    check_rows(rows)
    now = now or dt.datetime.now(dt.UTC)
    existing = {
        (v.organisation_id, v.area, v.year, v.period_no): v
        for v in session.scalars(
            select(IndicatorValue).where(
                IndicatorValue.indicator_id == indicator.id,
                IndicatorValue.organisation_id.in_({row.organisation_id for row in rows}),
            )
        )
    }
    changes = Changes()
    for row in rows:
        stored = existing.get(row.key)
        if stored is None:
            session.add(
                IndicatorValue(
                    indicator_id=indicator.id,
                    organisation_id=row.organisation_id,
                    area=row.area,
                    year=row.year,
                    period_no=row.period_no,
                    value=float(row.value),
                    origin=origin,
                    fetched_at=now,
                    source=source,
                    source_url=row.source_url,
                )
            )
            changes.added.append((row.key, float(row.value)))
        elif stored.value != row.value or stored.origin != origin or stored.source != source:
            changes.changed.append((row.key, stored.value, float(row.value)))
            stored.value, stored.origin, stored.source = float(row.value), origin, source
            stored.fetched_at, stored.source_url = now, row.source_url
        else:
            stored.fetched_at = now
            changes.unchanged += 1
    session.flush()
    audit.record(
        session,
        username=username,
        table_name="indicator_value",
        row_id=indicator.id,
        action="load",
        after={
            "indicator": indicator.code,
            "origin": origin,
            "added": len(changes.added),
            "changed": len(changes.changed),
            "unchanged": changes.unchanged,
        },
    )
    return changes


def require_values_scope(
    session: Session, actor: Actor | None, organisation_ids: Iterable[int]
) -> Actor:
    """The actor as stored, if they are admin in a scope covering every organisation named.

    Raises:
        dashboard.access.NotPermitted: For the first organisation outside the actor's scope.
    """
    stored = None
    for organisation_id in sorted(set(organisation_ids)):
        if session.get(Organisation, organisation_id) is None:
            raise ValuesRefused("Organisationen finns inte.")
        stored = require_organisation_scope(session, actor, "admin", organisation_id)
    return stored or require_organisation_scope(session, actor, "admin", None)
