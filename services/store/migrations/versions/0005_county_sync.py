"""County sync: sync state, conflicts, quarantine reasons, parked rows, county reference files.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cursor", sa.BigInteger(), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("hub_device_id", sa.String(length=36), nullable=False),
        sa.Column("hub_label", sa.String(length=100), nullable=False),
        sa.Column("hub_township_id", sa.String(length=36), nullable=True),
        sa.Column("last_success_at", sa.DateTime(), nullable=True),
        sa.Column("last_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("last_error_code", sa.String(length=40), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("clock_skew_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("township_id", sa.String(length=36), nullable=True),
        sa.Column("base_value", sa.JSON(), nullable=True),
        sa.Column("kept_value", sa.JSON(), nullable=True),
        sa.Column("lost_value", sa.JSON(), nullable=True),
        sa.Column("kept_hlc", sa.String(length=64), nullable=False),
        sa.Column("lost_hlc", sa.String(length=64), nullable=False),
        sa.Column("kept_device", sa.String(length=40), nullable=False),
        sa.Column("lost_device", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("detected_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("settled_by", sa.String(length=36), nullable=True),
        sa.Column("settled_at", sa.DateTime(), nullable=True),
        sa.Column("settled_value", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sync_conflict_case_id", "sync_conflict", ["case_id"])
    op.create_index("ix_sync_conflict_status", "sync_conflict", ["status"])
    op.create_table(
        "sync_quarantine",
        sa.Column("change_id", sa.String(length=36), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("quarantined_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("change_id"),
    )
    op.create_table(
        "sync_parked",
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("row", sa.JSON(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("parked_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("entity", "entity_id"),
    )
    op.create_table(
        "sync_reference",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("version", sa.String(length=200), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_index("ix_outbox_entity", "outbox", ["entity", "entity_id"])
    op.create_index("ix_outbox_status_seq", "outbox", ["status", "seq"])


def downgrade() -> None:
    op.drop_index("ix_outbox_status_seq", table_name="outbox")
    op.drop_index("ix_outbox_entity", table_name="outbox")
    op.drop_table("sync_reference")
    op.drop_table("sync_parked")
    op.drop_table("sync_quarantine")
    op.drop_index("ix_sync_conflict_status", table_name="sync_conflict")
    op.drop_index("ix_sync_conflict_case_id", table_name="sync_conflict")
    op.drop_table("sync_conflict")
    op.drop_table("sync_state")
