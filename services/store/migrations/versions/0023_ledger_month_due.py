"""The ledger's due-date sort over a registration date range (issue 12 item 11).

A descending 到期 sort over 2024H1 on the 1M-case bench first read the latest deadline of the range
(``ledger_plan.due_ceiling``: 38,770 entries of ``ix_ledger_open_reg``, ~10 ms), then walked
``ix_ledger_due`` down from it checking each case's registration (1,807 entries and rows, ~4 ms):
12.3 ms median for the first page. ``ix_ledger_month_due`` holds, for each registration month,
that month's cases with a deadline in (``due_at``, ``id``) order, with ``registered_at`` for the
range's partial first and last months: ``services.cases.ledger`` reads a range as one ordered
stream per month and SQLite merges them, as 0022 does for the code sort. The month expression is
exactly 0022's, so both read the same ``substr(registered_at, 1, 7)`` term.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_ledger_month_due ON case_file"
        " (substr(registered_at, 1, 7), due_at, id, registered_at) WHERE due_at IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_ledger_month_due")
