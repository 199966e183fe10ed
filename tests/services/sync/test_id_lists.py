"""A pull page's search index and re-derivation read its cases with one statement per table
whatever the page's size: the ids go as one JSON array (``json_each``), not as 500-value IN
lists (a statement per 500 cases, each with 500 bound parameters to expand: about a second of
a 100,000-record pull)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from services.cases import search
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_in
from services.setup.township import make_context, open_store, set_up_township
from services.store.engine import Store
from services.sync.pull import rederive_cases

NOW = dt.datetime(2026, 11, 20, 10, 0)
# Ids no case has, sorting after every real (uuid7) id: a page of 1,500 more cases to look up.
PADDING = [f"zz-missing-{i:05d}" for i in range(1500)]


@pytest.fixture()
def township(tmp_path: Path) -> Iterator[tuple[Store, ServiceContext, list[str]]]:
    st = open_store(tmp_path / "ids.db")
    ctx = make_context(st)
    ctx.now = lambda: NOW
    set_up_township(ctx, "青山镇", "620123101000")
    ids = []
    with st.write() as session:
        for summary in ("宅基地边界纠纷", "拖欠工资三个月", "邻居养狗扰民"):
            form = WalkInInput(
                parties=(PartyInput(name="张三", role="applicant", is_visitor=True,
                                    phone="13812345678"),),
                summary=summary, category_code="0202", disposition="accepted",
            )  # fmt: skip
            ids.append(register_in(session, ctx, form).case_id)
    yield st, ctx, ids
    st.dispose()


def _statements(session: Session, work: Any) -> list[tuple[str, int]]:
    """(statement, bound parameters) of each statement ``work`` runs."""
    seen: list[tuple[str, int]] = []

    def note(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, many: bool) -> None:
        count = len(params[0] if many and params else params or ())
        seen.append((statement, count))

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", note)
    try:
        work()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def _reads(seen: list[tuple[str, int]]) -> list[tuple[str, int]]:
    return [s for s in seen if s[0].lstrip().upper().startswith(("SELECT", "DELETE"))]


def test_index_cases_reads_a_page_with_one_statement_per_table(
    township: tuple[Store, ServiceContext, list[str]],
) -> None:
    st, _ctx, ids = township
    with st.write() as session:
        session.execute(text("DELETE FROM case_search"))
        small = _reads(_statements(session, lambda: search.index_cases(session, ids)))
        session.execute(text("DELETE FROM case_search"))
        big = _reads(_statements(session, lambda: search.index_cases(session, ids + PADDING)))
        indexed = session.execute(text("SELECT count(*) FROM case_search")).scalar_one()
    assert indexed == len(ids)  # the real cases indexed again, the padding ignored
    assert len(big) == len(small) == 3, big  # cases, their parties' names, their aliases
    assert max(n for _s, n in big) <= 2, big  # the ids as one parameter, not one per id


def test_rederive_cases_reads_a_page_with_one_statement_per_table(
    township: tuple[Store, ServiceContext, list[str]],
) -> None:
    st, ctx, ids = township
    with st.write() as session:
        session.execute(text("UPDATE case_file SET state = 'closed'"))  # re-derived below
        small = _reads(_statements(session, lambda: rederive_cases(session, ctx, ids, NOW)))
        big = _reads(_statements(session, lambda: rederive_cases(session, ctx, ids + PADDING, NOW)))
        session.flush()
        states = {r[0] for r in session.execute(text("SELECT state FROM case_file"))}
    assert states == {"accepted"}  # every real case re-derived from its events
    # closure facts cleared, events, open event conflicts, cases (same count as 3 ids)
    assert len(big) == len(small), big
    assert len([s for s, _n in big if "case_event" in s or "closure_fact" in s]) <= 2, big
    assert max(n for _s, n in big) <= 4, big  # the ids as one parameter, not one per id
