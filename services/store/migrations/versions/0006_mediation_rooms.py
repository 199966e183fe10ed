"""Mediation rooms: rooms, mediators, bookings with their held resources, sessions, agreements.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "mediation_room",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("room_type", sa.String(length=20), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("equipment", sa.JSON(), nullable=False),
        sa.Column("open_rule", sa.String(length=10), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("slot_mode", sa.String(length=10), nullable=False),
        sa.Column("open_from", sa.String(length=5), nullable=False),
        sa.Column("open_to", sa.String(length=5), nullable=False),
        sa.Column("closures", sa.JSON(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["township_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "booking_series",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=True),
        sa.Column("room_id", sa.String(length=36), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.String(length=5), nullable=False),
        sa.Column("end_time", sa.String(length=5), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("until_date", sa.Date(), nullable=False),
        sa.Column("mediator_ids", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["mediation_room.id"],
        ),
        sa.ForeignKeyConstraint(
            ["township_id"],
            ["org_unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "mediator",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=True),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("specialties", sa.JSON(), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["township_id"],
            ["org_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "room_booking",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("township_id", sa.String(length=36), nullable=True),
        sa.Column("room_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.Column("end_at", sa.DateTime(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("series_id", sa.String(length=36), nullable=True),
        sa.Column("occurrence_date", sa.Date(), nullable=True),
        sa.Column("detached", sa.Boolean(), nullable=False),
        sa.Column("mediator_ids", sa.JSON(), nullable=False),
        sa.Column("person_ids", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("follow_up", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
        ),
        sa.ForeignKeyConstraint(
            ["township_id"],
            ["org_unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["room_id"],
            ["mediation_room.id"],
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["booking_series.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_room_booking_case_id"), "room_booking", ["case_id"], unique=False)
    op.create_index(op.f("ix_room_booking_series_id"), "room_booking", ["series_id"], unique=False)
    op.create_index("ix_room_booking_start", "room_booking", ["start_at"], unique=False)
    op.create_index(
        "ix_room_booking_status_start", "room_booking", ["status", "start_at"], unique=False
    )
    op.create_table(
        "booking_resource",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("booking_id", sa.String(length=36), nullable=False),
        sa.Column("resource", sa.String(length=50), nullable=False),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.Column("end_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["room_booking.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_booking_resource_booking_id"), "booking_resource", ["booking_id"], unique=False
    )
    op.create_index(
        "ix_booking_resource_span",
        "booking_resource",
        ["resource", "start_at", "end_at"],
        unique=False,
    )
    op.create_table(
        "mediation_session",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("booking_id", sa.String(length=36), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column("presiding_id", sa.String(length=36), nullable=False),
        sa.Column("co_mediator_ids", sa.JSON(), nullable=False),
        sa.Column("recorder", sa.String(length=60), nullable=False),
        sa.Column("attendees", sa.JSON(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("process_text", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("next_session_at", sa.DateTime(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["room_booking.id"],
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
        ),
        sa.ForeignKeyConstraint(
            ["presiding_id"],
            ["mediator.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "seq", name="uq_mediation_session_seq"),
    )
    op.create_index(
        op.f("ix_mediation_session_booking_id"), "mediation_session", ["booking_id"], unique=False
    )
    op.create_index(
        op.f("ix_mediation_session_case_id"), "mediation_session", ["case_id"], unique=False
    )
    op.create_table(
        "mediation_agreement",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=False),
        sa.Column("session_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("form", sa.String(length=10), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("performance", sa.Text(), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("committee", sa.String(length=100), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["case_file.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["mediation_session.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("session_id"),
    )
    op.create_index(
        op.f("ix_mediation_agreement_case_id"), "mediation_agreement", ["case_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_mediation_agreement_case_id"), table_name="mediation_agreement")
    op.drop_table("mediation_agreement")
    op.drop_index(op.f("ix_mediation_session_case_id"), table_name="mediation_session")
    op.drop_index(op.f("ix_mediation_session_booking_id"), table_name="mediation_session")
    op.drop_table("mediation_session")
    op.drop_index("ix_booking_resource_span", table_name="booking_resource")
    op.drop_index(op.f("ix_booking_resource_booking_id"), table_name="booking_resource")
    op.drop_table("booking_resource")
    op.drop_index("ix_room_booking_status_start", table_name="room_booking")
    op.drop_index("ix_room_booking_start", table_name="room_booking")
    op.drop_index(op.f("ix_room_booking_series_id"), table_name="room_booking")
    op.drop_index(op.f("ix_room_booking_case_id"), table_name="room_booking")
    op.drop_table("room_booking")
    op.drop_table("mediator")
    op.drop_table("booking_series")
    op.drop_table("mediation_room")
