"""Issue 11 #3: ``audit verify`` on a second PC of the township checks the first PC's chain.

Before, the entry a PC wrote for each pull went into its shared chain but never left the PC
(the pull session adds nothing to the outbox), so every other PC saw gaps in that chain
(``entry_link``); when the first entry a PC ever wrote was a pull, its public key stayed local
too (``entry_signature``). Pull entries now form a chain of their own that stays on the PC.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select, text

from services.audit.verify import verify
from services.store.models import AuditLog, CaseEvent
from tests.hub.harness import TOWNSHIP_A, InProcessHub, make_pc


def test_a_second_pc_verifies_the_first_pcs_chain_and_still_finds_raw_edits(
    hub: InProcessHub, tmp_path: Path
) -> None:
    a1 = make_pc(tmp_path, "a1", hub.token("A1", TOWNSHIP_A).token, hub.transport)
    a2 = make_pc(tmp_path, "a2", hub.token("A2", TOWNSHIP_A).token, hub.transport)
    try:
        a1.sync.sync_now()  # the first entry a1 ever writes is a pull
        case_id = a1.register("一号机登记的纠纷")
        a2.sync.sync_now()
        a2.register("二号机登记的纠纷")
        a2.sync.sync_now()
        a1.sync.sync_now()  # a1 pulls a2's case (a pull entry) then pushes
        a1.register("一号机再登记")
        a1.sync.sync_now()
        a2.sync.sync_now()
        for pc in (a1, a2):
            report = verify(pc.store)
            assert report.ok, (pc.name, report.findings)
        with a2.store.read() as session:
            devices = set(session.scalars(select(AuditLog.device_id).distinct()))
            assert a1.ctx.device_id in devices
            event_id = session.scalars(
                select(CaseEvent.id).where(CaseEvent.case_id == case_id,
                                           CaseEvent.device_id == a1.ctx.device_id)
            ).first()  # fmt: skip
        assert event_id is not None
        with a2.store.write_engine.begin() as conn:  # someone with the file and sqlite3
            conn.execute(text("DROP TRIGGER case_event_no_update"))
            conn.execute(text("UPDATE case_event SET payload = '{}' WHERE id = :i"),
                         {"i": event_id})  # fmt: skip
        report = verify(a2.store)
        assert [(f.kind, f.ref) for f in report.findings] == [("event_changed", event_id)]
    finally:
        a1.close()
        a2.close()
