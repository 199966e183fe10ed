"""Sync (issue 10): codes a case had before it was renumbered become searchable.

Revision ID: 0016
Revises: 0018
Create Date: 2026-12-04

Aliases (``case_alias``: a provisional code replaced by a hub number at sync) were stored and
synced but never put into a case's searchable text, so the code on a printed receipt found
nothing (or another citizen's case). From now on ``services.cases.search.index_case`` writes
them; this appends the aliases already stored to the cases' searchable text (the FTS triggers
of ``case_search`` follow).

Landed after 0017 and 0018, so it follows 0018 (the lead keeps the chain linear).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        """UPDATE case_search SET body = coalesce(body, '') || ' ' || (
               SELECT group_concat(code, ' ') FROM case_alias a
               WHERE a.case_id = case_search.case_id)
           WHERE case_id IN (SELECT case_id FROM case_alias)"""
    )


def downgrade() -> None:
    """Nothing to undo: the next edit of each case rewrites its searchable text."""
