"""Sync hardening (issue 10): unsent case updates no longer carry derived columns.

The county hub now refuses an update that writes a case's projection columns (state, supervision
level, deadlines…: re-derived from the event log on every PC). Changes queued before this version
still carry them; strip them so they are not refused, and mark a change left with nothing as sent.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from services.domain.projection import DERIVED_COLUMNS

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    conn = op.get_bind()
    for entity, derived in DERIVED_COLUMNS.items():
        rows = conn.execute(
            sa.text("SELECT seq, payload FROM outbox WHERE entity = :e AND op = 'update' "
                    "AND status != 'sent'"), {"e": entity}
        ).all()  # fmt: skip
        for seq, raw in rows:
            payload = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
            fields = {k: v for k, v in (payload.get("fields") or {}).items() if k not in derived}
            before = {k: v for k, v in (payload.get("before") or {}).items() if k not in derived}
            status = "pending" if fields else "sent"
            conn.execute(
                sa.text("UPDATE outbox SET payload = :p, status = CASE WHEN status = "
                        "'quarantined' AND :s = 'pending' THEN status ELSE :s END WHERE seq = :q"),
                {"p": json.dumps({"fields": fields, "before": before}), "s": status, "q": seq},
            )  # fmt: skip


def downgrade() -> None:
    pass
