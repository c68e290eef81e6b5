"""Copying the previous promise into a new one (issues 7 and 11). No Streamlit here.

The previous promise is the one of the same kommun and area that ended within the year before
the new one starts (last year's, for a promise of whole years). The copy takes its focus areas
that are not archived and, of their activities, the recurring ones (with a lineage key, which
they keep, so the Trender page follows them); one-off activities are counted, not copied. The
parties it added come along in promises.py, so copied activities keep their owner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import labels
from dashboard.access import Actor
from dashboard.admin.items import add_activity_row, audit_insert, fields_of
from db.models import FocusArea, Promise


@dataclass(frozen=True)
class CopySummary:
    """What ``create_promise`` copied from the previous promise."""

    focus_areas: int = 0
    activities: int = 0
    skipped_one_off: int = 0


def previous_promise(
    session: Session, partnership_id: int, area: str | None, valid_from: dt.date
) -> Promise | None:
    """The latest promise of the same area that ended within the year before ``valid_from``."""
    window = year_before(valid_from)
    same_area = Promise.area.is_(None) if area is None else Promise.area == area
    return session.scalars(
        select(Promise)
        .where(
            Promise.partnership_id == partnership_id,
            same_area,
            Promise.valid_to < valid_from,
            Promise.valid_to >= window,
        )
        .order_by(Promise.valid_to.desc())
    ).first()


def year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def nothing_to_copy(area: str | None, start: dt.date) -> str:
    """Why a promise for ``area`` from ``start`` has nothing to copy, in Swedish."""
    where = f" för {area}" if area else ""
    if (start.month, start.day) == (1, 1):
        return f"Det finns inget löfte{where} för {start.year - 1} att kopiera."
    return (
        f"Det finns inget löfte{where} som slutade under året före "
        f"{labels.format_date(start)} att kopiera."
    )


def copy_contents(
    session: Session, actor: Actor, previous: Promise, promise: Promise
) -> CopySummary:
    areas = activities = skipped = 0
    for old_area in previous.focus_areas:
        if old_area.archived:
            continue
        area = FocusArea(
            promise_id=promise.id,
            name=old_area.name,
            description=old_area.description,
            theme=old_area.theme,
            sort_order=old_area.sort_order,
        )
        session.add(area)
        session.flush()
        audit_insert(session, actor, area)
        areas += 1
        for old in old_area.activities:
            if old.archived:
                continue
            if not old.lineage_key:
                skipped += 1
                continue
            add_activity_row(
                session, actor, promise, area, replace(fields_of(old), focus_area_id=area.id)
            )
            activities += 1
    return CopySummary(areas, activities, skipped)
