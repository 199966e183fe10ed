"""Appending to the audit log (记入审计日志).

Every unit of work that changes synced data gets one entry listing its changes (and the digest
of each case_event it wrote or pulled), written just before the commit in the same transaction;
sign-ins, unmasking, prints and exports get entries of their own. Raw SQL bypasses all of this,
which is exactly what ``services.audit.verify`` then finds.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, bindparam, event, inspect, literal, select, true
from sqlalchemy.orm import Session, UOWTransaction

from services.audit.chain import EPOCH_SPAN, GENESIS, entry_hash, event_digest
from services.audit.signing import Signer
from services.domain.ids import uuid7
from services.store import prepared, textguard
from services.store.engine import BEFORE_COMMIT_KEY
from services.store.insertplan import insert_rows
from services.store.models import (
    RESTORED_CURSOR,
    AuditEvent,
    AuditKey,
    AuditLog,
    Base,
    CaseEvent,
    SyncState,
)
from services.store.outbox import APPLYING_PULL_KEY, capture_insert

WRITER_KEY = "audit_writer"
_PENDING_KEY = "audit_pending"
_UNLOGGED = frozenset({"audit_log", "audit_key", "audit_event"})
MAX_LISTED_CHANGES = 200  # a bulk unit of work lists its first changes and counts the rest
# Entries written while a pull is applied never reach the outbox, so they cannot sit in the chain
# every PC holds of this device (the others would see its gaps): they form a chain of their own,
# under this device id plus the suffix, which stays on this PC and is verified only here.
LOCAL_CHAIN_SUFFIX = "/local"


def chain_of(device_id: str, session_info: Mapping[str, Any]) -> str:
    """The chain an entry written in a session with this ``info`` goes into."""
    return device_id + LOCAL_CHAIN_SUFFIX if session_info.get(APPLYING_PULL_KEY) else device_id


def epoch_start(last_seq: int, draw: int) -> int:
    """The ``device_seq`` of the first entry after a restore: a fresh epoch above every number
    this PC holds. The PC may have pushed entries after the backup (numbers it no longer holds)
    and may be restored from the same backup again: ``draw`` (random) keeps those epochs apart."""
    return (last_seq // EPOCH_SPAN + 1 + draw) * EPOCH_SPAN + 1


@dataclass
class _Pending:
    changes: dict[tuple[str, str], str] = field(default_factory=dict)  # (entity, id) -> op
    events: dict[str, str] = field(default_factory=dict)  # event id -> digest
    action: str = "change"
    case_id: str | None = None
    entity: str = ""
    entity_id: str = ""
    user_id: str | None = None  # who the entry is about acting, when not the signed-in user
    detail: dict[str, Any] = field(default_factory=dict)


def _pending(session: Session) -> _Pending:
    found = session.info.get(_PENDING_KEY)
    if not isinstance(found, _Pending):
        found = _Pending()
        session.info[_PENDING_KEY] = found
    return found


def _event_values(obj: CaseEvent) -> dict[str, Any]:
    return {"id": obj.id, "case_id": obj.case_id, "action": obj.action, "actor_id": obj.actor_id,
            "device_id": obj.device_id, "hlc": obj.hlc, "occurred_at": obj.occurred_at,
            "payload": obj.payload}  # fmt: skip


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _ctx: UOWTransaction) -> None:
    if session.info.get(WRITER_KEY) is None:
        return
    pending = _pending(session)
    for obj, op in [(o, "insert") for o in session.new] + [(o, "update") for o in session.dirty]:
        _note(pending, obj, op)


def note_inserts(session: Session, objs: Iterable[object]) -> None:
    """New rows written with Core (services.store.coreinsert), listed in this unit of work's
    entry as the flush would have listed them."""
    if session.info.get(WRITER_KEY) is None:
        return
    pending = _pending(session)
    for obj in objs:
        _note(pending, obj, "insert")


def _note(pending: _Pending, obj: object, op: str) -> None:
    if not isinstance(obj, Base) or not type(obj).__sync__:
        return
    table = type(obj).__tablename__
    if table in _UNLOGGED:
        return
    state = inspect(obj)
    ident = state.identity or state.mapper.primary_key_from_instance(obj)
    key = (table, ":".join(str(v) for v in ident))
    pending.changes.setdefault(key, op)
    if isinstance(obj, CaseEvent) and op == "insert":
        pending.events[obj.id] = event_digest(_event_values(obj))
        pending.case_id = pending.case_id or obj.case_id


def note_pulled_event(session: Session, values: Mapping[str, Any]) -> None:
    """A case_event written by the sync pull (core insert, not seen by the ORM listener)."""
    if session.info.get(WRITER_KEY) is None:
        return
    pending = _pending(session)
    pending.events[str(values["id"])] = event_digest(values)
    pending.changes.setdefault(("case_event", str(values["id"])), "pull")
    pending.action = "pull"


def note_restamped_event(session: Session, values: Mapping[str, Any]) -> None:
    """A case_event of this PC's stamped afresh (services.sync.clockfix: the hub refused its stamp
    as ahead of the hub's time, so it never left this PC): this unit of work's entry records its
    new digest, which supersedes the one recorded when it was made."""
    if session.info.get(WRITER_KEY) is None:
        return
    pending = _pending(session)
    pending.events[str(values["id"])] = event_digest(values)
    pending.changes.setdefault(("case_event", str(values["id"])), "restamp")
    pending.action = "restamp"


def tag(session: Session, action: str, *, case_id: str | None = None, entity: str = "",
        entity_id: str = "", user_id: str | None = None, **detail: Any) -> None:  # fmt: skip
    """Name this unit of work's entry (``print``, ``sign_in``…) instead of the generic ``change``;
    a unit of work that changes nothing still gets its entry when tagged."""
    pending = _pending(session)
    pending.action = action
    pending.case_id = case_id or pending.case_id
    pending.entity, pending.entity_id = entity or pending.entity, entity_id or pending.entity_id
    pending.user_id = user_id or pending.user_id
    pending.detail.update(detail)
    pending.detail.setdefault("tagged", True)


class AuditWriter:
    """Writes this PC's entries; installed on the store by ``services.setup``.

    Args:
        device_id: this PC.
        signer: the device key.
        who: returns (user id, township id) at the time of writing.
        now: the clock.
    """

    def __init__(self, device_id: str, signer: Signer,
                 who: Callable[[], tuple[str | None, str | None]],
                 now: Callable[[], dt.datetime]) -> None:  # fmt: skip
        self.device_id, self.signer, self._who, self._now = device_id, signer, who, now
        self._key_known = False

    def install(self, session_info: dict[str, Any]) -> None:
        session_info[WRITER_KEY] = self
        session_info[BEFORE_COMMIT_KEY] = self.before_commit

    @contextmanager
    def rehearsal(self) -> Iterator[None]:
        """For a unit of work that is rolled back afterwards (``services.reception.warmup``):
        what the writer learns inside (that its key is stored) is forgotten on leaving."""
        known = self._key_known
        try:
            yield
        finally:
            self._key_known = known

    def before_commit(self, session: Session) -> None:
        pending = session.info.pop(_PENDING_KEY, None)
        if not isinstance(pending, _Pending) or not (pending.changes or pending.detail):
            return
        listed = sorted(pending.changes.items())
        detail = dict(pending.detail)
        if listed:
            detail["changes"] = [[e, i, op] for (e, i), op in listed[:MAX_LISTED_CHANGES]]
            detail["change_count"] = len(listed)
        if pending.events:
            detail["events"] = sorted([i, d] for i, d in pending.events.items())
        row = self.append(session, pending.action, case_id=pending.case_id, detail=detail,
                          entity=pending.entity, entity_id=pending.entity_id,
                          user_id=pending.user_id)  # fmt: skip
        if pending.events:  # a pulled event already known here is recorded again
            insert_rows(session.connection(), AuditEvent.__table__, [
                {"event_id": i, "digest": d, "audit_id": row.id} for i, d in pending.events.items()
            ], prefix="OR REPLACE")  # fmt: skip

    def append(self, session: Session, action: str, *, case_id: str | None = None,
               entity: str = "", entity_id: str = "",
               detail: Mapping[str, Any] | None = None,
               user_id: str | None = None) -> AuditLog:  # fmt: skip
        """Add one signed entry at the end of this device's chain (in the caller's session); in a
        pull's session, at the end of its local chain (:func:`chain_of`)."""
        self._register_key(session)
        chain = chain_of(self.device_id, session.info)
        if session.autoflush:  # as the ORM query this was (anything pending goes first)
            session.flush()
        ((last_seq, last_hash, cursor),) = prepared.run(
            session, "audit_chain_end", _chain_end, {"chain": chain}
        )
        seq, prev = (int(last_seq) + 1, str(last_hash)) if last_seq is not None else (1, GENESIS)
        if chain == self.device_id and cursor == RESTORED_CURSOR:
            # Restored from a backup: the numbers after it may be on the hub already (a fork).
            # The chain goes on from the backup's last entry in a new epoch; the sync pulls all.
            seq = epoch_start(seq - 1, secrets.randbelow(EPOCH_SPAN))
            state = session.get(SyncState, 1)
            assert state is not None
            state.cursor = 0
        current, township_id = self._who()
        user_id = user_id or current
        values: dict[str, Any] = {
            "id": uuid7(), "device_id": chain, "device_seq": seq,
            "key_id": self.signer.key_id, "at": self._now(), "user_id": user_id,
            "action": action[:30], "case_id": case_id, "entity": entity[:40],
            "entity_id": entity_id[:64], "detail": dict(detail or {}), "township_id": township_id,
        }  # fmt: skip
        digest = entry_hash(prev, values)
        row = AuditLog(**values, prev_hash=prev, hash=digest, signature=self.signer.sign(digest))
        # Written with Core, not added to the session: no flush of its own. What the flush would
        # do for it is done here: the stored-text check and its outbox row.
        textguard.check_row(row)
        session.flush()  # a restored chain's cursor, and anything else pending, goes first
        insert_rows(session.connection(), AuditLog.__table__, [{
            **values, "prev_hash": prev, "hash": digest, "signature": row.signature,
        }])  # fmt: skip
        capture_insert(session, row)
        return row

    def _register_key(self, session: Session) -> None:
        if self._key_known:
            return
        if session.get(AuditKey, self.signer.key_id) is None:
            # The key goes up even when a pull writes this device's first entry: every PC
            # needs it to check this device's shared chain.
            pulling = session.info.pop(APPLYING_PULL_KEY, None)
            try:
                session.add(AuditKey(key_id=self.signer.key_id, device_id=self.device_id,
                                     public_key=self.signer.public_hex, created_at=self._now(),
                                     township_id=self._who()[1]))  # fmt: skip
                session.flush()
            finally:
                if pulling is not None:
                    session.info[APPLYING_PULL_KEY] = pulling
        self._key_known = True


def _chain_end() -> Select[Any]:
    """The last entry's (device_seq, hash) of the chain ``:chain`` (None, None when it has none)
    and the sync cursor (None without a sync_state row), in one statement; compiled once
    (services.store.prepared): run through the session, SQLAlchemy's part cost more than
    SQLite's."""
    last = (
        select(AuditLog.device_seq, AuditLog.hash).where(AuditLog.device_id == bindparam("chain"))
        .order_by(AuditLog.device_seq.desc()).limit(1).subquery()
    )  # fmt: skip
    cursor = select(SyncState.cursor).where(SyncState.id == 1).scalar_subquery()
    one = select(literal(1).label("one")).subquery()
    return select(last.c.device_seq, last.c.hash, cursor).select_from(one.outerjoin(last, true()))


def writer_of(session_info: Mapping[str, Any]) -> AuditWriter | None:
    found = session_info.get(WRITER_KEY)
    return found if isinstance(found, AuditWriter) else None
