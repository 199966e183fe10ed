"""Hub trust (issue 11): password hashes never stay on the hub.

Devices before issue 11 pushed ``app_user`` rows with their ``password_hash`` (and pulled them to
every PC of the township). The desktop now keeps those columns local; this removes the copies
already held in the hub's records and changes.

Revision ID: hub0003
Revises: hub0002
Create Date: 2026-12-04
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "hub0003"
down_revision: str | None = "hub0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOCAL_USER_FIELDS = ("password_hash", "failed_attempts", "locked_until", "password_changed_at")


def _strip(value: Any) -> tuple[Any, bool]:
    data = json.loads(value) if isinstance(value, str) else value
    if not isinstance(data, dict):
        return value, False
    changed = False
    for part in (data, data.get("row"), data.get("fields"), data.get("before")):
        if isinstance(part, dict):
            for name in LOCAL_USER_FIELDS:
                if name in part:
                    del part[name]
                    changed = True
    return data, changed


def _clean(table: str, column: str, keys: Sequence[str]) -> None:
    conn = op.get_bind()
    meta = sa.MetaData()
    tbl = sa.Table(table, meta, autoload_with=conn)
    rows = conn.execute(
        sa.select(*(tbl.c[k] for k in keys), tbl.c[column]).where(tbl.c.entity == "app_user")
    ).all()
    for row in rows:
        value, changed = _strip(row[-1])
        if changed:
            where = [tbl.c[k] == row[i] for i, k in enumerate(keys)]
            conn.execute(sa.update(tbl).where(*where).values({column: value}))


def upgrade() -> None:
    _clean("record", "row", ("entity", "entity_id"))
    _clean("change", "payload", ("change_id",))


def downgrade() -> None:
    pass  # the hashes are gone for good, as intended
