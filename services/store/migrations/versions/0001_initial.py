"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "calendar_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_workday", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("day"),
    )
    op.create_table(
        "deadline_rule",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("handling_level", sa.String(length=10), nullable=False),
        sa.Column("category_code", sa.String(length=4), nullable=True),
        sa.Column("risk_colour", sa.String(length=8), nullable=True),
        sa.Column("milestone", sa.String(length=16), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "device_state",
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=True),
        sa.Column("hlc_last", sa.String(length=64), nullable=False),
        sa.Column("reference_version", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("device_id"),
    )
    op.create_table(
        "number_block",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("series", sa.String(length=60), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("next_value", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("leased_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("number_block", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_number_block_series"), ["series"], unique=False)

    op.create_table(
        "org_unit",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=True),
        sa.Column("unit_type", sa.String(length=20), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_org_unit_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_org_unit_parent_id"), ["parent_id"], unique=False)

    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=30), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("op", sa.String(length=8), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("change_id"),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_status"), ["status"], unique=False)

    op.create_table(
        "app_user",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=50), nullable=False),
        sa.Column("display_name", sa.String(length=50), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("org_id", sa.String(length=36), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_pinyin", sa.String(length=200), nullable=False),
        sa.Column("name_initials", sa.String(length=60), nullable=False),
        sa.Column("id_type", sa.String(length=10), nullable=False),
        sa.Column("id_number", sa.String(length=20), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("gender", sa.String(length=2), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("village_id", sa.String(length=36), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["village_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_id_number"), ["id_number"], unique=False)
        batch_op.create_index("ix_person_name", ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_name_initials"), ["name_initials"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_person_phone"), ["phone"], unique=False)

    op.create_table(
        "case_file",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=False),
        sa.Column("village_id", sa.String(length=36), nullable=True),
        sa.Column("grid_id", sa.String(length=36), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category_code", sa.String(length=4), nullable=False),
        sa.Column("risk_colour", sa.String(length=8), nullable=False),
        sa.Column("risk_basis", sa.Text(), nullable=False),
        sa.Column("handling_level", sa.String(length=10), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=True),
        sa.Column("people_count", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=True),
        sa.Column("occurred_place", sa.String(length=200), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_by", sa.String(length=36), nullable=True),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("supervision_level", sa.String(length=10), nullable=False),
        sa.Column("assignee_unit_id", sa.String(length=36), nullable=True),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("remind_at", sa.DateTime(), nullable=True),
        sa.Column("yellow_at", sa.DateTime(), nullable=True),
        sa.Column("due_provisional", sa.Boolean(), nullable=False),
        sa.Column("clock_paused", sa.Boolean(), nullable=False),
        sa.Column("rework_count", sa.Integer(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_unit_id"],
            ["org_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["grid_id"],
            ["org_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["registered_by"],
            ["app_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["township_id"],
            ["org_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["village_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.create_index(
            "ix_case_colour_registered", ["risk_colour", "registered_at"], unique=False
        )
        batch_op.create_index("ix_case_due", ["state", "due_at"], unique=False)
        batch_op.create_index("ix_case_registered", ["registered_at"], unique=False)
        batch_op.create_index("ix_case_state_registered", ["state", "registered_at"], unique=False)
        batch_op.create_index(
            "ix_case_village_registered", ["village_id", "registered_at"], unique=False
        )

    op.create_table(
        "case_alias",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
        ),
        sa.PrimaryKeyConstraint("code"),
    )
    with op.batch_alter_table("case_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_alias_case_id"), ["case_id"], unique=False)

    op.create_table(
        "case_event",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("actor_id", sa.String(length=36), nullable=True),
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("hlc", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", sa.DateTime(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "seq", name="uq_case_event_seq"),
    )
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.create_index("ix_case_event_case_hlc", ["case_id", "hlc"], unique=False)

    op.create_table(
        "case_party",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_party", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_party_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_party_person_id"), ["person_id"], unique=False)

    op.create_table(
        "visit",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("received_by", sa.String(length=36), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("head_count", sa.Integer(), nullable=False),
        sa.Column("is_collective", sa.Boolean(), nullable=False),
        sa.Column("is_repeat", sa.Boolean(), nullable=False),
        sa.Column("disposition", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
        ),
        sa.ForeignKeyConstraint(
            ["received_by"],
            ["app_user.id"],
        ),
        sa.ForeignKeyConstraint(
            ["township_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_received_at"), ["received_at"], unique=False)

    op.create_table(
        "visit_person",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("visit_person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_person_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_person_visit_id"), ["visit_id"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("visit_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_person_visit_id"))
        batch_op.drop_index(batch_op.f("ix_visit_person_person_id"))

    op.drop_table("visit_person")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_received_at"))
        batch_op.drop_index(batch_op.f("ix_visit_case_id"))

    op.drop_table("visit")
    with op.batch_alter_table("case_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_party_person_id"))
        batch_op.drop_index(batch_op.f("ix_case_party_case_id"))

    op.drop_table("case_party")
    with op.batch_alter_table("case_event", schema=None) as batch_op:
        batch_op.drop_index("ix_case_event_case_hlc")

    op.drop_table("case_event")
    with op.batch_alter_table("case_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_alias_case_id"))

    op.drop_table("case_alias")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_index("ix_case_village_registered")
        batch_op.drop_index("ix_case_state_registered")
        batch_op.drop_index("ix_case_registered")
        batch_op.drop_index("ix_case_due")
        batch_op.drop_index("ix_case_colour_registered")

    op.drop_table("case_file")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_phone"))
        batch_op.drop_index(batch_op.f("ix_person_name_initials"))
        batch_op.drop_index("ix_person_name")
        batch_op.drop_index(batch_op.f("ix_person_id_number"))

    op.drop_table("person")
    op.drop_table("app_user")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_status"))

    op.drop_table("outbox")
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_org_unit_parent_id"))
        batch_op.drop_index(batch_op.f("ix_org_unit_code"))

    op.drop_table("org_unit")
    with op.batch_alter_table("number_block", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_number_block_series"))

    op.drop_table("number_block")
    op.drop_table("device_state")
    op.drop_table("deadline_rule")
    op.drop_table("calendar_day")
