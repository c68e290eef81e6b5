"""periods: promises valid by date, for a named area, with a follow-up rhythm (issue 11)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01

Promises gain ``valid_from``/``valid_to`` (dates), ``area`` (a named part of the kommun; none
for the whole kommun) and ``rhythm``; the one-promise-per-start-year unique goes, since two
areas of one kommun may start the same year (the overlap rule per area is db/rules.py). Every
promise gets its tertial periods, and every evaluation moves from (year, tertial) to the
period of its promise: ``period_id``, with year and number held beside it by a composite
foreign key. Activities may be owned by another party of the promise.

Existing promises were whole calendar years followed up by tertial, so they become valid from
1 January of their first year to 31 December of their last, with rhythm ``tertial``. Nothing is
removed; the data step is written here against the tables as this revision knows them.
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TERTIALS = {1: ("T1", "T1 jan–apr", 1, 4), 2: ("T2", "T2 maj–aug", 5, 8),
            3: ("T3", "T3 sep–dec", 9, 12)}  # fmt: skip
MONTH_END = {4: 30, 8: 31, 12: 31}


def upgrade() -> None:
    connection = op.get_bind()
    with op.batch_alter_table("promise", schema=None) as batch_op:
        batch_op.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("area", sa.String(length=120), nullable=True))
        batch_op.add_column(
            sa.Column("rhythm", sa.String(length=10), nullable=False, server_default="tertial")
        )
    promise = sa.table(
        "promise",
        sa.column("id", sa.Integer),
        sa.column("year_from", sa.Integer),
        sa.column("year_to", sa.Integer),
        sa.column("valid_from", sa.Date),
        sa.column("valid_to", sa.Date),
    )
    promises = connection.execute(sa.select(promise.c.id, promise.c.year_from, promise.c.year_to))
    promise_years = {}
    for promise_id, year_from, year_to in promises.all():
        promise_years[promise_id] = (year_from, year_to)
        connection.execute(
            promise.update()
            .where(promise.c.id == promise_id)
            .values(valid_from=dt.date(year_from, 1, 1), valid_to=dt.date(year_to, 12, 31))
        )
    with op.batch_alter_table("promise", schema=None) as batch_op:
        batch_op.alter_column("valid_from", existing_type=sa.Date(), nullable=False)
        batch_op.alter_column("valid_to", existing_type=sa.Date(), nullable=False)
        batch_op.drop_constraint(batch_op.f("uq_promise_partnership_id"), type_="unique")
        batch_op.create_check_constraint(op.f("ck_promise_valid_order"), "valid_from <= valid_to")
        batch_op.create_check_constraint(
            op.f("ck_promise_rhythm"), "rhythm IN ('tertial', 'kvartal', 'halvar', 'egna')"
        )

    op.create_table(
        "period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("promise_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.CheckConstraint("number BETWEEN 1 AND 6", name=op.f("ck_period_number")),
        sa.CheckConstraint("starts_on <= ends_on", name=op.f("ck_period_date_order")),
        sa.ForeignKeyConstraint(
            ["promise_id"],
            ["promise.id"],
            name=op.f("fk_period_promise_id_promise"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period")),
        sa.UniqueConstraint("id", "year", "number", name="uq_period_id_year_number"),
        sa.UniqueConstraint("promise_id", "year", "number", name="uq_period_promise_year_number"),
    )
    with op.batch_alter_table("period", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_period_promise_id"), ["promise_id"])

    period_ids = _insert_periods(connection, promise_years)

    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("period_id", sa.Integer(), nullable=True))
    _link_evaluations(connection, period_ids)
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluation_year_tertial")
        batch_op.drop_constraint(batch_op.f("ck_evaluation_tertial"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_evaluation_activity_id"), type_="unique")
        batch_op.alter_column("tertial", new_column_name="period_no", existing_type=sa.Integer())
        batch_op.alter_column("period_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_evaluation_activity_id"), ["activity_id", "year", "period_no"]
        )
        batch_op.create_unique_constraint(
            "uq_evaluation_activity_period", ["activity_id", "period_id"]
        )
        batch_op.create_foreign_key(
            "fk_evaluation_period",
            "period",
            ["period_id", "year", "period_no"],
            ["id", "year", "number"],
            ondelete="CASCADE",
        )
        batch_op.create_index("ix_evaluation_year_period_no", ["year", "period_no"])
        batch_op.create_index(batch_op.f("ix_evaluation_period_id"), ["period_id"])

    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner_organisation_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_activity_owner_organisation_id_organisation"),
            "organisation",
            ["owner_organisation_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.drop_constraint(batch_op.f("ck_activity_owner"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_activity_owner"), "owner IN ('kommun', 'polis', 'gemensam', 'annan')"
        )
        batch_op.create_check_constraint(
            op.f("ck_activity_owner_party"),
            "(owner = 'annan') = (owner_organisation_id IS NOT NULL)",
        )


def _insert_periods(connection, promise_years) -> dict[tuple[int, int, int], int]:
    """Tertial periods for every promise year, and for any (year, tertial) evaluated outside
    them, so no evaluation is left without its period. Returns ids by (promise, year, T)."""
    evaluation = sa.table(
        "evaluation",
        sa.column("activity_id", sa.Integer),
        sa.column("year", sa.Integer),
        sa.column("tertial", sa.Integer),
    )
    activity = sa.table(
        "activity", sa.column("id", sa.Integer), sa.column("promise_id", sa.Integer)
    )
    wanted = {
        (promise_id, year, tertial)
        for promise_id, (year_from, year_to) in promise_years.items()
        for year in range(year_from, year_to + 1)
        for tertial in TERTIALS
    }
    evaluated = connection.execute(
        sa.select(activity.c.promise_id, evaluation.c.year, evaluation.c.tertial)
        .join(activity, activity.c.id == evaluation.c.activity_id)
        .distinct()
    )
    wanted |= {tuple(row) for row in evaluated}
    period = sa.table(
        "period",
        sa.column("id", sa.Integer),
        sa.column("promise_id", sa.Integer),
        sa.column("year", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("starts_on", sa.Date),
        sa.column("ends_on", sa.Date),
    )
    rows = []
    for promise_id, year, tertial in sorted(wanted):
        code, name, first, last = TERTIALS[tertial]
        rows.append(
            {
                "promise_id": promise_id,
                "year": year,
                "number": tertial,
                "code": code,
                "name": name,
                "starts_on": dt.date(year, first, 1),
                "ends_on": dt.date(year, last, MONTH_END[last]),
            }
        )
    if rows:
        connection.execute(period.insert(), rows)
    ids = connection.execute(sa.select(period.c.id, period.c.promise_id, period.c.year,
                                       period.c.number))  # fmt: skip
    return {(promise_id, year, number): pid for pid, promise_id, year, number in ids}


def _link_evaluations(connection, period_ids) -> None:
    evaluation = sa.table(
        "evaluation",
        sa.column("id", sa.Integer),
        sa.column("activity_id", sa.Integer),
        sa.column("year", sa.Integer),
        sa.column("tertial", sa.Integer),
        sa.column("period_id", sa.Integer),
    )
    activity = sa.table(
        "activity", sa.column("id", sa.Integer), sa.column("promise_id", sa.Integer)
    )
    rows = connection.execute(
        sa.select(
            evaluation.c.id, activity.c.promise_id, evaluation.c.year, evaluation.c.tertial
        ).join(activity, activity.c.id == evaluation.c.activity_id)
    ).all()
    by_period: dict[int, list[int]] = {}
    for evaluation_id, promise_id, year, tertial in rows:
        by_period.setdefault(period_ids[(promise_id, year, tertial)], []).append(evaluation_id)
    for period_id, evaluation_ids in by_period.items():
        for start in range(0, len(evaluation_ids), 500):
            connection.execute(
                evaluation.update()
                .where(evaluation.c.id.in_(evaluation_ids[start : start + 500]))
                .values(period_id=period_id)
            )


def downgrade() -> None:
    """Back to (year, tertial): only possible while every promise is whole years by tertial."""
    connection = op.get_bind()
    other = connection.execute(
        sa.text("SELECT count(*) FROM promise WHERE rhythm <> 'tertial' OR area IS NOT NULL")
    ).scalar()
    if other:
        raise RuntimeError(
            f"{other} löften har en annan rytm eller ett område; de ryms inte i schema 0003."
        )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_activity_owner_party"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_activity_owner"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_activity_owner"), "owner IN ('kommun', 'polis', 'gemensam')"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_activity_owner_organisation_id_organisation"), type_="foreignkey"
        )
        batch_op.drop_column("owner_organisation_id")
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evaluation_period_id"))
        batch_op.drop_index("ix_evaluation_year_period_no")
        batch_op.drop_constraint("fk_evaluation_period", type_="foreignkey")
        batch_op.drop_constraint("uq_evaluation_activity_period", type_="unique")
        batch_op.drop_constraint(batch_op.f("uq_evaluation_activity_id"), type_="unique")
        batch_op.alter_column("period_no", new_column_name="tertial", existing_type=sa.Integer())
        batch_op.drop_column("period_id")
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            batch_op.f("uq_evaluation_activity_id"), ["activity_id", "year", "tertial"]
        )
        batch_op.create_check_constraint(op.f("ck_evaluation_tertial"), "tertial BETWEEN 1 AND 3")
        batch_op.create_index("ix_evaluation_year_tertial", ["year", "tertial"])
    with op.batch_alter_table("period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_period_promise_id"))
    op.drop_table("period")
    with op.batch_alter_table("promise", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_promise_rhythm"), type_="check")
        batch_op.drop_constraint(op.f("ck_promise_valid_order"), type_="check")
        batch_op.create_unique_constraint(
            batch_op.f("uq_promise_partnership_id"), ["partnership_id", "year_from"]
        )
        batch_op.drop_column("rhythm")
        batch_op.drop_column("area")
        batch_op.drop_column("valid_to")
        batch_op.drop_column("valid_from")
