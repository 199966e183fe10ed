"""Reports (issue 13): on-time closures and the indexes statistics read by.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04

* ``closure_fact``: one row per close event (办结) with the deadline in force just before it and
  whether the close met it (按期办结). Worked out once from the event log by
  ``services.statistics.closures`` (it needs a replay), local and never synced.
* ``ix_case_event_occurred``: "cases touched since the cut-off" (a report's as-of read) and
  events in a period; ``ix_case_event_action_occurred``: events of one kind in a period (评价,
  督办, 预警 …); ``ix_case_closed``: closures per day (the dashboard's 办结 series and its
  ledger filter).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "closure_fact",
        sa.Column("event_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("township_id", sa.String(36), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        sa.Column("closure_type", sa.String(24), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("on_time", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_closure_fact_case_id", "closure_fact", ["case_id"])
    op.create_index("ix_closure_fact_closed_at", "closure_fact", ["closed_at"])
    op.create_index("ix_case_event_occurred", "case_event", ["occurred_at"])
    op.create_index("ix_case_event_action_occurred", "case_event", ["action", "occurred_at"])
    op.create_index("ix_case_closed", "case_file", ["closed_at"])


def downgrade() -> None:
    op.drop_index("ix_case_closed", "case_file")
    op.drop_index("ix_case_event_action_occurred", "case_event")
    op.drop_index("ix_case_event_occurred", "case_event")
    op.drop_index("ix_closure_fact_closed_at", "closure_fact")
    op.drop_index("ix_closure_fact_case_id", "closure_fact")
    op.drop_table("closure_fact")
