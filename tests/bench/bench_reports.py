"""Report and dashboard benchmarks (ARCHITECTURE.md §8).

Usage: ``python -m tests.bench.bench_reports [--quick] [--report-cases N] [--dashboard-cases N]``.

* Monthly report PDF over 100,000 cases ≤ 1 s, beside the report's SQL alone (the statements
  ``build_report`` sent, captured and replayed through plain sqlite3).
* Dashboard refresh over 1,000,000 cases ≤ 500 ms, beside its SQL alone: 30, 90 and 365 days,
  county-wide and one township seen from the county; and the 365-day rates as read before
  migration 0020 (grouped per case) beside the same rates from ``rate_fact``/``rate_tally``,
  checked equal. With migration 0020 the 1M database's name changes (its schema fingerprint):
  pass ``--dashboard-db`` a migrated private copy rather than building another.

The generated databases (``tests/bench/generate.py``) hold the cases' projection but no event
log, so a scratch copy of the 100k one gets each case's register/accept/answer/close/void events
(consistent with its state and ``closed_at``) before the report is timed; the on-time answers
(``closure_fact``) are filled once first and that one-time fill is reported on its own. The 1M
database is used as built (the dashboard reads the projection).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import sys
import time
import uuid
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from reports.periodic import render_report_pdf
from services.setup.township import make_context, open_store
from services.statistics.closures import ensure_closures
from services.statistics.documents import build_report
from services.statistics.figures import SUCCESS_CLOSURES
from services.statistics.periods import month_period
from services.statistics.rates import window_rates
from services.statistics.service import StatisticsService
from services.store.models import Case, CaseEvent, ClosureFact, OrgUnit
from tests.bench.generate import BENCH_NOW, ensure_db, meta_path
from tests.bench.run import Bench, Recorder, raw_connection, replayer, report

SCRATCH = Path(f"/tmp/zz-bench-reports-{os.getpid()}.db")
MONTH = (2026, 10)  # a closed month before BENCH_NOW
NOT_ACCEPTED = ("registered", "answered", "rejected")


def _ts(d: dt.datetime) -> str:
    return f"{d:%Y-%m-%d %H:%M:%S}.{d.microsecond:06d}"


def _parse(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def add_events(path: Path) -> int:
    """Give every case the events its projection implies (register, accept/answer, close, void)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    rows = conn.execute("SELECT id, registered_at, state, closed_at, category_code, "
                        "handling_level, risk_colour FROM case_file "
                        "WHERE id NOT IN (SELECT case_id FROM case_event)").fetchall()  # fmt: skip
    events: list[tuple[Any, ...]] = []
    for n, (case_id, reg, state, closed, cat, level, colour) in enumerate(rows):
        at = _parse(reg)
        plan = [("register", at, {"category_code": cat, "handling_level": level,
                                  "risk_colour": colour})]  # fmt: skip
        if state == "answered":
            plan.append(("answer", at + dt.timedelta(minutes=1), {"answer": "已答复"}))
        elif state not in NOT_ACCEPTED:
            plan.append(("accept", at + dt.timedelta(minutes=1), {}))
        if closed:
            plan.append(("close", _parse(closed), {"closure_type": "normal"}))
        if state == "voided":
            plan.append(("void", at + dt.timedelta(days=1), {"reason": "重复登记"}))
        for seq, (action, when, payload) in enumerate(plan, 1):
            ms = int(when.replace(tzinfo=dt.UTC).timestamp() * 1000)
            events.append((str(uuid.UUID(int=(n << 8) + seq)), case_id, seq, action, None,
                           "bench", f"{ms:013d}:{n % 10000:04d}:{seq}", _ts(when),
                           json.dumps(payload, ensure_ascii=False)))  # fmt: skip
    conn.executemany("INSERT INTO case_event (id, case_id, seq, action, actor_id, device_id, hlc,"
                     " occurred_at, payload) VALUES (?,?,?,?,?,?,?,?,?)", events)  # fmt: skip
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()
    return len(events)


def sql_alone(raw: sqlite3.Connection, calls: list[tuple[str, Any]]) -> Any:
    """The captured statements as one read (a call opens several sessions: their BEGINs go)."""
    reads = [(q, p) for q, p in calls
             if q.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK")]  # fmt: skip
    return replayer(raw, reads)


def report_figures(bench: Bench) -> None:
    store = open_store(SCRATCH)
    ctx = make_context(store)
    ctx.now = lambda: BENCH_NOW
    rec = Recorder(store.read_engine, store.write_engine)
    raw = raw_connection(SCRATCH)
    try:
        t0 = time.perf_counter()
        filled = ensure_closures(ctx)
        fill_ms = (time.perf_counter() - t0) * 1000
        print(f"  … closure_fact filled once: {filled:,} closes in {fill_ms:.0f} ms", flush=True)
        period = month_period(*MONTH)
        bench.add("monthly report PDF", lambda: render_report_pdf(build_report(ctx, period)),
                  sql_alone(raw, rec.record(lambda: build_report(ctx, period))), 1000.0,
                  warmup=1, min_reps=5, max_reps=40,
                  note=f"{bench.meta['n_cases']:,} cases with event log; "
                       f"one-time closure_fact fill {fill_ms:.0f} ms")  # fmt: skip
        bench.add("monthly report (figures only)", lambda: build_report(ctx, period),
                  None, None, warmup=1, min_reps=5, max_reps=40)  # fmt: skip
    finally:
        raw.close()
        store.dispose()


def rates_before_0020(
    session: Session, start: dt.date, end: dt.date, township_id: str | None
) -> tuple[int, ...]:
    """The rates' closes and evaluations as read before migration 0020 (each case's latest in
    the window grouped per case from closure_fact and the evaluation events; voided cases left
    out by id, one township by a join to its cases): the old figure, timed beside the new."""
    lo = dt.datetime.combine(start, dt.time())
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    voided = select(Case.id).where(Case.state == "voided")
    close_rows = select(ClosureFact.closure_type.label("kind"), ClosureFact.on_time.label("ok"),
                        func.max(ClosureFact.closed_at)).where(
        ClosureFact.closed_at >= lo, ClosureFact.closed_at < hi)  # fmt: skip
    evaluation = CaseEvent.payload["evaluation"].as_string()
    eval_rows = select(evaluation.label("value"), func.max(CaseEvent.hlc)).where(
        CaseEvent.action == "evaluate", CaseEvent.occurred_at >= lo, CaseEvent.occurred_at < hi
    )
    if township_id:
        mine = (Case.state != "voided", Case.township_id == township_id)
        close_rows = close_rows.join(Case, Case.id == ClosureFact.case_id).where(*mine)
        eval_rows = eval_rows.join(Case, Case.id == CaseEvent.case_id).where(*mine)
    else:
        close_rows = close_rows.where(ClosureFact.case_id.not_in(voided))
        eval_rows = eval_rows.where(CaseEvent.case_id.not_in(voided))
    closes = close_rows.group_by(ClosureFact.case_id).subquery()
    evals = eval_rows.group_by(CaseEvent.case_id).subquery()
    c = session.execute(select(
        func.count(), func.sum(case((closes.c.kind.in_(sorted(SUCCESS_CLOSURES)), 1))),
        func.sum(case((closes.c.ok, 1)))).select_from(closes)).one()  # fmt: skip
    e = session.execute(select(
        func.count(), func.sum(case((evals.c.value.in_(("satisfied", "basically")), 1)))
    ).select_from(evals)).one()  # fmt: skip
    return (*(int(v or 0) for v in c), *(int(v or 0) for v in e))


def rates_now(ctx: Any, start: dt.date, end: dt.date, township_id: str | None) -> tuple[int, ...]:
    """The same five counts from window_rates (rate_fact and rate_tally, migration 0020)."""
    with ctx.store.read() as session:
        got = {r.key: r for r in window_rates(session, ctx, start, end, township_id)}
    res, on_time, sat = got["resolution"], got["on_time"], got["satisfaction"]
    return (res.denominator, res.numerator, on_time.numerator, sat.denominator, sat.numerator)


def dashboard_figures(bench: Bench, path: Path) -> None:
    store = open_store(path)
    ctx = make_context(store)
    ctx.now = lambda: BENCH_NOW
    service = StatisticsService(ctx)
    rec = Recorder(store.read_engine, store.write_engine)
    raw = raw_connection(path)
    try:
        filled = ensure_closures(ctx)  # once, like the report: a refresh then only reads
        print(f"  … closure_fact filled once: {filled:,} closes", flush=True)
        with store.read() as session:
            township = session.scalars(
                select(OrgUnit.id).where(OrgUnit.kind == "township").order_by(OrgUnit.code)
            ).first()
        today = BENCH_NOW.date()
        start = today - dt.timedelta(days=364)
        for days in (30, 90, 365):
            for where, tid in (("county", None), ("one township", township)):
                refresh = partial(service.dashboard, days, tid)
                bench.add(f"dashboard refresh {days} days, {where}", refresh,
                          sql_alone(raw, rec.record(refresh)), 500.0,
                          warmup=1, min_reps=5, max_reps=40)  # fmt: skip
        for where, tid in (("county", None), ("one township", township)):
            new = partial(rates_now, ctx, start, today, tid)
            with store.read() as session:
                old = partial(rates_before_0020, session, start, today, tid)
                if old() != new():
                    raise AssertionError(f"rates differ from the old read: {old()} {new()}")
                bench.add(f"rates 365 days, {where}: before 0020 (grouped per case)", old, None,
                          None, warmup=1, min_reps=3, max_reps=10)  # fmt: skip
            bench.add(f"rates 365 days, {where}: rate_fact + rate_tally (0020)", new, None,
                      None, warmup=1, min_reps=5, max_reps=40)  # fmt: skip
    finally:
        raw.close()
        store.dispose()


def _db(given: Path | None, n_cases: int) -> tuple[Path, dict[str, Any]]:
    """A private database (built by ``generate.build``, with its sidecar) or the shared cache."""
    if given is None:
        return ensure_db(n_cases)
    return given, json.loads(meta_path(given).read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report-cases", type=int, default=100_000)
    parser.add_argument("--dashboard-cases", type=int, default=1_000_000)
    parser.add_argument("--report-db", type=Path, help="a database built by generate.build")
    parser.add_argument("--dashboard-db", type=Path, help="a database built by generate.build")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    path, meta = _db(args.report_db, args.report_cases)
    shutil.copy(path, SCRATCH)
    try:
        print(f"scratch copy {SCRATCH}: {add_events(SCRATCH):,} events added", flush=True)
        bench = Bench(SCRATCH, {**meta, "n_cases": args.report_cases}, args.quick)
        report_figures(bench)
        report(bench)
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SCRATCH}{suffix}").unlink(missing_ok=True)
    path, meta = _db(args.dashboard_db, args.dashboard_cases)
    bench = Bench(path, meta, args.quick)
    dashboard_figures(bench, path)
    report(bench)
    return 0


if __name__ == "__main__":
    sys.exit(main())
