"""Restore, resync, requeue and the hub's limits (issue 10 §6, §7, §9), on PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from hub.service import HubService
from services.domain.hlc import Timestamp
from services.domain.ids import uuid7
from services.store.models import Case, Outbox
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc, make_pc


def _backup(pc: Pc, to: Path) -> None:
    source = sqlite3.connect(str(pc.store.path))
    target = sqlite3.connect(to)
    source.backup(target)
    target.close()
    source.close()


def test_restore_from_a_backup_then_full_resync_brings_everything_back(
    pg_hub: InProcessHub, tmp_path: Path
) -> None:
    token = pg_hub.token("A1", TOWNSHIP_A).token
    a1 = make_pc(tmp_path, "a1", token, pg_hub.transport)
    a1.sync.sync_now()
    a1.register("备份前登记的纠纷")
    a1.sync.sync_now()
    _backup(a1, tmp_path / "backup.db")
    later = {a1.register(f"备份后登记第{i}件") for i in range(3)}
    a1.sync.sync_now()
    codes = {code for code, _s, _n in a1.cases().values()}
    a1.close()
    for suffix in ("", "-wal", "-shm"):  # the PC's disk dies; last week's backup comes back
        (tmp_path / f"a1.db{suffix}").unlink(missing_ok=True)
    shutil.copy(tmp_path / "backup.db", tmp_path / "a1.db")
    restored = make_pc(tmp_path, "a1", token, pg_hub.transport)
    try:
        assert not later & restored.case_ids()
        restored.sync.full_resync()
        assert later <= restored.case_ids()  # even though this very PC pushed them
        fresh = restored.register("恢复后新登记的纠纷")
        restored.sync.sync_now()
        new_code = restored.cases()[fresh][0]
        assert new_code not in codes  # the numbers used after the backup are not issued again
        with pg_hub.db.engine.connect() as conn:
            from sqlalchemy import text

            sql = "SELECT row->>'code' FROM record WHERE entity = 'case_file'"
            hub_codes = conn.execute(text(sql)).scalars().all()
        assert len(hub_codes) == len(set(hub_codes)) == 5
    finally:
        restored.close()


def test_requeue_after_a_409_wins_over_the_tampered_value(
    pg_hub: InProcessHub, pg_pcs: Callable[..., Pc]
) -> None:
    issued = pg_hub.token("A1", TOWNSHIP_A)
    a1, a2 = pg_pcs("a1", issued.token), pg_pcs("a2", pg_hub.token("A2", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a2.sync.sync_now()
    case_id = a1.register()
    a1.sync.sync_now()
    with a1.store.write() as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.title = "本机的标题"
    with a1.store.read() as session:
        mine = session.scalars(
            select(Outbox).where(Outbox.status == "pending", Outbox.entity == "case_file")
        ).one()
        mine_id = mine.change_id
        tampered = {"change_id": mine.change_id, "entity": mine.entity,
                    "entity_id": mine.entity_id, "op": mine.op, "hlc": mine.hlc,
                    "payload": {"fields": {"title": "篡改的标题"}}}  # fmt: skip
    http = pg_hub.client(issued.token, a1.ctx.device_id)
    assert http.post("/v1/push", json={"changes": [tampered]}).status_code == 200
    a1.sync.sync_now()  # its own change: 409, quarantined
    assert [i.status_code for i in a1.sync.outbox_items("quarantined")] == [409]
    a1.sync.requeue(mine_id)
    a1.sync.sync_now()
    a2.sync.sync_now()
    with a2.store.read() as session:
        assert session.scalar(select(Case.title).where(Case.id == case_id)) == "本机的标题"


def test_leases_are_bounded_in_size_year_and_total(pg_hub: InProcessHub) -> None:
    http = pg_hub.client(pg_hub.token("A1", TOWNSHIP_A).token)
    year = __import__("datetime").date.today().year

    def lease(series: str, size: int) -> int:
        body = {"series": series, "size": size, "request_id": str(uuid.uuid4())}
        return http.post("/v1/leases", json=body).status_code

    assert lease(f"case:{TOWNSHIP_A[0]}:9999", 100) == 422
    assert lease(f"case:{TOWNSHIP_A[0]}:{year}", 10_000) == 422
    codes = [lease(f"case:{TOWNSHIP_A[0]}:{year}", 1000) for _ in range(21)]
    assert codes[:20] == [200] * 20 and codes[20] == 429


def test_the_hubs_clock_survives_a_restart(pg_hub: InProcessHub) -> None:
    issued = pg_hub.token("A1", TOWNSHIP_A)
    http = pg_hub.client(issued.token)
    ahead = pg_hub.app.state.service.clock.now().wall_ms + 30_000  # a PC 30 s fast
    row_id = uuid7()
    change = {"change_id": str(uuid.uuid4()), "entity": "person", "entity_id": row_id,
              "op": "insert", "hlc": f"{ahead:013d}-0000000000-pc-test",
              "payload": {"row": {"id": row_id, "name": "张三",
                                  "created_at": "2026-12-01T09:00:00"}}}  # fmt: skip
    answer = http.post("/v1/push", json={"changes": [change]}).json()
    assert Timestamp.decode(answer["hlc"]).wall_ms >= ahead
    restarted = HubService(pg_hub.db)  # a new process over the same database
    after = restarted.push(restarted.principal(issued.token, "pc-test"), []).hlc
    assert Timestamp.decode(after).wall_ms >= ahead  # never behind what it handed out
