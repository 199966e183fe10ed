"""Registration figures (issue 12, finding 12), called by ``run.write_figures``.

* ``register a walk-in``: ``register_walk_in`` with a fresh person each time (validate, match,
  case, visit, events, search index, outbox, audit, commit), the store set up as the desktop sets
  it up (:class:`BackgroundCheckpoints`). Baseline: **the statements that very call sent**
  (captured from the write engine, executemany included), replayed once each through a raw
  ``sqlite3`` connection on a second copy of the database, ``BEGIN IMMEDIATE`` … ``COMMIT`` (the
  same fsync). Budget: median ≤ 5 ms, p95 ≤ 10 ms. ``run.write_figures`` times the same calls
  with the WAL checkpointed inside the commit (SQLite's default, the app before) beside it.
* ``first registration in a process``: a new Python process opens the store, runs what the app
  runs before the clerk can press save (``Workbench.warm_up`` = ``prepare_registration``), then
  times its first ``register_walk_in``; baseline: that registration's statements replayed on a
  fresh raw connection in the same process. Budget ≤ 30 ms. The same without the warm-up is shown
  for comparison (no budget).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
FIRST_RUNS = 5

Call = tuple[str, Any, bool]  # statement, parameters, executemany


def replay_write(conn: sqlite3.Connection, calls: list[Call]) -> None:
    """One unit of work's statements (from ``BEGIN IMMEDIATE``), then ``COMMIT``."""
    for statement, params, many in calls:
        if many:
            conn.executemany(statement, params)
        else:
            conn.execute(statement, params or ()).fetchall()
    conn.execute("COMMIT")


def timed_writes(
    register: Callable[[], Any], record: Callable[[Callable[[], Any]], list[Call]],
    *, budget_s: float, warmup: int = 5, min_reps: int = 20, max_reps: int = 300,
) -> tuple[list[float], list[list[Call]]]:  # fmt: skip
    """Milliseconds of each timed call and the statements each one sent."""
    for _ in range(warmup):
        register()
    times: list[float] = []
    calls: list[list[Call]] = []
    start = time.perf_counter()
    while len(times) < max_reps and (
        len(times) < min_reps or time.perf_counter() - start < budget_s
    ):

        def one(box: list[float] = times) -> None:
            t0 = time.perf_counter()
            register()
            box.append((time.perf_counter() - t0) * 1000)

        calls.append(record(one))
    return times, calls


def replay_all(conn: sqlite3.Connection, calls: list[list[Call]]) -> list[float]:
    out = []
    for unit in calls:
        t0 = time.perf_counter()
        replay_write(conn, unit)
        out.append((time.perf_counter() - t0) * 1000)
    return out


FIRST_SCRIPT = r"""
import json, sys, time
from pathlib import Path
t_start = time.perf_counter()
from sqlalchemy import event
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_walk_in
try:
    from services.reception.warmup import prepare_registration
except ImportError:  # a checkout from before the warm-up (to measure the old code)
    prepare_registration = None
from services.setup.township import make_context, open_store
from tests.bench.bench_registration import replay_write
from tests.bench.run import raw_connection

from tests.bench.generate import install_bench_keys

install_bench_keys()  # personal data sealed as in the app (the bench's public demo key)
db, raw_db, number, village, warm = sys.argv[1:6]
store = open_store(db)
ctx = make_context(store)
warm_s = prepare_registration(ctx) if warm == "1" and prepare_registration else 0.0
calls = []
event.listen(store.write_engine, "before_cursor_execute",
             lambda c, cur, st, p, x, many: calls.append((st, p, many)))
form = WalkInInput(
    parties=(PartyInput(name="欧阳振华", id_number=number, phone="13712345678"),
             PartyInput(name="李建国", role="respondent", is_visitor=False)),
    summary="欧阳振华与李建国因宅基地边界发生纠纷，要求调解", title="宅基地边界纠纷",
    category_code="0202", disposition="accepted", village_id=village,
    occurred_place="村口",
)
t0 = time.perf_counter()
result = register_walk_in(ctx, form)
first_ms = (time.perf_counter() - t0) * 1000
assert result.is_new_case
conn = raw_connection(Path(raw_db), writes=True)
t0 = time.perf_counter()
replay_write(conn, calls)
raw_ms = (time.perf_counter() - t0) * 1000
print(json.dumps({"first_ms": first_ms, "raw_ms": raw_ms, "warm_s": warm_s,
                  "statements": len(calls)}))
"""


def first_registrations(db: Path, raw_db: Path, numbers: list[str], village: str,
                        *, warm: bool) -> list[dict[str, Any]]:  # fmt: skip
    """One new process per number: its first registration (after the warm-up when ``warm``)."""
    out = []
    for number in numbers:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        done = subprocess.run(
            [sys.executable, "-c", FIRST_SCRIPT, str(db), str(raw_db), number, village,
             "1" if warm else "0"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=True,
        )  # fmt: skip
        out.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return out


class BackgroundCheckpoints:
    """What the desktop does from start (``desktop.app``): the store's commits never checkpoint
    the WAL (``Store.defer_checkpoints``) and ``Store.checkpoint`` runs every two seconds on a
    worker of its own (``BackgroundJobs.add_checkpoint``); here a thread, the same interval."""

    INTERVAL_S = 2.0  # desktop.controllers.CHECKPOINT_INTERVAL_MS

    def __init__(self, store: Any) -> None:
        import threading

        store.defer_checkpoints()
        self._store, self._stop = store, threading.Event()
        self.runs = 0
        self._thread = threading.Thread(target=self._loop, daemon=True, name="checkpoints")
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.INTERVAL_S):
            self._store.maintain()
            self.runs += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def settle(path: Path) -> float:
    """Write a just-made copy out to the disk (fsync) before anything is timed on it; the
    seconds it took. ``shutil.copyfile`` leaves gigabytes of dirty pages that the kernel writes
    back later, and any fsync meanwhile (each registration's commit) may wait behind them: the
    copy's cost, not registration's. (The first figure timed after the copies, registration
    with background checkpoints, once showed a higher median than the inline-checkpoint figure
    timed later; alternated in one window the two are within noise of each other.)"""
    t0 = time.perf_counter()
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return time.perf_counter() - t0


def second_copy(source: Path, scratch: Path) -> Path:
    """A copy of the cached database for the raw replays, beside the scratch copy (the scratch
    file itself is open in WAL mode: copying it could catch a checkpoint half-way)."""
    copy = scratch.with_name(scratch.stem + "-raw.db")
    try:
        shutil.copyfile(source, copy)
    except BaseException:  # a full disk: leave no 7 GB half-copy behind
        remove(copy)
        raise
    settle(copy)
    return copy


def remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


class WriteRecorder:
    """The statements a write engine sends, executemany included (for :func:`replay_write`)."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.calls: list[Call] = []
        self.active = False
        event.listen(engine, "before_cursor_execute", self._hook)

    def _hook(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
              executemany: bool) -> None:  # fmt: skip
        if self.active:
            self.calls.append((statement, parameters, executemany))

    def record(self, fn: Callable[[], Any]) -> list[Call]:
        self.calls, self.active = [], True
        try:
            fn()
        finally:
            self.active = False
        return list(self.calls)


def registration_figures(bench: Any, figure: Callable[..., Any], store: Any, scratch: Path,
                         register: Callable[[], Any], first_numbers: list[str],
                         village: str) -> None:  # fmt: skip
    """Append the registration figures to ``bench.figures`` (see the module docstring).

    Call before anything else writes to ``scratch``: the raw copy is taken from it first.
    """
    from tests.bench.run import raw_connection  # noqa: PLC0415 - run imports this module

    raw_db = second_copy(bench.path, scratch)
    raw = raw_connection(raw_db, writes=True)
    try:
        rec = WriteRecorder(store.write_engine)
        ours, calls = timed_writes(register, rec.record, budget_s=bench.spend() * 2)
        baseline = replay_all(raw, calls)
        fig = figure("register a walk-in (validate+match+case+events+index+outbox+audit+commit)",
                     ours, baseline, 5.0, note="raw: the same statements, BEGIN IMMEDIATE … COMMIT",
                     p95_budget_ms=10.0)  # fmt: skip
        fig.extra["statements"] = sorted(len(c) for c in calls)[len(calls) // 2]
        bench.figures.append(fig)
        print(f"  … {fig.name}: ours {fig.ours_ms:.2f} ms, raw {fig.baseline_ms:.2f} ms",
              flush=True)  # fmt: skip
    finally:
        raw.close()
    half = len(first_numbers) // 2
    for warm, numbers in ((True, first_numbers[:half]), (False, first_numbers[half:])):
        runs = first_registrations(scratch, raw_db, numbers, village, warm=warm)
        name = "first registration in a new process, " + (
            "after the warm-up" if warm else "no warm-up (for comparison)"
        )
        note = "raw: its statements on a fresh connection"
        fig = figure(name, [r["first_ms"] for r in runs], [r["raw_ms"] for r in runs],
                     30.0 if warm else None, note=note)  # fmt: skip
        fig.extra["warm_s"] = [round(r["warm_s"], 3) for r in runs]
        bench.figures.append(fig)
        print(f"  … {fig.name}: ours {fig.ours_ms:.2f} ms, raw {fig.baseline_ms:.2f} ms",
              flush=True)  # fmt: skip
    remove(raw_db)
