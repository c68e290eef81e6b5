"""Small builders for test data: partnerships, promises, focus areas, activities, evaluations.

Every builder takes an open ``Session``, adds one row with sensible defaults, flushes (so the
row has its id) and returns the ORM object; the caller commits. Values that tests do not care
about are drawn from one ``random.Random(SEED)``, so the same test always builds the same data.

    with Session(engine) as session:
        p = make_partnership(session)
        promise = make_promise(session, p, year=2021)
        area = make_focus_area(session, promise, name="Unga")
        act = make_activity(session, area, title="Trygghetsvandringar", target_value=4)
        make_evaluation(session, act, tertial=1, status="pagar", completion=40)
        session.commit()
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard.entry.rules import EvaluationInput
from db import audit, organisations, rules
from db.models import (
    STATUSES,
    Activity,
    AppUser,
    Evaluation,
    FocusArea,
    Organisation,
    Partnership,
    Promise,
    RoleGrant,
)

SEED = 42
_rng = random.Random(SEED)


def reseed(seed: int = SEED) -> None:
    """Start the builders' random stream again (call at the start of a test that needs it)."""
    _rng.seed(seed)


def make_partnership(
    session: Session,
    *,
    code: str = "0486",
    kommun_name: str = "Strängnäs kommun",
    police_area: str = "Lokalpolisområde Eskilstuna/Strängnäs",
    source: str = "exempel",
) -> Partnership:
    """One partnership (kommun + lokalpolisområde), linked to its organisations as a load or
    an admin links it (the kommun from the reference list, the police area in its region)."""
    row = Partnership(
        kommun_code=code, kommun_name=kommun_name, police_area=police_area, source=source
    )
    _add(session, row)
    organisations.link_partnerships(session.connection())
    session.refresh(row)
    return row


def organisation_id(session: Session, kind: str, name_or_code: str) -> int:
    """The id of the organisation of ``kind`` with that code or name."""
    return session.scalar(
        select(Organisation.id).where(
            Organisation.kind == kind,
            (Organisation.code == name_or_code) | (Organisation.name == name_or_code),
        )
    )


def make_user(
    session: Session,
    username: str,
    *grants: tuple[str, int | None],
    active: bool = True,
    password_hash: str = "x",
) -> AppUser:
    """A user holding ``grants``, each (role, organisation id or None for the nation)."""
    row = AppUser(
        username=username, display_name=username.title(), password_hash=password_hash,
        active=active, failed_login_count=0,
        grants=[RoleGrant(role=role, organisation_id=org) for role, org in grants],
    )  # fmt: skip
    return _add(session, row)


def make_promise(
    session: Session,
    partnership: Partnership,
    *,
    year: int,
    year_to: int | None = None,
    kind: str = "medborgarlöfte",
    title: str | None = None,
    signed_on: dt.date | None = None,
    signatories: list[dict] | None = None,
    summary: str = "",
    source: str = "exempel",
    source_url: str | None = None,
    area: str | None = None,
    rhythm: str = "tertial",
    valid: tuple[dt.date, dt.date] | None = None,
) -> Promise:
    """One promise for ``year`` (to ``year_to``, default the same year), whole years unless
    ``valid`` gives its first and last day."""
    row = Promise(
        partnership_id=partnership.id,
        area=area,
        rhythm=rhythm,
        valid_from=valid[0] if valid else None,
        valid_to=valid[1] if valid else None,
        year_from=year,
        year_to=year if year_to is None else year_to,
        kind=kind,
        title=title or f"Medborgarlöfte {year}",
        signed_on=signed_on or dt.date(year, 3, 1),
        signatories=signatories
        if signatories is not None
        else [
            {"name": "Kim Kommun", "role": "kommundirektör"},
            {"name": "Pat Polis", "role": "lokalpolisområdeschef"},
        ],
        summary=summary,
        source=source,
        source_url=source_url,
    )
    return _add(session, row)


def make_focus_area(
    session: Session,
    promise: Promise,
    *,
    name: str | None = None,
    theme: str = "trygghet_offentlig_miljo",
    sort_order: int | None = None,
    description: str = "",
) -> FocusArea:
    """One focus area of ``promise``; sort order follows insertion unless given."""
    if sort_order is None:
        sort_order = _count(session, FocusArea, promise)
    row = FocusArea(
        promise_id=promise.id,
        name=name or f"Fokusområde {sort_order + 1}",
        theme=theme,
        sort_order=sort_order,
        description=description,
    )
    return _add(session, row)


def make_activity(
    session: Session,
    focus_area: FocusArea,
    *,
    title: str | None = None,
    owner: str = "gemensam",
    partners: Iterable[str] = (),
    target_value: float | None = None,
    target_unit: str | None = None,
    lineage_key: str | None = None,
    sort_order: int | None = None,
    source: str = "exempel",
    source_url: str | None = None,
) -> Activity:
    """One activity under ``focus_area`` (and so under its promise)."""
    if sort_order is None:
        sort_order = _count(session, Activity, focus_area)
    row = Activity(
        promise_id=focus_area.promise_id,
        focus_area_id=focus_area.id,
        title=title or f"Aktivitet {_rng.randint(100, 999)}",
        owner=owner,
        partners=list(partners),
        target_value=target_value,
        target_unit=target_unit,
        lineage_key=lineage_key,
        sort_order=sort_order,
        source=source,
        source_url=source_url,
    )
    return _add(session, row)


def make_evaluation(
    session: Session,
    activity: Activity,
    *,
    tertial: int,
    status: str,
    year: int | None = None,
    completion: int | None = None,
    achieved_value: float | None = None,
    comment: str = "",
    evaluated_by: str = "Anna Samordnare",
    evaluated_at: dt.datetime | None = None,
    source: str = "exempel",
    audited: bool = False,
) -> Evaluation:
    """One evaluation; ``year`` defaults to the promise's first year.

    With ``audited=True`` an audit-log row is written too, as the save service does.
    """
    if year is None:
        year = session.get(Promise, activity.promise_id).year_from
    if completion is None:
        completion = {"genomford": 100, "ej_paborjad": 0}.get(status, _rng.randint(10, 90))
    period = rules.period_of(session, activity.promise_id, year, tertial)
    row = Evaluation(
        activity_id=activity.id,
        period_id=period.id,
        year=year,
        period_no=tertial,
        status=status,
        completion=completion,
        achieved_value=achieved_value,
        comment=comment,
        evaluated_by=evaluated_by,
        evaluated_at=evaluated_at
        or dt.datetime(year, min(12, 4 * tertial), 28, 10, 0, tzinfo=dt.UTC),
        source=source,
    )
    _add(session, row)
    if audited:
        audit.record(
            session,
            username=evaluated_by,
            table_name="evaluation",
            row_id=row.id,
            action="insert",
            after=audit.row_snapshot(row),
        )
        session.flush()
    return row


def evaluation_input(activity_id: int, **changes) -> EvaluationInput:
    """What a coordinator submits for ``activity_id``: 2026 T3, pågår, 50 %, unless changed."""
    values = {"year": 2026, "tertial": 3, "status": "pagar", "completion": 50, **changes}
    return EvaluationInput(activity_id=activity_id, **values)


def make_history(
    session: Session,
    partnership: Partnership,
    *,
    years: Iterable[int],
    areas: int = 2,
    activities_per_area: int = 3,
    last_tertial: dict[int, int] | None = None,
) -> list[Promise]:
    """A promise per year with random focus areas, activities and evaluations.

    ``last_tertial`` maps a year to its last evaluated tertial (default 3 for every year).
    Activity *n* of area *m* carries lineage key ``"a{m}-{n}"`` in every year.
    """
    themes = ("ungdomar", "droger", "trafik", "trygghet_offentlig_miljo")
    promises = []
    for year in years:
        promise = make_promise(session, partnership, year=year)
        promises.append(promise)
        for m in range(areas):
            area = make_focus_area(session, promise, theme=themes[m % len(themes)], sort_order=m)
            for n in range(activities_per_area):
                act = make_activity(
                    session, area, owner=_rng.choice(("kommun", "polis", "gemensam")),
                    lineage_key=f"a{m}-{n}", sort_order=n,
                )  # fmt: skip
                for tertial in range(1, (last_tertial or {}).get(year, 3) + 1):
                    make_evaluation(
                        session, act, year=year, tertial=tertial, status=_rng.choice(STATUSES)
                    )
    return promises


def _count(session: Session, model, parent) -> int:
    column = model.promise_id if model is FocusArea else model.focus_area_id
    return session.scalar(select(func.count()).where(column == parent.id)) or 0


def _add(session: Session, row):
    session.add(row)
    session.flush()
    return row
