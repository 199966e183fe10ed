"""The full-text indexes merge in the background (migration 0021, ``services.store.fts``):
registrations leave their small segments alone, ``Store.merge_search_index`` merges them in
bounded steps, search results stay the same, and a process that never merges stays bounded."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from services.cases.search import search_case_ids
from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.reception.registration import register_walk_in
from services.setup.township import open_store
from services.store import fts
from services.store.engine import Store

SUMMARIES = [
    "宅基地边界纠纷，要求调解",
    "拖欠工资三个月",
    "邻居养狗扰民夜间噪音",
    "草场承包合同纠纷",
]
QUERIES = ["宅基地", "工资", "纠纷", "草场承包", "噪音"]


def _raw(store: Store) -> sqlite3.Connection:
    assert store.path is not None
    return sqlite3.connect(store.path)


def test_migration_turns_inline_merging_off(tmp_path: Path) -> None:
    store = open_store(tmp_path / "m.db")
    try:
        with _raw(store) as conn:
            for table in fts.INDEXES:
                config = dict(conn.execute(f"SELECT k, v FROM {table}_config").fetchall())
                assert config["automerge"] == 0, table
                assert config["crisismerge"] == fts.CRISIS_MERGE, table
                assert config["usermerge"] == fts.USER_MERGE, table
    finally:
        store.dispose()


def _search(store: Store) -> dict[str, list[str]]:
    with store.read() as session:
        return {q: search_case_ids(session, q, limit=1000) for q in QUERIES}


def test_registrations_leave_segments_to_the_background_merge(
    store: Store, ctx: ServiceContext, walk_in: Callable[..., WalkInInput],
    new_id: Callable[[], str],
) -> None:  # fmt: skip
    n = 40
    for i in range(n):
        register_walk_in(ctx, walk_in(summary=SUMMARIES[i % len(SUMMARIES)],
                                      visitor={"id_number": new_id()}))  # fmt: skip
    conn = _raw(store)
    try:
        before = {t: fts.segment_counts(conn, t) for t in fts.INDEXES}
        # every registration's commit added a segment to each index, and none merged them
        assert all(sum(counts) >= n for counts in before.values()), before
        assert fts.needs_merge(conn)
        found = _search(store)
        assert len(found["宅基地"]) == n // 4 and len(found["纠纷"]) == n // 2

        steps = store.merge_search_index(budget_s=30)

        after = {t: fts.segment_counts(conn, t) for t in fts.INDEXES}
        assert steps > 0
        assert all(max(counts) < fts.USER_MERGE for counts in after.values()), after
        assert all(sum(after[t]) < sum(before[t]) // 2 for t in fts.INDEXES), (before, after)
        assert not fts.needs_merge(conn)
        assert store.merge_search_index() == 0  # nothing left: no transaction at all
        for table in fts.INDEXES:
            conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
        conn.execute(
            "INSERT INTO case_fts(case_fts, rank) VALUES ('integrity-check', 1)"
        )  # content table: the index also agrees with case_search
        assert _search(store) == found
    finally:
        conn.close()


def test_merge_step_stops_at_its_budget(tmp_path: Path) -> None:
    store = open_store(tmp_path / "b.db")
    try:
        conn = _raw(store)
        _feed(conn, 60)
        auto = sqlite3.connect(store.path or "", isolation_level=None)
        assert fts.merge_step(auto, budget_s=0.0) == 0  # no time: not a single transaction
        assert fts.needs_merge(conn)
        assert fts.merge_step(auto, budget_s=30) > 0
        assert not fts.needs_merge(conn)
        auto.close()
        conn.close()
    finally:
        store.dispose()


def _feed(conn: sqlite3.Connection, rows: int) -> None:
    """``rows`` commits into ``case_search`` (its triggers feed both indexes); foreign keys are
    off on this raw connection, so no cases are needed."""
    for i in range(rows):
        with conn:
            conn.execute("INSERT INTO case_search (case_id, names, body) VALUES (?, ?, ?)",
                         (f"c{i}", f"张{i}", f"{SUMMARIES[i % 4]} 第{i}号"))  # fmt: skip


def test_a_process_that_never_merges_stays_bounded(tmp_path: Path) -> None:
    """Without the background job (a command line, a screenshot run) ``crisismerge`` still
    bounds every level, so queries never face an unbounded number of segments."""
    store = open_store(tmp_path / "c.db")
    try:
        conn = _raw(store)
        _feed(conn, fts.CRISIS_MERGE * 2 + 10)
        for table in fts.INDEXES:
            counts = fts.segment_counts(conn, table)
            assert max(counts) < fts.CRISIS_MERGE, (table, counts)
            conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
        hits = conn.execute(
            "SELECT count(*) FROM case_fts WHERE case_fts MATCH '\"宅基地\"'"
        ).fetchone()[0]
        assert hits == len(range(0, fts.CRISIS_MERGE * 2 + 10, 4))
        conn.close()
    finally:
        store.dispose()


def test_parse_structure_reads_varints() -> None:
    # cookie, nLevel=2, nSegment=3, nWriteCounter=300 (2-byte varint), then the levels:
    # level 0: nMerge 0, 2 segments (id, first, last) ; level 1: nMerge 0, 1 segment
    record = bytes([0, 0, 0, 1, 2, 3, 0x82, 0x2C, 0, 2, 1, 1, 1, 2, 1, 1, 0, 1, 0x81, 0x00, 1, 5])
    assert fts.parse_structure(record) == [2, 1]


def test_the_desktop_job_merges_then_checkpoints(store: Store, ctx: ServiceContext,
                                                walk_in: Callable[..., WalkInInput],
                                                new_id: Callable[[], str]) -> None:  # fmt: skip
    store.defer_checkpoints()
    for _ in range(fts.USER_MERGE + 2):
        register_walk_in(ctx, walk_in(visitor={"id_number": new_id()}))
    conn = _raw(store)
    try:
        assert fts.needs_merge(conn)
        busy, _frames, _copied = store.maintain()
        assert busy == 0
        assert not fts.needs_merge(conn)
    finally:
        conn.close()


def test_the_merge_gives_way_to_a_writer_holding_the_lock(tmp_path: Path) -> None:
    """Writers back to back (a bench loop, a long pull page) keep the lock: the merge stops
    without an error, so the job's WAL checkpoint still runs, and carries on next time."""
    store = open_store(tmp_path / "w.db")
    try:
        conn = _raw(store)
        _feed(conn, fts.USER_MERGE + 4)
        writer = sqlite3.connect(store.path or "", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        assert store.merge_search_index(budget_s=5) == 0
        assert store.maintain()[0] == 0  # the checkpoint (PASSIVE) still runs
        writer.execute("ROLLBACK")
        assert store.merge_search_index(budget_s=30) > 0
        assert not fts.needs_merge(conn)
        writer.close()
        conn.close()
    finally:
        store.dispose()


def test_a_merge_that_fails_still_lets_the_checkpoint_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A merge failing otherwise than busy (a damaged index, a full disk) was raised before the
    checkpoint: the job logs it every two seconds and the WAL grows without bound. The
    checkpoint runs first, then the merge's error is raised for the job to log."""
    store = open_store(tmp_path / "m.db")
    try:
        store.defer_checkpoints()
        conn = _raw(store)
        _feed(conn, fts.USER_MERGE + 4)
        calls: list[str] = []
        real = store.checkpoint

        def counted() -> tuple[int, int, int]:
            calls.append("checkpoint")
            return real()

        def broken(*_a: object, **_k: object) -> int:
            raise sqlite3.DatabaseError("database disk image is malformed")

        monkeypatch.setattr(store, "checkpoint", counted)
        monkeypatch.setattr(fts, "merge_step", broken)
        with pytest.raises(sqlite3.DatabaseError):
            store.maintain()
        assert calls == ["checkpoint"]
        conn.close()
    finally:
        store.dispose()
