"""indicators: figures beside the activities, linked to focus areas (issue 12)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

Adds ``indicator`` (a definition: code, name, unit, which way is better, source and its
attribution, the Kolada KPI id if fetched from Kolada), ``indicator_value`` (a value per
organisation or named area and year or period, with how and when it came in, and whether it
is real) and ``focus_area_indicator`` (a focus area's baseline year, intended direction and
optional target). Only new tables: every existing row stays as it is.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=60), nullable=False),
        sa.Column("better", sa.String(length=6), nullable=False),
        sa.Column("source_name", sa.String(length=120), nullable=False),
        sa.Column("attribution", sa.String(length=200), nullable=False),
        sa.Column("kolada_kpi", sa.String(length=10), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.CheckConstraint("better IN ('lagre', 'hogre')", name=op.f("ck_indicator_better")),
        sa.CheckConstraint("source IN ('verklig', 'exempel')", name=op.f("ck_indicator_source")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint("code", name=op.f("uq_indicator_code")),
        sa.UniqueConstraint("kolada_kpi", name=op.f("uq_indicator_kolada_kpi")),
    )
    op.create_table(
        "indicator_value",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=120), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period_no", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "origin IN ('kolada', 'import', 'demo')", name=op.f("ck_indicator_value_origin")
        ),
        sa.CheckConstraint(
            "source IN ('verklig', 'exempel')", name=op.f("ck_indicator_value_source")
        ),
        sa.CheckConstraint("period_no BETWEEN 0 AND 6", name=op.f("ck_indicator_value_period_no")),
        sa.CheckConstraint(
            "year BETWEEN 2000 AND 2100", name=op.f("ck_indicator_value_year_range")
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_indicator_value_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_indicator_value_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_value")),
        sa.UniqueConstraint(
            "indicator_id",
            "organisation_id",
            "area",
            "year",
            "period_no",
            name="uq_indicator_value_key",
        ),
    )
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_indicator_value_indicator_id"), ["indicator_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_indicator_value_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "focus_area_indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("focus_area_id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("area", sa.String(length=120), nullable=False),
        sa.Column("baseline_year", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=6), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "direction IN ('lagre', 'hogre')", name=op.f("ck_focus_area_indicator_direction")
        ),
        sa.CheckConstraint(
            "baseline_year BETWEEN 2000 AND 2100",
            name=op.f("ck_focus_area_indicator_baseline_year"),
        ),
        sa.ForeignKeyConstraint(
            ["focus_area_id"],
            ["focus_area.id"],
            name=op.f("fk_focus_area_indicator_focus_area_id_focus_area"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_focus_area_indicator_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_focus_area_indicator")),
        sa.UniqueConstraint(
            "focus_area_id", "indicator_id", "area", name="uq_focus_area_indicator"
        ),
    )
    with op.batch_alter_table("focus_area_indicator", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_focus_area_indicator_focus_area_id"), ["focus_area_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_focus_area_indicator_indicator_id"), ["indicator_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("focus_area_indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_focus_area_indicator_indicator_id"))
        batch_op.drop_index(batch_op.f("ix_focus_area_indicator_focus_area_id"))

    op.drop_table("focus_area_indicator")
    with op.batch_alter_table("indicator_value", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_value_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_indicator_value_indicator_id"))

    op.drop_table("indicator_value")
    op.drop_table("indicator")
