"""Hub sync hardening (issue 10): reserved.

Revision ID: hub0002
Revises: hub0001
Create Date: 2026-12-04

Reserved in the services/ restructure so that the issues changing the store this wave land their
migrations in a fixed order; a no-op until its issue fills it in.
"""

from collections.abc import Sequence

revision: str = "hub0002"
down_revision: str | None = "hub0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
