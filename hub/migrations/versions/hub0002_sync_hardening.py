"""Hub sync hardening (issue 10): the hub's clock survives restarts; township rows are the county's.

Revision ID: hub0002
Revises: hub0001
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "hub0002"
down_revision: str | None = "hub0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    counter = sa.table("counter", sa.column("name", sa.String), sa.column("value", sa.BigInteger))
    op.bulk_insert(counter, [{"name": "hlc", "value": 0}])
    # A township's own org_unit row (name, code) is maintained by the county.
    op.execute(
        "UPDATE record SET owner = 'county' WHERE entity = 'org_unit' "
        "AND entity_id IN (SELECT id FROM township)"
    )


def downgrade() -> None:
    op.execute("DELETE FROM counter WHERE name = 'hlc'")
