"""Daily tallies for the 统计 screen (issue 13): ``case_tally`` and the triggers that keep it.

Revision ID: 0019
Revises: 0013
Create Date: 2026-12-05

A 365-day dashboard refresh over 1M cases read about 330,000 case rows to break them down by
class, village, channel, handling unit and colour (1.6-1.9 s county-wide, ~4 s for one
township, against a 500 ms budget). ``case_tally`` (day, township, dimension, key) -> count of
live cases, kept exact by triggers on ``case_file`` (``services.store.tally``), answers the same
question from a few hundred rows per day. The table is filled from the existing cases here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.store import tally

revision: str = "0019"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_tally",
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("township_id", sa.String(36), nullable=False),
        sa.Column("dimension", sa.String(8), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "township_id", "dimension", "key"),
        sqlite_with_rowid=False,
    )
    for statement in (*tally.rebuild_sql(), *tally.trigger_ddl()):
        op.execute(statement)


def downgrade() -> None:
    for name in ("insert", "delete", "update_old", "update_new"):
        op.execute(f"DROP TRIGGER IF EXISTS {tally.TRIGGER_PREFIX}{name}")
    op.drop_table("case_tally")
