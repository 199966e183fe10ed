"""hub initial schema

Revision ID: hub0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "hub0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "township",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("code", sa.String(20), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "device",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("township_id", sa.String(36), sa.ForeignKey("township.id"), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("bound_device", sa.String(40), nullable=True),
        sa.Column("last_seen_at", sa.DateTime(), nullable=True),
        sa.Column("last_push_at", sa.DateTime(), nullable=True),
        sa.Column("last_pull_at", sa.DateTime(), nullable=True),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.Column("quarantined", sa.Integer(), nullable=False),
    )
    op.create_table(
        "change",
        sa.Column("change_id", sa.String(36), primary_key=True),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("op", sa.String(8), nullable=False),
        sa.Column("hlc", sa.String(64), nullable=False),
        sa.Column("payload", JSON, nullable=False),
        sa.Column("payload_hash", sa.String(64), nullable=False),
        sa.Column("township_id", sa.String(36), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "record",
        sa.Column("entity", sa.String(40), primary_key=True),
        sa.Column("entity_id", sa.String(64), primary_key=True),
        sa.Column("township_id", sa.String(36), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("owner", sa.String(36), nullable=False),
        sa.Column("row", JSON, nullable=False),
        sa.Column("field_hlc", JSON, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("origin", sa.String(36), nullable=True),
        sa.Column("base_seq", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_record_seq", "record", ["seq"])
    op.create_index("ix_record_township_seq", "record", ["township_id", "seq"])
    op.create_index("ix_record_public_seq", "record", ["public", "seq"])
    op.create_table(
        "counter",
        sa.Column("name", sa.String(20), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(
        sa.table("counter", sa.column("name"), sa.column("value")), [{"name": "seq", "value": 0}]
    )
    op.create_table(
        "number_series",
        sa.Column("series", sa.String(80), primary_key=True),
        sa.Column("next_value", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "lease",
        sa.Column("request_id", sa.String(36), primary_key=True),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("series", sa.String(80), nullable=False),
        sa.Column("first", sa.BigInteger(), nullable=False),
        sa.Column("last", sa.BigInteger(), nullable=False),
        sa.Column("leased_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_lease_device_id", "lease", ["device_id"])


def downgrade() -> None:
    for table in ("lease", "number_series", "counter", "record", "change", "device", "township"):
        op.drop_table(table)
