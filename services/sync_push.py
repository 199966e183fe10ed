"""Push (上传): send the outbox to the hub in batches; quarantine what it refuses, drop nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from services.errors import NotFoundError
from services.hlc import HybridClock, Timestamp
from services.ids import uuid7
from services.store.engine import Store
from services.store.models import Outbox, SyncQuarantine
from services.sync_client import HubClient, HubRefusedError
from services.sync_protocol import MAX_BATCH

QUARANTINE_STATUSES = frozenset({403, 409, 413, 422})


@dataclass(frozen=True, slots=True)
class PushTally:
    applied: int = 0
    duplicates: int = 0
    quarantined: int = 0
    batches: int = 0


def outbox_counts(session: Session) -> tuple[int, int]:
    """(pending, quarantined) changes of this PC."""
    rows = session.execute(
        select(Outbox.status, func.count()).where(Outbox.status.in_(("pending", "quarantined")))
        .group_by(Outbox.status)
    ).all()  # fmt: skip
    counts = dict(rows)
    return int(counts.get("pending", 0)), int(counts.get("quarantined", 0))


def _wire(row: Outbox) -> dict[str, Any]:
    return {"change_id": row.change_id, "entity": row.entity, "entity_id": row.entity_id,
            "op": row.op, "hlc": row.hlc, "payload": row.payload}  # fmt: skip


def push_all(store: Store, client: HubClient, clock: HybridClock, *,
             batch_size: int = MAX_BATCH) -> PushTally:  # fmt: skip
    """Send every pending change, oldest first; returns what happened.

    A change the hub refuses for good (403 scope, 409 reused id, 422 malformed, 413 too large
    on its own) is quarantined with the hub's reason and the rest are sent again without it.
    Network trouble raises :class:`OfflineError` and leaves every unacknowledged change pending.
    """
    applied = duplicates = quarantined = batches = 0
    size = max(1, min(batch_size, MAX_BATCH))
    while True:
        with store.read() as session:
            rows = [
                _wire(r)
                for r in session.scalars(
                    select(Outbox)
                    .where(Outbox.status == "pending")
                    .order_by(Outbox.seq)
                    .limit(size)
                )
            ]
            pending, held = outbox_counts(session)
        if not rows:
            break
        try:
            answer = client.push(rows, pending=pending, quarantined=held)
        except HubRefusedError as exc:
            if exc.status == 413 and len(rows) > 1:
                size = max(1, len(rows) // 2)
                continue
            refused = _refused(exc, rows)
            if not refused:
                raise
            quarantined += quarantine(store, refused)
            continue
        batches += 1
        results = answer.get("results") or []
        done = [str(r["change_id"]) for r in results if isinstance(r, dict)]
        applied += sum(1 for r in results if isinstance(r, dict) and r.get("status") == "applied")
        duplicates += sum(1 for r in results if isinstance(r, dict)
                          and r.get("status") == "duplicate")  # fmt: skip
        mark_sent(store, done)
        if isinstance(answer.get("hlc"), str):
            clock.observe(Timestamp.decode(answer["hlc"]))
        if not done:  # the hub acknowledged nothing: do not spin
            break
    return PushTally(applied, duplicates, quarantined, batches)


def _refused(
    exc: HubRefusedError, rows: Sequence[dict[str, Any]]
) -> dict[str, tuple[int, str, str]]:
    """change_id → (status, code, reason) of the changes a refusal names."""
    if exc.status not in QUARANTINE_STATUSES:
        return {}
    sent = {str(r["change_id"]) for r in rows}
    named = {}
    for item in exc.changes:
        cid = str(item.get("change_id", ""))
        if cid in sent:
            named[cid] = (int(item.get("status") or exc.status), str(item.get("code") or exc.code),
                          str(item.get("message") or exc.message))  # fmt: skip
    if not named and len(rows) == 1:  # a lone change refused as a whole (413, say)
        named[str(rows[0]["change_id"])] = (exc.status, exc.code, exc.message)
    return named


def mark_sent(store: Store, change_ids: Sequence[str]) -> None:
    if not change_ids:
        return
    with store.write() as session:
        session.execute(
            update(Outbox).where(Outbox.change_id.in_(change_ids), Outbox.status == "pending")
            .values(status="sent", attempts=Outbox.attempts + 1, error=None)
        )  # fmt: skip


def quarantine(store: Store, refused: Mapping[str, tuple[int, str, str]],
               now: dt.datetime | None = None) -> int:  # fmt: skip
    """Set changes aside with the hub's reason; they stay in the outbox, visible on 同步."""
    now = now or dt.datetime.now()
    with store.write() as session:
        for cid, (status, code, reason) in refused.items():
            session.execute(update(Outbox).where(Outbox.change_id == cid)
                            .values(status="quarantined", error=reason,
                                    attempts=Outbox.attempts + 1))  # fmt: skip
            session.merge(SyncQuarantine(change_id=cid, status_code=status, code=code[:40],
                                         reason=reason, quarantined_at=now))  # fmt: skip
    return len(refused)


def requeue(store: Store, change_id: str) -> str:
    """Send a quarantined change again under a new change id (the refused id stays unused).

    Returns the new change id. The change keeps its clock, so its place in HLC order is kept.
    """
    new_id = uuid7()
    with store.write() as session:
        row = session.scalars(select(Outbox).where(Outbox.change_id == change_id)).first()
        if row is None or row.status != "quarantined":
            raise NotFoundError("sync.not_quarantined", "该变更不在隔离区，可能已重新排队")
        row.change_id, row.status, row.error = new_id, "pending", None
        old = session.get(SyncQuarantine, change_id)
        if old is not None:
            session.delete(old)
    return new_id
