"""``audit verify`` over a real chain: N case events, each unit of work's signed entry listing two.

The 1M-case database of ``run.py`` is bulk-loaded without audit entries, so its ``audit verify``
figure walks the events but checks no chain (every event is a finding). Here the chain is what
the app writes: one township set up and a walk-in registered through the services, then entries
made exactly as ``AuditWriter.append`` makes them (same canonical JSON, SHA-256 link, the
device's Ed25519 signature), each listing the digests of the two case events it wrote, loaded in
batches. ``verify`` must find nothing; one event edited by raw SQL must then be named.

    .venv/bin/python -m tests.bench.bench_audit [--events 1000000] [--keep]

Baseline: the same rows read through sqlite3 with no checking (the I/O and decoding floor).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from services.audit.chain import entry_hash, event_digest
from services.audit.log import writer_of
from services.audit.verify import verify
from services.domain.dto import PartyInput, WalkInInput
from services.keys.startup import install_keys
from services.reception.registration import register_walk_in
from services.setup.township import make_context, open_store, set_up_township
from services.store.models import AuditEvent, AuditLog, CaseEvent

BATCH = 20_000  # events per transaction while loading
START = dt.datetime(2026, 1, 5, 8, 0)


def _load(db: Path, events: int) -> tuple[int, float]:
    """The township, one real registration, then ``events`` more in signed entries of two."""
    install_keys(demo=True)
    store = open_store(db)
    ctx = make_context(store)
    set_up_township(ctx, "青山镇", "620123101000")
    party = PartyInput(name="张三", phone="13812345678")
    form = WalkInInput(parties=(party,), summary="宅基地边界纠纷", category_code="0202",
                       disposition="accepted")  # fmt: skip
    case_id = register_walk_in(ctx, form).case_id
    writer = writer_of(store.session_info)
    assert writer is not None
    with store.read() as session:
        seq, prev = session.execute(
            select(AuditLog.device_seq, AuditLog.hash).where(AuditLog.device_id == ctx.device_id)
            .order_by(AuditLog.device_seq.desc()).limit(1)).one()  # fmt: skip
        event_seq = session.scalar(select(CaseEvent.seq).where(CaseEvent.case_id == case_id)
                                   .order_by(CaseEvent.seq.desc()).limit(1)) or 0  # fmt: skip
    t0 = time.perf_counter()
    made = 0
    while made < events:
        ev_rows: list[dict[str, Any]] = []
        log_rows: list[dict[str, Any]] = []
        index_rows: list[dict[str, Any]] = []
        for _ in range(min(BATCH, events - made) // 2):
            at = START + dt.timedelta(seconds=made)
            pair = []
            for k in range(2):
                event_seq += 1
                ev = {"id": str(uuid.UUID(int=(made + k + 1) << 64 | 0x7000 << 48)),
                      "case_id": case_id, "seq": event_seq, "action": "note",
                      "actor_id": ctx.user_id, "device_id": ctx.device_id,
                      "hlc": f"{int(at.timestamp() * 1000):013d}-{k:04d}-{ctx.device_id}",
                      "occurred_at": at, "payload": {"opinion": "电话回访，满意"}}  # fmt: skip
                ev_rows.append(ev)
                pair.append((ev["id"], event_digest(ev)))
            seq += 1
            entry = {"id": str(uuid.uuid4()), "device_id": ctx.device_id, "device_seq": seq,
                     "key_id": writer.signer.key_id, "at": at, "user_id": ctx.user_id,
                     "action": "change", "case_id": case_id, "entity": "", "entity_id": "",
                     "detail": {"changes": [["case_event", i, "insert"] for i, _d in pair],
                                "change_count": 2, "events": sorted([i, d] for i, d in pair)},
                     "township_id": ctx.township_id}  # fmt: skip
            digest = entry_hash(prev, entry)
            log_rows.append({**entry, "prev_hash": prev, "hash": digest,
                             "signature": writer.signer.sign(digest)})  # fmt: skip
            index_rows += [{"event_id": i, "digest": d, "audit_id": entry["id"]} for i, d in pair]
            prev = digest
            made += 2
        with store.write_engine.begin() as conn:
            conn.execute(insert(CaseEvent), ev_rows)
            conn.execute(insert(AuditLog), log_rows)
            conn.execute(insert(AuditEvent), index_rows)
    store.dispose()
    return made, time.perf_counter() - t0


def _raw_read(db: Path) -> float:
    conn = sqlite3.connect(db)
    try:
        t0 = time.perf_counter()
        for sql in ("SELECT * FROM audit_log ORDER BY device_id, device_seq",
                    "SELECT e.*, a.digest FROM case_event e LEFT JOIN audit_event a"
                    " ON a.event_id = e.id ORDER BY e.id",
                    "SELECT * FROM audit_event ORDER BY audit_id, event_id"):  # fmt: skip
            for _row in conn.execute(sql):
                pass
        return time.perf_counter() - t0
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="zz-bench-audit-"))
    db = folder / "audit.db"
    load = os.getloadavg()
    made, built = _load(db, args.events)
    print(f"built {made:,} events in {made // 2:,} signed entries in {built:.1f}s "
          f"({db.stat().st_size / 2**20:.0f} MiB)", flush=True)  # fmt: skip
    store = open_store(db)
    t0 = time.perf_counter()
    report = verify(store)
    took = time.perf_counter() - t0
    assert report.ok, report.findings[:3]
    raw = _raw_read(db)
    print(f"audit verify: {report.entries:,} entries, {report.events:,} events, no finding: "
          f"{took:.1f}s ({1e6 * took / report.events:.0f} µs/event); raw read of the same rows "
          f"{raw:.1f}s; ratio {took / raw:.1f}", flush=True)  # fmt: skip
    with store.write_engine.begin() as conn:  # the attack: triggers dropped, one event edited
        conn.exec_driver_sql("DROP TRIGGER case_event_no_update")
        conn.exec_driver_sql("UPDATE case_event SET action = 'close' WHERE rowid = "
                             "(SELECT rowid FROM case_event ORDER BY rowid LIMIT 1 OFFSET "
                             f"{made // 2})")  # fmt: skip
    t0 = time.perf_counter()
    tampered = verify(store)
    took2 = time.perf_counter() - t0
    store.dispose()
    assert [f.kind for f in tampered.findings] == ["event_changed"], tampered.findings[:3]
    print(f"after one raw UPDATE: {took2:.1f}s, first finding: {tampered.findings[0].message}")
    print(f"load average at start {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
          f"at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")  # fmt: skip
    if not args.keep:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()


if __name__ == "__main__":
    main()
