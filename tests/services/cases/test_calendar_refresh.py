"""One refresh after any calendar change (issue 12 #8): import, another source, and the receipt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from services.cases.detail import case_detail, get_case
from services.cases.ledger import run_overdue_scan
from services.cases.schedule import import_schedule, refresh_after_calendar_change
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.errors import ValidationError
from services.reception.registration import register_walk_in
from services.setup.township import make_context, open_store, set_up_township
from services.slips.facts import case_facts
from services.store.models import CalendarDay, Case

ACCEPTED = dt.datetime(2026, 12, 28, 10, 0)  # Monday; 15 working days run into 2027
PROVISIONAL_DUE = dt.datetime(2027, 1, 18, 23, 59, 59)  # 2027 counted Monday to Friday
REAL_DUE = dt.datetime(2027, 1, 19, 23, 59, 59)  # 1/1 is 元旦
SCHEDULE_2027 = "日期,类型,名称\n2027-01-01,休,元旦\n2027-01-02,休,元旦\n2027-01-03,休,元旦\n"


@pytest.fixture
def ctx(tmp_path: Any) -> Iterator[ServiceContext]:
    store = open_store(tmp_path / "zongzhi.db")
    try:
        c = make_context(store)
        set_up_township(c, "青山镇", "620123101000")
        now = [ACCEPTED]
        c.now = lambda: now[0]
        c.clock_now = now  # type: ignore[attr-defined]
        yield c
    finally:
        store.dispose()


def _at(ctx: ServiceContext, when: dt.datetime) -> None:
    ctx.clock_now[0] = when  # type: ignore[attr-defined]


def _register(ctx: ServiceContext) -> str:
    form = WalkInInput(
        parties=(PartyInput(name="张三", id_number="11010519491231002X", phone="13812345678"),),
        summary="张三与邻居因宅基地边界发生纠纷，要求调解", category_code="0202",
        disposition="accepted", handling_level="county",
    )  # fmt: skip
    return register_walk_in(ctx, form).case_id


def _row(ctx: ServiceContext, case_id: str) -> tuple[dt.datetime | None, bool, str]:
    with ctx.store.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case.due_at, case.due_provisional, case.supervision_level


def test_a_calendar_written_by_another_source_reaches_the_ledger_at_the_next_scan(
    ctx: ServiceContext,
) -> None:
    """A county calendar (or a newer holiday package) changes the days outside the settings
    import: the next scan (and start-up) refreshes the stored deadlines before scanning, so the
    real due day is neither overdue nor red."""
    case_id = _register(ctx)
    assert _row(ctx, case_id)[:2] == (PROVISIONAL_DUE, True)
    run_overdue_scan(ctx)  # records the calendar this database's deadlines were computed with
    with ctx.store.write() as session:
        for day in (1, 2, 3):
            session.add(CalendarDay(day=dt.date(2027, 1, day), is_workday=False, name="元旦",
                                    source="official"))  # fmt: skip
    _at(ctx, dt.datetime(2027, 1, 19, 9, 0))  # the real due day
    counts = run_overdue_scan(ctx)
    assert counts.get("refreshed") == 1
    assert _row(ctx, case_id) == (REAL_DUE, False, "yellow")  # not "red": it is not overdue
    assert run_overdue_scan(ctx).get("refreshed") is None  # nothing changed since


def test_settings_import_refreshes_the_ledger_and_marks_only_the_years_it_holds(
    ctx: ServiceContext,
) -> None:
    case_id = _register(ctx)
    with pytest.raises(ValidationError, match="2028"):
        import_schedule(ctx, SCHEDULE_2027, complete_years=(2028,))
    assert import_schedule(ctx, SCHEDULE_2027, complete_years=(2027,)) == 3
    assert _row(ctx, case_id)[:2] == (REAL_DUE, False)
    assert get_case(ctx, case_id).notices == ()
    with ctx.store.read() as session:
        sources = {d.day.year: d.source for d in session.query(CalendarDay)}
    assert sources == {2027: "official"}


def test_only_cases_a_changed_day_can_move_are_recomputed(ctx: ServiceContext) -> None:
    _at(ctx, dt.datetime(2026, 11, 2, 10, 0))  # due 11/20 on the official calendar
    case_id = _register(ctx)
    assert _row(ctx, case_id)[1] is False
    assert refresh_after_calendar_change(ctx, days={dt.date(2026, 3, 2)}) == 0
    assert refresh_after_calendar_change(ctx, days={dt.date(2026, 12, 1)}) == 0
    assert refresh_after_calendar_change(ctx, days={dt.date(2026, 11, 6)}) == 1
    assert refresh_after_calendar_change(ctx) == 1  # a rule changed: every open case


def test_a_receipt_printed_while_the_deadline_is_provisional_says_provisional(
    ctx: ServiceContext,
) -> None:
    case_id = _register(ctx)
    with ctx.store.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case_facts(session, ctx, case)["case.due_date"] == "2027年1月18日（暂定）"
    import_schedule(ctx, SCHEDULE_2027, complete_years=(2027,))
    with ctx.store.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case_facts(session, ctx, case)["case.due_date"] == "2027年1月19日"


def test_registration_says_the_deadline_is_provisional(ctx: ServiceContext) -> None:
    """The notice is read from the case just written (Core insert, services.store.coreinsert)."""
    form = WalkInInput(
        parties=(PartyInput(name="张三", id_number="11010519491231002X", phone="13812345678"),),
        summary="张三与邻居因宅基地边界发生纠纷，要求调解", category_code="0202",
        disposition="accepted", handling_level="county",
    )  # fmt: skip
    result = register_walk_in(ctx, form)
    with ctx.store.read() as session:
        notices = case_detail(session, ctx, result.case_id).notices
    assert notices == ("2027 年节假日安排尚未导入，期限按周一至周五临时计算，导入后将自动更正",)
    assert result.notices == notices
