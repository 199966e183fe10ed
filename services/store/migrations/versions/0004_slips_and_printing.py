"""Slips and printing: the slip register (文书台账) and its print log.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slip",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("case_code", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("grade", sa.String(length=12), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("addressee", sa.String(length=200), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=36), nullable=True),
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("void_reason", sa.Text(), nullable=False),
        sa.Column("voided_at", sa.DateTime(), nullable=True),
        sa.Column("voided_by", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"]),
        sa.ForeignKeyConstraint(["township_id"], ["org_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("number"),
        sa.UniqueConstraint("township_id", "kind", "year", "seq", name="uq_slip_series_seq"),
    )
    op.create_index("ix_slip_case_id", "slip", ["case_id"])
    op.create_index("ix_slip_case_code", "slip", ["case_code"])
    op.create_index("ix_slip_issued_at", "slip", ["issued_at"])
    op.create_index("ix_slip_kind_issued", "slip", ["kind", "issued_at"])
    op.create_table(
        "slip_print",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("slip_id", sa.String(length=36), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=False),
        sa.Column("printed_by", sa.String(length=36), nullable=True),
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("reprint", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["slip_id"], ["slip.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_slip_print_slip_id", "slip_print", ["slip_id"])
    # The print log is append-only, like case_event.
    op.execute(
        """CREATE TRIGGER slip_print_no_update BEFORE UPDATE ON slip_print BEGIN
            SELECT RAISE(ABORT, 'slip_print is append-only');
        END"""
    )
    op.execute(
        """CREATE TRIGGER slip_print_no_delete BEFORE DELETE ON slip_print BEGIN
            SELECT RAISE(ABORT, 'slip_print is append-only');
        END"""
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS slip_print_no_delete")
    op.execute("DROP TRIGGER IF EXISTS slip_print_no_update")
    op.drop_index("ix_slip_print_slip_id", table_name="slip_print")
    op.drop_table("slip_print")
    op.drop_index("ix_slip_kind_issued", table_name="slip")
    op.drop_index("ix_slip_issued_at", table_name="slip")
    op.drop_index("ix_slip_case_code", table_name="slip")
    op.drop_index("ix_slip_case_id", table_name="slip")
    op.drop_table("slip")
