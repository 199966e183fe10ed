"""Restore, resync, requeue and the hub's limits (issue 10 §6, §7, §9), on PostgreSQL."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, update

from hub.service import HubService
from services.audit.verify import verify
from services.backup.service import restore
from services.domain.hlc import Timestamp
from services.domain.ids import uuid7
from services.store.models import Case, CaseAlias, NumberBlock, Outbox, SyncParked
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc, case_row, make_pc


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


def _hub_codes(hub: InProcessHub) -> list[str]:
    from sqlalchemy import text

    with hub.db.engine.connect() as conn:
        sql = "SELECT row->>'code' FROM record WHERE entity = 'case_file'"
        return list(conn.execute(text(sql)).scalars().all())


def _restore(pc: Pc, backup: Path, tmp_path: Path, token: str, hub: InProcessHub) -> Pc:
    """The restore assistant (``python main.py backup restore``) puts the backup back."""
    pc.close()
    restore(tmp_path / f"{pc.name}.db", backup)
    return make_pc(tmp_path, pc.name, token, hub.transport)


def test_a_restored_pc_registering_before_any_resync_never_reuses_a_code(
    pg_hub: InProcessHub, tmp_path: Path
) -> None:
    """The restored PC's blocks are back where the backup left them: the codes it issues again
    are refused by the hub (409 case.code_taken), renumbered past the hub's highest, sent again."""
    token = pg_hub.token("A1", TOWNSHIP_A).token
    a1 = make_pc(tmp_path, "a1", token, pg_hub.transport)
    a2 = make_pc(tmp_path, "a2", pg_hub.token("A2", TOWNSHIP_A).token, pg_hub.transport)
    try:
        a1.sync.sync_now()
        a1.register("备份前")
        a1.sync.sync_now()
        _backup(a1, tmp_path / "backup.db")
        later = {a1.register(f"备份后第{i}件") for i in range(3)}
        a1.sync.sync_now()
        used = {a1.cases()[c][0] for c in later}
        a1 = _restore(a1, tmp_path / "backup.db", tmp_path, token, pg_hub)
        again = [a1.register(f"恢复后第{i}件") for i in range(2)]
        reissued = {a1.cases()[c][0] for c in again}
        assert reissued <= used  # the backup's block hands out the same numbers again
        report = a1.sync.sync_now()
        assert report.status.quarantined == 0 and a1.pending() == 0
        codes = _hub_codes(pg_hub)
        assert len(codes) == len(set(codes)) == 6
        now = {a1.cases()[c][0] for c in again}
        assert not now & used  # renumbered past every code the hub has
        with a1.store.read() as session:
            assert {a.case_id for a in session.scalars(select(CaseAlias))} == set(again)
        a1.sync.full_resync()
        a2.sync.sync_now()
        assert a1.cases() == a2.cases() and len(a2.cases()) == 6
        fresh = a1.register("再登记一件")
        a1.sync.sync_now()
        assert a1.cases()[fresh][0] not in used | now
    finally:
        a1.close()
        a2.close()


def test_a_restored_pc_writing_before_any_resync_parks_nothing(
    pg_hub: InProcessHub, tmp_path: Path
) -> None:
    token = pg_hub.token("A1", TOWNSHIP_A).token
    a1 = make_pc(tmp_path, "a1", token, pg_hub.transport)
    a2 = make_pc(tmp_path, "a2", pg_hub.token("A2", TOWNSHIP_A).token, pg_hub.transport)
    try:
        a1.sync.sync_now()
        _backup(a1, tmp_path / "backup.db")
        a1.register("备份后")
        a1.sync.sync_now()
        a1 = _restore(a1, tmp_path / "backup.db", tmp_path, token, pg_hub)
        a1.register("恢复后、同步前")  # its audit entry starts a new epoch of a1's chain
        a1.sync.full_resync()
        a2.sync.sync_now()
        a1.sync.sync_now()
        a1.register("同步后")  # goes on in the new epoch
        a1.sync.sync_now()
        a2.sync.sync_now()
        for pc in (a1, a2):
            with pc.store.read() as session:
                assert session.scalar(select(func.count()).select_from(SyncParked)) == 0, pc.name
        report = verify(a1.store)  # the backup's chain, the entries pulled back, the new epoch
        assert report.ok and report.entries >= 4, report.first
    finally:
        a1.close()
        a2.close()


def test_the_hub_refuses_a_second_case_with_a_taken_code(pg_hub: InProcessHub) -> None:
    issued = pg_hub.token("A1", TOWNSHIP_A)
    http = pg_hub.client(issued.token, "pc-test")
    code = f"{TOWNSHIP_A[0]}-2026-000007"
    hlc = f"{pg_hub.app.state.service.clock.now().wall_ms:013d}-0000000000-pc-test"

    def insert(case_id: str) -> dict[str, object]:
        row = case_row(case_id, str(issued.township_id), code=code)
        return {"change_id": str(uuid.uuid4()), "entity": "case_file", "entity_id": case_id,
                "op": "insert", "hlc": hlc, "payload": {"row": row}}  # fmt: skip

    first, second, third = uuid7(), uuid7(), uuid7()
    assert http.post("/v1/push", json={"changes": [insert(first)]}).status_code == 200
    answer = http.post("/v1/push", json={"changes": [insert(second)]})
    assert answer.status_code == 409
    item = answer.json()["detail"]["changes"][0]
    assert (item["code"], item["hint"]) == ("case.code_taken", code)
    both = http.post("/v1/push", json={"changes": [insert(second), insert(third)]})
    assert both.status_code == 409 and len(both.json()["detail"]["changes"]) == 2
    assert _hub_codes(pg_hub) == [code]
    renamed = {"change_id": str(uuid.uuid4()), "entity": "case_file", "entity_id": first,
               "op": "update", "hlc": hlc.replace("-0000000000-", "-0000000001-"),
               "payload": {"fields": {"code": f"{TOWNSHIP_A[0]}-2026-000008"}}}  # fmt: skip
    assert http.post("/v1/push", json={"changes": [renamed]}).status_code == 200
    assert _hub_codes(pg_hub) == [f"{TOWNSHIP_A[0]}-2026-000008"]
    # A case keeps its old codes: a printed receipt never names another case.
    assert http.post("/v1/push", json={"changes": [insert(second)]}).status_code == 409


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


def test_leases_are_bounded_in_size_year_and_unused_numbers(pg_hub: InProcessHub) -> None:
    issued = pg_hub.token("A1", TOWNSHIP_A)
    http = pg_hub.client(issued.token)
    today = __import__("datetime").date.today()
    series = f"case:{TOWNSHIP_A[0]}:{today.year}"

    def lease(series: str, size: int) -> int:
        body = {"series": series, "size": size, "request_id": str(uuid.uuid4())}
        return http.post("/v1/leases", json=body).status_code

    assert lease(f"case:{TOWNSHIP_A[0]}:9999", 100) == 422
    assert lease(f"case:{TOWNSHIP_A[0]}:{today.year - 1}", 100) == (200 if today.month == 1
                                                                     else 422)  # fmt: skip
    assert lease(f"case:{TOWNSHIP_A[0]}:{today.year + 1}", 100) == 200
    assert lease(series, 10_000) == 422  # at most 1,000 numbers a lease
    codes = [lease(series, 1000) for _ in range(11)]
    assert codes[:10] == [200] * 10 and codes[10] == 429  # 10,000 unused numbers at most
    # The first lease used up (its last number given to a case): room for one more.
    case_id = uuid7()
    row = case_row(case_id, str(issued.township_id), code=f"{TOWNSHIP_A[0]}-{today.year}-001000")
    hlc = f"{pg_hub.app.state.service.clock.now().wall_ms:013d}-0000000000-pc-test"
    change = {"change_id": str(uuid.uuid4()), "entity": "case_file", "entity_id": case_id,
              "op": "insert", "hlc": hlc, "payload": {"row": row}}  # fmt: skip
    assert http.post("/v1/push", json={"changes": [change]}).status_code == 200
    assert lease(series, 1000) == 200 and lease(series, 1000) == 429
    big = {
        **change,
        "change_id": str(uuid.uuid4()),
        "entity_id": (other := uuid7()),
        "payload": {"row": case_row(other, str(issued.township_id), summary="长" * 30_000)},
    }
    assert http.post("/v1/push", json={"changes": [big]}).status_code == 413  # 64 KiB a row


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


def _run_dry(pc: Pc) -> None:
    with pc.store.write() as session:
        session.execute(update(NumberBlock).values(next_value=NumberBlock.last + 1))


def test_a_restored_pc_never_issues_a_provisional_code_it_already_used(
    pg_hub: InProcessHub, tmp_path: Path
) -> None:
    """Provisional codes renumbered after the backup live on as aliases: once restored and
    synced, the PC's own provisional series resumes past them (no reissue, no crash)."""
    token = pg_hub.token("A1", TOWNSHIP_A).token
    a1 = make_pc(tmp_path, "a1", token, pg_hub.transport)
    try:
        a1.sync.sync_now()
        _backup(a1, tmp_path / "backup.db")
        _run_dry(a1)
        before = [a1.register(f"号段用尽第{i}件") for i in range(3)]
        provisional = {a1.cases()[c][0] for c in before}
        assert all("-L" in code for code in provisional)
        a1.sync.sync_now()  # renumbered from the hub; the provisional codes become aliases
        a1 = _restore(a1, tmp_path / "backup.db", tmp_path, token, pg_hub)
        a1.register("恢复后登记")
        a1.sync.sync_now()
        _run_dry(a1)
        again = a1.register("号段再次用尽")
        assert a1.cases()[again][0] not in provisional  # resumes past the aliases
        report = a1.sync.sync_now()  # no IntegrityError on case_alias.code
        assert report.status.quarantined == 0 and a1.pending() == 0
        with a1.store.read() as session:
            aliases = {a.code: a.case_id for a in session.scalars(select(CaseAlias))}
        assert {aliases[code] for code in provisional} == set(before)
        codes = _hub_codes(pg_hub)
        assert len(codes) == len(set(codes)) == 5
    finally:
        a1.close()


def test_renumbering_keeps_an_alias_that_already_exists(
    pg_hub: InProcessHub, tmp_path: Path
) -> None:
    """A provisional code already known as an alias of another case (issued twice before the
    fix, or pulled back) is renumbered without an IntegrityError; the first case keeps it."""
    a1 = make_pc(tmp_path, "a1", pg_hub.token("A1", TOWNSHIP_A).token, pg_hub.transport)
    try:
        a1.sync.sync_now()
        _run_dry(a1)
        first, second = (a1.register(f"号段用尽第{i}件") for i in range(2))
        taken = a1.cases()[second][0]
        with a1.store.write() as session:
            session.add(CaseAlias(code=taken, case_id=first, reason="provisional"))
        report = a1.sync.sync_now()
        assert report.status.quarantined == 0 and a1.pending() == 0
        assert all("-L" not in code for code, _s, _n in a1.cases().values())
        with a1.store.read() as session:
            alias = session.get(CaseAlias, taken)
            assert alias is not None and alias.case_id == first
    finally:
        a1.close()
