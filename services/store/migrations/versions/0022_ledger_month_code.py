"""The ledger's code sort over a registration date range (issue 12 item 11).

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-05

Case codes follow registration time (``{township}-{year}-{seq}``), so walking ``ix_ledger_code``
for the cases of a date range skips every case registered after (or before) the range: 2024H1
sorted by code read ~550,000 index entries and rows on the 1M-case bench (401 ms), and sorting
the range instead reads all of its 166,000 cases. ``ix_ledger_month_code`` holds, for each
registration month, that month's cases in code order (with ``registered_at`` for the range's
partial first and last months): ``services.cases.ledger_plan`` reads a range as one ordered
stream per month and SQLite merges them (a compound ``SELECT … UNION ALL … ORDER BY code``),
which stops after the page's rows, a few entries per month, however large or small the range.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "CREATE INDEX ix_ledger_month_code ON case_file"
        " (substr(registered_at, 1, 7), code, registered_at)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_ledger_month_code")
