"""The ledger over many matches (issue 12, findings 10-11): text filters combine with the other
filters in SQL over every match, the count is the filter's total, and each page is read through
an index in the sort order (no sort of the whole match set)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import event, text

from services.cases import ledger_plan
from services.cases.ledger import OPEN_STATES, LedgerCursor, LedgerFilter, ledger_count, ledger_page
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_in
from services.setup.township import make_context, open_store, set_up_township
from services.store.engine import Store
from services.store.migrate import refresh_statistics

NOW = dt.datetime(2026, 11, 20, 10, 0)
COMMON = 6000  # more than the 5,000 newest matches the text filter used to look at
RARE = 7
FIRST = dt.datetime(2023, 1, 2, 9, 0)
WINDOW = (dt.date(2023, 1, 1), dt.date(2023, 3, 31))


@dataclass
class Bulk:
    store: Store
    in_window: int  # 宅基地 cases registered in WINDOW (older than the newest 5,000 matches)


def _clone(session: object, base_id: str, n: int, start: int, summary: str,
           step: dt.timedelta) -> int:  # fmt: skip
    """``n`` copies of the case ``base_id`` with new ids, codes, times and summary text."""
    in_window = 0
    cases: list[dict[str, str]] = []
    for i in range(n):
        k = start + i
        at = FIRST + step * i
        in_window += WINDOW[0] <= at.date() <= WINDOW[1]
        cases.append({"id": f"bulk-{k:06d}", "code": f"BULK-{k:06d}", "summary": summary,
                      "at": f"{at:%Y-%m-%d %H:%M:%S.%f}", "base": base_id})  # fmt: skip
    # One executemany per table: the rows are the same as one INSERT each, in a tenth the time.
    session.execute(  # type: ignore[attr-defined]
        text(
            "INSERT INTO case_file (id, code, township_id, village_id, grid_id, title, summary,"
            " description, category_code, risk_colour, risk_basis, handling_level, channel,"
            " people_count, occurred_place, registered_at, registered_by, state,"
            " supervision_level, due_at, remind_at, yellow_at, due_provisional, clock_paused,"
            " rework_count, event_count, revision)"
            " SELECT :id, :code, township_id, village_id, grid_id, title, :summary, '',"
            " category_code, risk_colour, risk_basis, handling_level, channel, people_count,"
            " occurred_place, :at, registered_by, state, supervision_level, NULL, NULL, NULL,"
            " 0, 0, 0, event_count, 1 FROM case_file WHERE id = :base"
        ),
        cases,
    )
    session.execute(  # type: ignore[attr-defined]
        text("INSERT INTO case_search (case_id, names, body) VALUES (:id, '赵甲 钱乙', :b)"),
        [{"id": c["id"], "b": f"{c['code']} {summary}"} for c in cases],
    )
    return in_window


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bulk]:
    store = open_store(tmp_path_factory.mktemp("ledger-scale") / "bulk.db")
    ctx = make_context(store)
    ctx.now = lambda: NOW
    set_up_township(ctx, "青山镇", "620123101000")
    with store.write() as session:
        form = WalkInInput(parties=(PartyInput(name="张三", phone="13812345678"),),
                           summary="样板", category_code="0202", disposition="answered",
                           answer="已答复")  # fmt: skip
        base = register_in(session, ctx, form).case_id
        step = dt.timedelta(hours=3)  # 6,000 cases over ~2 years, from 2023-01-02
        in_window = _clone(session, base, COMMON, 0, "宅基地边界纠纷", step)
        _clone(session, base, RARE, COMMON, "屋顶光伏板反光纠纷", dt.timedelta(days=30))
    yield Bulk(store, in_window)
    store.dispose()


def _all(store: Store, filt: LedgerFilter, sort: str = "registered_at",
         descending: bool = True) -> list[str]:  # fmt: skip
    ids: list[str] = []
    after: LedgerCursor | None = None
    with store.read() as session:
        while True:
            page = ledger_page(session, filt, sort=sort, descending=descending, after=after,
                               now=NOW)  # fmt: skip
            ids += [r.id for r in page.rows]
            if page.next_cursor is None:
                return ids
            after = page.next_cursor


def _count(store: Store, filt: LedgerFilter) -> int:
    with store.read() as session:
        return ledger_count(session, filt, NOW)


@pytest.mark.parametrize("sort", ["registered_at", "due_at", "code"])
def test_text_filter_reaches_every_match(bulk: Bulk, sort: str) -> None:
    ids = _all(bulk.store, LedgerFilter(text="宅基地"), sort=sort)
    assert len(ids) == len(set(ids)) == COMMON
    assert _count(bulk.store, LedgerFilter(text="宅基地")) == COMMON


def test_text_and_date_range_combine_over_every_match(bulk: Bulk) -> None:
    filt = LedgerFilter(text="宅基地", registered_from=WINDOW[0], registered_to=WINDOW[1])
    assert bulk.in_window > 500
    assert len(_all(bulk.store, filt)) == bulk.in_window
    assert _count(bulk.store, filt) == bulk.in_window


def test_two_character_and_rare_terms(bulk: Bulk) -> None:
    assert len(_all(bulk.store, LedgerFilter(text="边界"))) == COMMON
    assert len(_all(bulk.store, LedgerFilter(text="光伏板"))) == RARE
    assert (
        len(_all(bulk.store, LedgerFilter(text="光伏板", registered_to=dt.date(2023, 3, 1)))) == 2
    )
    assert _count(bulk.store, LedgerFilter(text="光伏 反光")) == RARE
    assert _count(bulk.store, LedgerFilter(text="光伏板 宅基地")) == 0


def test_pinyin_text_filter_counts_every_case(bulk: Bulk) -> None:
    assert _count(bulk.store, LedgerFilter(text="zs")) == 1  # the one registered case, 张三


def test_the_pinyin_people_count_reads_only_the_name_indexes(bulk: Bulk) -> None:
    """Whether a pinyin query is rare counts its people up to the cap: from the two name
    indexes alone (reading each person's row for its id cost 0.6 ms warm, 31 ms cold, for 452
    people of 'wjg' on 1M cases)."""
    sent: list[tuple[str, object]] = []

    def hook(_c: object, _cur: object, statement: str, params: object, *_a: object) -> None:
        if statement.startswith("SELECT count(*)") and "FROM person" in statement:
            sent.append((statement, params))

    event.listen(bulk.store.read_engine, "before_cursor_execute", hook)
    try:
        with bulk.store.read() as session:
            ledger_page(session, LedgerFilter(text="zs"), now=NOW)
    finally:
        event.remove(bulk.store.read_engine, "before_cursor_execute", hook)
    assert len(sent) == 1
    with bulk.store.read() as session:
        statement, params = sent[0]
        plan = [str(r[3]) for r in session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, params).all()]  # type: ignore[arg-type]  # fmt: skip
    people = [step for step in plan if "person" in step]
    assert len(people) == 2, plan
    assert all("COVERING INDEX ix_person_name_" in step for step in people), plan
    assert _count(bulk.store, LedgerFilter(text="zs")) == 1


def _plans(store: Store, filt: LedgerFilter, sort: str, descending: bool) -> list[str]:
    """EXPLAIN QUERY PLAN of every case_file query a first page sends."""
    sent: list[tuple[str, object]] = []

    def hook(_c: object, _cur: object, statement: str, params: object, *_a: object) -> None:
        if "FROM case_file" in statement and "EXPLAIN" not in statement:
            sent.append((statement, params))

    event.listen(store.read_engine, "before_cursor_execute", hook)
    try:
        with store.read() as session:
            ledger_page(session, filt, sort=sort, descending=descending, now=NOW)
            plans = []
            for statement, params in sent:
                rows = (
                    session.connection()
                    .exec_driver_sql(
                        "EXPLAIN QUERY PLAN " + statement,
                        params,  # type: ignore[arg-type]
                    )
                    .all()
                )
                plans.append(" / ".join(str(r[3]) for r in rows))
            return plans
    finally:
        event.remove(store.read_engine, "before_cursor_execute", hook)


QUICK = {
    "none": LedgerFilter(),
    "due_today": LedgerFilter(due_today=True),
    "overdue": LedgerFilter(overdue=True),
    "red": LedgerFilter(colours=("red",), states=OPEN_STATES),
    "assigned": LedgerFilter(states=("assigned",)),
    "mine": LedgerFilter(registered_by="nobody"),
    "supervision": LedgerFilter(supervision_levels=("red",)),
    "class": LedgerFilter(category_code="02"),
    "subclass+village": LedgerFilter(category_code="0202", village_id="x"),
    "level": LedgerFilter(handling_level="county"),
    "text": LedgerFilter(text="宅基地"),
}


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("sort", ["registered_at", "due_at", "code"])
@pytest.mark.parametrize("name", list(QUICK))
def test_every_page_query_walks_an_index(bulk: Bulk, name: str, sort: str,
                                         descending: bool) -> None:  # fmt: skip
    plans = _plans(bulk.store, QUICK[name], sort, descending)
    assert plans
    for plan in plans:
        assert "SCAN case_file" not in plan or "USING" in plan, plan  # never a bare table scan
    # Only a driver that does not give the order (and holds fewer than CAP rows) is sorted.
    unordered = name == "due_today" and sort != "due_at"
    sorted_pages = [p for p in plans if "TEMP B-TREE FOR ORDER BY" in p and "LIMIT" not in p]
    assert unordered or not [p for p in plans if "USE TEMP B-TREE FOR ORDER BY" in p], plans
    del sorted_pages


def test_opening_a_grown_store_refreshes_the_planner_statistics(bulk: Bulk) -> None:
    engine = bulk.store.write_engine
    with engine.connect() as conn:
        assert not conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).first()  # the cases were bulk-loaded after the store was opened
    assert refresh_statistics(engine) is True
    with engine.connect() as conn:
        stats: dict[str, str] = dict(
            conn.exec_driver_sql("SELECT idx, stat FROM sqlite_stat1").all()
        )
    assert int(stats["ix_ledger_reg"].split()[0]) == pytest.approx(COMMON + RARE + 1, rel=0.05)
    assert refresh_statistics(engine) is False  # fresh: not again until the table doubles


# --- a date range under the deadline sort; small intersections of large filters (issue 12 #11)


@pytest.fixture(scope="module")
def dated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """1,200 open cases a day apart from 2023-01-02, each due 3-40 days after registration (every
    tenth 200 days after: a long extension), every seventh without a deadline."""
    store = open_store(tmp_path_factory.mktemp("ledger-dated") / "dated.db")
    ctx = make_context(store)
    ctx.now = lambda: NOW
    set_up_township(ctx, "青山镇", "620123101000")
    with store.write() as session:
        party = PartyInput(name="张三", phone="13812345678")
        form = WalkInInput(parties=(party,), summary="样板", category_code="0202",
                           disposition="accepted")  # fmt: skip
        base = register_in(session, ctx, form).case_id
        _clone(session, base, 1200, 0, "宅基地边界纠纷", dt.timedelta(days=1))
        session.execute(text(
            "UPDATE case_file SET state = 'handling', due_at = CASE"  # SQLAlchemy's format
            " WHEN CAST(substr(id, 6) AS INTEGER) % 7 = 0 THEN NULL"
            " WHEN CAST(substr(id, 6) AS INTEGER) % 10 = 0"
            " THEN datetime(registered_at, '+200 days') || '.000000'"
            " ELSE datetime(registered_at, '+' || (3 + CAST(substr(id, 6) AS INTEGER) % 38)"
            " || ' days') || '.000000' END WHERE id LIKE 'bulk-%'"
        ))  # fmt: skip
    refresh_statistics(store.write_engine)
    yield store
    store.dispose()


def _expected(store: Store, filt: LedgerFilter, descending: bool) -> list[str]:
    """The due sort done by hand: cases with a deadline by (due, id), then the others by id."""
    lo = dt.datetime.combine(filt.registered_from or dt.date.min, dt.time())
    hi = dt.datetime.combine((filt.registered_to or dt.date(2999, 1, 1)) + dt.timedelta(days=1),
                             dt.time())  # fmt: skip
    with store.read() as session:
        rows = session.execute(text("SELECT id, due_at, registered_at FROM case_file")).all()
    inside = [(i, due) for i, due, reg in rows if lo <= dt.datetime.fromisoformat(reg) < hi]
    dated_rows = sorted(((due, i) for i, due in inside if due), reverse=descending)
    undated = sorted((i for i, due in inside if not due), reverse=descending)
    return [i for _, i in dated_rows] + undated


@pytest.mark.parametrize("descending", [False, True])
def test_a_date_range_under_the_deadline_sort_lists_exactly_its_cases_in_order(
    dated: Store, descending: bool
) -> None:
    """The deadline bounds that let the walk start at the range are implied by it: no case of
    the range is lost (long extensions included) and the order is the due sort's."""
    filt = LedgerFilter(registered_from=dt.date(2023, 6, 1), registered_to=dt.date(2023, 9, 30))
    assert _all(dated, filt, "due_at", descending) == _expected(dated, filt, descending)
    open_ended = LedgerFilter(registered_from=dt.date(2025, 12, 1))
    assert _all(dated, open_ended, "due_at", descending) == _expected(dated, open_ended, descending)


def test_a_small_intersection_of_large_filters_reads_the_bounded_driver(
    dated: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Due today + a date range, each holding at least CAP cases, together a few (on 1M cases:
    village + due today + yellow, 11 of 125,000): the page is read from the bounded range (due
    today) and sorted, not by walking the date range in order (449 ms before)."""
    monkeypatch.setattr(ledger_plan, "CAP", 1)  # every non-empty range counts as "large"
    monkeypatch.setattr(ledger_plan, "UNORDERED_CAP", 50)
    with dated.read() as session:
        due = session.execute(text("SELECT due_at FROM case_file WHERE due_at IS NOT NULL"
                                   " ORDER BY due_at LIMIT 1 OFFSET 600")).scalar_one()  # fmt: skip
    day = dt.datetime.fromisoformat(str(due))
    filt = LedgerFilter(due_today=True, registered_from=dt.date(2023, 1, 1))
    with dated.read() as session:
        driver = ledger_plan.choose_driver(session, filt, "registered_at", day)
    assert (driver.index, driver.ordered) == ("ix_ledger_due", False)
    with dated.read() as session:
        page = ledger_page(session, filt, now=day)
        count = ledger_count(session, filt, day)
    assert len(page.rows) == count > 0
    assert all(r.due_at is not None and r.due_at.date() == day.date() for r in page.rows)
