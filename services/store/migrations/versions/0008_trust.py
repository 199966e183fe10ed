"""Trust (issue 11): sign-in columns kept on this PC, the hash-chained audit log.

* ``app_user`` gains ``failed_attempts``, ``locked_until`` and ``password_changed_at``; these and
  ``password_hash`` are local columns, so the password hashes already captured in outbox
  payloads (kept for ever) are removed from them here.
* ``audit_log`` (one signed, hash-chained entry per unit of work, sign-in, unmasking, print and
  export), ``audit_key`` (the devices' public keys) and ``audit_event`` (the digest each
  case_event had when it was written, to find raw-SQL inserts, edits and deletes).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCAL_USER_FIELDS = ("password_hash", "failed_attempts", "locked_until", "password_changed_at")


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("failed_attempts", sa.Integer(), nullable=False,
                                   server_default="0"))
        batch.add_column(sa.Column("locked_until", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("password_changed_at", sa.DateTime(), nullable=True))
    paths = ", ".join(f"'$.{part}.{name}'" for part in ("row", "fields", "before")
                      for name in LOCAL_USER_FIELDS)
    op.execute(f"UPDATE outbox SET payload = json_remove(payload, {paths}) "
               "WHERE entity = 'app_user' AND json_valid(payload)")
    op.create_table(
        "audit_log",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("device_seq", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=128), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("device_id", "device_seq", name="uq_audit_device_seq"),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_user_at", "audit_log", ["user_id", "at"])
    op.create_index("ix_audit_log_action_at", "audit_log", ["action", "at"])
    op.create_index("ix_audit_log_case", "audit_log", ["case_id"])
    op.create_table(
        "audit_key",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("key_id"),
    )
    op.create_table(
        "audit_event",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("audit_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index("ix_audit_event_audit_id", "audit_event", ["audit_id"])


def downgrade() -> None:
    op.drop_table("audit_event")
    op.drop_table("audit_key")
    op.drop_table("audit_log")
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("password_changed_at")
        batch.drop_column("locked_until")
        batch.drop_column("failed_attempts")
