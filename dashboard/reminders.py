"""Reminders for missing evaluations (issue 14): what is missing, who is told, the mail. No
Streamlit; the pages show ``load_missing`` (Registrera, Administration → Påminnelser) and
``python -m dashboard paminnelser`` sends (dashboard/reminder_mail.py).

What is missing
    Each promise's *last ended period* is the last of its periods that ended before today, as
    Region och riket counts it (``queries.region.last_ended_periods``). Its activities that
    the entry page shows (not archived, in a focus area that is not archived) with no
    evaluation of that period are missing; days overdue = today − the period's last day.

Who is responsible
    The coordinators of a partnership are the users with an active account, an e-mail
    address and a ``samordnare`` grant whose scope covers it: the kommun, its
    lokalpolisområde, that area's police region, or the nation (``access.covers``, the same
    places the entry page's write check uses). Admin grants do not count: an admin is not
    mailed, and sees the scope's list under Administration → Påminnelser.

    Only the most local level is mailed, by the activity's owner: the kommun's activities go
    to the kommun's coordinators; the police's to the lokalpolisområde's, else the police
    region's; joint ones (gemensam) and another party's (annan) to both sides. A side without
    a coordinator of its own falls back to the most local coordinators the partnership has
    (kommun, lokalpolisområde, polisregion, nation, in that order), so no missing activity is
    left without a recipient while someone covers the partnership; a national coordinator is
    mailed only when nobody closer is.

When a mail goes
    One mail per coordinator and promise period, listing that coordinator's missing
    activities, once the period ended at least ``days`` ago (DASHBOARD_REMINDER_DAYS, default
    14) and at most ``HORIZON_DAYS`` ago, and only if it names an activity that no earlier
    reminder to that address for the period named (``reminder_sent``). So a second run sends
    nothing; a newly missing activity sends again (listing all still missing); an activity
    evaluated since changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlencode

import polars as pl
from sqlalchemy import Connection, Select, and_, select
from sqlalchemy.orm import aliased

from dashboard import labels
from dashboard.access import Grant, covers, kommun_label, partnership_scope_clause
from dashboard.column_text import text
from dashboard.queries.base import frame, promise_of_year
from dashboard.queries.region import last_ended_periods
from db.models import (
    Activity,
    AppUser,
    Evaluation,
    FocusArea,
    Organisation,
    Partnership,
    Period,
    Promise,
    ReminderSent,
    RoleGrant,
)

# A period that ended longer ago than this is not reminded (a promise long over).
HORIZON_DAYS = 365
# The scope levels, most local first; None is the nation.
LEVELS = {"kommun": 0, "lokalpolisomrade": 1, "polisregion": 2, None: 3}
POLICE_LEVELS = (1, 2)
ENTRY_PAGE = "registrera"

MISSING_SCHEMA = {
    "partnership_id": pl.Int64,
    "kommun_code": pl.String,
    "kommun_name": pl.String,
    "police_area": pl.String,
    "promise_id": pl.Int64,
    "promise_title": pl.String,
    "area": pl.String,
    "source": pl.String,
    "period_id": pl.Int64,
    "period_code": pl.String,
    "period_name": pl.String,
    "year": pl.Int64,
    "number": pl.Int64,
    "ends_on": pl.Date,
    "activity_id": pl.Int64,
    "activity_title": pl.String,
    "focus_area": pl.String,
    "owner": pl.String,
    "owner_party": pl.String,
}

_AREA = aliased(Organisation, name="area")
_OWNER_PARTY = aliased(Organisation, name="owner_party")


# ---------------------------------------------------------------- what is missing


def build_missing_query(
    today: dt.date,
    *,
    year: int | None = None,
    promise: str | None = None,
    grants: Iterable[Grant] | None = None,
    ended_after: dt.date | None = None,
) -> Select:
    """One row per missing activity (see the module): its partnership, promise, last ended
    period and owner. ``promise`` (a view key, with ``year``) limits it to the promise the
    entry page shows; ``grants`` to the partnerships they cover; ``ended_after`` leaves out
    promises whose last ended period ended before that day."""
    ended = last_ended_periods(today, ended_after=ended_after)
    query = (
        select(
            Partnership.id,
            Partnership.kommun_code,
            Partnership.kommun_name,
            Partnership.police_area,
            Promise.id,
            Promise.title,
            Promise.area,
            Promise.source,
            Period.id,
            Period.code,
            Period.name,
            Period.year,
            Period.number,
            Period.ends_on,
            Activity.id,
            Activity.title,
            FocusArea.name,
            Activity.owner,
            _OWNER_PARTY.name,
        )
        .select_from(Activity)
        .join(Promise, Promise.id == Activity.promise_id)
        .join(Partnership, Partnership.id == Promise.partnership_id)
        .join(FocusArea, FocusArea.id == Activity.focus_area_id)
        .join(ended, ended.c.promise_id == Promise.id)
        .join(Period, and_(Period.promise_id == Promise.id, Period.ends_on == ended.c.ends_on))
        .outerjoin(_OWNER_PARTY, _OWNER_PARTY.id == Activity.owner_organisation_id)
        .outerjoin(
            Evaluation,
            and_(Evaluation.activity_id == Activity.id, Evaluation.period_id == Period.id),
        )
        .where(Activity.archived.is_(False), FocusArea.archived.is_(False), Evaluation.id.is_(None))
        .order_by(
            Partnership.kommun_name,
            Promise.area.is_not(None),
            Promise.area,
            Promise.id,
            FocusArea.sort_order,
            FocusArea.id,
            Activity.sort_order,
            Activity.id,
        )
    )
    if promise is not None:
        if year is None:
            raise ValueError("a promise view key needs its year")
        query = query.where(Promise.id == promise_of_year(year, partnership=promise))
    if grants is not None:
        clause = partnership_scope_clause(grants)
        if clause is not None:
            query = query.where(clause)
    return query


def load_missing(conn: Connection, today: dt.date, **filters) -> pl.DataFrame:
    """``build_missing_query``'s rows with days_overdue (today − the period's last day)."""
    rows = frame(conn, build_missing_query(today, **filters), MISSING_SCHEMA)
    return rows.with_columns(
        days_overdue=(pl.lit(today) - pl.col("ends_on")).dt.total_days().cast(pl.Int64)
    )


def missing_table(missing: pl.DataFrame) -> pl.DataFrame:
    """``load_missing``'s rows for one promise as a Swedish display table, by owner."""
    return (
        missing.with_columns(
            owner_text=_owner_text(missing), ends_text=text(labels.format_date, missing["ends_on"])
        )
        .sort("owner_text", maintain_order=True)
        .select(
            pl.col("owner_text").alias("Ansvarig"),
            pl.col("activity_title").alias("Aktivitet"),
            pl.col("focus_area").alias("Fokusområde"),
            pl.format("{} {}", pl.col("period_code"), pl.col("year")).alias("Period"),
            pl.col("ends_text").alias("Slutade"),
            pl.col("days_overdue").alias("Dagar sedan"),
        )
    )


def owner_text(owner: str, party: str | None) -> str:
    """Who carries an activity out: ``Kommunen``, ``Polisen``, ``Gemensam`` or the party."""
    if owner == "annan":
        return party or labels.OWNERS["annan"]
    return labels.owner_label(owner)


def _owner_text(frame: pl.DataFrame) -> pl.Series:
    return text(owner_text, frame["owner"], frame["owner_party"])


# ---------------------------------------------------------------- who is responsible


@dataclass(frozen=True)
class Coordinator:
    """A samordnare who can be mailed, and the most local level of their covering grant."""

    user_id: int
    username: str
    name: str
    email: str
    level: int


def load_coordinators(conn: Connection, partnership_ids: Iterable[int]) -> dict[int, list]:
    """partnership id → its coordinators (see the module), by level, then user id."""
    ids = sorted(set(partnership_ids))
    if not ids:
        return {}
    places = conn.execute(
        select(Partnership.id, Partnership.kommun_id, Partnership.police_area_id, _AREA.parent_id)
        .outerjoin(_AREA, _AREA.id == Partnership.police_area_id)
        .where(Partnership.id.in_(ids))
    ).all()
    grants = conn.execute(
        select(
            AppUser.id,
            AppUser.username,
            AppUser.display_name,
            AppUser.email,
            RoleGrant.organisation_id,
            Organisation.kind,
        )
        .join(RoleGrant, RoleGrant.user_id == AppUser.id)
        .outerjoin(Organisation, Organisation.id == RoleGrant.organisation_id)
        .where(AppUser.active.is_(True), AppUser.email != "", RoleGrant.role == "samordnare")
        .order_by(AppUser.id, RoleGrant.id)
    ).all()
    coordinators: dict[int, list[Coordinator]] = {}
    for partnership_id, kommun_id, area_id, region_id in places:
        where = {kommun_id, area_id, region_id} - {None}
        best: dict[int, Coordinator] = {}
        for user_id, username, name, email, organisation_id, kind in grants:
            if not email.strip() or not covers(
                [Grant("samordnare", organisation_id, kind)], "samordnare", where
            ):
                continue
            level = LEVELS.get(kind if organisation_id is not None else None, LEVELS[None])
            if user_id not in best or level < best[user_id].level:
                best[user_id] = Coordinator(user_id, username, name, email.strip(), level)
        coordinators[partnership_id] = sorted(best.values(), key=lambda c: (c.level, c.user_id))
    return coordinators


def responsible(coordinators: Sequence[Coordinator], owner: str) -> list[Coordinator]:
    """Whom to remind of an activity of ``owner`` among a partnership's coordinators."""
    kommun_side = _most_local([c for c in coordinators if c.level == 0])
    police_side = _most_local([c for c in coordinators if c.level in POLICE_LEVELS])
    closest = _most_local(coordinators)
    if owner == "kommun":
        return kommun_side or closest
    if owner == "polis":
        return police_side or closest
    both = (kommun_side or closest) + (police_side or closest)
    return list({c.user_id: c for c in both}.values())


def _most_local(coordinators: Sequence[Coordinator]) -> list[Coordinator]:
    if not coordinators:
        return []
    level = min(c.level for c in coordinators)
    return [c for c in coordinators if c.level == level]


# ---------------------------------------------------------------- the reminders


@dataclass(frozen=True)
class Reminder:
    """One mail: a coordinator, a promise's last ended period and their missing activities
    (rows of ``load_missing``)."""

    coordinator: Coordinator
    activities: tuple[dict, ...]

    @property
    def first(self) -> dict:
        return self.activities[0]

    @property
    def period_id(self) -> int:
        return self.first["period_id"]

    @property
    def recipient(self) -> str:
        return self.coordinator.email

    @property
    def activity_ids(self) -> list[int]:
        return sorted(row["activity_id"] for row in self.activities)

    @property
    def activity_set(self) -> str:
        return activity_set(self.activity_ids)


def activity_set(activity_ids: Iterable[int]) -> str:
    """sha256 hex of the sorted activity ids, comma-separated (``reminder_sent.activity_set``)."""
    text = ",".join(str(i) for i in sorted(activity_ids))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def plan(
    missing: pl.DataFrame, coordinators: dict[int, list[Coordinator]], *, days: int
) -> list[Reminder]:
    """Every reminder the missing activities call for, for periods that ended at least
    ``days`` ago: one per coordinator and period, in the order of ``missing``."""
    reminders: dict[tuple[int, str], list[dict]] = {}
    people: dict[tuple[int, str], Coordinator] = {}
    for row in missing.filter(pl.col("days_overdue") >= days).iter_rows(named=True):
        for person in responsible(coordinators.get(row["partnership_id"], []), row["owner"]):
            key = (row["period_id"], person.email.casefold())
            reminders.setdefault(key, []).append(row)
            people.setdefault(key, person)
    return [Reminder(people[key], tuple(rows)) for key, rows in reminders.items()]


def load_sent(conn: Connection, period_ids: Iterable[int]) -> dict[tuple[int, str], set[int]]:
    """(period id, recipient casefolded) → every activity id the reminders sent there named."""
    ids = sorted(set(period_ids))
    if not ids:
        return {}
    rows = conn.execute(
        select(ReminderSent.period_id, ReminderSent.recipient, ReminderSent.activity_ids).where(
            ReminderSent.period_id.in_(ids)
        )
    ).all()
    sent: dict[tuple[int, str], set[int]] = {}
    for period_id, recipient, activity_ids in rows:
        sent.setdefault((period_id, recipient.casefold()), set()).update(activity_ids or [])
    return sent


def due(reminders: Iterable[Reminder], sent: dict[tuple[int, str], set[int]]) -> list[Reminder]:
    """The reminders that name an activity no earlier reminder to that address named."""
    return [
        r
        for r in reminders
        if not set(r.activity_ids) <= sent.get((r.period_id, r.recipient.casefold()), set())
    ]


def due_reminders(conn: Connection, today: dt.date, *, days: int) -> list[Reminder]:
    """What ``paminnelser`` would send today: every due reminder (see the module)."""
    missing = load_missing(conn, today, ended_after=today - dt.timedelta(days=HORIZON_DAYS))
    coordinators = load_coordinators(conn, missing["partnership_id"].to_list())
    reminders = plan(missing, coordinators, days=days)
    return due(reminders, load_sent(conn, [r.period_id for r in reminders]))


def record(reminder: Reminder, at: dt.datetime) -> ReminderSent:
    """The row that says the server accepted ``reminder``."""
    return ReminderSent(
        period_id=reminder.period_id,
        recipient=reminder.recipient,
        user_id=reminder.coordinator.user_id,
        activity_set=reminder.activity_set,
        activity_ids=reminder.activity_ids,
        sent_at=at,
    )


# ---------------------------------------------------------------- the mail


def entry_link(base_url: str, row: dict) -> str:
    """The entry page for the row's promise and period, as its pickers read the address."""
    query = urlencode(
        {"kommun": row["kommun_code"], "lofte": row["promise_id"], "ar": row["year"],
         "period": row["number"]}
    )  # fmt: skip
    return f"{base_url.rstrip('/')}/{ENTRY_PAGE}?{query}"


def subject(reminder: Reminder) -> str:
    """``Påminnelse: 3 aktiviteter saknar utvärdering för T3 2026 – Strängnäs kommun``."""
    row = reminder.first
    where = kommun_label(row["kommun_name"]) + (f", {row['area']}" if row["area"] else "")
    n = labels.count(len(reminder.activities), "aktivitet", "aktiviteter")
    text = f"Påminnelse: {n} saknar utvärdering för {row['period_code']} {row['year']} – {where}"
    return " ".join(text.split())  # stored names never break the header


def body(reminder: Reminder, base_url: str) -> str:
    """The mail's text: the period, each missing activity, how long overdue, the link."""
    row = reminder.first
    days = labels.count(row["days_overdue"], "dag", "dagar")
    where = kommun_label(row["kommun_name"]) + (f", {row['area']}" if row["area"] else "")
    lines = [
        f"Hej {reminder.coordinator.name}!",
        "",
        f"Perioden {row['period_name']} {row['year']} i {row['promise_title']} ({where}) "
        f"slutade {labels.format_date(row['ends_on'])}, för {days} sedan. "
        "De här aktiviteterna saknar fortfarande utvärdering:",
        "",
    ]
    for activity in reminder.activities:
        owner = owner_text(activity["owner"], activity["owner_party"])
        lines.append(f"- {activity['activity_title']} ({activity['focus_area']}; {owner})")
    lines += [
        "",
        "Registrera utvärderingarna här:",
        entry_link(base_url, row),
        "",
        f"Du får mejlet eftersom du är samordnare med ansvar för {where}. Samma påminnelse "
        "skickas inte igen; en ny kommer bara om fler aktiviteter saknar utvärdering för "
        "perioden.",
        "",
        "Medborgarlöften – uppföljning",
    ]
    return "\n".join(lines) + "\n"


def message(reminder: Reminder, *, sender: str, base_url: str) -> EmailMessage:
    """The reminder as a plain-text mail (stored text stays text: no HTML part)."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = reminder.recipient
    mail["Subject"] = subject(reminder)
    mail.set_content(body(reminder, base_url))
    return mail


# ---------------------------------------------------------------- an admin's overview


def scope_table(
    missing: pl.DataFrame,
    coordinators: dict[int, list[Coordinator]],
    sent: dict[tuple[int, str], set[int]],
) -> pl.DataFrame:
    """``load_missing``'s rows across a scope as a Swedish display table: each missing
    activity, whom ``paminnelser`` mails about it, and whether all of them have been."""
    mailed, reminded = [], []
    for row in missing.iter_rows(named=True):
        people = responsible(coordinators.get(row["partnership_id"], []), row["owner"])
        mailed.append(
            ", ".join(f"{c.name} ({c.email})" for c in people) or "Ingen samordnare med e-post"
        )
        done = people and all(
            row["activity_id"] in sent.get((row["period_id"], c.email.casefold()), set())
            for c in people
        )
        reminded.append("Ja" if done else "Nej")
    where = pl.col("kommun_name") + pl.when(pl.col("area").is_not_null()).then(
        pl.lit(", ") + pl.col("area")
    ).otherwise(pl.lit(""))
    return missing.with_columns(
        owner_text=_owner_text(missing),
        mailed=pl.Series(mailed, dtype=pl.String),
        reminded=pl.Series(reminded, dtype=pl.String),
    ).select(
        where.alias("Kommun"),
        pl.format("{} {}", pl.col("period_code"), pl.col("year")).alias("Period"),
        pl.col("days_overdue").alias("Dagar sedan"),
        pl.col("activity_title").alias("Aktivitet"),
        pl.col("owner_text").alias("Ansvarig"),
        pl.col("mailed").alias("Påminns"),
        pl.col("reminded").alias("Påmind"),
    )


def scope_overview(conn: Connection, today: dt.date, grants: Iterable[Grant]) -> pl.DataFrame:
    """``scope_table`` for the partnerships ``grants`` cover, periods within the horizon."""
    missing = load_missing(
        conn, today, grants=list(grants), ended_after=today - dt.timedelta(days=HORIZON_DAYS)
    )
    coordinators = load_coordinators(conn, missing["partnership_id"].to_list())
    sent = load_sent(conn, missing["period_id"].to_list())
    return scope_table(missing, coordinators, sent)
