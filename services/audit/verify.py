"""Checking the audit log (审计校验): the chains, their signatures and the case events.

Finds an entry edited, removed or inserted out of order (its hash, link or signature breaks),
and a case_event inserted, edited or deleted by raw SQL (no digest recorded, a digest that no
longer matches, a recorded event that is gone). Streams every table in index order, so memory
stays flat on a million events.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit.chain import EPOCH_SPAN, GENESIS, entry_hash, event_digest
from services.audit.signing import verify_signature
from services.store.engine import Store
from services.store.models import AuditEvent, AuditKey, AuditLog, CaseEvent

BATCH = 5000


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found; ``ref`` is the audit entry or case event it is about."""

    kind: str  # entry_hash / entry_link / entry_signature / event_unlogged / event_changed / …
    ref: str
    message: str


@dataclass(frozen=True, slots=True)
class VerifyReport:
    entries: int
    devices: int
    events: int
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None


def _entry_name(row: Any) -> str:
    return (
        f"设备 {row.device_id} 第 {row.device_seq} 条（{row.at:%Y-%m-%d %H:%M:%S}，{row.action}）"
    )


def _check_chains(session: Session, keys: dict[str, str], out: list[Finding]) -> tuple[int, int]:
    device, seq, prev, entries, devices = None, 0, GENESIS, 0, 0
    epochs: list[tuple[str, str, int, str, str]] = []  # first entries of an epoch (a restore)
    table = AuditLog.__table__  # plain rows: no ORM identity map for a million entries
    rows = session.execute(select(table).order_by(table.c.device_id, table.c.device_seq)
                           .execution_options(yield_per=BATCH))  # fmt: skip
    names = [c.key for c in table.columns]
    for row in rows:
        entries += 1
        if row.device_id != device:
            device, seq, prev, devices = row.device_id, 0, GENESIS, devices + 1
        seq += 1
        name = _entry_name(row)
        if row.device_seq != seq and row.device_seq > seq and row.device_seq % EPOCH_SPAN == 1:
            epochs.append((row.id, row.device_id, row.device_seq, row.prev_hash, name))
        elif row.device_seq != seq or row.prev_hash != prev:
            out.append(
                Finding(
                    "entry_link", row.id, f"审计日志{name}与前一条接不上：之前的记录被删除或插入"
                )
            )
        values = dict(zip(names, row, strict=True))
        if entry_hash(row.prev_hash, values) != row.hash:
            out.append(Finding("entry_hash", row.id, f"审计日志{name}的内容被改动（哈希不符）"))
        public = keys.get(row.key_id)
        if public is None or not verify_signature(public, row.hash, row.signature):
            out.append(Finding("entry_signature", row.id, f"审计日志{name}的签名无效"))
        seq, prev = row.device_seq, row.hash
    for entry_id, device_id, device_seq, prev_hash, name in epochs:
        # after a restore the chain goes on from the backup's last entry (or its start)
        if prev_hash != GENESIS and session.scalar(
            select(table.c.id).where(table.c.device_id == device_id, table.c.hash == prev_hash,
                                     table.c.device_seq < device_seq).limit(1)
        ) is None:  # fmt: skip
            out.append(
                Finding(
                    "entry_link", entry_id, f"审计日志{name}与前一条接不上：之前的记录被删除或插入"
                )
            )
    return entries, devices


def _recorded(session: Session) -> Iterator[tuple[str, list[list[str]]]]:
    rows = session.execute(select(AuditLog.id, AuditLog.detail).order_by(AuditLog.id)
                           .execution_options(yield_per=BATCH))  # fmt: skip
    for audit_id, detail in rows:
        events = (detail or {}).get("events") or []
        if events:
            yield audit_id, sorted([str(i), str(d)] for i, d in events)


def _check_digest_index(session: Session, out: list[Finding]) -> None:
    """``audit_event`` must hold exactly the digests the signed entries list (merge by entry)."""
    stream = iter(session.execute(
        select(AuditEvent.audit_id, AuditEvent.event_id, AuditEvent.digest)
        .order_by(AuditEvent.audit_id, AuditEvent.event_id).execution_options(yield_per=BATCH)
    ))  # fmt: skip
    pending = next(stream, None)
    for audit_id, events in _recorded(session):
        indexed: list[list[str]] = []
        while pending is not None and pending[0] <= audit_id:
            if pending[0] == audit_id:
                indexed.append([str(pending[1]), str(pending[2])])
            else:
                gone = f"事件 {pending[1]} 的审计记录 {pending[0]} 已不存在"
                out.append(Finding("event_index", str(pending[0]), gone))
            pending = next(stream, None)
        if indexed != events and not _superseded(session, audit_id, events, indexed):
            message = f"审计记录 {audit_id} 所列事件摘要与索引不符（摘要表被改动）"
            out.append(Finding("event_index", audit_id, message))


def _superseded(session: Session, audit_id: str, events: list[list[str]],
                indexed: list[list[str]]) -> bool:  # fmt: skip
    """Every event the entry lists but the index does not is recorded by a later entry (an event
    pulled again, or stamped afresh before it left this PC): the later digest is the one kept."""
    if any(item not in events for item in indexed):
        return False
    missing = [event_id for event_id, _d in events if [event_id, _d] not in indexed]
    later = session.execute(
        select(AuditEvent.event_id).where(AuditEvent.event_id.in_(missing),
                                          AuditEvent.audit_id > audit_id)
    ).scalars().all()  # fmt: skip
    return set(later) == set(missing)


def _check_events(session: Session, out: list[Finding]) -> int:
    cols = [
        getattr(CaseEvent, name)
        for name in (
            "id",
            "case_id",
            "action",
            "actor_id",
            "device_id",
            "hlc",
            "occurred_at",
            "payload",
        )
    ]
    rows = session.execute(
        select(*cols, AuditEvent.digest).outerjoin(AuditEvent, AuditEvent.event_id == CaseEvent.id)
        .order_by(CaseEvent.id).execution_options(yield_per=BATCH)
    )  # fmt: skip
    count = 0
    for row in rows:
        count += 1
        values = row._mapping
        where = f"案件 {values['case_id']} 的事件 {values['id']}（{values['action']}）"
        if values["digest"] is None:
            out.append(Finding("event_unlogged", values["id"],
                               f"{where}不在审计日志中：疑似绕过程序直接写入数据库"))  # fmt: skip
        elif event_digest(dict(values)) != values["digest"]:
            out.append(Finding("event_changed", values["id"],
                               f"{where}与审计日志记录的内容不符：疑似被直接改动"))  # fmt: skip
    gone = session.execute(
        select(AuditEvent.event_id, AuditEvent.audit_id)
        .outerjoin(CaseEvent, CaseEvent.id == AuditEvent.event_id)
        .where(CaseEvent.id.is_(None)).order_by(AuditEvent.event_id)
    )  # fmt: skip
    for event_id, audit_id in gone:
        message = f"审计日志记录的事件 {event_id}（审计记录 {audit_id}）已从数据库中消失"
        out.append(Finding("event_deleted", event_id, message))
    return count


def verify(store: Store) -> VerifyReport:
    """Check every chain and every case_event against it; findings in the order found."""
    findings: list[Finding] = []
    with store.read() as session:
        keys = dict(session.execute(select(AuditKey.key_id, AuditKey.public_key)).all())
        entries, devices = _check_chains(session, {str(k): str(v) for k, v in keys.items()},
                                         findings)  # fmt: skip
        _check_digest_index(session, findings)
        events = _check_events(session, findings)
    return VerifyReport(entries, devices, events, tuple(findings))
