"""Administration of indicator definitions and of focus areas' links to them (issue 12, item 4).

No Streamlit here. Like items.py, every function takes the acting user, checks role and scope
in the database as it writes, adds its audit row to the caller's session (one transaction)
and refuses bad input with AdminError (Swedish, with the field it concerns).

Who may do what:

- A **definition** (code, name, unit, which way is better, source and attribution) is shared
  by the whole country: one "N07403" for every kommun. An admin of any scope may create one.
  Changing one changes it for everyone who uses it, so an admin may change a definition only
  while every organisation with values of it and every partnership whose focus areas follow
  it lies inside their own admin scope; a definition used elsewhere too is for a national
  admin (whose scope covers everything) to change.
- A **link** of a focus area to an indicator (baseline year, intended direction, optional
  target value and named area) belongs to the promise: adding, changing or removing one needs
  admin in a scope covering the promise's partnership (access.require_scope).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.access import (
    Actor,
    NotPermitted,
    covers,
    organisation_ancestors,
    require_role,
    require_scope,
    scope_name,
    stored_actor,
)
from dashboard.admin.items import AdminError, audit_delete, audit_insert, change_row, require_text
from db.models import (
    FocusArea,
    FocusAreaIndicator,
    Indicator,
    IndicatorValue,
    Partnership,
    Promise,
)
from db.vocabulary import DIRECTIONS, INDICATOR_YEARS, SOURCES

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
KPI_PATTERN = re.compile(r"^[A-Z]\d{5}$")  # Kolada's KPI ids: N07403, U00405
MAX_AREA = 120


@dataclass(frozen=True)
class IndicatorFields:
    """A definition as the form gives it (``kolada_kpi`` only for values fetched from Kolada)."""

    code: str
    name: str
    unit: str
    better: str
    source_name: str
    attribution: str = ""
    description: str = ""
    source_url: str | None = None
    kolada_kpi: str | None = None


@dataclass(frozen=True)
class LinkFields:
    """A focus area's link to an indicator; ``area`` "" reads the whole kommun's values."""

    indicator_id: int
    baseline_year: int
    direction: str
    target_value: float | None = None
    area: str = ""


# ---------------------------------------------------------------- definitions


def create_indicator(
    session: Session, actor: Actor | None, fields: IndicatorFields, *, source: str = "verklig"
) -> Indicator:
    """A new definition; needs admin in some scope (checked in the database).

    Raises:
        NotPermitted: Not an admin anywhere (as stored now).
        AdminError: Bad or taken code or KPI id, an empty name, unit or source.
    """
    stored = _admin_anywhere(session, actor)
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    _validate_indicator(session, fields, None)
    row = Indicator(source=source)
    _apply_indicator(row, fields)
    return _insert(session, stored, row)


def update_indicator(
    session: Session, actor: Actor | None, indicator_id: int, fields: IndicatorFields
) -> Indicator:
    """Change a definition; see the module's docstring for who may.

    Raises:
        NotPermitted: Not an admin, or the definition is used outside the admin's scope.
        AdminError: As create_indicator, or the definition is gone.
    """
    stored = _admin_anywhere(session, actor)
    row = session.get(Indicator, indicator_id)
    if row is None:
        raise AdminError(f"Indikatorn finns inte längre (id {indicator_id}).")
    _require_all_uses_in_scope(session, stored, row)
    _validate_indicator(session, fields, row.id)
    return change_row(session, stored, row, lambda r: _apply_indicator(r, fields))


def _insert(session: Session, actor: Actor, row):
    """Add ``row``, flush it (so it has its id) and audit it."""
    session.add(row)
    session.flush()
    audit_insert(session, actor, row)
    return row


def _admin_anywhere(session: Session, actor: Actor | None) -> Actor:
    require_role(actor, "admin")
    stored = stored_actor(session, actor)
    if stored is None:
        require_role(None, "admin")
    return require_role(stored, "admin")


def _require_all_uses_in_scope(session: Session, actor: Actor, indicator: Indicator) -> None:
    """NotPermitted unless the actor's admin scope covers every use of ``indicator``."""
    if any(g.national and g.role == "admin" for g in actor.grants):
        return
    organisations = set(
        session.scalars(
            select(IndicatorValue.organisation_id)
            .where(IndicatorValue.indicator_id == indicator.id)
            .distinct()
        )
    ) | set(
        session.scalars(
            select(Partnership.kommun_id)
            .join(Promise, Promise.partnership_id == Partnership.id)
            .join(FocusArea, FocusArea.promise_id == Promise.id)
            .join(FocusAreaIndicator, FocusAreaIndicator.focus_area_id == FocusArea.id)
            .where(FocusAreaIndicator.indicator_id == indicator.id)
            .distinct()
        )
    )
    for organisation_id in sorted(o for o in organisations if o is not None):
        if not covers(actor.grants, "admin", organisation_ancestors(session, organisation_id)):
            raise NotPermitted(
                f"Indikatorn {indicator.code} används också för "
                f"{scope_name(session, organisation_id)}, utanför din behörighet. Bara en "
                "administratör för hela landet kan ändra definitionen."
            )


def _validate_indicator(session: Session, fields: IndicatorFields, own_id: int | None) -> None:
    if not CODE_PATTERN.match(fields.code):
        raise AdminError(
            "Koden ska vara 1–40 tecken: bokstäver a–z, siffror och . - _ (t.ex. N07403).", "code"
        )
    require_text(fields.name, "name", "Namnet", 200)
    require_text(fields.unit, "unit", "Enheten", 60)
    require_text(fields.source_name, "source_name", "Källan", 120)
    if len(fields.attribution) > 200:
        raise AdminError("Källhänvisningen får vara högst 200 tecken.", "attribution")
    if fields.better not in DIRECTIONS:
        raise AdminError("Välj om lägre eller högre värden är bättre.", "better")
    _require_url(fields.source_url, "source_url")
    if fields.kolada_kpi is not None and not KPI_PATTERN.match(fields.kolada_kpi):
        raise AdminError(
            "Koladas KPI-id är en bokstav och fem siffror, t.ex. N07403.", "kolada_kpi"
        )
    others = select(Indicator.id).where(Indicator.id != (own_id or 0))
    if session.scalar(others.where(func.lower(Indicator.code) == fields.code.lower())):
        raise AdminError(f"Det finns redan en indikator med koden {fields.code}.", "code")
    if fields.kolada_kpi and session.scalar(
        others.where(Indicator.kolada_kpi == fields.kolada_kpi)
    ):
        raise AdminError(
            f"Det finns redan en indikator för Koladas KPI {fields.kolada_kpi}.", "kolada_kpi"
        )


def _require_url(url: str | None, field: str) -> None:
    if url is None:
        return
    if len(url) > 500 or not url.startswith(("https://", "http://")):
        raise AdminError("Adressen ska börja med https:// eller http:// (högst 500 tecken).", field)


def _apply_indicator(row: Indicator, fields: IndicatorFields) -> None:
    row.code, row.name, row.unit = fields.code, fields.name.strip(), fields.unit.strip()
    row.better, row.source_name = fields.better, fields.source_name.strip()
    row.attribution, row.description = fields.attribution.strip(), fields.description
    row.source_url, row.kolada_kpi = fields.source_url, fields.kolada_kpi


# ---------------------------------------------------------------- links


def add_link(
    session: Session, actor: Actor | None, focus_area_id: int, fields: LinkFields
) -> FocusAreaIndicator:
    """Link a focus area to an indicator (last in the focus area's order).

    Raises:
        NotPermitted: Not an admin of a scope covering the focus area's partnership.
        AdminError: Unknown indicator, baseline year outside 2000–2100, a direction that is
            not one of DIRECTIONS, a target that is not a number, or the same link twice.
    """
    area = _focus_area(session, focus_area_id)
    stored = require_scope(session, actor, "admin", area.promise.partnership_id)
    _validate_link(session, focus_area_id, fields, None)
    order = session.scalar(
        select(func.max(FocusAreaIndicator.sort_order)).where(
            FocusAreaIndicator.focus_area_id == focus_area_id
        )
    )
    row = FocusAreaIndicator(focus_area_id=focus_area_id, sort_order=(order or 0) + 1)
    _apply_link(row, fields)
    return _insert(session, stored, row)


def update_link(
    session: Session, actor: Actor | None, link_id: int, fields: LinkFields
) -> FocusAreaIndicator:
    """Change a link's indicator, baseline year, direction, target or area (see add_link)."""
    row, stored = _link_for_admin(session, actor, link_id)
    _validate_link(session, row.focus_area_id, fields, row.id)
    return change_row(session, stored, row, lambda r: _apply_link(r, fields))


def remove_link(session: Session, actor: Actor | None, link_id: int) -> None:
    """Remove a link (the indicator and its values stay)."""
    row, stored = _link_for_admin(session, actor, link_id)
    audit_delete(session, stored, row)
    session.delete(row)
    session.flush()


def _focus_area(session: Session, focus_area_id: int) -> FocusArea:
    area = session.get(FocusArea, focus_area_id)
    if area is None:
        raise AdminError(f"Fokusområdet finns inte längre (id {focus_area_id}).")
    return area


def _link_for_admin(
    session: Session, actor: Actor | None, link_id: int
) -> tuple[FocusAreaIndicator, Actor]:
    row = session.get(FocusAreaIndicator, link_id)
    if row is None:
        raise AdminError(f"Kopplingen finns inte längre (id {link_id}).")
    area = _focus_area(session, row.focus_area_id)
    return row, require_scope(session, actor, "admin", area.promise.partnership_id)


def _validate_link(
    session: Session, focus_area_id: int, fields: LinkFields, own_id: int | None
) -> None:
    indicator = session.get(Indicator, fields.indicator_id) if fields.indicator_id else None
    if indicator is None:
        raise AdminError("Okänd indikator: välj en av indikatorerna i listan.", "indicator_id")
    low, high = INDICATOR_YEARS
    year = fields.baseline_year
    if not isinstance(year, int) or not low <= year <= high:
        raise AdminError(f"Basåret ska ligga mellan {low} och {high}; du angav {year}.",
                         "baseline_year")  # fmt: skip
    if fields.direction not in DIRECTIONS:
        raise AdminError("Välj om indikatorn ska minska eller öka.", "direction")
    target = fields.target_value
    if target is not None and (not isinstance(target, int | float) or not math.isfinite(target)):
        raise AdminError("Målvärdet ska vara ett tal.", "target_value")
    if len(fields.area) > MAX_AREA:
        raise AdminError(f"Området får vara högst {MAX_AREA} tecken.", "area")
    twin = session.scalar(
        select(FocusAreaIndicator.id).where(
            FocusAreaIndicator.focus_area_id == focus_area_id,
            FocusAreaIndicator.indicator_id == indicator.id,
            FocusAreaIndicator.area == fields.area.strip(),
            FocusAreaIndicator.id != (own_id or 0),
        )
    )
    if twin is not None:
        where = f" för {fields.area.strip()}" if fields.area.strip() else ""
        raise AdminError(
            f"Fokusområdet följer redan indikatorn {indicator.name}{where}. Ändra den kopplingen "
            "i stället.",
            "indicator_id",
        )


def _apply_link(row: FocusAreaIndicator, fields: LinkFields) -> None:
    row.indicator_id, row.baseline_year = fields.indicator_id, fields.baseline_year
    row.direction, row.area = fields.direction, fields.area.strip()
    row.target_value = None if fields.target_value is None else float(fields.target_value)
