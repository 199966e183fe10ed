"""Personal data sealed at rest (issue 11 part 2): ID numbers and phones become AES-GCM tokens.

Revision ID: 0013
Revises: 0014 (the head on main when this landed after 0014; the lead fixes the chain)
Create Date: 2026-12-04

* ``person.id_number`` / ``person.phone`` hold sealed tokens (``services.store.sealed``); their
  plain-text indexes go, and ``id_number_hmac`` / ``phone_hmac`` (keyed blind indexes, indexed)
  take over equality lookups and person matching.
* ``person_phone.phone`` (earlier phones, 0014) likewise, with ``person_phone.phone_hmac``.
* Existing rows are converted 1,000 at a time (one transaction for the whole upgrade, batches
  only bound memory), and so are queued outbox payloads that carry either field.
* Every person this PC has sent to the hub gets one queued update carrying the sealed values, so
  the hub's record (and the PCs that pull it) stop holding plain text.
* ``PRAGMA secure_delete`` is on while the old pages are freed, so the plain text does not
  linger in free pages of the file.

Needs the data key installed (``services.store.sealed.install``) when there is anything to
convert; an empty database (a new install) needs none.
"""

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from services.domain.hlc import HybridClock, Timestamp
from services.domain.ids import uuid7
from services.store import sealed

revision: str = "0013"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000
FIELDS = ("id_number", "phone")


def _seal_fields(body: dict[str, Any], *, with_hmac: bool) -> bool:
    changed = False
    for name in FIELDS:
        value = body.get(name)
        if isinstance(value, str) and value and not sealed.is_sealed(value):
            body[name] = sealed.seal(value, name)
            if with_hmac:
                body[name + "_hmac"] = sealed.blind(value, name)
            changed = True
    return changed


def _convert_people(conn: sa.Connection) -> list[tuple[str, str | None, str | None]]:
    """Seal every plain ID number and phone; returns (id, id token, phone token) per change."""
    done: list[tuple[str, str | None, str | None]] = []
    last = 0
    while True:
        rows = conn.exec_driver_sql(
            "SELECT rowid, id, id_number, phone FROM person WHERE rowid > ? AND "
            "(id_number IS NOT NULL OR phone IS NOT NULL) ORDER BY rowid LIMIT ?",
            (last, BATCH),
        ).all()
        if not rows:
            return done
        for rowid, pid, number, phone in rows:
            last = rowid
            n_tok = sealed.seal(number, "id_number") if number else None
            p_tok = sealed.seal(phone, "phone") if phone else None
            if n_tok == number and p_tok == phone:
                continue  # already sealed
            conn.exec_driver_sql(
                "UPDATE person SET id_number = ?, id_number_hmac = ?, phone = ?, phone_hmac = ? "
                "WHERE rowid = ?",
                (n_tok, _blind(number, "id_number"), p_tok, _blind(phone, "phone"), rowid),
            )
            done.append((pid, n_tok, p_tok))


def _blind(value: str | None, name: str) -> str | None:
    if not value or sealed.is_sealed(value):
        return None
    return sealed.blind(value, name)


def _convert_earlier_phones(conn: sa.Connection) -> None:
    last = 0
    while True:
        rows = conn.exec_driver_sql(
            "SELECT rowid, phone FROM person_phone WHERE rowid > ? ORDER BY rowid LIMIT ?",
            (last, BATCH),
        ).all()
        if not rows:
            return
        for rowid, phone in rows:
            last = rowid
            if phone and not sealed.is_sealed(phone):
                conn.exec_driver_sql(
                    "UPDATE person_phone SET phone = ?, phone_hmac = ? WHERE rowid = ?",
                    (sealed.seal(phone, "phone"), sealed.blind(phone, "phone"), rowid),
                )


def _convert_outbox(conn: sa.Connection) -> None:
    last = 0
    while True:
        rows = conn.exec_driver_sql(
            "SELECT seq, payload FROM outbox WHERE entity IN ('person', 'person_phone') AND seq > ? "
            "ORDER BY seq LIMIT ?",
            (last, BATCH),
        ).all()
        if not rows:
            return
        for seq, text in rows:
            last = seq
            payload = json.loads(text) if isinstance(text, str) else text
            touched = False
            for part in ("row", "fields", "before"):
                body = payload.get(part)
                if isinstance(body, dict) and _seal_fields(body, with_hmac=part != "before"):
                    touched = True
            if touched:
                conn.exec_driver_sql(
                    "UPDATE outbox SET payload = ? WHERE seq = ?", (json.dumps(payload), seq)
                )


def _requeue(conn: sa.Connection, people: list[tuple[str, str | None, str | None]]) -> None:
    """One update per person this PC already pushed, so the hub replaces its plain text."""
    device = conn.exec_driver_sql("SELECT device_id FROM device_state LIMIT 1").scalar()
    if device is None or not people:
        return
    sent = {
        str(r[0])
        for r in conn.exec_driver_sql(
            "SELECT DISTINCT entity_id FROM outbox WHERE entity = 'person' AND status != 'pending'"
        )
    }
    clock = HybridClock(str(device))
    last = conn.exec_driver_sql("SELECT max(hlc) FROM outbox").scalar()
    if last:
        clock.observe(Timestamp.decode(str(last)))
    now = dt.datetime.now().isoformat(sep=" ")
    for pid, n_tok, p_tok in people:
        if pid not in sent:
            continue
        hmacs = conn.exec_driver_sql(
            "SELECT id_number_hmac, phone_hmac FROM person WHERE id = ?", (pid,)
        ).one()
        fields = {"id_number": n_tok, "id_number_hmac": hmacs[0],
                  "phone": p_tok, "phone_hmac": hmacs[1]}  # fmt: skip
        payload = {"fields": fields, "before": {k: None for k in fields}}
        conn.exec_driver_sql(
            "INSERT INTO outbox (change_id, entity, entity_id, op, hlc, payload, status, "
            "attempts, created_at) VALUES (?, 'person', ?, 'update', ?, ?, 'pending', 0, ?)",
            (uuid7(), pid, clock.now().encode(), json.dumps(payload), now),
        )


def upgrade() -> None:
    conn = op.get_bind()
    conn.exec_driver_sql("PRAGMA secure_delete = ON")
    # No table rebuild: SQLite keeps any length in VARCHAR(20), the tokens (~80 chars) included.
    op.drop_index("ix_person_id_number", "person")
    op.drop_index("ix_person_phone", "person")
    op.add_column("person", sa.Column("id_number_hmac", sa.String(32), nullable=True))
    op.add_column("person", sa.Column("phone_hmac", sa.String(32), nullable=True))
    op.create_index("ix_person_id_number_hmac", "person", ["id_number_hmac"])
    op.create_index("ix_person_phone_hmac", "person", ["phone_hmac"])
    op.drop_index("ix_person_phone_phone", "person_phone")
    op.add_column("person_phone", sa.Column("phone_hmac", sa.String(32), nullable=True))
    op.create_index("ix_person_phone_phone_hmac", "person_phone", ["phone_hmac"])
    people = _convert_people(conn)
    _convert_earlier_phones(conn)
    _convert_outbox(conn)
    _requeue(conn, people)


def downgrade() -> None:
    raise NotImplementedError("personal data stays sealed: restore a backup taken before 0013")
