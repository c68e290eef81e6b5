"""role grants: roles held in a scope (issue 11)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Adds ``role_grant`` (a user, a role, and the organisation it is held in; NULL = hela landet)
and moves every user's roles into it, then drops ``app_user.roles`` and
``app_user.partnership_id``: the grants are the one place a role lives.

The rule for existing users (also in docs/drift.md, "Uppgradera databasen"): each role of a
user becomes a grant scoped to

1. the kommun of the user's partnership (``app_user.partnership_id``), if they had one;
2. else, if the database holds exactly one partnership, that partnership's kommun;
3. else (no partnership, or several): the admin role becomes national (hela landet); any
   other role is scoped to the kommun of the lowest-id partnership (the first one set up,
   which the app showed before kommuner could be chosen). A database without any
   partnership has nothing to scope a non-admin role to: those roles are not kept (such a
   user had nothing to read or write yet) and an admin gives them a grant.

The data step is written here, against the tables as this revision knows them.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "role_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "role IN ('lasare', 'samordnare', 'admin')", name=op.f("ck_role_grant_role")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_role_grant_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_role_grant_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_grant")),
        sa.UniqueConstraint("user_id", "role", "organisation_id", name="uq_role_grant_scope"),
    )
    with op.batch_alter_table("role_grant", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_role_grant_user_id"), ["user_id"])
        batch_op.create_index(batch_op.f("ix_role_grant_organisation_id"), ["organisation_id"])
        batch_op.create_index(
            "uq_role_grant_national",
            ["user_id", "role"],
            unique=True,
            sqlite_where=sa.text("organisation_id IS NULL"),
            postgresql_where=sa.text("organisation_id IS NULL"),
        )

    connection = op.get_bind()
    grants = _grants(connection)
    if grants:
        connection.execute(ROLE_GRANT.insert(), grants)

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint("fk_app_user_partnership_id_partnership", type_="foreignkey")
        batch_op.drop_column("partnership_id")
        batch_op.drop_column("roles")


# ---------------------------------------------------------------- the data step, as of 0003

ROLES = ("lasare", "samordnare", "admin")
APP_USER = sa.table(
    "app_user",
    sa.column("id", sa.Integer), sa.column("roles", sa.JSON),
    sa.column("partnership_id", sa.Integer),
)  # fmt: skip
PARTNERSHIP = sa.table(
    "partnership", sa.column("id", sa.Integer), sa.column("kommun_id", sa.Integer)
)
ROLE_GRANT = sa.table(
    "role_grant",
    sa.column("user_id", sa.Integer), sa.column("role", sa.String),
    sa.column("organisation_id", sa.Integer),
)  # fmt: skip


def _grants(connection) -> list[dict]:
    """One grant per role of every user, scoped by the rule of the module docstring."""
    kommun_of = dict(connection.execute(sa.select(PARTNERSHIP.c.id, PARTNERSHIP.c.kommun_id)).all())
    first = min(kommun_of) if kommun_of else None
    grants = []
    users = connection.execute(
        sa.select(APP_USER.c.id, APP_USER.c.roles, APP_USER.c.partnership_id).order_by(
            APP_USER.c.id
        )
    ).all()
    for user_id, roles, partnership_id in users:
        for role in [r for r in ROLES if r in set(roles or [])]:
            if partnership_id is not None:
                scope = kommun_of[partnership_id]
            elif len(kommun_of) == 1:
                scope = kommun_of[first]
            elif role == "admin":
                scope = None
            elif first is not None:
                scope = kommun_of[first]
            else:
                continue  # no partnership at all: nothing to scope a non-admin role to
            grants.append({"user_id": user_id, "role": role, "organisation_id": scope})
    return grants


def downgrade() -> None:
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("roles", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(sa.Column("partnership_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_app_user_partnership_id_partnership",
            "partnership", ["partnership_id"], ["id"], ondelete="SET NULL",
        )  # fmt: skip
    connection = op.get_bind()
    grant = sa.table(
        "role_grant", sa.column("user_id", sa.Integer), sa.column("role", sa.String),
        sa.column("organisation_id", sa.Integer),
    )  # fmt: skip
    partnership_by_kommun = {
        kommun: pid
        for pid, kommun in connection.execute(
            sa.select(PARTNERSHIP.c.id, PARTNERSHIP.c.kommun_id).order_by(PARTNERSHIP.c.id.desc())
        ).all()
    }
    held: dict[int, tuple[set, set]] = {}
    for user_id, role, organisation_id in connection.execute(sa.select(grant)).all():
        roles, places = held.setdefault(user_id, (set(), set()))
        roles.add(role)
        if organisation_id in partnership_by_kommun:
            places.add(partnership_by_kommun[organisation_id])
    for user_id, (roles, places) in held.items():
        connection.execute(
            APP_USER.update()
            .where(APP_USER.c.id == user_id)
            .values(
                roles=[r for r in ROLES if r in roles],
                partnership_id=min(places) if len(places) == 1 else None,
            )
        )
    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.alter_column("roles", server_default=None)
    op.drop_table("role_grant")
