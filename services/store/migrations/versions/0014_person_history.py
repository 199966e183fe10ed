"""Records (issue 12): a person's earlier phones and the changes to a person's record.

Revision ID: 0014
Revises: 0016 (the head on main when this landed; the lead fixes the chain)
Create Date: 2026-12-05

* ``person_phone``: a phone a person had before the current one. A new number typed at a later
  visit replaces ``person.phone``; the old one is kept here (never overwritten silently) and
  still finds the person while the clerk types.
* ``person_event``: a change to a person's record made at registration, with the case it was
  registered for: a confirmed change of name (``rename``: from, to, reason) when an ID number
  already registered under another name was typed.

Both tables sync like ``person``.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_phone",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
    )
    op.create_index("ix_person_phone_person_id", "person_phone", ["person_id"])
    op.create_index("ix_person_phone_phone", "person_phone", ["phone"])
    op.create_table(
        "person_event",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.String(36), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"]),
    )
    op.create_index("ix_person_event_person_id", "person_event", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_person_event_person_id", "person_event")
    op.drop_table("person_event")
    op.drop_index("ix_person_phone_phone", "person_phone")
    op.drop_index("ix_person_phone_person_id", "person_phone")
    op.drop_table("person_phone")
