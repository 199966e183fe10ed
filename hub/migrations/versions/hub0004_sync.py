"""Hub sync (issue 10 §7): case codes unique per township.

``case_code`` holds every code a township's cases were ever given; its primary key refuses a
second case with the same code. The codes already on the hub are filled in oldest first (by
``seq``): where a code was accepted twice before this, the first case keeps it and the later
one is refused (409) the next time it is pushed with it, so its PC renumbers it.

Revision ID: hub0004
Revises: hub0005 (landed after hub0005; the lead keeps the chain linear)
Create Date: 2026-12-04
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "hub0004"
down_revision: str | None = "hub0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_code",
        sa.Column("code", sa.String(64), primary_key=True),
        sa.Column("township_id", sa.String(36), primary_key=True),
        sa.Column("case_id", sa.String(64), nullable=False),
    )
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT entity_id, township_id, row FROM record WHERE entity = 'case_file' ORDER BY seq"
        )  # fmt: skip
    )
    seen: set[tuple[str, str]] = set()
    batch: list[dict[str, str]] = []
    for entity_id, township_id, row in rows:
        data = json.loads(row) if isinstance(row, str) else row
        code = data.get("code") if isinstance(data, dict) else None
        if not isinstance(code, str) or not code or len(code) > 64:
            continue
        key = (str(township_id or ""), code)
        if key in seen:
            continue
        seen.add(key)
        batch.append({"t": key[0], "c": code, "i": entity_id})
    if batch:
        conn.execute(
            sa.text("INSERT INTO case_code (township_id, code, case_id) VALUES (:t, :c, :i)"),
            batch,
        )


def downgrade() -> None:
    op.drop_table("case_code")
