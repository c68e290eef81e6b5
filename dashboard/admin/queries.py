"""What the Administration page shows (issue 7): build_*() -> Select, load_*(conn) -> frame.

No Streamlit here. Unlike the browse queries these include archived rows (an admin must see
them to bring them back) and count evaluations (which decide whether a hard delete is
allowed). They are read straight from the database, not through the shared cache: an admin
must see their own change at once, and these tables are small.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import Connection, Select, func, select

from dashboard import labels
from dashboard.access import NATION, ROLE_LABELS, kommun_label
from dashboard.queries.base import frame
from dashboard.queries.promises import FOCUS_AREA_COLUMNS, PROMISE_COLUMNS
from db.models import (
    Activity,
    AppUser,
    Evaluation,
    FocusArea,
    Organisation,
    Partnership,
    Period,
    Promise,
    PromiseParty,
    RoleGrant,
)

PROMISES = {
    "id": pl.Int64, "year_from": pl.Int64, "year_to": pl.Int64, "kind": pl.String,
    "title": pl.String, "signed_on": pl.Date, "signatories": pl.String, "summary": pl.String,
    "source": pl.String, "valid_from": pl.Date, "valid_to": pl.Date, "area": pl.String,
    "rhythm": pl.String, "evaluations": pl.Int64,
}  # fmt: skip
PERIODS = {
    "id": pl.Int64, "year": pl.Int64, "number": pl.Int64, "code": pl.String, "name": pl.String,
    "starts_on": pl.Date, "ends_on": pl.Date, "evaluations": pl.Int64,
}  # fmt: skip
PARTIES = {
    "organisation_id": pl.Int64, "name": pl.String, "kind": pl.String, "role": pl.String,
    "source": pl.String, "activities": pl.Int64,
}  # fmt: skip
ORGANISATIONS = {"id": pl.Int64, "name": pl.String, "kind": pl.String}
FOCUS_AREAS = {
    "id": pl.Int64, "name": pl.String, "description": pl.String, "theme": pl.String,
    "sort_order": pl.Int64, "archived": pl.Boolean, "evaluations": pl.Int64,
}  # fmt: skip
ACTIVITIES = {
    "id": pl.Int64, "focus_area_id": pl.Int64, "title": pl.String, "description": pl.String,
    "owner": pl.String, "owner_organisation_id": pl.Int64, "owner_party": pl.String,
    "partners": pl.String, "target_value": pl.Float64,
    "target_unit": pl.String, "lineage_key": pl.String, "sort_order": pl.Int64,
    "archived": pl.Boolean, "evaluations": pl.Int64,
}  # fmt: skip
USERS = {
    "username": pl.String, "display_name": pl.String, "email": pl.String, "roles": pl.String,
    "active": pl.Boolean, "locked_until": pl.Datetime(time_zone="UTC"),
}  # fmt: skip
GRANTS = {
    "id": pl.Int64, "username": pl.String, "role": pl.String, "organisation_id": pl.Int64,
    "kind": pl.String, "scope": pl.String,
}  # fmt: skip


def partnership_id(conn: Connection, code: str) -> int | None:
    """The id of the partnership the app is configured for (settings.partnership_code)."""
    return conn.scalar(select(Partnership.id).where(Partnership.kommun_code == code))


def _evaluations(*where) -> Select:
    query = select(func.count(Evaluation.id)).join(Activity, Activity.id == Evaluation.activity_id)
    return query.where(*where).scalar_subquery()


def build_promises_query(partnership: int) -> Select:
    """Every promise of the partnership, newest first (the whole kommun's before an area's),
    with its validity, area, rhythm and number of evaluations."""
    return (
        select(
            *PROMISE_COLUMNS,
            Promise.valid_from,
            Promise.valid_to,
            Promise.area,
            Promise.rhythm,
            _evaluations(Activity.promise_id == Promise.id),
        )
        .where(Promise.partnership_id == partnership)
        .order_by(
            Promise.year_from.desc(),
            Promise.valid_from.desc(),
            Promise.area.is_not(None),
            Promise.area,
        )
    )


def load_promises(conn: Connection, partnership: int) -> pl.DataFrame:
    """See build_promises_query; signatories as text, one ``Namn, roll`` a line."""
    rows = [
        (*row[:6], "\n".join(labels.format_signatory(s) for s in row[6] or []), *row[7:])
        for row in conn.execute(build_promises_query(partnership))
    ]
    return pl.DataFrame(rows, schema=PROMISES, orient="row")


def build_periods_query(promise_id: int) -> Select:
    """The promise's periods in time order, with their number of evaluations."""
    count = select(func.count(Evaluation.id)).where(Evaluation.period_id == Period.id)
    return (
        select(
            Period.id,
            Period.year,
            Period.number,
            Period.code,
            Period.name,
            Period.starts_on,
            Period.ends_on,
            count.scalar_subquery(),
        )
        .where(Period.promise_id == promise_id)
        .order_by(Period.starts_on)
    )


def load_periods(conn: Connection, promise_id: int) -> pl.DataFrame:
    """See build_periods_query."""
    return frame(conn, build_periods_query(promise_id), PERIODS)


def build_parties_query(promise_id: int) -> Select:
    """The promise's parties in order, with how many of its activities each carries out."""
    owned = select(func.count(Activity.id)).where(
        Activity.promise_id == promise_id, Activity.owner_organisation_id == Organisation.id
    )
    return (
        select(
            Organisation.id,
            Organisation.name,
            Organisation.kind,
            PromiseParty.role,
            Organisation.source,
            owned.scalar_subquery(),
        )
        .join(PromiseParty, PromiseParty.organisation_id == Organisation.id)
        .where(PromiseParty.promise_id == promise_id)
        .order_by(PromiseParty.sort_order, Organisation.name)
    )


def load_parties(conn: Connection, promise_id: int) -> pl.DataFrame:
    """See build_parties_query."""
    return frame(conn, build_parties_query(promise_id), PARTIES)


def build_organisations_query(promise_id: int) -> Select:
    """Organisations that could become parties of the promise: other parties first, by name."""
    parties = select(PromiseParty.organisation_id).where(PromiseParty.promise_id == promise_id)
    return (
        select(Organisation.id, Organisation.name, Organisation.kind)
        .where(Organisation.id.not_in(parties))
        .order_by(Organisation.kind != "annan", Organisation.kind, Organisation.name)
    )


def load_organisations(conn: Connection, promise_id: int) -> pl.DataFrame:
    """See build_organisations_query."""
    return frame(conn, build_organisations_query(promise_id), ORGANISATIONS)


def build_focus_areas_query(promise_id: int) -> Select:
    """The promise's focus areas, archived ones too, in order, with their evaluation counts."""
    return (
        select(
            *FOCUS_AREA_COLUMNS,
            FocusArea.archived,
            _evaluations(Activity.focus_area_id == FocusArea.id),
        )
        .where(FocusArea.promise_id == promise_id)
        .order_by(FocusArea.sort_order, FocusArea.id)
    )


def load_focus_areas(conn: Connection, promise_id: int) -> pl.DataFrame:
    """See build_focus_areas_query."""
    return frame(conn, build_focus_areas_query(promise_id), FOCUS_AREAS)


def build_activities_query(promise_id: int) -> Select:
    """The promise's activities, archived ones too, in focus-area then activity order."""
    count = select(func.count(Evaluation.id)).where(Evaluation.activity_id == Activity.id)
    return (
        select(
            Activity.id,
            Activity.focus_area_id,
            Activity.title,
            Activity.description,
            Activity.owner,
            Activity.owner_organisation_id,
            Organisation.name,
            Activity.partners,
            Activity.target_value,
            Activity.target_unit,
            Activity.lineage_key,
            Activity.sort_order,
            Activity.archived,
            count.scalar_subquery(),
        )
        .join(FocusArea, FocusArea.id == Activity.focus_area_id)
        .outerjoin(Organisation, Organisation.id == Activity.owner_organisation_id)
        .where(Activity.promise_id == promise_id)
        .order_by(FocusArea.sort_order, FocusArea.id, Activity.sort_order, Activity.id)
    )


def load_activities(conn: Connection, promise_id: int) -> pl.DataFrame:
    """See build_activities_query; partners as one comma-separated text."""
    rows = [
        (*row[:7], ", ".join(row[7] or []), *row[8:])
        for row in conn.execute(build_activities_query(promise_id))
    ]
    return pl.DataFrame(rows, schema=ACTIVITIES, orient="row")


def build_users_query() -> Select:
    """Every user, by username (never the password hash)."""
    return select(
        AppUser.id,
        AppUser.username,
        AppUser.display_name,
        AppUser.email,
        AppUser.active,
        AppUser.locked_until,
    ).order_by(AppUser.username)


def load_users(conn: Connection) -> pl.DataFrame:
    """See build_users_query; ``roles``: every grant as "roll: område", one text."""
    grants = load_grants(conn)
    held: dict[str, list[str]] = {}
    for grant in grants.iter_rows(named=True):
        held.setdefault(grant["username"], []).append(
            f"{ROLE_LABELS[grant['role']]}: {grant['scope']}"
        )
    rows = [
        (row[1], row[2], row[3], "; ".join(held.get(row[1], [])), row[4], _utc(row[5]))
        for row in conn.execute(build_users_query())
    ]
    return pl.DataFrame(rows, schema=USERS, orient="row")


def build_grants_query() -> Select:
    """Every role grant with its user and the organisation it is held in (none: the nation)."""
    return (
        select(
            RoleGrant.id, AppUser.username, RoleGrant.role, RoleGrant.organisation_id,
            Organisation.kind, Organisation.name,
        )
        .join(AppUser, AppUser.id == RoleGrant.user_id)
        .outerjoin(Organisation, Organisation.id == RoleGrant.organisation_id)
        .order_by(AppUser.username, RoleGrant.id)
    )  # fmt: skip


def load_grants(conn: Connection) -> pl.DataFrame:
    """id, username, role, organisation_id, kind, scope (the scope in words)."""
    rows = [
        (*row[:5], NATION if row[3] is None else kommun_label(row[5]) if row[4] == "kommun"
         else row[5])
        for row in conn.execute(build_grants_query())
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=GRANTS, orient="row")


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite keeps no time zone; the app writes UTC.
    return value.replace(tzinfo=dt.UTC) if value and value.tzinfo is None else value
