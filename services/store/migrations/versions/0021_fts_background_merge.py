"""The full-text indexes merge in the background, not inside registrations (issues 11 and 12).

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-05

``case_fts`` and ``case_fts_bigram`` merged their segments inside the commit that fed them
(FTS5's ``automerge``, and a whole-level "crisis merge" at 16 segments): 20-200 ms on an unlucky
registration, the p95/p99 of the registration benchmark. This stores ``automerge = 0``, a
``crisismerge`` of 64 and ``usermerge = 16`` in both tables' config (``services.store.fts``);
``Store.merge_search_index`` does the merging in small transactions from a background job.
"""

from collections.abc import Sequence

from alembic import op

from services.store import fts

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in fts.INDEXES:
        for statement in fts.settings_sql(table):
            op.execute(statement)


def downgrade() -> None:
    for table in fts.INDEXES:  # FTS5's defaults
        op.execute(f"INSERT INTO {table}({table}, rank) VALUES ('automerge', 4)")
        op.execute(f"INSERT INTO {table}({table}, rank) VALUES ('crisismerge', 16)")
        op.execute(f"INSERT INTO {table}({table}, rank) VALUES ('usermerge', 4)")
