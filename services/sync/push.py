"""Push (上传): send the outbox to the hub in batches; quarantine what it refuses, drop nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Text, func, select, type_coerce, update
from sqlalchemy.orm import Session

from services.domain.errors import NotFoundError, ServiceError
from services.domain.hlc import HybridClock, Timestamp
from services.domain.ids import uuid7
from services.store.engine import Store
from services.store.models import Outbox, SyncQuarantine
from services.sync.client import HubClient, HubRefusedError
from services.sync.protocol import MAX_BATCH

QUARANTINE_STATUSES = frozenset({403, 409, 413, 422})
CODE_TAKEN = "case.code_taken"  # the hub: another case of the township holds this case code
ORDER_REFUSED = "push.order"  # the hub: the batch this one was sent after is not in (yet)
# Renumbers the cases of refused changes (change id -> the hub's hint); returns how many.
Renumber = Callable[[Mapping[str, str]], int]


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


# The payload is read as the JSON text the outbox stored and spliced into the request as is:
# no decode into Python objects and re-encode per change (a third of the PC's share of a push).
_WIRE_COLUMNS = (Outbox.seq, Outbox.change_id, Outbox.entity, Outbox.entity_id, Outbox.op,
                 Outbox.hlc, type_coerce(Outbox.payload, Text))  # fmt: skip


# How json.dumps writes a string (json.encoder's C function; ensure_ascii, its default).
_ASCII_STRING: Callable[[str], str] = json.encoder.encode_basestring_ascii


@dataclass(frozen=True, slots=True)
class _Batch:
    """Pending changes read for one push request, oldest first."""

    seqs: tuple[int, ...]
    change_ids: tuple[str, ...]
    changes_json: str  # the JSON array of wire changes
    pending: int  # pending changes of this PC when read (this batch included)
    held: int


def _read_batch(store: Store, after: int, size: int, in_flight: int = 0,
                counts: tuple[int, int] | None = None) -> _Batch | None:  # fmt: skip
    """Up to ``size`` pending changes with ``seq > after`` (the ``(status, seq)`` index order).

    ``in_flight`` changes (the batch the hub is working on) are left out of the pending count.
    ``counts``: (pending, quarantined) already known, not counted again (a count walks every
    pending change: once per batch, that was quadratic in the outbox).
    """
    enc = json.dumps
    with store.read() as session:
        rows = session.execute(
            select(*_WIRE_COLUMNS).where(Outbox.status == "pending", Outbox.seq > after)
            .order_by(Outbox.seq).limit(size)
        ).all()  # fmt: skip
        if not rows:
            return None
        pending, held = outbox_counts(session) if counts is None else counts
    parts = []
    for _seq, *fields, payload in rows:
        try:  # the text columns as json.dumps writes them, one C call each
            cid, entity, entity_id, op, hlc = map(_ASCII_STRING, fields)
        except TypeError:  # not text (a damaged row): whatever json.dumps makes of it
            cid, entity, entity_id, op, hlc = map(enc, fields)
        parts.append(
            f'{{"change_id":{cid},"entity":{entity},"entity_id":{entity_id},"op":{op},'
            f'"hlc":{hlc},"payload":{"null" if payload is None else payload}}}'
        )
    return _Batch(tuple(r[0] for r in rows), tuple(r[1] for r in rows),
                  "[" + ",".join(parts) + "]", max(0, pending - in_flight), held)  # fmt: skip


def push_all(store: Store, client: HubClient, clock: HybridClock, *, batch_size: int = MAX_BATCH,
             renumber: Renumber | None = None) -> PushTally:  # fmt: skip
    """Send every pending change, oldest first; returns what happened.

    A change the hub refuses for good (403 scope, 409 reused id, 422 malformed, 413 too large
    on its own) is quarantined with the hub's reason and the rest are sent again without it.
    Network trouble raises :class:`OfflineError` and leaves every unacknowledged change pending.

    Batches go in ``seq`` order. While the hub works on one this PC marks the previous batch
    sent and reads the next one (``seq`` after the batches in flight). Once the hub has said
    it orders pushes (``ordered`` in its answer), that next batch is sent at once, naming the
    batch before it (``after``): the hub applies it only when that one is in, so the two
    requests overlap (the hub checks one while the database writes the other) and order
    still holds. When a read finds nothing, the outbox is read again from the start once
    nothing is in flight, so a change put back in the queue meanwhile (重新排队) is still sent
    before this returns.

    A case whose code another case of the township holds on the hub (409 ``case.code_taken``:
    a PC restored from a backup reissued it) is renumbered by ``renumber`` and sent again.
    """
    run = _PushRun(store, client, clock, max(1, min(batch_size, MAX_BATCH)), renumber)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="sync-push") as pool:
        try:
            run.loop(pool)
        finally:
            mark_sent(store, run.acked)
            run.acked = []
    return PushTally(run.applied, run.duplicates, run.quarantined, run.batches)


class _PushRun:
    """The state of one :func:`push_all`."""

    def __init__(self, store: Store, client: HubClient, clock: HybridClock, size: int,
                 renumber: Renumber | None) -> None:  # fmt: skip
        self.store, self.client, self.clock, self.renumber = store, client, clock, renumber
        self.full = self.size = size
        self.applied = self.duplicates = self.quarantined = self.batches = 0
        self.acked: list[str] = []  # acknowledged by the hub, not yet marked sent here
        self.ordered = False  # the hub honours ``after``: batches may be pipelined
        self.flight: deque[tuple[_Batch, Future[dict[str, Any]]]] = deque()

    def _send(self, pool: ThreadPoolExecutor, batch: _Batch) -> None:
        if self.flight:
            before = self.flight[-1][0].change_ids
            future = pool.submit(self.client.push_json, batch.changes_json, pending=batch.pending,
                                 quarantined=batch.held, after=before)  # fmt: skip
        else:
            future = pool.submit(self.client.push_json, batch.changes_json,
                                 pending=batch.pending, quarantined=batch.held)  # fmt: skip
        self.flight.append((batch, future))

    def _mark(self) -> None:
        mark_sent(self.store, self.acked)
        self.acked = []

    def _next(self, batch: _Batch) -> _Batch | None:
        # The counts as read with the batch in flight (it is left out as in flight); counted
        # afresh whenever the outbox is read again from the start.
        return _read_batch(self.store, batch.seqs[-1], self.size, len(batch.seqs),
                           (batch.pending, batch.held))  # fmt: skip

    def _restart(self) -> _Batch | None:
        """Nothing in flight any more: mark what was acknowledged, read from the start."""
        self._drain()
        self._mark()
        return _read_batch(self.store, 0, self.size)

    def _drain(self) -> None:
        """Wait for the batches still in flight; count and acknowledge the ones applied."""
        while self.flight:
            _batch, future = self.flight.popleft()
            try:
                self._answered(future.result())
            except ServiceError:
                pass  # not applied: its changes are still pending and are read again

    def _answered(self, answer: dict[str, Any]) -> list[str]:
        self.batches += 1
        results = [r for r in answer.get("results") or [] if isinstance(r, dict)]
        acked = [str(r["change_id"]) for r in results]
        self.acked += acked
        self.applied += sum(1 for r in results if r.get("status") == "applied")
        self.duplicates += sum(1 for r in results if r.get("status") == "duplicate")
        if isinstance(answer.get("hlc"), str):
            self.clock.observe(Timestamp.decode(answer["hlc"]))
        self.ordered = self.ordered or answer.get("ordered") is True
        return acked

    def loop(self, pool: ThreadPoolExecutor) -> None:
        batch = _read_batch(self.store, 0, self.size)
        while batch is not None or self.flight:
            if batch is not None:
                self._send(pool, batch)
                self._mark()
                batch = self._next(batch)
                if batch is not None and self.ordered and len(self.flight) < 2:
                    continue  # send that one too before waiting for an answer
            head, future = self.flight.popleft()
            try:
                answer = future.result()
            except HubRefusedError as exc:
                if exc.code == ORDER_REFUSED:  # the batch before it was not in: send again
                    batch = self._restart()
                    continue
                self._drain()
                batch = self._refused(head, exc)
                continue
            except BaseException:
                self._drain()
                raise
            if not self._answered(answer):  # the hub acknowledged nothing: do not spin
                self._drain()
                return
            if batch is None and not self.flight:
                batch = self._restart()

    def _refused(self, head: _Batch, exc: HubRefusedError) -> _Batch | None:
        """What to send after a refusal of ``head`` (nothing else in flight now)."""
        refused = _refused(exc, head.change_ids)
        if not refused and exc.status in QUARANTINE_STATUSES and len(head.seqs) > 1:
            # Refused without naming a change (413, or a 422 whose culprit is not named):
            # halve the batch until the culprit is alone, never resend blindly.
            self.size = max(1, len(head.seqs) // 2)
            return self._restart()
        if not refused:
            raise exc
        refused = _renumbered(refused, exc, self.renumber)
        self.quarantined += quarantine(self.store, refused)
        self.size = self.full
        return self._restart()


def _renumbered(refused: dict[str, tuple[int, str, str]], exc: HubRefusedError,
                renumber: Renumber | None) -> dict[str, tuple[int, str, str]]:  # fmt: skip
    """The refused changes left to quarantine once the cases with a taken code are renumbered."""
    taken = {cid for cid, (_s, code, _r) in refused.items() if code == CODE_TAKEN}
    if not taken or renumber is None:
        return refused
    hints = {str(i.get("change_id", "")): str(i.get("hint") or "") for i in exc.changes}
    if renumber({cid: hints.get(cid, "") for cid in taken}) == 0:
        return refused  # nothing could be renumbered: set aside, never resent blindly
    return {cid: why for cid, why in refused.items() if cid not in taken}


def _refused(exc: HubRefusedError,
             change_ids: Sequence[str]) -> dict[str, tuple[int, str, str]]:  # fmt: skip
    """change_id → (status, code, reason) of the changes a refusal names."""
    if exc.status not in QUARANTINE_STATUSES:
        return {}
    sent = set(change_ids)
    named = {}
    for item in exc.changes:
        cid = str(item.get("change_id", ""))
        index = item.get("index")
        if cid not in sent and isinstance(index, int) and 0 <= index < len(change_ids):
            cid = change_ids[index]  # named by its place in the batch (its id was unreadable)
        if cid in sent:
            named[cid] = (int(item.get("status") or exc.status), str(item.get("code") or exc.code),
                          str(item.get("message") or exc.message))  # fmt: skip
    if not named and len(change_ids) == 1:  # a lone change refused as a whole (413, say)
        named[change_ids[0]] = (exc.status, exc.code, exc.message)
    return named


def mark_sent(store: Store, change_ids: Sequence[str]) -> None:
    if not change_ids:
        return
    # ``status || ''``: not the status index. With it SQLite walked every pending change for
    # each batch marked (a list of ids this long looks dearer to it than one status), quadratic
    # in the outbox: 7.6 s of a 100,000-change push; by the change_id index it is 1,000 probes.
    with store.write() as session:
        session.execute(
            update(Outbox).where(Outbox.change_id.in_(change_ids),
                                 Outbox.status.concat("") == "pending")
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


def requeue(store: Store, change_id: str, clock: HybridClock) -> str:
    """Send a quarantined change again under a new change id (the refused id stays unused).

    Returns the new change id. The change is stamped afresh: it is a decision taken now, so it
    must win over whatever the hub holds under the refused id (a tampered or stale value).
    """
    new_id = uuid7()
    with store.write() as session:
        row = session.scalars(select(Outbox).where(Outbox.change_id == change_id)).first()
        if row is None or row.status != "quarantined":
            raise NotFoundError("sync.not_quarantined", "该变更不在隔离区，可能已重新排队")
        row.change_id, row.status, row.error = new_id, "pending", None
        row.hlc = clock.now().encode()
        old = session.get(SyncQuarantine, change_id)
        if old is not None:
            session.delete(old)
    return new_id
