"""A pull page inserts its new cases and events in bulk (issue 10, speed): the per-row work of
their insert triggers (the daily tally, the rates' facts) is done set-based for the page, with
the triggers dropped and re-created inside the page's own transaction. What a bulk page leaves
must be what the triggers would have left, and every trigger must be there afterwards, whether
the page succeeded, fell back to row by row, or failed."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, event, insert, select, text

from services.cases.actions import perform
from services.domain.errors import ServiceError
from services.setup.township import set_up_township
from services.store import rate_facts
from services.store import tally as daily_tally
from services.store.models import (
    Base,
    Case,
    case_search,
    case_tally,
    is_local,
    rate_fact,
    rate_tally,
)
from services.store.sealed import Sealed
from services.sync import pull
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc

AT = dt.datetime(2026, 11, 18, 9, 0)
CASES = 70  # above search.BULK_MIN: the search index is fed in bulk too


def _triggers(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        return {str(name): str(sql) for name, sql in rows}


@contextmanager
def _traced(pc: Pc) -> Iterator[list[str]]:
    """Every statement SQLite runs on the PC's write connections, trigger programs included (a
    trigger firing reports the statement that fired it again)."""
    seen: list[str] = []

    def on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.set_trace_callback(seen.append)

    engine = pc.store.write_engine
    event.listen(engine, "connect", on_connect)
    engine.dispose()
    try:
        yield seen
    finally:
        event.remove(engine, "connect", on_connect)
        engine.dispose()


@pytest.fixture
def township_pc(pg_hub: InProcessHub, pg_pcs: Callable[..., Pc]) -> Pc:
    """A township PC with CASES cases (each with its registration events) on the hub."""
    a1 = pg_pcs("a1", pg_hub.token("青山镇接待1", TOWNSHIP_A).token)
    set_up_township(a1.ctx, TOWNSHIP_A[1], TOWNSHIP_A[0])
    for i in range(CASES):
        a1.register(summary=f"第{i}起宅基地边界纠纷，要求调解")
    assert a1.sync.sync_now().status.pending == 0
    return a1


def test_a_pulled_page_runs_no_statement_per_case_beyond_its_insert(
    township_pc: Pc, pg_hub: InProcessHub, pg_pcs: Callable[..., Pc], tmp_path: Path
) -> None:
    county = pg_pcs("county", pg_hub.token("县综治中心").token)
    with _traced(county) as seen:
        county.sync.sync_now()
    assert county.case_ids() == township_pc.case_ids()
    inserts = [s for s in seen if s.lstrip().upper().startswith("INSERT INTO CASE_FILE ")]
    # One trace per case inserted: a trigger program run for a row would trace it again (the
    # rates' facts trigger did, for every pulled case).
    assert len(inserts) == CASES
    # The codes met move this PC's number blocks past them: per series, not an UPDATE per case
    burns = [s for s in seen if s.lstrip().upper().startswith("UPDATE NUMBER_BLOCK")]
    assert len(burns) <= 1, len(burns)
    assert county.tally_mismatches() == {}
    assert _triggers(tmp_path / "county.db") == _triggers(tmp_path / "a1.db")


def _rows(pc: Pc, table: Table) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """The table's rows as stored (pk -> the other columns), leaving out this PC's own columns
    and sealed ones (each PC seals with a nonce of its own)."""
    cols = [c for c in table.columns if not is_local(c) and not isinstance(c.type, Sealed)]
    pk = [c for c in cols if c.primary_key]
    rest = [c for c in cols if not c.primary_key]
    with pc.store.read() as session:
        return {tuple(r[: len(pk)]): tuple(r[len(pk) :])
                for r in session.execute(select(*pk, *rest))}  # fmt: skip


def test_pulled_rows_and_what_is_derived_from_them_equal_the_pushing_pcs(
    township_pc: Pc, pg_hub: InProcessHub, pg_pcs: Callable[..., Pc]
) -> None:
    """Every synced row of the township PC arrives as it is there, and the tally, the rates'
    facts and the search index built from the pulled pages equal those the township PC built
    as it registered (the pages were applied in bulk: CASES is above every bulk threshold)."""
    a1 = township_pc
    closed = a1.register(summary="再来一起宅基地纠纷")  # with an evaluation and a close, too
    for action, payload in (("mediate", {"mediator": "王调解"}),
                            ("mediation_result", {"result": "reached"}),
                            ("evaluate", {"evaluation": "satisfied"}),
                            ("close", {"closure_type": "normal"})):  # fmt: skip
        perform(a1.ctx, closed, action, payload)
    assert a1.sync.sync_now().status.pending == 0
    county = pg_pcs("county", pg_hub.token("县综治中心").token)
    county.sync.sync_now()
    # audit_log: each PC's own chain (what it pulled is noted in it, not copied); rules and
    # calendar: each PC's defaults until the county sends its own
    synced = pull._pullable() - pull.PULLABLE_LOCAL - {"audit_log"}
    tables = [Base.metadata.tables[name] for name in sorted(synced)]
    compared = 0
    for table in tables:
        mine = _rows(a1, table)
        theirs = _rows(county, table)
        missing = {k: v for k, v in mine.items() if theirs.get(k) != v}
        assert missing == {}, (table.name, missing, [theirs.get(k) for k in missing])
        compared += len(mine)
    assert compared > 4 * CASES
    for derived in (case_search, case_tally, rate_fact, rate_tally):
        # a count that went back to 0 stays as a row where it was ever counted
        ours, theirs = _rows(county, derived), _rows(a1, derived)
        if derived is not case_search and derived is not rate_fact:
            ours = {k: v for k, v in ours.items() if any(v)}
            theirs = {k: v for k, v in theirs.items() if any(v)}
        assert ours == theirs, derived.name
    # the evaluation's fact (a close gets its fact when a report works out its on-time answer)
    assert [v[2] for v in _rows(county, rate_fact).values()] == ["evaluate"]


def test_a_bulk_page_that_clashes_restores_the_triggers_and_goes_row_by_row(
    township_pc: Pc,
    pg_hub: InProcessHub,
    pg_pcs: Callable[..., Pc],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An IntegrityError after the triggers were dropped rolls the page's savepoint back: the
    triggers are there again and the rows are applied one by one, through them."""
    clashes: list[str] = []

    def clash() -> str:
        clashes.append("case")
        return "INSERT INTO rate_tally (kind) VALUES (NULL)"  # NOT NULL: an IntegrityError

    monkeypatch.setattr(rate_facts, "cases_added_sql", clash)
    county = pg_pcs("county", pg_hub.token("县综治中心").token)
    county.sync.sync_now()
    assert clashes  # the bulk path was taken, and failed
    assert _triggers(tmp_path / "county.db") == _triggers(tmp_path / "a1.db")
    assert county.cases() == township_pc.cases()
    assert county.tally_mismatches() == {}


def test_a_page_that_fails_leaves_every_trigger_and_the_next_pull_finishes(
    township_pc: Pc,
    pg_hub: InProcessHub,
    pg_pcs: Callable[..., Pc],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An error that is no clash (a bug, a full disk) fails the page's transaction: nothing of
    it stays, the triggers included, and the next pull applies the page."""
    real = daily_tally.add_cases_sql
    monkeypatch.setattr(daily_tally, "add_cases_sql", lambda dimension: "SELECT * FROM nowhere")
    county = pg_pcs("county", pg_hub.token("县综治中心").token)
    with pytest.raises((ServiceError, Exception)):  # noqa: PT011 - any error fails the sync
        county.sync.sync_now()
    assert _triggers(tmp_path / "county.db") == _triggers(tmp_path / "a1.db")
    assert county.case_ids() == set()
    monkeypatch.setattr(daily_tally, "add_cases_sql", real)
    county.sync.sync_now()
    assert county.cases() == township_pc.cases()
    assert county.tally_mismatches() == {}


def test_bulk_cases_give_facts_made_before_them_their_township_and_liveness(
    township_pc: Pc,
) -> None:
    """What the rates' case-insert trigger does, set-based: a fact already there for a case id
    (a bulk load) takes the township and liveness of the case inserted, as through the
    trigger."""
    township = township_pc.ctx.township_id
    results = {}
    for lifted in (False, True):
        with township_pc.store.write() as session:
            ids = [f"0190-bulk-{lifted:d}-{k}" for k in range(2)]
            for k, case_id in enumerate(ids):
                session.execute(insert(rate_facts.rate_fact).values(
                    event_id=f"e-{lifted:d}-{k}", case_id=case_id, township_id="", kind="close",
                    at=AT, ord=AT.isoformat(), value="mediated",
                    ok=True, live=True))  # fmt: skip
            rows = [
                {"id": case_id, "code": f"B{lifted:d}-{k}", "township_id": township,
                 "title": "x", "summary": "y", "category_code": "0202", "channel": "walk_in",
                 "registered_at": AT,
                 "state": "voided" if k else "accepted"}
                for k, case_id in enumerate(ids)
            ]  # fmt: skip
            table = Base.metadata.tables[Case.__tablename__]
            if lifted:
                pull._insert_cases(session, table, [rows])
            else:
                session.execute(insert(table), rows)
            results[lifted] = session.execute(text(
                "SELECT case_id, township_id, live FROM rate_fact WHERE case_id IN (:a, :b) "
                "ORDER BY case_id"), {"a": ids[0], "b": ids[1]}).all()  # fmt: skip
    assert [r[1:] for r in results[True]] == [(township, 1), (township, 0)]
    assert [r[1:] for r in results[True]] == [r[1:] for r in results[False]]
