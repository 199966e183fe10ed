"""Trust (issue 11): sign-in, encrypted personal data, audit log; reserved.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

Reserved in the services/ restructure so that the issues changing the store this wave land their
migrations in a fixed order; a no-op until its issue fills it in.
"""

from collections.abc import Sequence

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
