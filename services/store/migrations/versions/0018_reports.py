"""Reports (issue 13, second part): covering indexes for the dashboard's live counts.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04

The 统计 screen counts 已超期/今日到期, 红色预警 and 督办中 over the open cases each time it refreshes.
Without these indexes each count read every open case's row (on 1M cases about 250,000 rows per
count); with them each is a range count inside one index:

* ``ix_stat_open_clock`` (state, clock_paused, due_at): overdue and due today (running clocks).
* ``ix_stat_colour_state`` (risk_colour, state): open red cases.
* ``ix_stat_supervision_state`` (supervision_level, state): open cases under supervision.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_stat_open_clock", "case_file", ["state", "clock_paused", "due_at"])
    op.create_index("ix_stat_colour_state", "case_file", ["risk_colour", "state"])
    op.create_index("ix_stat_supervision_state", "case_file", ["supervision_level", "state"])


def downgrade() -> None:
    op.drop_index("ix_stat_supervision_state", "case_file")
    op.drop_index("ix_stat_colour_state", "case_file")
    op.drop_index("ix_stat_open_clock", "case_file")
