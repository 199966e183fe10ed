"""Sync benchmarks of ARCHITECTURE.md §8 against a real hub (uvicorn) on PostgreSQL over loopback.

Usage: ``python -m tests.bench.bench_sync [--changes N] [--clients C] [--per-client M]``.

* push 100,000 outbox changes from one PC (budget ≤ 5× the baseline), beside a COPY of the same
  rows into a table shaped like the hub's ``change`` table;
* a fresh PC of the same township pulling those 100,000 records (budget ≤ 20 s and ≤ 3× the push),
  beside fetching the same pages over HTTP without applying them;
* a sync with nothing to do (budget ≤ 20 ms), beside one HTTP round trip;
* 20 township PCs pushing 5,000 changes each at once: all applied, changes per second.

Prints a table and appends one JSON line per figure to ``bench-results.jsonl``. Falls back to a
SQLite hub (and no COPY baseline) when PostgreSQL is not reachable.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from hub import admin
from hub.db import HubDB
from services.domain.ids import uuid7
from services.store.models import Outbox
from services.sync.client import HubClient, HubConfig
from services.sync.protocol import MAX_PULL_LIMIT, change_hash
from services.sync.push import push_all
from tests.bench.run import RESULTS, git_commit, p95
from tests.hub.harness import (
    TOWNSHIP_A,
    fresh_hub_url,
    make_pc,
    postgres_available,
)
from tests.hub.test_integration import RealHub, free_port

NOW = dt.datetime(2026, 11, 20, 10, 0)


def _row(case_id: str, township_id: str, i: int) -> dict[str, Any]:
    return {"id": case_id, "code": f"bench-2026-{i:06d}", "township_id": township_id,
            "village_id": None, "grid_id": None, "title": f"宅基地边界纠纷{i}",
            "summary": "张三与邻居因宅基地边界发生纠纷，要求调解", "description": "",
            "category_code": "0202", "risk_colour": "green", "risk_basis": "",
            "handling_level": "township", "channel": "walk_in", "amount_cents": None,
            "people_count": 1, "occurred_at": None, "occurred_place": "",
            "registered_at": NOW.isoformat(), "registered_by": None, "state": "accepted",
            "supervision_level": "none", "assignee_unit_id": None, "due_at": None,
            "remind_at": None, "yellow_at": None, "due_provisional": False,
            "clock_paused": False, "rework_count": 0, "event_count": 2, "closed_at": None,
            "revision": 1}  # fmt: skip


def fill_outbox(pc: Any, township_id: str, n: int, offset: int = 0) -> None:
    """Put ``n`` case inserts straight into a PC's outbox (as registrations would)."""
    rows = []
    base = int(time.time() * 1000)
    for i in range(n):
        cid = uuid7()
        rows.append({"change_id": uuid7(), "entity": "case_file", "entity_id": cid,
                     "op": "insert", "hlc": f"{base:013d}-{i:010d}-{pc.ctx.device_id}",
                     "payload": {"row": _row(cid, township_id, offset + i)},
                     "status": "pending", "attempts": 0, "created_at": NOW})  # fmt: skip
    with pc.store.write() as session:
        session.execute(insert(Outbox), rows)


def timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    value = fn()
    return (time.perf_counter() - t0) * 1000, value


def copy_baseline(url: str, n: int, township_id: str) -> float | None:
    """COPY ``n`` rows shaped like the hub's change rows into a scratch table (ms)."""
    db = HubDB(url, run_migrations=False)
    if not db.is_postgres:
        return None
    rows = []
    for i in range(n):
        cid = uuid7()
        payload = {"row": _row(cid, township_id, i)}
        rows.append((uuid7(), "dev", "case_file", cid, "insert", f"{i:013d}-0000000000-pc",
                     json.dumps(payload, ensure_ascii=False),
                     change_hash("case_file", cid, "insert", "h", payload), township_id, i,
                     NOW))  # fmt: skip
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("CREATE TABLE bench_copy (LIKE change INCLUDING ALL)")
        t0 = time.perf_counter()
        with cur.copy(
            "COPY bench_copy (change_id, device_id, entity, entity_id, op, hlc, "
            "payload, payload_hash, township_id, seq, received_at) FROM STDIN"
        ) as cp:
            for r in rows:
                cp.write_row(r)
        raw.commit()
        elapsed = (time.perf_counter() - t0) * 1000
        cur.execute("DROP TABLE bench_copy")
        raw.commit()
        return elapsed
    finally:
        raw.close()
        db.dispose()


def run(args: argparse.Namespace, work: Path) -> list[dict[str, Any]]:
    use_pg = postgres_available()
    figures: list[dict[str, Any]] = []
    with fresh_hub_url(work, postgres=use_pg) as url:
        db = HubDB(url)
        tokens = [
            admin.issue_token(db, "PC0", township_code=TOWNSHIP_A[0], township_name=TOWNSHIP_A[1])
        ]
        for i in range(1, args.clients + 1):  # 20 townships: 620123201000, 620123202000, …
            tokens.append(
                admin.issue_token(
                    db, f"PC{i}", township_code=f"620123{200 + i}000", township_name=f"第{i}乡"
                )
            )
        township_id = str(tokens[0].township_id)
        fresh_token = admin.issue_token(db, "PC0-fresh", township_code=TOWNSHIP_A[0],
                                        township_name=TOWNSHIP_A[1]).token  # fmt: skip
        db.dispose()
        hub = RealHub(url, free_port())
        hub.start()
        try:
            config = HubConfig(hub.base, timeout=120)
            pc = make_pc(work, "bulk", tokens[0].token, None, config=config)  # type: ignore[arg-type]
            pc.sync.sync_now()  # enrol, lease
            fill_outbox(pc, township_id, args.changes)
            with HubClient(config, tokens[0].token, pc.ctx.device_id) as client:
                ms, tally = timed(lambda: push_all(pc.store, client, pc.ctx.clock))
            base = copy_baseline(url, args.changes, township_id)
            figures.append({"name": f"sync.push_{args.changes}", "ours_ms": ms,
                            "baseline_ms": base,
                            "budget_ms": 5 * base if base else None,
                            "applied": tally.applied, "batches": tally.batches,
                            "changes_per_s": round(tally.applied / (ms / 1000)),
                            "hub_db": "postgresql" if use_pg else "sqlite"})  # fmt: skip
            figures.append(pull_figure(work, config, fresh_token, args.changes, ms))
            pc.sync.sync_now()  # pull what it pushed once, so the next syncs have nothing to do
            noop = [timed(pc.sync.sync_now)[0] for _ in range(args.reps)]
            with httpx.Client(base_url=hub.base) as http:
                http.get("/v1/health")
                rtt = [timed(lambda: http.get("/v1/health"))[0] for _ in range(args.reps)]
            figures.append({"name": "sync.nothing_to_do", "ours_ms": statistics.median(noop),
                            "ours_p95_ms": p95(noop), "baseline_ms": statistics.median(rtt),
                            "baseline_p95_ms": p95(rtt), "budget_ms": 20.0,
                            "reps": args.reps})  # fmt: skip
            pc.close()
            figures.append(concurrent(work, config, tokens[1:], args))
        finally:
            hub.kill()
    return figures


def pull_figure(work: Path, config: HubConfig, token: str, n: int,
                push_ms: float) -> dict[str, Any]:  # fmt: skip
    """A fresh PC of the township pulls everything (its first sync), beside the raw pages."""
    pc = make_pc(work, "fresh", token, None, config=config)  # type: ignore[arg-type]
    ms, report = timed(pc.sync.sync_now)
    cases = len(pc.case_ids())
    device = pc.ctx.device_id  # the token is bound to this PC now
    pc.close()
    headers = {"Authorization": f"Bearer {token}", "X-Device-Id": device}

    def fetch() -> int:
        got, cursor = 0, 0
        with httpx.Client(base_url=config.url, headers=headers, timeout=120) as http:
            while True:
                params = {"cursor": cursor, "limit": MAX_PULL_LIMIT}
                page = http.get("/v1/pull", params=params).json()
                got += len(page["records"])
                if not page["more"]:
                    return got
                cursor = page["cursor"]

    raw_ms, raw_count = timed(fetch)
    return {"name": f"sync.pull_{n}", "ours_ms": ms, "baseline_ms": raw_ms,
            "budget_ms": min(20_000.0, 3 * push_ms), "cases": cases, "raw_records": raw_count,
            "pulled": report.pulled, "vs_push": round(ms / push_ms, 2)}  # fmt: skip


def concurrent(work: Path, config: HubConfig, tokens: list[Any],
               args: argparse.Namespace) -> dict[str, Any]:  # fmt: skip
    pcs = []
    for i, issued in enumerate(tokens):
        pc = make_pc(work, f"hall{i}", issued.token, None, config=config)  # type: ignore[arg-type]
        pc.sync.sync_now()
        fill_outbox(pc, str(issued.township_id), args.per_client)
        pcs.append(pc)
    barrier = threading.Barrier(len(pcs))
    results: list[int] = []
    errors: list[BaseException] = []

    def push(pc: Any, token: str) -> None:
        try:
            with HubClient(config, token, pc.ctx.device_id) as client:
                barrier.wait()
                results.append(push_all(pc.store, client, pc.ctx.clock).applied)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=push, args=(pc, t.token)) for pc, t in zip(pcs, tokens, strict=True)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ms = (time.perf_counter() - t0) * 1000
    pending = sum(pc.pending() for pc in pcs)
    for pc in pcs:
        pc.close()
    total = sum(results)
    return {"name": f"sync.concurrent_{len(pcs)}x{args.per_client}", "ours_ms": ms,
            "baseline_ms": None, "budget_ms": None, "applied": total,
            "all_applied": total == len(pcs) * args.per_client and pending == 0 and not errors,
            "errors": [repr(e) for e in errors][:3],
            "changes_per_s": round(total / (ms / 1000))}  # fmt: skip


def report(figures: list[dict[str, Any]]) -> None:
    print(f"\nSync benchmarks, load average {os.getloadavg()[0]:.2f}\n")
    print("| figure | ours (ms) | baseline (ms) | ratio | budget | ok? |")
    print("|---|---|---|---|---|---|")
    stamp = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    commit = git_commit()
    with RESULTS.open("a", encoding="utf-8") as out:
        for f in figures:
            base = f.get("baseline_ms")
            ratio = f["ours_ms"] / base if base else None
            budget = f.get("budget_ms")
            ok = None if budget is None else f["ours_ms"] <= budget
            if "all_applied" in f:
                ok = f["all_applied"]
            print(
                f"| {f['name']} | {f['ours_ms']:.1f} | "
                f"{'—' if base is None else f'{base:.1f}'} | "
                f"{'—' if ratio is None else f'{ratio:.1f}'} | "
                f"{'—' if budget is None else f'≤ {budget:g} ms'} | "
                f"{ {None: '—', True: 'ok', False: 'OVER'}[ok] } |"
            )
            extra = {k: v for k, v in f.items() if k not in ("name", "ours_ms", "baseline_ms",
                                                                "budget_ms")}  # fmt: skip
            if extra:
                print(f"    {json.dumps(extra, ensure_ascii=False)}")
            out.write(json.dumps({**f, "ratio": None if ratio is None else round(ratio, 3),
                                  "ok": ok, "timestamp": stamp, "git_commit": commit,
                                  "load_avg": round(os.getloadavg()[0], 2)},
                                 ensure_ascii=False) + "\n")  # fmt: skip
    print(f"\nappended {len(figures)} lines to {RESULTS}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=5_000)
    parser.add_argument("--reps", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as work:
        report(run(args, Path(work)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
