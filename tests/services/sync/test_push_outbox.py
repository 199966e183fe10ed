"""The PC's side of a push: marking a batch sent stays one index probe per change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, select

from services.store.models import Outbox
from services.sync import push
from tests.bench.bench_sync import NOW, fill_outbox
from tests.hub.harness import make_pc


def test_marking_a_batch_sent_probes_change_ids_not_every_pending_row(tmp_path: Path) -> None:
    """With a thousand ids SQLite preferred the status index and walked every pending change
    for each batch marked (a 100,000-change push spent 7.6 s there): the UPDATE mark_sent
    sends must be planned on the change_id index."""
    pc = make_pc(tmp_path, "pc", "token", None)  # type: ignore[arg-type]
    try:
        fill_outbox(pc, "t" * 36, 2_000)
        with pc.store.read() as session:
            ids = list(session.scalars(select(Outbox.change_id).order_by(Outbox.seq).limit(1_000)))
        sent: list[tuple[str, Any]] = []

        @event.listens_for(pc.store.write_engine, "before_cursor_execute")
        def _capture(_c: Any, _cur: Any, stmt: str, params: Any, _x: Any, _m: bool) -> None:
            if stmt.lstrip().upper().startswith("UPDATE OUTBOX"):
                sent.append((stmt, params))

        push.mark_sent(pc.store, ids)
        assert len(sent) == 1
        stmt, params = sent[0]
        with pc.store.read() as session:
            raw = session.connection().connection.driver_connection
            assert raw is not None
            plan = " ".join(str(r) for r in raw.execute("EXPLAIN QUERY PLAN " + stmt, params))
        assert "(change_id=?)" in plan and "ix_outbox_status" not in plan, plan
        assert pc.pending() == 1_000  # the other thousand still wait
    finally:
        pc.close()


class _Hub:
    """A hub that accepts everything and notes the pending count each push reports."""

    def __init__(self) -> None:
        self.pending: list[int] = []

    def push_json(self, changes_json: str, *, pending: int, quarantined: int) -> dict[str, Any]:
        import json

        self.pending.append(pending)
        ids = [c["change_id"] for c in json.loads(changes_json)]
        return {"results": [{"change_id": i, "status": "applied"} for i in ids]}


def test_each_push_reports_the_pending_count_without_counting_the_outbox_again(
    tmp_path: Path,
) -> None:
    """Batches after the first take the count read with the batch before them (a count per
    batch walked the whole outbox each time); the hub still sees what a count would say."""
    pc = make_pc(tmp_path, "pc", "token", None)  # type: ignore[arg-type]
    try:
        fill_outbox(pc, "t" * 36, 25)
        hub = _Hub()
        tally = push.push_all(pc.store, hub, pc.ctx.clock, batch_size=10)  # type: ignore[arg-type]
        assert tally.applied == 25 and pc.pending() == 0
        assert hub.pending == [25, 15, 5]  # each batch and the changes after it
    finally:
        pc.close()


def test_a_batch_is_the_json_of_its_changes_as_the_outbox_holds_them(tmp_path: Path) -> None:
    """The request body is spliced together from the outbox's columns and its payload text;
    decoded, it is exactly the outbox's changes (ids with quotes, backslashes, Chinese)."""
    import json

    from sqlalchemy import insert

    pc = make_pc(tmp_path, "pc", "token", None)  # type: ignore[arg-type]
    try:
        rows = [
            {"change_id": f"0191d3c2-7a1b-4c8e-9f00-12345678900{i}", "entity": "case_file",
             "entity_id": entity_id, "op": "insert", "hlc": f"1795000000000-000000000{i}-pc",
             "payload": {"row": {"id": entity_id, "title": "宅基地\t纠纷\n\"甲\"\\乙"}},
             "status": "pending", "attempts": 0, "created_at": NOW}
            for i, entity_id in enumerate(['a"b', "c\\d", "青山镇-2026-000001", "e\u2028f"])
        ]  # fmt: skip
        with pc.store.write() as session:
            session.execute(insert(Outbox), rows)
        batch = push._read_batch(pc.store, 0, 10)
        assert batch is not None
        wanted = ("change_id", "entity", "entity_id", "op", "hlc", "payload")
        assert json.loads(batch.changes_json) == [{k: r[k] for k in wanted} for r in rows]
        assert batch.changes_json.isascii()  # as json.dumps writes it: non-ASCII escaped
    finally:
        pc.close()
