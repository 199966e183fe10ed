"""Slips (issue 14): numbered room documents (调解通知书, 人民调解协议书) and their prints.

Revision ID: 0017
Revises: 0012
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "room_document",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("booking_id", sa.String(length=36), nullable=True),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("agreement_id", sa.String(length=36), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("issued_by", sa.String(length=36), nullable=True),
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"]),
        sa.ForeignKeyConstraint(["township_id"], ["org_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agreement_id"),
        sa.UniqueConstraint("number"),
    )
    op.create_index(op.f("ix_room_document_case_id"), "room_document", ["case_id"], unique=False)
    op.create_index(
        op.f("ix_room_document_booking_id"), "room_document", ["booking_id"], unique=False
    )
    op.create_table(
        "room_document_print",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=False),
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("printed_at", sa.DateTime(), nullable=False),
        sa.Column("printed_by", sa.String(length=36), nullable=True),
        sa.Column("device_id", sa.String(length=40), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("reprint", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["room_document.id"]),
        sa.ForeignKeyConstraint(["township_id"], ["org_unit.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_room_document_print_document_id"),
        "room_document_print",
        ["document_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_room_document_print_document_id"), table_name="room_document_print")
    op.drop_table("room_document_print")
    op.drop_index(op.f("ix_room_document_booking_id"), table_name="room_document")
    op.drop_index(op.f("ix_room_document_case_id"), table_name="room_document")
    op.drop_table("room_document")
