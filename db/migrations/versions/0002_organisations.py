"""organisations: kommuner, police areas and regions; promise parties (issue 11)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

Adds the organisations, with the reference list that comes with the schema (the 290 kommuner
with their län and the seven police regions, db/reference), links every partnership to its
kommun and police area and makes both parties of each of its promises. Nothing is removed: the
partnership's text columns stay. The data step is written here, against the tables as this
revision knows them, so later changes to the models cannot change what it does.
"""

import csv
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

REFERENCE = Path(__file__).resolve().parents[2] / "reference"


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("lan_code", sa.String(length=2), nullable=True),
        sa.Column("lan_name", sa.String(length=60), nullable=True),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.CheckConstraint(
            "kind IN ('kommun', 'lokalpolisomrade', 'polisregion', 'annan')",
            name=op.f("ck_organisation_kind"),
        ),
        sa.CheckConstraint("source IN ('verklig', 'exempel')", name=op.f("ck_organisation_source")),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organisation.id"],
            name=op.f("fk_organisation_parent_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sa.UniqueConstraint("kind", "code", name="uq_organisation_kind_code"),
        sa.UniqueConstraint("kind", "name", name="uq_organisation_kind_name"),
    )
    with op.batch_alter_table("organisation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organisation_parent_id"), ["parent_id"])

    op.create_table(
        "police_area_kommun",
        sa.Column("police_area_id", sa.Integer(), nullable=False),
        sa.Column("kommun_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["kommun_id"],
            ["organisation.id"],
            name=op.f("fk_police_area_kommun_kommun_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["police_area_id"],
            ["organisation.id"],
            name=op.f("fk_police_area_kommun_police_area_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("police_area_id", "kommun_id", name=op.f("pk_police_area_kommun")),
    )
    with op.batch_alter_table("police_area_kommun", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_police_area_kommun_kommun_id"), ["kommun_id"])

    op.create_table(
        "promise_party",
        sa.Column("promise_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "role IN ('kommun', 'polis', 'annan')", name=op.f("ck_promise_party_role")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_promise_party_organisation_id_organisation"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["promise_id"],
            ["promise.id"],
            name=op.f("fk_promise_party_promise_id_promise"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("promise_id", "organisation_id", name=op.f("pk_promise_party")),
    )
    with op.batch_alter_table("promise_party", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_promise_party_organisation_id"), ["organisation_id"])

    with op.batch_alter_table("partnership", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kommun_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("police_area_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_partnership_kommun_id"), ["kommun_id"])
        batch_op.create_index(batch_op.f("ix_partnership_police_area_id"), ["police_area_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_partnership_police_area_id_organisation"),
            "organisation", ["police_area_id"], ["id"], ondelete="RESTRICT",
        )  # fmt: skip
        batch_op.create_foreign_key(
            batch_op.f("fk_partnership_kommun_id_organisation"),
            "organisation", ["kommun_id"], ["id"], ondelete="RESTRICT",
        )  # fmt: skip

    connection = op.get_bind()
    _insert_reference(connection)
    _link_partnerships(connection)


# ---------------------------------------------------------------- the data step, as of 0002

ORGANISATION = sa.table(
    "organisation",
    sa.column("id", sa.Integer), sa.column("kind", sa.String), sa.column("code", sa.String),
    sa.column("name", sa.String), sa.column("lan_code", sa.String),
    sa.column("lan_name", sa.String), sa.column("parent_id", sa.Integer),
    sa.column("source", sa.String), sa.column("source_url", sa.String),
)  # fmt: skip
PARTNERSHIP = sa.table(
    "partnership",
    sa.column("id", sa.Integer), sa.column("kommun_name", sa.String),
    sa.column("kommun_code", sa.String), sa.column("police_area", sa.String),
    sa.column("source", sa.String), sa.column("kommun_id", sa.Integer),
    sa.column("police_area_id", sa.Integer),
)  # fmt: skip
PROMISE = sa.table("promise", sa.column("id", sa.Integer), sa.column("partnership_id", sa.Integer))
PROMISE_PARTY = sa.table(
    "promise_party",
    sa.column("promise_id", sa.Integer), sa.column("organisation_id", sa.Integer),
    sa.column("role", sa.String), sa.column("sort_order", sa.Integer),
)  # fmt: skip
POLICE_AREA_KOMMUN = sa.table(
    "police_area_kommun",
    sa.column("police_area_id", sa.Integer),
    sa.column("kommun_id", sa.Integer),
)


def _rows(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _sources() -> dict[str, str]:
    """File name → the URL of its public source (the ``Källa:`` lines of db/reference/README.md)."""
    sources = {}
    for line in (REFERENCE / "SOURCES.csv").read_text(encoding="utf-8").splitlines()[1:]:
        name, url = line.split(",", 1)
        sources[name] = url
    return sources


def _insert_reference(connection) -> None:
    sources = _sources()
    regions = _rows("polisregioner.csv")
    connection.execute(
        ORGANISATION.insert(),
        [
            {"kind": "polisregion", "code": r["kod"], "name": r["namn"], "lan_code": None,
             "lan_name": None, "parent_id": None, "source": "verklig",
             "source_url": sources["polisregioner.csv"]}
            for r in regions
        ],
    )  # fmt: skip
    connection.execute(
        ORGANISATION.insert(),
        [
            {"kind": "kommun", "code": k["kod"], "name": k["namn"], "lan_code": k["lanskod"],
             "lan_name": k["lan"], "parent_id": None, "source": "verklig",
             "source_url": sources["kommuner.csv"]}
            for k in _rows("kommuner.csv")
        ],
    )  # fmt: skip


def _region_by_lan(connection) -> dict[str, int]:
    ids = dict(
        connection.execute(
            sa.select(ORGANISATION.c.code, ORGANISATION.c.id).where(
                ORGANISATION.c.kind == "polisregion"
            )
        ).all()
    )
    return {row["lanskod"]: ids[row["polisregion"]] for row in _rows("polisregion_lan.csv")}


def _link_partnerships(connection) -> None:
    """Each partnership's kommun (found by SCB code, else made as demo) and police area."""
    regions = _region_by_lan(connection)
    kommuner = dict(
        connection.execute(
            sa.select(ORGANISATION.c.code, ORGANISATION.c.id).where(ORGANISATION.c.kind == "kommun")
        ).all()
    )
    areas: dict[str, int] = {}
    for row in connection.execute(sa.select(PARTNERSHIP)).mappings().all():
        kommun_id = kommuner.get(row["kommun_code"])
        if kommun_id is None:  # a code outside the reference list (invented demo kommuner)
            kommun_id = connection.execute(
                ORGANISATION.insert().returning(ORGANISATION.c.id),
                {"kind": "kommun", "code": row["kommun_code"], "name": row["kommun_name"],
                 "lan_code": None, "lan_name": None, "parent_id": None, "source": "exempel",
                 "source_url": None},
            ).scalar_one()  # fmt: skip
            kommuner[row["kommun_code"]] = kommun_id
        area_id = areas.get(row["police_area"])
        if area_id is None:
            area_id = connection.execute(
                ORGANISATION.insert().returning(ORGANISATION.c.id),
                {"kind": "lokalpolisomrade", "code": None, "name": row["police_area"],
                 "lan_code": None, "lan_name": None,
                 "parent_id": regions.get(row["kommun_code"][:2]), "source": row["source"],
                 "source_url": None},
            ).scalar_one()  # fmt: skip
            areas[row["police_area"]] = area_id
        connection.execute(
            POLICE_AREA_KOMMUN.insert(), {"police_area_id": area_id, "kommun_id": kommun_id}
        )
        connection.execute(
            PARTNERSHIP.update()
            .where(PARTNERSHIP.c.id == row["id"])
            .values(kommun_id=kommun_id, police_area_id=area_id)
        )
        promise_ids = connection.scalars(
            sa.select(PROMISE.c.id).where(PROMISE.c.partnership_id == row["id"])
        ).all()
        if promise_ids:
            connection.execute(
                PROMISE_PARTY.insert(),
                [
                    {"promise_id": pid, "organisation_id": oid, "role": role, "sort_order": n}
                    for pid in promise_ids
                    for n, (oid, role) in enumerate(((kommun_id, "kommun"), (area_id, "polis")))
                ],
            )


def downgrade() -> None:
    with op.batch_alter_table("partnership", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_partnership_kommun_id_organisation"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_partnership_police_area_id_organisation"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_partnership_police_area_id"))
        batch_op.drop_index(batch_op.f("ix_partnership_kommun_id"))
        batch_op.drop_column("police_area_id")
        batch_op.drop_column("kommun_id")
    op.drop_table("promise_party")
    op.drop_table("police_area_kommun")
    op.drop_table("organisation")
