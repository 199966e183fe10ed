"""Issue 11 #4: a restore tells the hub, so the restored PC's next ordinary sync is a full one.

Before, ``services.backup.restore`` put the backup's sync cursor back with its data: the next
sync pulled only what the hub had taken in since the backup's cursor, so the cases this very PC
had registered (and pushed) after the backup never came back unless someone knew to press
完全重新同步.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from services.audit.chain import EPOCH_SPAN
from services.audit.verify import verify
from services.backup.service import restore, take_backup
from services.store.models import AuditLog, SyncParked
from tests.hub.harness import TOWNSHIP_A, InProcessHub, make_pc


def test_the_first_sync_after_a_restore_brings_back_what_the_backup_lacks(
    hub: InProcessHub, tmp_path: Path
) -> None:
    token = hub.token("A1", TOWNSHIP_A).token
    pc = make_pc(tmp_path, "a1", token, hub.transport)
    pc.sync.sync_now()
    before = pc.register("备份前登记的纠纷")
    pc.sync.sync_now()
    backup = take_backup(pc.store.path, tmp_path / "backups")  # type: ignore[arg-type]
    later = {pc.register(f"备份后登记第{i}件") for i in range(3)}
    pc.sync.sync_now()
    pc.close()
    restore(tmp_path / "a1.db", backup)
    restored = make_pc(tmp_path, "a1", token, hub.transport)
    try:
        assert restored.case_ids() == {before}
        restored.sync.sync_now()  # the ordinary sync the app runs at start, not 完全重新同步
        assert restored.case_ids() == {before, *later}
        fresh = restored.register("恢复并同步后登记")
        restored.sync.sync_now()
        assert fresh in restored.case_ids()
        with restored.store.read() as session:  # the sync opened the chain's new epoch first
            seqs = list(
                session.scalars(
                    select(AuditLog.device_seq)
                    .where(AuditLog.device_id == restored.ctx.device_id)
                    .order_by(AuditLog.device_seq)
                )
            )
            assert session.scalar(select(func.count()).select_from(SyncParked)) == 0
        assert any(s > EPOCH_SPAN and s % EPOCH_SPAN == 1 for s in seqs), seqs
        report = verify(restored.store)
        assert report.ok, report.findings
    finally:
        restored.close()
