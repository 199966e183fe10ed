"""A sync with nothing to do (the timer's sync, every few minutes on every PC) writes only the
record of the attempt: no other write transaction, and a bounded number of statements."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from services.setup.township import set_up_township
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc, make_pc, migrated_sqlite_hub


@pytest.fixture
def township_pc(tmp_path: Path) -> Iterator[Pc]:
    hub = InProcessHub(migrated_sqlite_hub(tmp_path / "hub.db"))
    pc = make_pc(tmp_path, "a1", hub.token("青山镇接待1", TOWNSHIP_A).token, hub.transport)
    try:
        set_up_township(pc.ctx, TOWNSHIP_A[1], TOWNSHIP_A[0])
        pc.register()
        pc.sync.sync_now()  # enrols, pushes, pulls, leases
        pc.sync.sync_now()  # nothing left to do from here on
        yield pc
    finally:
        pc.close()
        hub.close()


def _statements(pc: Pc) -> tuple[list[str], list[str]]:
    """(write-engine statements, read-engine statements) of one sync."""
    writes: list[str] = []
    reads: list[str] = []

    def on_write(_c: Any, _cur: Any, stmt: str, _p: Any, _x: Any, _m: bool) -> None:
        writes.append(stmt)

    def on_read(_c: Any, _cur: Any, stmt: str, _p: Any, _x: Any, _m: bool) -> None:
        reads.append(stmt)

    event.listen(pc.store.write_engine, "before_cursor_execute", on_write)
    event.listen(pc.store.read_engine, "before_cursor_execute", on_read)
    try:
        report = pc.sync.sync_now()
    finally:
        event.remove(pc.store.write_engine, "before_cursor_execute", on_write)
        event.remove(pc.store.read_engine, "before_cursor_execute", on_read)
    assert (report.pushed, report.pulled, report.renumbered, report.leased) == (0, 0, 0, 0)
    return writes, reads


def test_a_sync_with_nothing_to_do_opens_one_write_transaction(township_pc: Pc) -> None:
    writes, _reads = _statements(township_pc)
    begins = [s for s in writes if s.strip().upper().startswith("BEGIN")]
    # the attempt's record (last attempt, last success) and nothing else: renumbering
    # provisional codes opened a write transaction of its own when there were none
    assert len(begins) == 1, writes
    assert not any(s.lstrip().upper().startswith(("INSERT", "DELETE")) for s in writes), writes


def test_a_sync_with_nothing_to_do_sends_a_bounded_number_of_statements(
    township_pc: Pc,
) -> None:
    writes, reads = _statements(township_pc)
    assert len(writes) <= 3, writes  # BEGIN, read and update sync_state (5 before)
    assert len(reads) <= 30, reads  # 26 today, BEGINs included
