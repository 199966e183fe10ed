"""rate_fact (migration 0020) stays equal to a recomputation from closure_fact, the evaluation
events and the cases, whatever writes them; and the dashboard's rates read from it count each
case's latest close / evaluation in any window, as grouping the sources per case does."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.reception.registration import register_walk_in
from services.setup.township import add_org
from services.statistics.figures import SUCCESS_CLOSURES
from services.statistics.rates import window_rates
from tests.services.conftest import Orgs
from tests.sizes import sized

Row = tuple[Any, ...]
COLUMNS = "event_id, case_id, township_id, kind, at, ord, value, ok, live, next_at, back_at"


def held(conn: Connection) -> dict[str, Row]:
    rows = conn.exec_driver_sql(f"SELECT {COLUMNS} FROM rate_fact").all()
    return {r[0]: (*r[1:7], None if r[7] is None else bool(r[7]), bool(r[8]), *r[9:]) for r in rows}


def sources(conn: Connection) -> list[list[Any]]:
    """Every close and evaluation as [event, case, township, kind, at, ord, value, ok, live]."""
    cases = {i: (t, s) for i, t, s in conn.exec_driver_sql(
        "SELECT id, township_id, state FROM case_file")}  # fmt: skip
    facts: list[list[Any]] = []
    for event_id, case_id, at, kind, ok in conn.exec_driver_sql(
        "SELECT event_id, case_id, closed_at, closure_type, on_time FROM closure_fact"
    ):
        facts.append([event_id, case_id, "close", at, at, kind or "", bool(ok)])
    for event_id, case_id, at, hlc, payload in conn.exec_driver_sql(
        "SELECT id, case_id, occurred_at, hlc, payload FROM case_event WHERE action = 'evaluate'"
    ):
        value = json.loads(payload).get("evaluation") if payload else None
        facts.append([event_id, case_id, "evaluate", at, hlc, value, None])
    out = []
    for event_id, case_id, kind, at, order, value, ok in facts:
        township, state = cases.get(case_id, ("", "accepted"))
        out.append([event_id, case_id, township, kind, at, order, value, ok, state != "voided"])
    return out


def recomputed(conn: Connection) -> dict[str, Row]:
    """What rate_fact should hold, worked out in Python from its sources."""
    facts = sources(conn)
    out = {}
    for f in facts:
        later = [
            g[4] for g in facts if g[1] == f[1] and g[3] == f[3] and (g[5], g[0]) > (f[5], f[0])
        ]
        next_at = min((a for a in later if a >= f[4]), default=None)
        back_at = max((a for a in later if a < f[4]), default=None)
        out[f[0]] = (*f[1:9], next_at, back_at)
    return out


def tally_held(conn: Connection) -> dict[tuple[str, ...], int]:
    out: dict[tuple[str, ...], int] = {}
    for kind, day, township, key, n in conn.exec_driver_sql(
        "SELECT kind, day, township_id, key, n FROM rate_tally"
    ):
        assert n >= 0, (kind, day, township, key, n)
        if n:
            out[(kind, day, township, key)] = n
    return out


def tally_recomputed(facts: dict[str, Row]) -> dict[tuple[str, ...], int]:
    """The live facts without a later one, counted per (kind, day, township, value|ok)."""
    out: dict[tuple[str, ...], int] = {}
    for _, township, kind, at, _, value, ok, live, next_at, back_at in facts.values():
        if live and next_at is None and back_at is None:
            key = (kind, at[:10], township, f"{value or ''}|{'' if ok is None else int(ok)}")
            out[key] = out.get(key, 0) + 1
    return out


def expected_rates(
    conn: Connection, lo: str, hi: str, township: str | None
) -> dict[str, tuple[int, int]]:
    """The three rates of each case's latest close / evaluation in [lo, hi), from the sources."""
    latest: dict[tuple[str, str], list[Any]] = {}
    for f in sources(conn):
        if not f[8] or not lo <= f[4] < hi or (township and f[2] != township):
            continue
        key = (f[1], f[3])
        if key not in latest or (f[5], f[0]) > (latest[key][5], latest[key][0]):
            latest[key] = f
    closes = [f for (_, kind), f in latest.items() if kind == "close"]
    evals = [f for (_, kind), f in latest.items() if kind == "evaluate"]
    return {
        "resolution": (sum(f[6] in SUCCESS_CLOSURES for f in closes), len(closes)),
        "on_time": (sum(bool(f[7]) for f in closes), len(closes)),
        "satisfaction": (sum(f[6] in ("satisfied", "basically") for f in evals), len(evals)),
    }


def _at(day: int, time: str) -> str:
    return f"2026-11-{day:02d} {time}.000000"


ATS = [_at(1, "00:00:00"), _at(1, "09:00:00"), _at(2, "23:59:59"), _at(3, "00:00:00"),
       _at(3, "12:00:00"), _at(5, "08:00:00"), _at(6, "00:00:00")]  # fmt: skip
HLCS = [f"{1_790_000_000_000 + i * 1000:013d}-0000000000-pc{i % 2}" for i in range(6)]
WINDOWS = [
    (dt.date(2026, 11, a), dt.date(2026, 11, b))
    for a, b in ((1, 1), (1, 2), (2, 3), (3, 5), (1, 6), (4, 4), (6, 6))
] + [(dt.date(2026, 10, 30), dt.date(2026, 11, 3))]
N_CASES = 4

case_ix = st.integers(0, N_CASES - 1)
operation = st.one_of(
    st.tuples(st.just("close"), case_ix, st.sampled_from(ATS),
              st.sampled_from(["normal", "terminated", "transferred", ""]), st.booleans()),
    st.tuples(st.just("unclose"), st.integers(0, 9), st.none(), st.none(), st.none()),
    st.tuples(st.just("evaluate"), case_ix, st.sampled_from(ATS), st.sampled_from(HLCS),
              st.sampled_from(["satisfied", "basically", "dissatisfied", None])),
    st.tuples(st.just("event"), case_ix, st.sampled_from(ATS), st.sampled_from(HLCS), st.none()),
    st.tuples(st.just("restamp"), st.integers(0, 9), st.sampled_from(ATS),
              st.sampled_from(HLCS), st.none()),
    st.tuples(st.just("state"), case_ix,
              st.sampled_from(["voided", "accepted", "closed"]), st.none(), st.none()),
    st.tuples(st.just("move"), case_ix, st.integers(0, 1), st.none(), st.none()),
    st.tuples(st.just("ghost"), st.integers(0, 1), st.sampled_from(ATS), st.booleans(), st.none()),
    st.tuples(st.just("arrive"), st.integers(0, 1), case_ix, st.none(), st.none()),
)  # fmt: skip


def _apply(conn: Connection, n: int, op: tuple[Any, ...], ids: list[str], towns: list[str]) -> None:
    kind, a, b, c, d = op
    sql = conn.exec_driver_sql
    event_id = f"ev-{(n * 37) % 100:02d}-{n:03d}"  # ids not in the order written
    if kind == "close":
        sql("INSERT INTO closure_fact (event_id, case_id, township_id, closed_at, closure_type,"
            " on_time) VALUES (?, ?, ?, ?, ?, ?)",
            (event_id, ids[a], towns[0], b, c, d))  # fmt: skip
    elif kind == "unclose":
        rows = sql("SELECT event_id FROM closure_fact ORDER BY event_id").all()
        if rows:
            sql("DELETE FROM closure_fact WHERE event_id = ?", (rows[a % len(rows)][0],))
    elif kind in ("evaluate", "event"):
        payload = {} if d is None else {"evaluation": d}
        action = "evaluate" if kind == "evaluate" else "feedback"
        sql("INSERT INTO case_event (id, case_id, seq, action, device_id, hlc, occurred_at,"
            " payload) VALUES (?, ?, ?, ?, 'pc', ?, ?, ?)",
            (event_id, ids[a], 1000 + n, action, c, b, json.dumps(payload)))  # fmt: skip
    elif kind == "restamp":  # a clock fix re-stamps an event (services.sync.clockfix)
        rows = sql("SELECT id FROM case_event WHERE action = 'evaluate' ORDER BY id").all()
        if rows:
            sql("DROP TRIGGER IF EXISTS case_event_no_update")
            sql("UPDATE case_event SET hlc = ?, occurred_at = ? WHERE id = ?",
                (c, b, rows[a % len(rows)][0]))  # fmt: skip
    elif kind == "state":
        sql("UPDATE case_file SET state = ? WHERE id = ?", (b, ids[a]))
    elif kind == "move":
        sql("UPDATE case_file SET township_id = ? WHERE id = ?", (towns[b], ids[a]))
    elif kind == "ghost":  # a close of a case not (yet) here
        sql("INSERT INTO closure_fact (event_id, case_id, township_id, closed_at, closure_type,"
            " on_time) VALUES (?, ?, ?, ?, 'normal', ?)",
            (event_id, f"ghost-{a}", towns[0], b, c))  # fmt: skip
    elif kind == "arrive":  # ... that arrives (a copy of another case's row)
        ghost = f"ghost-{a}"
        if sql("SELECT 1 FROM case_file WHERE id = ?", (ghost,)).first() is None:
            sql("CREATE TEMP TABLE IF NOT EXISTS copy AS SELECT * FROM case_file LIMIT 0")
            sql("DELETE FROM copy")
            sql("INSERT INTO copy SELECT * FROM case_file WHERE id = ?", (ids[b],))
            sql("UPDATE copy SET id = ?, code = code || ?", (ghost, f"-{ghost}"))
            sql("INSERT INTO case_file SELECT * FROM copy")


def _check(ctx: ServiceContext, conn: Connection, towns: list[str], ops: list[Any]) -> None:
    facts = recomputed(conn)
    assert held(conn) == facts, ops
    assert tally_held(conn) == tally_recomputed(facts), ops
    with Session(bind=conn) as session:
        for start, end in WINDOWS:
            lo = f"{start} 00:00:00.000000"
            hi = f"{end + dt.timedelta(days=1)} 00:00:00.000000"
            for township in (None, *towns):
                rates = window_rates(session, ctx, start, end, township)
                got = {r.key: (r.numerator, r.denominator) for r in rates if r.key != "closure"}
                assert got == expected_rates(conn, lo, hi, township), (start, end, township, ops)


@sized(quick=8, full=80)
@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(ops=st.lists(operation, min_size=1, max_size=14))
def test_any_write_keeps_rate_fact_exact(
    ctx: ServiceContext,
    orgs: Orgs,
    walk_in: Callable[..., WalkInInput],
    ops: list[tuple[Any, ...]],
) -> None:
    with ctx.store.read() as session:
        n = session.connection().exec_driver_sql("SELECT count(*) FROM case_file").scalar()
    if not n:  # first example: the cases, and a second township to move them to
        with ctx.store.write() as session:
            add_org(session, kind="township", name="白水镇", code="620123102000", parent_id=None)
        for i in range(N_CASES):
            register_walk_in(ctx, walk_in(summary=f"第{i}件纠纷，要求调解处理"))
    with ctx.store.write_engine.connect() as conn:
        tx = conn.begin()
        try:
            ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM case_file ORDER BY id")]
            towns = [orgs.township_id, *(r[0] for r in conn.exec_driver_sql(
                "SELECT id FROM org_unit WHERE kind = 'township' AND id != ?",
                (orgs.township_id,)))]  # fmt: skip
            for n, op in enumerate(ops):
                _apply(conn, n, op, ids, towns)
                _check(ctx, conn, towns, ops[: n + 1])
        finally:
            tx.rollback()
