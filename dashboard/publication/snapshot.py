"""What citizens see of a promise at one period (issue 13): the public snapshot, built once.

``build_snapshot`` reads a promise, its parties, focus areas, activities and the period's
evaluations and keeps only what may be public: titles, targets and outcomes in plain Swedish,
the status in words, a comment only if the coordinator marked it public, the public line, and
the linked indicators' summaries. Never the internal comments, who evaluated, or anything of
another period. The admin previews exactly this dict, and publishing stores it as it is
(dashboard/publication/service.py), so the public page shows what was confirmed and nothing
written later.

The sentences are pure functions (``target_sentence``); the snapshot is plain JSON data.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import indicator_progress, labels
from dashboard.access import kommun_label
from dashboard.queries.base import promise_key
from dashboard.queries.indicators import load_focus_area_indicators, load_indicator_values
from db.models import (
    Activity,
    Evaluation,
    FocusArea,
    Organisation,
    Partnership,
    Period,
    Promise,
    PromiseParty,
)

SNAPSHOT_VERSION = 1


def target_sentence(
    target: float | None, unit: str | None, achieved: float | None, *, final: bool
) -> str:
    """``Vi lovade minst 8 nya grannsamverkansområden. Det blev 20.`` (plain Swedish).

    ``final`` is the promise's last period: before it the outcome is "hittills".
    """
    if target is None:
        return ""
    promised = f"Vi lovade minst {labels.format_target(target, unit)}."
    if achieved is None:
        return f"{promised} Utfallet är inte rapporterat ännu."
    number = labels.format_number(achieved, 0 if float(achieved).is_integer() else 1)
    return f"{promised} {'Det blev' if final else 'Hittills har det blivit'} {number}."


def status_words(status: str | None, *, final: bool) -> str:
    """The status in words: "Genomförd", "Pågår", "Ej utvärderad än" (never a colour)."""
    if status is None:
        return "Inte följd upp än"
    if final:
        return labels.YEAR_OUTCOMES[labels.year_outcome(status)]
    return labels.status(status).label


def build_snapshot(
    session: Session, promise_id: int, period_id: int, *, contact: str
) -> dict[str, Any]:
    """The public content of ``promise_id`` at ``period_id`` as JSON-ready data.

    Raises:
        LookupError: The period is not one of the promise's.
    """
    promise = session.get(Promise, promise_id)
    period = session.get(Period, period_id)
    if promise is None or period is None or period.promise_id != promise_id:
        raise LookupError("Perioden hör inte till löftet.")
    partnership = session.get(Partnership, promise.partnership_id)
    final = period.ends_on >= promise.valid_to or _is_last_of_year(session, period)
    evaluations = {
        e.activity_id: e
        for e in session.scalars(select(Evaluation).where(Evaluation.period_id == period_id))
    }
    areas = session.scalars(
        select(FocusArea)
        .where(FocusArea.promise_id == promise_id, FocusArea.archived.is_(False))
        .order_by(FocusArea.sort_order, FocusArea.id)
    ).all()
    indicators = _indicators(session, promise, partnership, period.year)
    focus_areas, demo = [], promise.source == "exempel"
    done = 0
    for area in areas:
        activities = session.scalars(
            select(Activity)
            .where(Activity.focus_area_id == area.id, Activity.archived.is_(False))
            .order_by(Activity.sort_order, Activity.id)
        ).all()
        items = []
        for activity in activities:
            evaluation = evaluations.get(activity.id)
            demo = demo or "exempel" in (activity.source, evaluation and evaluation.source)
            status = evaluation.status if evaluation else None
            done += status == "genomford"
            items.append(
                {
                    "title": activity.title,
                    "description": activity.description,
                    "owner": labels.owner_label(activity.owner),
                    "promised": target_sentence(
                        activity.target_value,
                        activity.target_unit,
                        evaluation.achieved_value if evaluation else None,
                        final=final,
                    ),
                    "status": status_words(status, final=final),
                    "public_lines": _public_lines(evaluation),
                }
            )
        focus_areas.append(
            {
                "name": area.name,
                "description": area.description,
                "activities": items,
                "indicators": indicators.get(area.id, []),
            }
        )
    total = sum(len(a["activities"]) for a in focus_areas)
    return {
        "version": SNAPSHOT_VERSION,
        "kommun": {"code": partnership.kommun_code, "name": partnership.kommun_name},
        "promise": {
            "title": promise.title,
            "kind": labels.KINDS.get(promise.kind, promise.kind),
            "validity": labels.validity(promise.valid_from, promise.valid_to),
            "area": promise.area or "",
            "signed_on": labels.format_date(promise.signed_on),
            "summary": promise.summary,
            "source_url": promise.source_url or "",
        },
        "parties": _parties(session, promise_id, partnership),
        "signatories": [
            {"name": s.get("name", ""), "role": s.get("role", "")} for s in promise.signatories
        ],
        "period": {
            "code": period.code,
            "name": period.name,
            "year": period.year,
            "ends_on": period.ends_on.isoformat(),
            "final": final,
        },
        "summary": _summary(partnership.kommun_name, period, total, done, final),
        "focus_areas": focus_areas,
        "contact": contact.strip(),
        "demo": demo,
        "caveat": labels.EFFECT_CAVEAT,
    }


def _is_last_of_year(session: Session, period: Period) -> bool:
    later = session.scalar(
        select(Period.id).where(
            Period.promise_id == period.promise_id,
            Period.year == period.year,
            Period.number > period.number,
        )
    )
    return later is None


def _public_lines(evaluation: Evaluation | None) -> list[str]:
    if evaluation is None:
        return []
    return public_lines(evaluation.public_line, evaluation.comment_public, evaluation.comment)


def public_lines(public_line: str | None, comment_public: bool | None, comment: str | None):
    """What of an evaluation citizens may read: the public line, and the comment only if the
    coordinator marked it public (comments are internal by default). The one rule for the
    public page, the static file and the year's result text."""
    lines = [public_line.strip()] if (public_line or "").strip() else []
    if comment_public and (comment or "").strip():
        lines.append(comment.strip())
    return lines


def _parties(session: Session, promise_id: int, partnership: Partnership) -> list[str]:
    parties = session.execute(
        select(Organisation.name, Organisation.kind)
        .join(PromiseParty, PromiseParty.organisation_id == Organisation.id)
        .where(PromiseParty.promise_id == promise_id)
        .order_by(PromiseParty.sort_order, Organisation.name)
    ).all()
    names = [kommun_label(name) if kind == "kommun" else name for name, kind in parties]
    return names or [partnership.kommun_name, partnership.police_area]


def _indicators(
    session: Session, promise: Promise, partnership: Partnership, year: int
) -> dict[int, list[dict[str, str]]]:
    key = promise_key(partnership.kommun_code, promise.id)
    conn = session.connection()
    links = load_focus_area_indicators(conn, year, partnership=key)
    if links.is_empty():
        return {}
    values = load_indicator_values(conn, partnership.kommun_code, links["indicator_id"].to_list())
    result: dict[int, list[dict[str, str]]] = {}
    for row in indicator_progress.progress(links, values, until_year=year).iter_rows(named=True):
        result.setdefault(row["focus_area_id"], []).append(
            {"summary": row["summary"], "attribution": row["attribution"]}
        )
    return result


def _summary(kommun: str, period: Period, total: int, done: int, final: bool) -> str:
    """``Strängnäs kommun och polisen lovade 9 aktiviteter. När T3 2021 tog slut var 7 av dem
    genomförda.``"""
    when = (
        f"När {period.code} {period.year} tog slut"
        if final
        else f"Efter {period.name} {period.year}"
    )
    return (
        f"{kommun} och polisen lovade {labels.count(total, 'aktivitet', 'aktiviteter')}. "
        f"{when} var {labels.format_number(done, 0)} av dem genomförda."
    )
