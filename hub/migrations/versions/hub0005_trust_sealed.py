"""Hub trust, part 2 (issue 11): no plain-text ID numbers or phones on the hub.

PCs now push ``person.id_number`` / ``person.phone`` only as sealed tokens (the hub refuses
anything else) and the hub never holds the key. Plain values pushed before that are removed
from the merged records and from the change log (set to null), 1,000 rows at a time; each PC's
desktop migration 0013 re-queues the sealed values of the people it pushed, so the records fill
in again from the PCs that own them.

Revision ID: hub0005
Revises: hub0003
Create Date: 2026-12-04
"""

import json
import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "hub0005"
down_revision: str | None = "hub0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PERSONAL = ("id_number", "phone")
ENTITIES = ("person", "person_phone")
TOKEN = re.compile(r"e1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+")
BATCH = 1000


def _scrub(value: Any) -> tuple[Any, bool]:
    data = json.loads(value) if isinstance(value, str) else value
    if not isinstance(data, dict):
        return value, False
    changed = False
    for part in (data, data.get("row"), data.get("fields"), data.get("before")):
        if isinstance(part, dict):
            for name in PERSONAL:
                found = part.get(name)
                if isinstance(found, str) and found and not TOKEN.fullmatch(found):
                    part[name] = None
                    changed = True
    return data, changed


def _clean(table: str, column: str, keys: Sequence[str]) -> None:
    conn = op.get_bind()
    tbl = sa.Table(table, sa.MetaData(), autoload_with=conn)
    order = [tbl.c[k] for k in keys]
    last: tuple[Any, ...] | None = None
    while True:
        query = sa.select(*order, tbl.c[column]).where(tbl.c.entity.in_(ENTITIES))
        if last is not None:
            query = query.where(sa.tuple_(*order) > sa.tuple_(*last))
        rows = conn.execute(query.order_by(*order).limit(BATCH)).all()
        if not rows:
            return
        for row in rows:
            value, changed = _scrub(row[-1])
            if changed:
                where = [tbl.c[k] == row[i] for i, k in enumerate(keys)]
                conn.execute(sa.update(tbl).where(*where).values({column: value}))
        last = tuple(rows[-1][: len(keys)])


def upgrade() -> None:
    _clean("record", "row", ("entity", "entity_id"))
    _clean("change", "payload", ("change_id",))


def downgrade() -> None:
    pass  # the plain values are gone for good, as intended
