"""The dashboard's rates and one township's live counts from indexes (issue 13).

Revision ID: 0020
Revises: 0021
Create Date: 2026-12-05

A 365-day 统计 refresh over 1M cases was 1.5 s county-wide and 5.4 s for one township (500 ms
budget). The four rates grouped every close and evaluation of the window per case and read each
counted case's row for its township and state (1.1-2.6 s). ``rate_fact`` holds one row per close
and per evaluation with the case's township and liveness and the two instants that tell whether
it is its case's latest in any window (``services.store.rate_facts``); ``rate_tally`` counts per
day the live facts no later fact of their case can outrank (nearly all), so a window's rates are
a few hundred tally rows plus an index range over the few facts a later one may outrank. Both
are kept exact by triggers and filled here from ``closure_fact`` and the evaluation events.

One township's live counts read all its cases: 0018's covering indexes get township-led twins.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.store import rate_facts
from services.store.migrate import ANALYSIS_LIMIT

revision: str = "0020"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rate_fact",
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("case_id", sa.String(36), nullable=False),
        sa.Column("township_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("ord", sa.String(64), nullable=False),
        sa.Column("value", sa.String(24), nullable=True),
        sa.Column("ok", sa.Boolean(), nullable=True),
        sa.Column("live", sa.Boolean(), nullable=False),
        sa.Column("next_at", sa.DateTime(), nullable=True),
        sa.Column("back_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("event_id"),
    )
    op.create_index(
        "ix_rate_fact_case", "rate_fact", ["case_id", "kind", "ord", "event_id", "at"]
    )
    op.create_table(
        "rate_tally",
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("township_id", sa.String(36), nullable=False),
        sa.Column("key", sa.String(40), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "day", "township_id", "key"),
        sqlite_with_rowid=False,
    )
    for statement in rate_facts.rebuild_sql():
        op.execute(statement)
    later = sa.text("next_at IS NOT NULL OR back_at IS NOT NULL")
    columns = ["kind", "live", "at", "next_at", "back_at", "value", "ok"]
    op.create_index("ix_rate_fact_later", "rate_fact", columns, sqlite_where=later)
    op.create_index(
        "ix_rate_fact_later_township", "rate_fact", ["township_id", *columns], sqlite_where=later
    )
    for statement in rate_facts.trigger_ddl():
        op.execute(statement)
    # one township's live counts (在办/今日到期/已超期/红色预警/督办中): 0018's indexes lack the
    # township, so each count walked the township's every case (1.4-1.6 s on 1M cases)
    op.create_index(
        "ix_stat_town_open_clock", "case_file", ["township_id", "state", "clock_paused", "due_at"]
    )
    op.create_index(
        "ix_stat_town_colour_state", "case_file", ["township_id", "risk_colour", "state"]
    )
    op.create_index(
        "ix_stat_town_supervision_state", "case_file", ["township_id", "supervision_level", "state"]
    )
    # A database the planner has statistics for (services.store.migrate.refresh_statistics)
    # gets them for the new indexes too: without, ix_stat_town_open_clock looked best for one
    # township's 新受理 of a day (0.3 -> 430 ms on 100k cases, reading the township's open cases).
    bind = op.get_bind()
    if bind.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        op.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        op.execute("ANALYZE case_file")
        op.execute("ANALYZE rate_fact")


def downgrade() -> None:
    op.drop_index("ix_stat_town_supervision_state", "case_file")
    op.drop_index("ix_stat_town_colour_state", "case_file")
    op.drop_index("ix_stat_town_open_clock", "case_file")
    for name in rate_facts.TRIGGER_NAMES:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("rate_tally")
    op.drop_index("ix_rate_fact_later_township", "rate_fact")
    op.drop_index("ix_rate_fact_later", "rate_fact")
    op.drop_index("ix_rate_fact_case", "rate_fact")
    op.drop_table("rate_fact")
