"""Number blocks (号段) and case codes (一案一码): roll-over, hub blocks, concurrency."""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from services import numbering
from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.reception.registration import register_walk_in
from services.store.engine import Store
from services.store.models import NumberBlock

REPO = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 20, 10, 0)
SERIES = numbering.case_series("620123101000", 2026)


def take(store: Store, series: str = SERIES) -> int:
    with store.write() as session:
        return numbering.next_number(session, series, now=NOW)


def blocks(store: Store, series: str = SERIES) -> list[tuple[int, int, int, str]]:
    with store.read() as session:
        rows = session.scalars(
            select(NumberBlock).where(NumberBlock.series == series).order_by(NumberBlock.first)
        ).all()
        return [(b.first, b.last, b.next_value, b.source) for b in rows]


def test_case_code_format() -> None:
    assert numbering.case_series("620123101000", 2026) == "case:620123101000:2026"
    assert numbering.case_code("620123101000", 2026, 1) == "620123101000-2026-000001"
    assert numbering.case_code("620123101000", 2026, 123456) == "620123101000-2026-123456"


def test_registration_codes_count_up(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    codes = [register_walk_in(ctx, walk_in()).case_code for _ in range(3)]
    assert codes == [
        "620123101000-2026-000001",
        "620123101000-2026-000002",
        "620123101000-2026-000003",
    ]


def test_each_year_and_township_has_its_own_series(store: Store) -> None:
    with store.write() as session:
        a = numbering.next_case_code(session, "620123101000", NOW)
        b = numbering.next_case_code(session, "620123101000", NOW)
        c = numbering.next_case_code(session, "620123101000", dt.datetime(2027, 1, 1, 8, 0))
        d = numbering.next_case_code(session, "620123102000", NOW)
    assert (a, b) == ("620123101000-2026-000001", "620123101000-2026-000002")
    assert c == "620123101000-2027-000001"
    assert d == "620123102000-2026-000001"


def test_a_new_local_block_follows_when_one_runs_dry(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(numbering, "LOCAL_BLOCK_SIZE", 3)
    got = [take(store) for _ in range(10)]
    assert got == list(range(1, 11))
    assert blocks(store) == [
        (1, 3, 4, "local"),
        (4, 6, 7, "local"),
        (7, 9, 10, "local"),
        (10, 12, 11, "local"),
    ]
    # several numbers in one transaction roll over just the same
    with store.write() as session:
        more = [numbering.next_number(session, SERIES, now=NOW) for _ in range(5)]
    assert more == list(range(11, 16))


def test_a_rolled_back_transaction_gives_its_number_back(store: Store) -> None:
    assert take(store) == 1
    with pytest.raises(RuntimeError), store.write() as session:
        assert numbering.next_number(session, SERIES, now=NOW) == 2
        raise RuntimeError("registration failed")
    assert take(store) == 2


def test_hub_block_is_used_first_when_present(store: Store) -> None:
    with store.write() as session:
        numbering.add_block(session, SERIES, 501, 503, source="hub", now=NOW)
    assert [take(store) for _ in range(3)] == [501, 502, 503]
    # the hub block is used up: a local block follows the highest number ever handed out
    assert take(store) == 504
    assert blocks(store)[-1][3] == "local"


def test_hub_block_beats_a_partly_used_local_block(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(numbering, "LOCAL_BLOCK_SIZE", 3)
    assert take(store) == 1  # offline: a local (provisional) block 1-3
    with store.write() as session:  # back online: the county leases 101-103
        numbering.add_block(session, SERIES, 101, 103, source="hub", now=NOW)
    got = [take(store) for _ in range(6)]
    assert got[:3] == [101, 102, 103]
    # then the rest of the local block, then a new local block after everything seen
    assert got[3:] == [2, 3, 104]
    everything = [1, *got]
    assert len(set(everything)) == len(everything)


def test_other_series_blocks_are_not_used(store: Store) -> None:
    with store.write() as session:
        numbering.add_block(session, "case:620123102000:2026", 1, 100, source="hub", now=NOW)
    assert take(store) == 1
    assert blocks(store) == [(1, numbering.LOCAL_BLOCK_SIZE, 2, "local")]
    assert blocks(store, "case:620123102000:2026") == [(1, 100, 1, "hub")]


# --- concurrency -----------------------------------------------------------------------------

WORKER = """
import datetime as dt, sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from services import numbering
from services.store.engine import Store

numbering.LOCAL_BLOCK_SIZE = 7  # make blocks run dry often, under contention
store = Store({path!r})
go = Path({go!r})
deadline = time.monotonic() + 30
while not go.exists() and time.monotonic() < deadline:
    time.sleep(0.005)
taken = []
for _ in range({n}):
    with store.write() as session:
        value = numbering.next_number(session, {series!r}, now=dt.datetime(2026, 11, 20))
    taken.append(value)  # only after the commit returned
print(" ".join(map(str, taken)), flush=True)
store.dispose()
"""


@pytest.mark.slow
def test_four_processes_never_share_a_number(store: Store, db_path: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    per_process = 50
    code = WORKER.format(repo=str(REPO), path=str(db_path), go=str(go), n=per_process,
                         series=SERIES)  # fmt: skip
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(REPO),
        )  # fmt: skip
        for _ in range(4)
    ]
    time.sleep(0.3)  # let them import and wait on the start file (not a correctness condition)
    go.touch()
    outputs = [p.communicate(timeout=60) for p in procs]
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    per_worker = [[int(v) for v in out.split()] for out, _err in outputs]
    assert all(len(nums) == per_process for nums in per_worker)
    for nums in per_worker:  # each process sees its own numbers increase
        assert nums == sorted(nums)
    everything = [n for nums in per_worker for n in nums]
    assert len(everything) == 200
    assert len(set(everything)) == 200
    assert sorted(everything) == list(range(1, 201))  # no gaps either: every commit succeeded
    rows = blocks(store)
    for (_f1, l1, _n1, _s1), (f2, _l2, _n2, _s2) in zip(rows, rows[1:], strict=False):
        assert l1 < f2  # blocks never overlap
    assert sum(min(nv, last + 1) - first for first, last, nv, _s in rows) == 200


def test_four_threads_sharing_one_store_never_share_a_number(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(numbering, "LOCAL_BLOCK_SIZE", 7)
    results: list[list[int]] = [[] for _ in range(4)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(50):
                results[i].append(take(store))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    everything = [n for nums in results for n in nums]
    assert len(everything) == 200
    assert sorted(everything) == list(range(1, 201))
    for nums in results:
        assert nums == sorted(nums)


class _UndoneError(Exception):
    pass


@pytest.mark.parametrize("seed", range(20))
def test_burning_many_codes_at_once_moves_blocks_as_burning_each(store: Store, seed: int) -> None:
    """A pulled page burns its cases' codes at once (``burn_codes``): every block ends where
    burning the codes one by one, in any order, leaves it."""
    rng = random.Random(seed)
    town, other = "620123101000", "620123102000"
    codes = [
        numbering.case_code(rng.choice((town, other)), rng.choice((2026, 2027)), rng.randint(1, 60))
        for _ in range(rng.randint(0, 12))
    ]
    # a code in a block that starts unused always moves it; the others may or may not
    codes += [numbering.provisional_code(town, 2026, "LAB", 5), "not-a-code"]
    series = [numbering.case_series(t, y) for t in (town, other) for y in (2026, 2027)]
    with store.write() as session:
        for name in [*series, f"{series[0]}:LAB"]:
            for first in (1, 21, 41):
                numbering.add_block(session, name, first, first + 19, source="hub", now=NOW)
        session.flush()
        for block in session.scalars(select(NumberBlock)):
            unused = block.series.endswith(":LAB") and block.first == 1
            block.next_value = block.first + (0 if unused else rng.randint(0, 20))  # 20: used up

    def burnt(burn: Callable[[Session], None]) -> list[tuple[str, int, int]]:
        try:
            with store.write() as session:
                burn(session)
                ends = select(NumberBlock.series, NumberBlock.first, NumberBlock.next_value)
                raise _UndoneError(sorted(session.execute(ends)))
        except _UndoneError as done:
            return list(done.args[0])

    def each(session: Session) -> None:
        for code in rng.sample(codes, len(codes)):
            numbering.burn_code(session, code)

    one_by_one = burnt(each)
    assert burnt(lambda session: numbering.burn_codes(session, codes)) == one_by_one
    assert one_by_one != burnt(lambda session: None)
