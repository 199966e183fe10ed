"""The case ledger (案件台账): filters, keyset paging, sorting and the overdue scan (督办扫描)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from services.cases.actions import perform
from services.cases.ledger import (
    LedgerCursor,
    LedgerFilter,
    LedgerRow,
    LedgerTotal,
    get_ledger_page,
    ledger_count,
    ledger_page,
    ledger_total,
    scan_overdue,
)
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_in, register_walk_in
from services.setup.township import add_org, make_context, open_store, set_up_township
from services.store.engine import Store
from services.store.models import Case
from tests.services.conftest import NOW, Orgs, township_copy, walk_in_forms

Form = Callable[..., WalkInInput]


def _clock(at: dt.datetime) -> Callable[[], dt.datetime]:
    return lambda: at


def all_pages(
    store: Store, filt: LedgerFilter, *, sort: str = "registered_at", descending: bool = True,
    limit: int = 100, now: dt.datetime = NOW,
) -> tuple[list[LedgerRow], int]:  # fmt: skip
    rows: list[LedgerRow] = []
    after: LedgerCursor | None = None
    pages = 0
    with store.read() as session:
        while True:
            page = ledger_page(session, filt, sort=sort, descending=descending, after=after,
                               limit=limit, now=now)  # fmt: skip
            pages += 1
            assert len(page.rows) <= limit
            rows.extend(page.rows)
            if page.next_cursor is None:
                break
            assert pages < 1000
            after = page.next_cursor
    return rows, pages


def codes(store: Store, filt: LedgerFilter, now: dt.datetime = NOW) -> set[str]:
    rows, _ = all_pages(store, filt, now=now)
    with store.read() as session:
        assert ledger_count(session, filt, now) == len(rows)
    return {r.code[-6:] for r in rows}


def case_of(store: Store, case_id: str) -> Case:
    with store.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        session.expunge(case)
        return case


# --- filters ---------------------------------------------------------------------------------


@dataclass
class Ledger:
    ctx: ServiceContext
    orgs: Orgs
    ids: dict[str, str]  # name -> case id

    def code(self, name: str) -> str:
        return case_of(self.ctx.store, self.ids[name]).code[-6:]

    def codes(self, *names: str) -> set[str]:
        return {self.code(n) for n in names}


def _register_the_ledger(ctx: ServiceContext, orgs: Orgs, walk_in: Form) -> dict[str, str]:
    east, west = orgs.villages["东沟村"], orgs.villages["西岔村"]
    specs: list[tuple[str, dt.datetime, dict[str, Any]]] = [
        ("old", dt.datetime(2026, 10, 1, 9, 0), {"village_id": east}),
        ("old_answered", dt.datetime(2026, 10, 1, 9, 30),
         {"disposition": "answered", "answer": "已答复", "category_code": "0201"}),
        ("range_end", dt.datetime(2026, 10, 3, 23, 59, 59), {"village_id": west}),
        ("after_range", dt.datetime(2026, 10, 4, 0, 0), {"category_code": "0203"}),
        ("red", dt.datetime(2026, 11, 19, 9, 0),
         {"risk_colour": "red", "risk_basis": "扬言过激行为", "category_code": "0601",
          "summary": "鱼塘承包合同到期后拒不交还"}),
        ("yellow", dt.datetime(2026, 11, 20, 9, 0),
         {"risk_colour": "yellow", "risk_basis": "多次来访", "category_code": "0101",
          "village_id": west}),
    ]  # fmt: skip
    ids: dict[str, str] = {}
    for name, at, overrides in specs:
        ctx.now = _clock(at)
        ids[name] = register_walk_in(ctx, walk_in(**overrides)).case_id
    ctx.now = lambda: NOW
    return ids


@pytest.fixture(scope="module")
def ledger_template(
    tmp_path_factory: pytest.TempPathFactory, township_template: tuple[Path, Orgs]
) -> tuple[Path, Orgs, dict[str, str]]:
    """The township with the ledger's six cases, registered once per module."""
    path = tmp_path_factory.mktemp("ledger-template") / "store.db"
    with township_copy(township_template, path) as (ctx, orgs):
        ids = _register_the_ledger(ctx, orgs, walk_in_forms())
    return path, orgs, ids


@pytest.fixture
def ledger(ledger_template: tuple[Path, Orgs, dict[str, str]], tmp_path: Path) -> Iterator[Ledger]:
    """A copy of the ledger template for each test (one of them writes)."""
    path, orgs, ids = ledger_template
    with township_copy((path, orgs), tmp_path / "store.db") as (ctx, _orgs):
        yield Ledger(ctx, orgs, ids)


def test_no_filter_lists_everything(ledger: Ledger) -> None:
    assert codes(ledger.ctx.store, LedgerFilter()) == ledger.codes(*ledger.ids)


def test_filter_by_state(ledger: Ledger) -> None:
    store = ledger.ctx.store
    assert codes(store, LedgerFilter(states=("answered",))) == ledger.codes("old_answered")
    assert codes(store, LedgerFilter(states=("accepted",))) == ledger.codes(
        "old", "range_end", "after_range", "red", "yellow"
    )
    assert codes(store, LedgerFilter(states=("answered", "accepted"))) == ledger.codes(*ledger.ids)
    assert codes(store, LedgerFilter(states=("closed",))) == set()


def test_filter_by_colour(ledger: Ledger) -> None:
    store = ledger.ctx.store
    assert codes(store, LedgerFilter(colours=("red",))) == ledger.codes("red")
    assert codes(store, LedgerFilter(colours=("yellow", "red"))) == ledger.codes("red", "yellow")
    assert codes(store, LedgerFilter(colours=("orange",))) == set()


def test_filter_by_category_class_or_subclass(ledger: Ledger) -> None:
    store = ledger.ctx.store
    assert codes(store, LedgerFilter(category_code="02")) == ledger.codes(
        "old", "old_answered", "range_end", "after_range"
    )
    assert codes(store, LedgerFilter(category_code="0202")) == ledger.codes("old", "range_end")
    assert codes(store, LedgerFilter(category_code="01")) == ledger.codes("yellow")
    assert codes(store, LedgerFilter(category_code="06")) == ledger.codes("red")
    assert codes(store, LedgerFilter(category_code="05")) == set()


def test_filter_by_village(ledger: Ledger) -> None:
    store, villages = ledger.ctx.store, ledger.orgs.villages
    assert codes(store, LedgerFilter(village_id=villages["东沟村"])) == ledger.codes("old")
    assert codes(store, LedgerFilter(village_id=villages["西岔村"])) == ledger.codes(
        "range_end", "yellow"
    )
    assert codes(store, LedgerFilter(village_id=villages["南湾村"])) == set()
    rows, _ = all_pages(store, LedgerFilter(village_id=villages["东沟村"]))
    assert rows[0].village_name == "东沟村"
    assert rows[0].names == "张三"


def test_filter_by_date_range_with_inclusive_end(ledger: Ledger) -> None:
    store = ledger.ctx.store
    oct1, oct3 = dt.date(2026, 10, 1), dt.date(2026, 10, 3)
    assert codes(store, LedgerFilter(registered_from=oct1, registered_to=oct3)) == ledger.codes(
        "old", "old_answered", "range_end"
    )
    assert codes(store, LedgerFilter(registered_from=oct3, registered_to=oct3)) == ledger.codes(
        "range_end"
    )
    assert codes(store, LedgerFilter(registered_from=dt.date(2026, 10, 4))) == ledger.codes(
        "after_range", "red", "yellow"
    )
    assert codes(store, LedgerFilter(registered_to=dt.date(2026, 9, 30))) == set()
    assert codes(store, LedgerFilter(registered_to=dt.date(2026, 11, 20))) == ledger.codes(
        *ledger.ids
    )


def test_filter_overdue(ledger: Ledger) -> None:
    store = ledger.ctx.store
    # the October cases are long past their 7 working days; answered cases have no deadline
    assert codes(store, LedgerFilter(overdue=True)) == ledger.codes(
        "old", "range_end", "after_range"
    )
    assert codes(store, LedgerFilter(overdue=True), now=dt.datetime(2026, 10, 2)) == set()
    far = dt.datetime(2027, 3, 1)
    assert codes(store, LedgerFilter(overdue=True), now=far) == ledger.codes(
        "old", "range_end", "after_range", "red", "yellow"
    )


def test_filter_due_today(ledger: Ledger) -> None:
    store = ledger.ctx.store
    red, yellow = case_of(store, ledger.ids["red"]), case_of(store, ledger.ids["yellow"])
    assert red.due_at is not None and yellow.due_at is not None
    assert red.due_at.date() < yellow.due_at.date()
    morning = dt.datetime.combine(red.due_at.date(), dt.time(8, 0))
    assert codes(store, LedgerFilter(due_today=True), now=morning) == ledger.codes("red")
    late = dt.datetime.combine(yellow.due_at.date(), dt.time(23, 0))
    assert codes(store, LedgerFilter(due_today=True), now=late) == ledger.codes("yellow")
    assert codes(store, LedgerFilter(due_today=True), now=NOW) == set()


def test_filter_by_supervision_level(ledger: Ledger) -> None:
    ctx = ledger.ctx
    perform(ctx, ledger.ids["yellow"], "supervise", {"level": "yellow", "opinion": "请限期办结"})
    assert codes(ctx.store, LedgerFilter(supervision_levels=("yellow",))) == ledger.codes("yellow")
    assert codes(ctx.store, LedgerFilter(supervision_levels=("red", "yellow"))) == (
        ledger.codes("yellow")
    )
    assert codes(ctx.store, LedgerFilter(supervision_levels=("reminder",))) == set()


def test_filter_by_text(ledger: Ledger) -> None:
    store = ledger.ctx.store
    assert codes(store, LedgerFilter(text="鱼塘")) == ledger.codes("red")
    assert codes(store, LedgerFilter(text="鱼塘承包")) == ledger.codes("red")
    assert codes(store, LedgerFilter(text="宅基地")) == ledger.codes(
        "old", "old_answered", "range_end", "after_range", "yellow"
    )
    assert codes(store, LedgerFilter(text="宅基地", colours=("yellow",))) == ledger.codes("yellow")
    assert codes(store, LedgerFilter(text="   ")) == ledger.codes(*ledger.ids)
    assert codes(store, LedgerFilter(text='"NEAR(*')) == set()


def test_a_search_page_runs_compiled_sql_not_an_orm_query(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The search box's pages are compiled once per shape like the other pages: an ORM
    ``Select`` built, cache-keyed and executed for each page cost 3-5 ms beside 1M cases' SQL."""
    from sqlalchemy.orm import Session

    store = ledger.ctx.store
    executed: list[object] = []
    real = Session.execute

    def spy(self: Session, statement: Any, *args: Any, **kw: Any) -> Any:
        executed.append(statement)
        return real(self, statement, *args, **kw)

    monkeypatch.setattr(Session, "execute", spy)
    # a rare term, a pinyin query, two terms, then a term and a filter; both sorts
    for text in ("承包地", "zj", "宅基地 纠纷", "宅基"):
        for sort in ("registered_at", "due_at"):
            with store.read() as session:
                page = ledger_page(session, LedgerFilter(text=text, colours=("red", "yellow")),
                                   sort=sort, now=NOW)  # fmt: skip
                assert page.next_cursor is None
    assert executed == []


def test_filters_combine(ledger: Ledger) -> None:
    store, villages = ledger.ctx.store, ledger.orgs.villages
    filt = LedgerFilter(states=("accepted",), category_code="02", overdue=True,
                        village_id=villages["西岔村"])  # fmt: skip
    assert codes(store, filt) == ledger.codes("range_end")


def test_get_ledger_page_uses_the_context_clock(ledger: Ledger) -> None:
    page = get_ledger_page(ledger.ctx, LedgerFilter(overdue=True))
    assert {r.code[-6:] for r in page.rows} == ledger.codes("old", "range_end", "after_range")


def test_unknown_sort_is_refused(ledger: Ledger) -> None:
    with ledger.ctx.store.read() as session, pytest.raises(ValueError):
        ledger_page(session, LedgerFilter(), sort="title")


# --- keyset paging ---------------------------------------------------------------------------

PAGED = 250


@pytest.fixture(scope="module")
def paged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """250 cases; registration times (and so deadlines) come in threes, every 10th answered."""
    store = open_store(tmp_path_factory.mktemp("ledger") / "paged.db")
    ctx = make_context(store)
    ctx.now = lambda: NOW
    township = set_up_township(ctx, "青山镇", "620123101000")
    base = dt.datetime(2026, 9, 1, 8, 0)
    with store.write() as session:
        village = add_org(session, kind="village", name="东沟村", parent_id=township.id).id
        for i in range(PAGED):
            ctx.now = _clock(base + dt.timedelta(hours=7 * (i // 3)))
            answered = i % 10 == 0
            form = WalkInInput(
                parties=(PartyInput(name="张三", phone="13812345678"),),
                summary=f"第{i}号纠纷", category_code="0202",
                disposition="answered" if answered else "accepted",
                answer="已答复" if answered else "", village_id=village if i % 2 else None,
            )  # fmt: skip
            register_in(session, ctx, form)
    yield store
    store.dispose()


def expected_order(store: Store, sort: str, descending: bool) -> list[str]:
    with store.read() as session:
        cases = [(c.id, getattr(c, sort)) for c in session.scalars(select(Case))]
    present = sorted(((v, i) for i, v in cases if v is not None), reverse=descending)
    missing = sorted((i for i, v in cases if v is None), reverse=descending)
    return [i for _v, i in present] + missing  # no value (no deadline): last either way


@pytest.mark.parametrize("limit", [100, 7])
@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("sort", ["registered_at", "due_at", "code"])
def test_every_case_once_in_order(paged: Store, sort: str, descending: bool, limit: int) -> None:
    rows, pages = all_pages(paged, LedgerFilter(), sort=sort, descending=descending, limit=limit)
    ids = [r.id for r in rows]
    assert len(ids) == PAGED
    assert len(set(ids)) == PAGED
    assert ids == expected_order(paged, sort, descending)
    assert pages >= -(-PAGED // limit)


def test_page_boundaries(paged: Store) -> None:
    with paged.read() as session:
        first = ledger_page(session, LedgerFilter(), limit=100, now=NOW)
        assert len(first.rows) == 100 and first.next_cursor is not None
        assert first.next_cursor == LedgerCursor(first.rows[-1].registered_at, first.rows[-1].id)
        second = ledger_page(session, LedgerFilter(), after=first.next_cursor, limit=100, now=NOW)
        third = ledger_page(session, LedgerFilter(), after=second.next_cursor, limit=100, now=NOW)
    assert len(second.rows) == 100 and second.next_cursor is not None
    assert len(third.rows) == 50 and third.next_cursor is None
    assert not {r.id for r in first.rows} & {r.id for r in second.rows}


def test_paging_with_a_filter(paged: Store) -> None:
    filt = LedgerFilter(states=("accepted",), overdue=True)
    rows, _ = all_pages(paged, filt, sort="due_at", descending=False, limit=30)
    with paged.read() as session:
        assert ledger_count(session, filt, NOW) == len(rows) == PAGED - PAGED // 10
    due = [r.due_at for r in rows]
    assert all(d is not None and d < NOW for d in due)
    assert due == sorted(due)  # type: ignore[type-var]


def test_rows_without_deadline_stay_in_the_due_sort(paged: Store) -> None:
    with paged.read() as session:
        total = ledger_count(session, LedgerFilter(), NOW)
    rows, _ = all_pages(paged, LedgerFilter(), sort="due_at", limit=100)
    assert len(rows) == total == PAGED
    assert [r.state for r in rows[-PAGED // 10 :]] == ["answered"] * (PAGED // 10)


def _village_of(store: Store) -> str:
    with store.read() as session:
        village = session.scalars(select(Case.village_id).where(Case.village_id.is_not(None)))
        return str(village.first())


def test_the_ledger_total_stops_at_its_cap(paged: Store) -> None:
    """The ledger counts a filter's cases up to a cap and then says "more" (共 10000+ 条): an exact
    count of a common filter on 1M cases took seconds. Under the cap the total is exact."""
    filters = {
        PAGED: LedgerFilter(),
        PAGED - PAGED // 10: LedgerFilter(states=("accepted",), overdue=True),
        PAGED // 2: LedgerFilter(text="纠纷", village_id=_village_of(paged)),  # odd cases
        1: LedgerFilter(text="第17号纠纷"),
    }
    with paged.read() as session:
        for exact, filt in filters.items():
            assert ledger_count(session, filt, NOW) == exact
            assert ledger_total(session, filt, NOW) == LedgerTotal(exact, more=False)
            for cap in (exact, exact + 1):
                assert ledger_total(session, filt, NOW, cap=cap) == LedgerTotal(exact, False)
            for cap in (0, exact - 1):
                assert ledger_total(session, filt, NOW, cap=cap) == LedgerTotal(cap, True)


# --- the overdue scan ------------------------------------------------------------------------


def level(store: Store, case_id: str) -> str:
    return case_of(store, case_id).supervision_level


def scan(store: Store, at: dt.datetime) -> dict[str, int]:
    with store.write() as session:
        return scan_overdue(session, at)


def test_scan_raises_step_by_step(ctx: ServiceContext, walk_in: Form) -> None:
    case_id = register_walk_in(ctx, walk_in()).case_id
    store = ctx.store
    case = case_of(store, case_id)
    assert case.remind_at and case.yellow_at and case.due_at
    assert NOW < case.remind_at < case.yellow_at < case.due_at
    assert level(store, case_id) == "none"

    assert scan(store, case.remind_at - dt.timedelta(seconds=1)) == {
        "red": 0, "yellow": 0, "reminder": 0
    }  # fmt: skip
    assert level(store, case_id) == "none"
    assert scan(store, case.remind_at)["reminder"] == 1
    assert level(store, case_id) == "reminder"
    assert scan(store, case.yellow_at)["yellow"] == 1
    assert level(store, case_id) == "yellow"
    assert scan(store, case.remind_at) == {"red": 0, "yellow": 0, "reminder": 0}
    assert level(store, case_id) == "yellow"  # an earlier scan never lowers it
    assert scan(store, case.due_at)["red"] == 0  # due at the end of the day, not yet late
    assert scan(store, case.due_at + dt.timedelta(seconds=1))["red"] == 1
    assert level(store, case_id) == "red"
    assert scan(store, NOW) == {"red": 0, "yellow": 0, "reminder": 0}
    assert level(store, case_id) == "red"


def test_scan_jumps_straight_to_red(ctx: ServiceContext, walk_in: Form) -> None:
    case_id = register_walk_in(ctx, walk_in()).case_id
    counts = scan(ctx.store, dt.datetime(2027, 6, 1))
    assert counts == {"red": 1, "yellow": 0, "reminder": 0}
    assert level(ctx.store, case_id) == "red"


def test_scan_never_lowers_a_manual_level(ctx: ServiceContext, walk_in: Form) -> None:
    red = register_walk_in(ctx, walk_in()).case_id
    perform(ctx, red, "supervise", {"level": "red", "opinion": "县级挂牌督办"})
    yellow = register_walk_in(ctx, walk_in()).case_id
    perform(ctx, yellow, "supervise", {"level": "yellow", "opinion": "请加快"})
    assert (level(ctx.store, red), level(ctx.store, yellow)) == ("red", "yellow")
    remind_at = case_of(ctx.store, yellow).remind_at
    assert remind_at is not None
    scan(ctx.store, NOW)
    scan(ctx.store, remind_at)
    assert (level(ctx.store, red), level(ctx.store, yellow)) == ("red", "yellow")


def test_scan_skips_finished_and_paused_cases(ctx: ServiceContext, walk_in: Form) -> None:
    answered = register_walk_in(ctx, walk_in(disposition="answered", answer="已答复")).case_id
    rejected = register_walk_in(ctx, walk_in(disposition="referred_arbitration")).case_id
    paused = register_walk_in(ctx, walk_in()).case_id
    perform(ctx, paused, "pause_clock", {"reason": "等待司法鉴定"})
    running = register_walk_in(ctx, walk_in()).case_id
    counts = scan(ctx.store, dt.datetime(2027, 6, 1))
    assert counts["red"] == 1
    assert level(ctx.store, running) == "red"
    for case_id in (answered, rejected, paused):
        assert level(ctx.store, case_id) == "none"


def test_paused_clock_is_neither_overdue_nor_due_today(ctx: ServiceContext, walk_in: Form) -> None:
    """The ledger agrees with the overdue scan: a stopped clock (计时暂停) is not late."""
    paused = register_walk_in(ctx, walk_in()).case_id
    running = register_walk_in(ctx, walk_in()).case_id
    perform(ctx, paused, "pause_clock", {"reason": "等待司法鉴定"})
    due = case_of(ctx.store, running).due_at
    assert due is not None and case_of(ctx.store, paused).clock_paused
    late = due + dt.timedelta(days=30)
    assert codes(ctx.store, LedgerFilter(overdue=True), now=late) == {
        case_of(ctx.store, running).code[-6:]
    }
    on_the_day = dt.datetime.combine(due.date(), dt.time(9, 0))
    assert codes(ctx.store, LedgerFilter(due_today=True), now=on_the_day) == {
        case_of(ctx.store, running).code[-6:]
    }
    assert scan(ctx.store, late)["red"] == 1
    assert level(ctx.store, paused) == "none"
