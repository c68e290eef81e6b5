"""The data model (docs/architecture.md, "Data model") as SQLAlchemy 2.x declarative models.

Constraints that protect the data live in the database itself (checks, uniques, foreign keys),
so no code path, the CLI, an import or a hand-written SQL statement, can store what the app
would refuse. Vocabularies are plain strings with CHECK constraints: they read well in SQL,
migrate easily and behave the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from db.vocabulary import (
    DIRECTIONS,
    INDICATOR_YEARS,
    KINDS,
    MAX_PERIODS_PER_YEAR,
    ORGANISATION_KINDS,
    OWNERS,
    PARTY_ROLES,
    RHYTHMS,
    ROLES,
    SOURCES,
    STATUSES,
    VALUE_ORIGINS,
)

__all__ = ["DIRECTIONS", "KINDS", "ORGANISATION_KINDS", "OWNERS", "PARTY_ROLES", "RHYTHMS",
           "ROLES", "SOURCES", "STATUSES"]  # fmt: skip

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{v}'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar = {dict[str, Any]: JSON, list[Any]: JSON}


class Organisation(Base):
    """A kommun, a lokalpolisområde, a polisregion or another party of a promise (issue 11).

    Kommuner carry their SCB code and län; the 290 kommuner and the seven police regions come
    with the migration (db/reference). A lokalpolisområde belongs to a polisregion
    (``parent_id``) and covers one or more kommuner (``police_area_kommun``).
    """

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    lan_code: Mapped[str | None] = mapped_column(String(2))
    lan_name: Mapped[str | None] = mapped_column(String(60))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    source: Mapped[str] = mapped_column(String(10), default="exempel")
    source_url: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        UniqueConstraint("kind", "code", name="uq_organisation_kind_code"),
        UniqueConstraint("kind", "name", name="uq_organisation_kind_name"),
        CheckConstraint(_in("kind", ORGANISATION_KINDS), name="kind"),
        CheckConstraint(_in("source", SOURCES), name="source"),
    )


class PoliceAreaKommun(Base):
    """A kommun that a lokalpolisområde covers (Eskilstuna and Strängnäs share one)."""

    __tablename__ = "police_area_kommun"

    police_area_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    kommun_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Partnership(Base):
    """Kommun and lokalpolisområde: the two parties of a promise.

    ``kommun_id`` and ``police_area_id`` name the organisations (issue 11); the text columns
    stay until every reader uses the organisations.
    """

    __tablename__ = "partnership"

    id: Mapped[int] = mapped_column(primary_key=True)
    kommun_name: Mapped[str] = mapped_column(String(100))
    kommun_code: Mapped[str] = mapped_column(String(4), unique=True)
    police_area: Mapped[str] = mapped_column(String(150))
    source: Mapped[str] = mapped_column(String(10), default="exempel")
    kommun_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    police_area_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )

    promises: Mapped[list[Promise]] = relationship(back_populates="partnership")

    __table_args__ = (CheckConstraint(_in("source", SOURCES), name="source"),)


class Promise(Base):
    """One medborgarlöfte (or, before 2016, samverkansöverenskommelse) of a kommun.

    Valid from ``valid_from`` to ``valid_to`` (dates; signing is ``signed_on``, separate);
    ``year_from``/``year_to`` are the calendar years those dates fall in, kept by db/rules.py
    for the year pickers and trends. ``area`` names the part of the kommun it is for (a
    stadsdel, a travel centre), ``None`` for the whole kommun: two promises of one kommun and
    area must not overlap in time (db/rules.py); different areas may. ``rhythm`` says how it
    is followed up; its periods are rows of ``period``.
    """

    __tablename__ = "promise"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnership.id", ondelete="CASCADE"))
    year_from: Mapped[int] = mapped_column(Integer)
    year_to: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date)
    area: Mapped[str | None] = mapped_column(String(120))
    rhythm: Mapped[str] = mapped_column(String(10), default="tertial")
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(300))
    signed_on: Mapped[dt.date | None] = mapped_column(Date)
    # [{"name": "Lars Ekström", "role": "kommundirektör"}, ...]
    signatories: Mapped[list[Any]] = mapped_column(default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10), default="exempel")
    source_url: Mapped[str | None] = mapped_column(String(500))

    partnership: Mapped[Partnership] = relationship(back_populates="promises")
    focus_areas: Mapped[list[FocusArea]] = relationship(
        back_populates="promise", order_by="FocusArea.sort_order"
    )
    activities: Mapped[list[Activity]] = relationship(back_populates="promise")
    periods: Mapped[list[Period]] = relationship(
        back_populates="promise", order_by="Period.starts_on", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("year_from <= year_to", name="year_order"),
        CheckConstraint("valid_from <= valid_to", name="valid_order"),
        CheckConstraint(_in("rhythm", RHYTHMS), name="rhythm"),
        CheckConstraint("year_from BETWEEN 2000 AND 2100", name="year_range"),
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint(_in("source", SOURCES), name="source"),
        Index("ix_promise_years", "partnership_id", "year_from", "year_to"),
    )


class Period(Base):
    """One follow-up period of a promise (db/periods.py derives them from its rhythm).

    ``year`` is the calendar year the period ends in and ``number`` its place in that year
    (T2 is 2); an evaluation carries both beside ``period_id`` under one composite foreign key,
    so they cannot disagree and the year's queries filter evaluations without a join.
    """

    __tablename__ = "period"

    id: Mapped[int] = mapped_column(primary_key=True)
    promise_id: Mapped[int] = mapped_column(
        ForeignKey("promise.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)

    promise: Mapped[Promise] = relationship(back_populates="periods")

    __table_args__ = (
        UniqueConstraint("promise_id", "year", "number", name="uq_period_promise_year_number"),
        UniqueConstraint("id", "year", "number", name="uq_period_id_year_number"),
        CheckConstraint(f"number BETWEEN 1 AND {MAX_PERIODS_PER_YEAR}", name="number"),
        CheckConstraint("starts_on <= ends_on", name="date_order"),
    )


class PromiseParty(Base):
    """An organisation that signed a promise: the kommun, the police area, and any others."""

    __tablename__ = "promise_party"

    promise_id: Mapped[int] = mapped_column(
        ForeignKey("promise.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(10))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (CheckConstraint(_in("role", PARTY_ROLES), name="role"),)


class FocusArea(Base):
    """A fokusområde of one promise; ``theme`` follows the same subject across years."""

    __tablename__ = "focus_area"

    id: Mapped[int] = mapped_column(primary_key=True)
    promise_id: Mapped[int] = mapped_column(
        ForeignKey("promise.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(String(50))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    promise: Mapped[Promise] = relationship(back_populates="focus_areas")
    activities: Mapped[list[Activity]] = relationship(
        back_populates="focus_area", order_by="Activity.sort_order"
    )


class Activity(Base):
    """A promised activity; ``lineage_key`` ties the same recurring activity across years."""

    __tablename__ = "activity"

    id: Mapped[int] = mapped_column(primary_key=True)
    promise_id: Mapped[int] = mapped_column(
        ForeignKey("promise.id", ondelete="CASCADE"), index=True
    )
    focus_area_id: Mapped[int] = mapped_column(
        ForeignKey("focus_area.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(10))
    # The party that carries out an activity owned by "annan" (another party of the promise).
    owner_organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT")
    )
    # ["vårdnadshavare", "föreningar", ...]
    partners: Mapped[list[Any]] = mapped_column(default=list)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_unit: Mapped[str | None] = mapped_column(String(60))
    lineage_key: Mapped[str | None] = mapped_column(String(80), index=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(10), default="exempel")
    source_url: Mapped[str | None] = mapped_column(String(500))

    promise: Mapped[Promise] = relationship(back_populates="activities")
    focus_area: Mapped[FocusArea] = relationship(back_populates="activities")
    evaluations: Mapped[list[Evaluation]] = relationship(back_populates="activity")

    __table_args__ = (
        CheckConstraint(_in("owner", OWNERS), name="owner"),
        CheckConstraint(
            "(owner = 'annan') = (owner_organisation_id IS NOT NULL)", name="owner_party"
        ),
        CheckConstraint(_in("source", SOURCES), name="source"),
        CheckConstraint("target_value IS NULL OR target_value >= 0", name="target_value"),
    )


class Evaluation(Base):
    """One activity's evaluation in one period of its promise; ``version`` is the optimistic lock.

    ``year`` and ``period_no`` are the period's (see Period), held by the composite foreign key.
    """

    __tablename__ = "evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id", ondelete="CASCADE"))
    period_id: Mapped[int] = mapped_column(Integer, index=True)
    year: Mapped[int] = mapped_column(Integer)
    period_no: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(15))
    completion: Mapped[int] = mapped_column(Integer)
    achieved_value: Mapped[float | None] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    # Comments are internal; the coordinator marks one for citizens or writes a public line
    # (issue 13). Only published snapshots of these ever reach the public page.
    comment_public: Mapped[bool] = mapped_column(Boolean, default=False)
    public_line: Mapped[str] = mapped_column(Text, default="")
    evaluated_by: Mapped[str] = mapped_column(String(100))
    evaluated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(10), default="exempel")
    source_url: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, default=1)

    activity: Mapped[Activity] = relationship(back_populates="evaluations")

    __table_args__ = (
        UniqueConstraint("activity_id", "year", "period_no"),
        UniqueConstraint("activity_id", "period_id", name="uq_evaluation_activity_period"),
        ForeignKeyConstraint(
            ["period_id", "year", "period_no"],
            ["period.id", "period.year", "period.number"],
            name="fk_evaluation_period",
            ondelete="CASCADE",
        ),
        CheckConstraint("completion BETWEEN 0 AND 100", name="completion"),
        CheckConstraint(_in("status", STATUSES), name="status"),
        CheckConstraint(_in("source", SOURCES), name="source"),
        CheckConstraint("achieved_value IS NULL OR achieved_value >= 0", name="achieved_value"),
        CheckConstraint("version >= 1", name="version"),
        Index("ix_evaluation_year_period_no", "year", "period_no"),
    )


class AuditLog(Base):
    """Who changed which row of promise data, when, with the row before and after (JSON)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    username: Mapped[str] = mapped_column(String(100))
    table_name: Mapped[str] = mapped_column(String(50))
    row_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict[str, Any] | None] = mapped_column()
    after: Mapped[dict[str, Any] | None] = mapped_column()

    __table_args__ = (
        CheckConstraint(_in("action", ("insert", "update", "delete", "load")), name="action"),
        Index("ix_audit_log_row", "table_name", "row_id"),
    )


class AppUser(Base):
    """A person who may log in; what they may do is their role grants (``grants``, issue 11)."""

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    first_failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # The organisation login (issue 14): the identity provider's issuer and subject, linked at
    # the first sign-in matched by a verified e-mail; later sign-ins match by these alone.
    oidc_issuer: Mapped[str | None] = mapped_column(String(300))
    oidc_subject: Mapped[str | None] = mapped_column(String(300))

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="RoleGrant.id",
    )

    @property
    def roles(self) -> list[str]:
        """The roles the user holds in any scope, in ROLES order (page visibility)."""
        held = {grant.role for grant in self.grants}
        return [role for role in ROLES if role in held]

    __table_args__ = (
        UniqueConstraint("oidc_issuer", "oidc_subject", name="uq_app_user_oidc"),
        CheckConstraint("(oidc_issuer IS NULL) = (oidc_subject IS NULL)", name="oidc_together"),
    )


class RoleGrant(Base):
    """A role held in a scope (issue 11): a kommun, a lokalpolisområde, a polisregion, or the
    nation (``organisation_id`` NULL, "hela landet").

    A grant on a kommun covers the partnership of that kommun; on a lokalpolisområde the
    partnerships of that police area; on a polisregion those whose police area belongs to it.
    A user holds a role in a scope once: unique (user, role, organisation), and, since a
    unique constraint lets NULLs repeat on both databases, a partial unique index for the
    national grant.
    """

    __tablename__ = "role_grant"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(12))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )

    user: Mapped[AppUser] = relationship(back_populates="grants")

    __table_args__ = (
        UniqueConstraint("user_id", "role", "organisation_id", name="uq_role_grant_scope"),
        Index(
            "uq_role_grant_national",
            "user_id",
            "role",
            unique=True,
            sqlite_where=text("organisation_id IS NULL"),
            postgresql_where=text("organisation_id IS NULL"),
        ),
        CheckConstraint(_in("role", ROLES), name="role"),
    )


class Indicator(Base):
    """A figure that says whether things changed (issue 12): Kolada's reported violent crime per
    100,000 inhabitants, the police's trygghetsmätning problem index, a survey's share.

    ``better`` says which way is better; ``attribution`` is what its source requires beside
    every value shown ("Källa: Kolada"); ``kolada_kpi`` is the KPI id when its values are
    fetched from Kolada. ``source`` says whether the definition itself is real or invented.
    """

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(60))
    better: Mapped[str] = mapped_column(String(6))
    source_name: Mapped[str] = mapped_column(String(120))
    attribution: Mapped[str] = mapped_column(String(200), default="")
    kolada_kpi: Mapped[str | None] = mapped_column(String(10), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10), default="exempel")
    source_url: Mapped[str | None] = mapped_column(String(500))

    values: Mapped[list[IndicatorValue]] = relationship(
        back_populates="indicator", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint(_in("better", DIRECTIONS), name="better"),
        CheckConstraint(_in("source", SOURCES), name="source"),
    )


class IndicatorValue(Base):
    """One value of an indicator for an organisation (or a named ``area`` of it) in a year.

    ``area`` is "" for the whole organisation and ``period_no`` 0 for the whole year, so the
    unique key holds on both databases (NULLs would repeat). ``origin`` says how the value came
    in (Kolada, a file, the demo) and ``fetched_at`` when; ``source`` whether it is real.
    """

    __tablename__ = "indicator_value"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    area: Mapped[str] = mapped_column(String(120), default="")
    year: Mapped[int] = mapped_column(Integer)
    period_no: Mapped[int] = mapped_column(Integer, default=0)
    value: Mapped[float] = mapped_column(Float)
    origin: Mapped[str] = mapped_column(String(10))
    fetched_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    source: Mapped[str] = mapped_column(String(10), default="exempel")
    source_url: Mapped[str | None] = mapped_column(String(500))

    indicator: Mapped[Indicator] = relationship(back_populates="values")

    __table_args__ = (
        UniqueConstraint(
            *("indicator_id", "organisation_id", "area", "year", "period_no"),
            name="uq_indicator_value_key",
        ),
        CheckConstraint(
            f"year BETWEEN {INDICATOR_YEARS[0]} AND {INDICATOR_YEARS[1]}", name="year_range"
        ),
        CheckConstraint(f"period_no BETWEEN 0 AND {MAX_PERIODS_PER_YEAR}", name="period_no"),
        CheckConstraint(_in("origin", VALUE_ORIGINS), name="origin"),
        CheckConstraint(_in("source", SOURCES), name="source"),
    )


class FocusAreaIndicator(Base):
    """A focus area's link to an indicator: what it aims to change, from which baseline year,
    in which direction, and optionally to which target value (issue 12).

    The values read are the promise's kommun's (or, with ``area``, that named part's).
    """

    __tablename__ = "focus_area_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int] = mapped_column(
        ForeignKey("focus_area.id", ondelete="CASCADE"), index=True
    )
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("indicator.id", ondelete="CASCADE"), index=True
    )
    area: Mapped[str] = mapped_column(String(120), default="")
    baseline_year: Mapped[int] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(6))
    target_value: Mapped[float | None] = mapped_column(Float)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    indicator: Mapped[Indicator] = relationship()

    __table_args__ = (
        UniqueConstraint("focus_area_id", "indicator_id", "area", name="uq_focus_area_indicator"),
        CheckConstraint(
            f"baseline_year BETWEEN {INDICATOR_YEARS[0]} AND {INDICATOR_YEARS[1]}",
            name="baseline_year",
        ),
        CheckConstraint(_in("direction", DIRECTIONS), name="direction"),
    )


class Publication(Base):
    """A promise's follow-up at one period, published for citizens by an admin (issue 13).

    ``content`` is the public snapshot made when the admin confirmed, exactly what the preview
    showed: the public page and the static file render only snapshots, so a later draft, an
    internal comment or a user name can never reach them. Withdrawing keeps the row (with who
    and when) and takes it off the public page; one publication per promise and period is live
    at a time (a partial unique index, like role_grant's national grant).
    """

    __tablename__ = "publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    promise_id: Mapped[int] = mapped_column(
        ForeignKey("promise.id", ondelete="CASCADE"), index=True
    )
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"))
    published_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str] = mapped_column(String(100))
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[str | None] = mapped_column(String(100))
    content: Mapped[dict[str, Any]] = mapped_column()

    __table_args__ = (
        Index(
            "uq_publication_live",
            "promise_id",
            "period_id",
            unique=True,
            sqlite_where=text("withdrawn_at IS NULL"),
            postgresql_where=text("withdrawn_at IS NULL"),
        ),
        CheckConstraint(
            "(withdrawn_at IS NULL) = (withdrawn_by IS NULL)", name="withdrawn_together"
        ),
    )


class RefusedSignIn(Base):
    """Someone the identity provider knew but we did not (issue 14): shown to admins, who can
    create the account from it. Nothing about our data was shown to them."""

    __tablename__ = "refused_sign_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    issuer: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(200), default="")
    email_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(200), default="")
    reason: Mapped[str] = mapped_column(String(200))
    handled: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_refused_sign_in_at", "at"),)


class ReminderSent(Base):
    """A reminder e-mailed (issue 14): one per recipient, period and set of activities, so
    running the command again sends nothing new. Written only after the server accepted it."""

    __tablename__ = "reminder_sent"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("period.id", ondelete="CASCADE"), index=True)
    recipient: Mapped[str] = mapped_column(String(200))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    # sha256 of the sorted activity ids the mail named, and the ids themselves
    activity_set: Mapped[str] = mapped_column(String(64))
    activity_ids: Mapped[list[Any]] = mapped_column(default=list)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("period_id", "recipient", "activity_set", name="uq_reminder_sent"),
    )
