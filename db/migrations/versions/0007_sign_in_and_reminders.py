"""sign-in and reminders: the organisation login and e-mailed reminders (issue 14)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01

``app_user`` gains ``oidc_issuer`` and ``oidc_subject`` (linked at the first sign-in through
the organisation's identity provider; both or neither, unique together); ``refused_sign_in``
lists people the identity provider knew but we did not, for an admin to act on;
``reminder_sent`` records each reminder the server accepted, one per recipient, period and set
of activities. Only new columns (empty on every existing user) and new tables.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refused_sign_in",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("email_verified", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("handled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refused_sign_in")),
    )
    with op.batch_alter_table("refused_sign_in", schema=None) as batch_op:
        batch_op.create_index("ix_refused_sign_in_at", ["at"], unique=False)

    op.create_table(
        "reminder_sent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("activity_set", sa.String(length=64), nullable=False),
        sa.Column("activity_ids", sa.JSON(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["period_id"],
            ["period.id"],
            name=op.f("fk_reminder_sent_period_id_period"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_reminder_sent_user_id_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_sent")),
        sa.UniqueConstraint("period_id", "recipient", "activity_set", name="uq_reminder_sent"),
    )
    with op.batch_alter_table("reminder_sent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_sent_period_id"), ["period_id"], unique=False)

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("oidc_issuer", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("oidc_subject", sa.String(length=300), nullable=True))
        batch_op.create_unique_constraint("uq_app_user_oidc", ["oidc_issuer", "oidc_subject"])
        batch_op.create_check_constraint(
            "oidc_together", "(oidc_issuer IS NULL) = (oidc_subject IS NULL)"
        )


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint("oidc_together", type_="check")
        batch_op.drop_constraint("uq_app_user_oidc", type_="unique")
        batch_op.drop_column("oidc_subject")
        batch_op.drop_column("oidc_issuer")

    with op.batch_alter_table("reminder_sent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_sent_period_id"))

    op.drop_table("reminder_sent")
    with op.batch_alter_table("refused_sign_in", schema=None) as batch_op:
        batch_op.drop_index("ix_refused_sign_in_at")

    op.drop_table("refused_sign_in")
