"""Slips (issue 14): numbered room documents; reserved.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

Reserved in the services/ restructure so that the issues changing the store this wave land their
migrations in a fixed order; a no-op until its issue fills it in.
"""

from collections.abc import Sequence

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
