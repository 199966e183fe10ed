"""Tests for deadline rules, case clocks and supervision levels (services.domain.deadlines).

The end-to-end tests run the real write path (register_walk_in / perform) against a temporary
SQLite file with a fixed, movable clock. Expected dates are worked out by hand from the State
Council 2026 holiday schedule (国办发明电〔2025〕7号):

* 春节 2/15 (Sun) – 2/23 (Mon) off; Saturdays 2/14 and 2/28 are working days.
* 中秋 9/25 – 9/27 off; 国庆 10/1 – 10/7 off; Sunday 9/20 and Saturday 10/10 are working days.

A deadline of n working days is 23:59:59 of the n-th working day strictly after the start date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect

from services.cases.actions import perform
from services.cases.detail import get_case
from services.cases.events import replay_case
from services.cases.ledger import scan_overdue
from services.domain.deadlines import (
    MILESTONE_MEDIATION,
    MILESTONE_RESOLVE,
    MILESTONE_SIGN,
    CaseClocks,
    RuleSpec,
    case_clocks,
    ledger_marks,
    pick_rule,
    supervision_level,
)
from services.domain.dto import PartyInput, WalkInInput
from services.domain.errors import TransitionError, ValidationError
from services.domain.workcalendar import WorkCalendar
from services.domain.workflow import Action, CaseProjection, Event, apply
from services.reception.registration import register_walk_in
from services.reference.data import default_reference
from services.setup.township import add_org, make_context, open_store, set_up_township
from services.store.engine import Store
from services.store.models import CalendarDay, Case

DEFAULT_RULES = default_reference().deadline_rules
CALENDAR = WorkCalendar()  # shared so its per-day cache stays warm


def eod(y: int, m: int, d: int) -> dt.datetime:
    return dt.datetime(y, m, d, 23, 59, 59)


# --------------------------------------------------------------------------- pick_rule


def rule(
    category: str | None = None, colour: str | None = None, amount: int = 7,
    level: str = "township", milestone: str = MILESTONE_RESOLVE,
) -> RuleSpec:  # fmt: skip
    return RuleSpec(level, category, colour, milestone, amount, "working_days")


ANY = rule(amount=7)
CLASS = rule("02", amount=5)
SUB = rule("0202", amount=4)
RED = rule(colour="red", amount=3)
CLASS_RED = rule("02", "red", amount=2)
VILLAGE = rule(level="village", amount=3)
SIGN = RuleSpec("township", None, None, MILESTONE_SIGN, 24, "hours")
RULES = (ANY, CLASS, SUB, RED, CLASS_RED, VILLAGE, SIGN)


@pytest.mark.parametrize(
    ("category", "colour", "expected"),
    [
        ("0202", "green", SUB),  # sub-class beats class and any
        ("0203", "green", CLASS),  # class beats any
        ("0301", "green", ANY),
        ("0301", "red", RED),  # a colour match beats any
        ("0203", "red", CLASS_RED),  # class + colour beats class alone
        ("0202", "red", SUB),  # a sub-class outweighs class + colour
        ("02", "yellow", CLASS),
    ],
)
def test_pick_rule_most_specific_wins(category: str, colour: str, expected: RuleSpec) -> None:
    assert pick_rule(RULES, "township", category, colour, MILESTONE_RESOLVE) == expected


def test_pick_rule_filters_level_milestone_and_colour() -> None:
    assert pick_rule(RULES, "village", "0202", "red", MILESTONE_RESOLVE) == VILLAGE
    assert pick_rule(RULES, "township", "0202", "red", MILESTONE_SIGN) == SIGN
    assert pick_rule(RULES, "county", "0202", "green", MILESTONE_RESOLVE) is None
    assert pick_rule(RULES, "township", "0202", "green", MILESTONE_MEDIATION) is None
    assert pick_rule((), "township", "0202", "green", MILESTONE_RESOLVE) is None
    only_yellow = (rule(colour="yellow"), rule("03"))
    assert pick_rule(only_yellow, "township", "0202", "red", MILESTONE_RESOLVE) is None
    assert pick_rule(only_yellow, "township", "0202", "yellow", MILESTONE_RESOLVE) == only_yellow[0]


@settings(max_examples=100, deadline=None)
@given(
    st.permutations(RULES),
    st.sampled_from(["0202", "0203", "0301", "02", "99"]),
    st.sampled_from(["green", "yellow", "orange", "red"]),
    st.sampled_from(["village", "township", "county"]),
)
def test_pick_rule_does_not_depend_on_rule_order(
    rules: list[RuleSpec], category: str, colour: str, level: str
) -> None:
    expected = pick_rule(RULES, level, category, colour, MILESTONE_RESOLVE)
    assert pick_rule(rules, level, category, colour, MILESTONE_RESOLVE) == expected


@pytest.mark.parametrize(
    ("level", "colour", "milestone", "amount", "unit"),
    [
        ("township", "green", MILESTONE_RESOLVE, 7, "working_days"),
        ("village", "green", MILESTONE_RESOLVE, 3, "working_days"),
        ("county", "green", MILESTONE_RESOLVE, 15, "working_days"),
        ("township", "red", MILESTONE_RESOLVE, 3, "working_days"),
        ("township", "yellow", MILESTONE_RESOLVE, 7, "working_days"),
        ("village", "red", MILESTONE_RESOLVE, 3, "working_days"),
        ("county", "red", MILESTONE_RESOLVE, 15, "working_days"),
        ("village", "green", MILESTONE_MEDIATION, 30, "natural_days"),
        ("township", "red", MILESTONE_MEDIATION, 30, "natural_days"),
        ("county", "green", MILESTONE_MEDIATION, 30, "natural_days"),
        ("township", "green", MILESTONE_SIGN, 24, "hours"),
    ],
)
def test_shipped_default_rules(
    level: str, colour: str, milestone: str, amount: int, unit: str
) -> None:
    picked = pick_rule(DEFAULT_RULES, level, "0202", colour, milestone)
    assert picked is not None
    assert (picked.amount, picked.unit) == (amount, unit)


# --------------------------------------------------------------------------- pure clocks


def build(
    steps: Sequence[tuple[Action, Mapping[str, Any], dt.datetime]],
    level: str = "township",
    colour: str = "green",
) -> CaseProjection:
    """A projection from (action, payload, time) steps after a registration at the first time."""
    payload: dict[str, Any] = {"category_code": "0202", "handling_level": level,
                               "risk_colour": colour, "risk_basis": "依据"}  # fmt: skip
    first = steps[0][2]
    proj = apply(None, Event(Action.REGISTER, first, f"{0:013d}", None, payload, "e0"))
    for i, (action, data, at) in enumerate(steps, start=1):
        proj = apply(proj, Event(action, at, f"{i:013d}", None, dict(data), f"e{i}"))
    return proj


def clocks_at(proj: CaseProjection, now: dt.datetime) -> CaseClocks:
    return case_clocks(proj, DEFAULT_RULES, CALENDAR, now)


MON = dt.datetime(2026, 11, 2, 10, 0)  # no holidays in November 2026
ACCEPTED_MON: list[tuple[Action, Mapping[str, Any], dt.datetime]] = [(Action.ACCEPT, {}, MON)]


def test_township_clock_points() -> None:
    clocks = clocks_at(build(ACCEPTED_MON), MON)
    assert clocks.resolve is not None
    # 7 working days: 11/3..11/6, 11/9..11/11; reminder floor(4.9)=4, yellow floor(6.3)=6
    assert clocks.resolve.due_at == eod(2026, 11, 11)
    assert clocks.resolve.remind_at == eod(2026, 11, 6)
    assert clocks.resolve.yellow_at == eod(2026, 11, 10)
    assert not clocks.resolve.provisional
    assert clocks.sign is None and clocks.mediation is None
    assert clocks.notice == ""


@pytest.mark.parametrize(
    ("now", "level"),
    [
        (MON, "none"),
        (dt.datetime(2026, 11, 6, 12, 0), "none"),
        (eod(2026, 11, 6), "reminder"),  # 70 % used
        (dt.datetime(2026, 11, 9, 8, 0), "reminder"),
        (eod(2026, 11, 10), "yellow"),  # 90 % used
        (dt.datetime(2026, 11, 11, 18, 0), "yellow"),
        (eod(2026, 11, 11), "yellow"),  # the due instant itself is not overdue
        (dt.datetime(2026, 11, 12, 0, 0), "red"),
        (dt.datetime(2027, 3, 1), "red"),
    ],
)
def test_supervision_level_over_time(now: dt.datetime, level: str) -> None:
    proj = build(ACCEPTED_MON)
    assert supervision_level(proj, clocks_at(proj, now), now) == level


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 40 * 24 * 60), min_size=2, max_size=8))
def test_supervision_level_never_drops_as_time_passes(minutes: list[int]) -> None:
    proj = build(ACCEPTED_MON)
    order = ("none", "reminder", "yellow", "red")
    levels = []
    for m in sorted(minutes):
        now = MON + dt.timedelta(minutes=m)
        levels.append(order.index(supervision_level(proj, clocks_at(proj, now), now)))
    assert levels == sorted(levels)


def test_closed_case_has_only_its_revisit_clock_and_no_supervision() -> None:
    late = dt.datetime(2026, 12, 1)
    proj = build([(Action.ACCEPT, {}, MON), (Action.MEDIATE, {"mediator": "李"}, MON),
                  (Action.MEDIATION_RESULT, {"result": "not_reached"}, MON),
                  (Action.CLOSE, {"closure_type": "terminated_mediation"}, MON)])  # fmt: skip
    clocks = clocks_at(proj, late)
    assert [name for name, _ in clocks.running()] == ["revisit"]  # 回访 15 days from 办结
    assert clocks.resolve is None and clocks.sign is None
    assert supervision_level(proj, clocks, late) == "none"


ASSIGN = {"unit_id": "u-1", "unit_name": "青山司法所"}
SIGNED = [
    (Action.ACCEPT, {}, MON),
    (Action.ASSIGN, ASSIGN, MON),
    (Action.SIGN, {"signer": "王五"}, MON),
]


def test_rework_twice_or_dissatisfied_is_at_least_yellow() -> None:
    t = MON + dt.timedelta(hours=1)
    once = build([*SIGNED, (Action.FEEDBACK, {"result": "x"}, t),
                  (Action.SEND_BACK, {"opinion": "重办"}, t)])  # fmt: skip
    assert once.rework_count == 1
    assert supervision_level(once, clocks_at(once, t), t) == "none"
    twice = build([*SIGNED, (Action.FEEDBACK, {"result": "x"}, t),
                   (Action.SEND_BACK, {"opinion": "重办"}, t),
                   (Action.FEEDBACK, {"result": "x"}, t),
                   (Action.SEND_BACK, {"opinion": "重办"}, t)])  # fmt: skip
    assert twice.rework_count == 2
    assert supervision_level(twice, clocks_at(twice, t), t) == "yellow"
    overdue = dt.datetime(2026, 11, 20)
    assert supervision_level(twice, clocks_at(twice, overdue), overdue) == "red"
    unhappy = build([*SIGNED, (Action.FEEDBACK, {"result": "x"}, t), (Action.APPROVE, {}, t),
                     (Action.EVALUATE, {"evaluation": "dissatisfied"}, t)])  # fmt: skip
    assert unhappy.dissatisfied
    assert supervision_level(unhappy, clocks_at(unhappy, t), t) == "yellow"


@pytest.mark.parametrize(
    ("manual", "now", "level"),
    [
        ("reminder", MON, "reminder"),
        ("red", MON, "red"),
        ("yellow", eod(2026, 11, 6), "yellow"),  # floor above the clock's reminder
        ("reminder", eod(2026, 11, 10), "yellow"),  # the clock's level above the floor
    ],
)
def test_manual_supervision_is_a_floor(manual: str, now: dt.datetime, level: str) -> None:
    proj = build([*ACCEPTED_MON, (Action.SUPERVISE, {"level": manual, "opinion": "督办"}, MON)])
    assert supervision_level(proj, clocks_at(proj, now), now) == level


def test_sign_clock_overdue_raises_to_yellow() -> None:
    proj = build([(Action.ACCEPT, {}, MON), (Action.ASSIGN, ASSIGN, MON)])
    clocks = clocks_at(proj, MON)
    assert clocks.sign is not None
    assert clocks.sign.due_at == MON + dt.timedelta(hours=24)
    later = MON + dt.timedelta(hours=25)
    assert supervision_level(proj, clocks_at(proj, later), later) == "yellow"
    signed = build(SIGNED)
    assert clocks_at(signed, later).sign is None


def test_mediation_clock_is_thirty_natural_days() -> None:
    proj = build([(Action.ACCEPT, {}, MON), (Action.MEDIATE, {"mediator": "李"}, MON)])
    clocks = clocks_at(proj, MON)
    assert clocks.mediation is not None
    assert clocks.mediation.due_at == eod(2026, 12, 2)


def test_paused_clock_is_not_supervised_by_time() -> None:
    pause = dt.datetime(2026, 11, 3, 10, 0)
    proj = build([*ACCEPTED_MON, (Action.PAUSE_CLOCK, {"reason": "鉴定"}, pause)])
    late = dt.datetime(2026, 12, 1)
    clocks = clocks_at(proj, late)
    assert clocks.resolve is not None and clocks.resolve.paused
    assert supervision_level(proj, clocks, late) == "none"


def test_pause_before_escalation_does_not_lengthen_the_county_clock() -> None:
    proj = build([
        *SIGNED,
        (Action.PAUSE_CLOCK, {"reason": "鉴定"}, dt.datetime(2026, 11, 3, 10, 0)),
        (Action.RESUME_CLOCK, {}, dt.datetime(2026, 11, 5, 10, 0)),
        (Action.ESCALATE, {"reason": "超出能力"}, dt.datetime(2026, 11, 5, 15, 0)),
    ])  # fmt: skip
    clocks = clocks_at(proj, dt.datetime(2026, 11, 5, 15, 0))
    assert clocks.resolve is not None
    # 15 working days after Thu 11/5: 11/6, 11/9-13, 11/16-20, 11/23-26
    assert clocks.resolve.due_at == eod(2026, 11, 26)


def test_reopened_case_gets_a_fresh_clock() -> None:
    t = dt.datetime(2026, 11, 3, 10, 0)
    steps: list[tuple[Action, Mapping[str, Any], dt.datetime]] = [
        *SIGNED,
        (Action.PAUSE_CLOCK, {"reason": "鉴定"}, t),
        (Action.RESUME_CLOCK, {}, t + dt.timedelta(days=2)),
        (Action.REQUEST_EXTENSION, {"days": 5, "reason": "勘查"}, t + dt.timedelta(days=2)),
        (Action.DECIDE_EXTENSION, {"approved": True}, t + dt.timedelta(days=2)),
        (Action.FEEDBACK, {"result": "x"}, t + dt.timedelta(days=3)),
        (Action.APPROVE, {}, t + dt.timedelta(days=3)),
        (Action.EVALUATE, {"evaluation": "satisfied"}, t + dt.timedelta(days=3)),
        (Action.CLOSE, {"closure_type": "normal"}, t + dt.timedelta(days=3)),
        (Action.ARCHIVE, {}, t + dt.timedelta(days=3)),
    ]  # fmt: skip
    assert build(steps).extension_days == 5
    revisit = dt.datetime(2026, 11, 23, 9, 0)
    reopened = build([*steps, (Action.REVISIT, {"outcome": "recurred"}, revisit)])
    assert reopened.state.value == "accepted"
    clocks = clocks_at(reopened, revisit)
    assert clocks.resolve is not None
    assert clocks.resolve.due_at == eod(2026, 12, 2)  # 7 working days after Mon 11/23


def test_clock_skew_between_pause_and_resume_does_not_break_the_clocks() -> None:
    # the resume was written on a PC whose clock is an hour behind the one that paused
    proj = build([
        *ACCEPTED_MON,
        (Action.PAUSE_CLOCK, {"reason": "鉴定"}, dt.datetime(2026, 11, 4, 10, 0)),
        (Action.RESUME_CLOCK, {}, dt.datetime(2026, 11, 4, 9, 0)),
    ])  # fmt: skip
    clocks = clocks_at(proj, dt.datetime(2026, 11, 4, 12, 0))
    assert clocks.resolve is not None
    assert clocks.resolve.due_at == eod(2026, 11, 11)


# --------------------------------------------------------------------------- through the services


@dataclass
class Env:
    store: Store
    ctx: Any
    unit_id: str
    now: dt.datetime = MON
    last_notices: tuple[str, ...] = ()

    def at(self, when: dt.datetime) -> Env:
        self.now = when
        return self

    def register(
        self, when: dt.datetime, *, level: str = "township", colour: str = "green",
        basis: str = "",
    ) -> str:  # fmt: skip
        self.now = when
        form = WalkInInput(
            parties=(
                PartyInput(name="张三", id_number="11010519491231002X", phone="13812345678"),
            ),  # fmt: skip
            summary="张三与邻居因宅基地边界发生纠纷，要求调解",
            category_code="0202",
            disposition="accepted",
            handling_level=level,
            risk_colour=colour,
            risk_basis=basis,
        )
        result = register_walk_in(self.ctx, form)
        self.last_notices = result.notices
        return result.case_id

    def act(self, case_id: str, action: str, payload: Mapping[str, Any], when: dt.datetime) -> None:
        self.now = when
        perform(self.ctx, case_id, action, payload)

    def case(self, case_id: str) -> SimpleNamespace:
        """The stored case row's columns (a snapshot: the read session expires its objects)."""
        with self.store.read() as session:
            row = session.get(Case, case_id)
            assert row is not None
            return SimpleNamespace(
                **{attr.key: getattr(row, attr.key) for attr in inspect(Case).column_attrs}
            )

    def resolve_due(self, case_id: str) -> dt.datetime:
        clock = {c.milestone: c for c in get_case(self.ctx, case_id).clocks}["resolve"]
        return clock.due_at


@pytest.fixture
def env(tmp_path: Any) -> Iterator[Env]:
    store = open_store(tmp_path / "zongzhi.db")
    try:
        ctx = make_context(store)
        set_up_township(ctx, "青山镇", "620123101000")
        with store.write() as session:
            unit = add_org(session, kind="unit", name="青山司法所", parent_id=ctx.township_id,
                           unit_type="司法所")  # fmt: skip
            unit_id = unit.id
        e = Env(store, ctx, unit_id)
        ctx.now = lambda: e.now
        yield e
    finally:
        store.dispose()


def test_seeded_rules_are_the_shipped_defaults(env: Env) -> None:
    with env.store.read() as session:
        assert set(env.ctx.rules(session)) == set(DEFAULT_RULES)


@pytest.mark.parametrize(
    ("accepted", "level", "due"),
    [
        # Fri 9/18 + 7: Sun 9/20 (调休), 9/21-24, [9/25-27 中秋], 9/28, 9/29
        (dt.datetime(2026, 9, 18, 10, 0), "township", dt.date(2026, 9, 29)),
        # ... + 8 more: 9/30, [10/1-7 国庆], 10/8, 10/9, Sat 10/10 (调休), 10/12-15
        (dt.datetime(2026, 9, 18, 10, 0), "county", dt.date(2026, 10, 15)),
        # Thu 2/12 + 7: 2/13, Sat 2/14 (调休), [2/15-23 春节], 2/24-27, Sat 2/28 (调休)
        (dt.datetime(2026, 2, 12, 10, 0), "township", dt.date(2026, 2, 28)),
        # Fri 2/13 + 3: Sat 2/14 (调休), [2/15-23 春节], 2/24, 2/25
        (dt.datetime(2026, 2, 13, 16, 0), "village", dt.date(2026, 2, 25)),
    ],
)
def test_resolve_deadline_across_2026_holidays(
    env: Env, accepted: dt.datetime, level: str, due: dt.date
) -> None:
    case_id = env.register(accepted, level=level)
    expected = dt.datetime.combine(due, dt.time(23, 59, 59))
    row = env.case(case_id)
    assert row.state == "accepted"
    assert row.due_at == expected
    assert row.due_provisional is False
    assert env.resolve_due(case_id) == expected
    assert get_case(env.ctx, case_id).notices == ()


def test_deadline_into_2027_is_provisional_until_the_schedule_is_imported(env: Env) -> None:
    accepted = dt.datetime(2026, 12, 28, 10, 0)  # Monday
    case_id = env.register(accepted, level="county")
    row = env.case(case_id)
    # 15 working days, 2027 counted Monday to Friday: 12/29-31, 1/1, 1/4-8, 1/11-15, 1/18
    assert row.due_at == eod(2027, 1, 18)
    assert row.due_provisional is True
    detail = get_case(env.ctx, case_id)
    assert any("2027" in n and "临时" in n for n in detail.notices)
    assert any("2027" in n for n in env.last_notices)
    resolve = {c.milestone: c for c in detail.clocks}["resolve"]
    assert resolve.provisional

    with env.store.write() as session:
        session.add(CalendarDay(day=dt.date(2027, 1, 1), is_workday=False, name="元旦",
                                source="official"))  # fmt: skip
        for d in (2, 3):
            session.add(CalendarDay(day=dt.date(2027, 1, d), is_workday=False, name="元旦",
                                    source="official"))  # fmt: skip
    env.ctx.invalidate()

    fresh = env.register(accepted, level="county")
    row = env.case(fresh)
    # 1/1 is now a holiday: 12/29-31, 1/4-8, 1/11-15, 1/18, 1/19
    assert row.due_at == eod(2027, 1, 19)
    assert row.due_provisional is False
    assert get_case(env.ctx, fresh).notices == ()
    # the first case is recomputed from its events too
    assert env.resolve_due(case_id) == eod(2027, 1, 19)
    assert get_case(env.ctx, case_id).notices == ()


def test_supervision_level_moves_with_the_clock_in_the_case_file(env: Env) -> None:
    case_id = env.register(MON)
    seen = []
    for now in (MON, eod(2026, 11, 6), eod(2026, 11, 10), dt.datetime(2026, 11, 12, 8, 0)):
        env.at(now)
        seen.append(get_case(env.ctx, case_id).supervision_level)
    assert seen == ["none", "reminder", "yellow", "red"]


def test_scan_overdue_raises_the_stored_level(env: Env) -> None:
    running = env.register(MON)
    paused = env.register(MON)
    env.act(paused, "pause_clock", {"reason": "等待司法鉴定"}, dt.datetime(2026, 11, 3, 9, 0))
    closed = env.register(MON)
    env.act(closed, "mediate", {"mediator": "李调解"}, MON)
    env.act(closed, "mediation_result", {"result": "not_reached"}, MON)
    env.act(closed, "close", {"closure_type": "terminated_mediation"}, MON)
    assert env.case(paused).clock_paused is True

    def scan(now: dt.datetime) -> dict[str, str]:
        with env.store.write() as session:
            scan_overdue(session, now)
        return {
            k: env.case(v).supervision_level
            for k, v in (("running", running), ("paused", paused), ("closed", closed))
        }

    assert scan(dt.datetime(2026, 11, 6, 12, 0))["running"] == "none"
    assert scan(eod(2026, 11, 6))["running"] == "reminder"
    assert scan(dt.datetime(2026, 11, 11, 8, 0))["running"] == "yellow"
    assert scan(dt.datetime(2026, 11, 12, 0, 0)) == {
        "running": "red", "paused": "none", "closed": "none",
    }  # fmt: skip
    # the scan only ever raises
    assert scan(MON)["running"] == "red"


def test_scan_overdue_counts_what_it_raised(env: Env) -> None:
    env.register(MON)
    env.register(MON)
    with env.store.write() as session:
        counts = scan_overdue(session, dt.datetime(2026, 11, 12, 0, 0))
    assert counts["red"] == 2
    with env.store.write() as session:
        assert scan_overdue(session, dt.datetime(2026, 11, 13))["red"] == 0


def _assign_and_sign(env: Env, case_id: str, when: dt.datetime, **extra: Any) -> None:
    env.act(case_id, "assign", {"unit_id": env.unit_id, **extra}, when)
    env.act(case_id, "sign", {"signer": "王五"}, when)


def test_rework_and_dissatisfaction_raise_the_stored_level(env: Env) -> None:
    t = MON + dt.timedelta(hours=2)
    case_id = env.register(MON)
    _assign_and_sign(env, case_id, t)
    env.act(case_id, "feedback", {"result": "已办"}, t)
    env.act(case_id, "send_back", {"opinion": "材料不全"}, t)
    assert env.case(case_id).supervision_level == "none"
    env.act(case_id, "feedback", {"result": "已补充"}, t)
    env.act(case_id, "send_back", {"opinion": "仍不全"}, t)
    row = env.case(case_id)
    assert (row.rework_count, row.supervision_level) == (2, "yellow")
    assert get_case(env.ctx, case_id).supervision_level == "yellow"

    other = env.register(MON)
    _assign_and_sign(env, other, t)
    env.act(other, "feedback", {"result": "已办"}, t)
    env.act(other, "approve", {}, t)
    env.act(other, "evaluate", {"evaluation": "dissatisfied"}, t)
    row = env.case(other)
    assert (row.state, row.supervision_level) == ("handling", "yellow")


def test_manual_supervision_is_stored_as_a_floor(env: Env) -> None:
    case_id = env.register(MON)
    env.act(case_id, "supervise", {"level": "reminder", "opinion": "请关注"}, MON)
    assert env.case(case_id).supervision_level == "reminder"
    env.at(eod(2026, 11, 10))
    assert get_case(env.ctx, case_id).supervision_level == "yellow"
    env.act(case_id, "supervise", {"level": "red", "opinion": "限期办结"}, MON)
    assert env.case(case_id).supervision_level == "red"


def test_pause_moves_the_due_date_by_the_paused_working_days(env: Env) -> None:
    case_id = env.register(MON)
    assert env.case(case_id).due_at == eod(2026, 11, 11)
    env.act(case_id, "pause_clock", {"reason": "等待司法鉴定"}, dt.datetime(2026, 11, 3, 10, 0))
    row = env.case(case_id)
    assert row.clock_paused is True
    env.at(dt.datetime(2026, 11, 4, 10, 0))
    detail = get_case(env.ctx, case_id)
    resolve = {c.milestone: c for c in detail.clocks}["resolve"]
    assert resolve.paused
    assert resolve.due_at == eod(2026, 11, 12)  # "if it resumed now": one day paused so far
    env.act(case_id, "resume_clock", {}, dt.datetime(2026, 11, 5, 10, 0))
    row = env.case(case_id)
    assert row.clock_paused is False
    # paused working days 11/4 and 11/5
    assert row.due_at == eod(2026, 11, 13)
    env.at(dt.datetime(2026, 11, 20))
    assert env.resolve_due(case_id) == eod(2026, 11, 13)


@pytest.mark.parametrize(
    ("approved", "due"), [(True, eod(2026, 11, 18)), (False, eod(2026, 11, 11))]
)
def test_extension_moves_the_due_date_by_exactly_the_granted_days(
    env: Env, approved: bool, due: dt.datetime
) -> None:
    case_id = env.register(MON)
    _assign_and_sign(env, case_id, MON)
    env.act(case_id, "request_extension", {"days": 5, "reason": "需现场勘查"},
            dt.datetime(2026, 11, 3, 9, 0))  # fmt: skip
    assert env.case(case_id).state == "extension_pending"
    env.act(case_id, "decide_extension", {"approved": approved, "opinion": "审核"},
            dt.datetime(2026, 11, 4, 9, 0))  # fmt: skip
    row = env.case(case_id)
    assert row.state == "handling"
    assert row.due_at == due  # 11/11 + 5 working days: 11/12, 11/13, 11/16, 11/17, 11/18


def test_extension_across_national_day(env: Env) -> None:
    case_id = env.register(dt.datetime(2026, 9, 18, 10, 0))
    _assign_and_sign(env, case_id, dt.datetime(2026, 9, 18, 11, 0))
    env.act(case_id, "request_extension", {"days": 5, "reason": "需鉴定"},
            dt.datetime(2026, 9, 22, 9, 0))  # fmt: skip
    env.act(case_id, "decide_extension", {"approved": True}, dt.datetime(2026, 9, 22, 10, 0))
    # 9/29 + 5: 9/30, [10/1-7], 10/8, 10/9, Sat 10/10 (调休), 10/12
    assert env.case(case_id).due_at == eod(2026, 10, 12)


def test_escalation_switches_to_the_county_rule(env: Env) -> None:
    case_id = env.register(MON)
    _assign_and_sign(env, case_id, MON)
    env.act(case_id, "escalate", {"reason": "超出乡镇处置能力"}, dt.datetime(2026, 11, 4, 15, 0))
    row = env.case(case_id)
    assert (row.state, row.handling_level) == ("escalated", "county")
    # 15 working days after Wed 11/4: 11/5-6, 11/9-13, 11/16-20, 11/23-25
    assert row.due_at == eod(2026, 11, 25)


def test_escalation_drops_the_township_fixed_due_date(env: Env) -> None:
    case_id = env.register(MON)
    _assign_and_sign(env, case_id, MON, due_date=dt.date(2026, 11, 6))
    assert env.case(case_id).due_at == eod(2026, 11, 6)
    env.act(case_id, "escalate", {"reason": "超出乡镇处置能力"}, dt.datetime(2026, 11, 4, 15, 0))
    assert env.case(case_id).due_at == eod(2026, 11, 25)


def test_extension_and_pause_move_a_fixed_due_date(env: Env) -> None:
    case_id = env.register(MON)
    _assign_and_sign(env, case_id, MON, due_date=dt.date(2026, 11, 13))
    assert env.case(case_id).due_at == eod(2026, 11, 13)
    env.act(case_id, "request_extension", {"days": 3, "reason": "需鉴定"},
            dt.datetime(2026, 11, 3, 9, 0))  # fmt: skip
    env.act(case_id, "decide_extension", {"approved": True}, dt.datetime(2026, 11, 3, 10, 0))
    assert env.case(case_id).due_at == eod(2026, 11, 18)  # 11/16, 11/17, 11/18
    env.act(case_id, "pause_clock", {"reason": "等待鉴定"}, dt.datetime(2026, 11, 4, 10, 0))
    env.act(case_id, "resume_clock", {}, dt.datetime(2026, 11, 6, 10, 0))
    assert env.case(case_id).due_at == eod(2026, 11, 20)  # 11/5, 11/6 paused


def test_red_registration_raises_an_automatic_warning(env: Env) -> None:
    case_id = env.register(MON, colour="red", basis="扬言极端行为")
    detail = get_case(env.ctx, case_id)
    actions = [e.action for e in detail.timeline]
    assert actions == ["register", "warn", "accept"]
    warn = detail.timeline[1]
    assert warn.payload["risk_colour"] == "red"
    assert warn.payload["basis"] == "扬言极端行为"
    assert warn.conflict == ""
    # the township red rule: 3 working days
    assert env.case(case_id).due_at == eod(2026, 11, 5)


def test_assessing_red_warns_once(env: Env) -> None:
    case_id = env.register(MON, colour="yellow", basis="情绪激动")
    assert "warn" not in [e.action for e in get_case(env.ctx, case_id).timeline]
    red = {"risk_colour": "red", "risk_basis": "多次调解未果", "handling_level": "township"}
    env.act(case_id, "assess", red, MON + dt.timedelta(hours=1))
    env.act(case_id, "assess", {**red, "risk_basis": "仍为红色"}, MON + dt.timedelta(hours=2))
    detail = get_case(env.ctx, case_id)
    actions = [e.action for e in detail.timeline]
    assert actions.count("warn") == 1
    assert actions == ["register", "accept", "assess", "warn", "assess"]
    assert (detail.risk_colour, detail.state) == ("red", "assessed")
    with env.store.read() as session:
        proj = replay_case(session, case_id).projection
    assert proj is not None and proj.warnings_issued == 1


# ------------------------------------------------- each milestone its own clock (issue 12, #5–#7)

HANDLED = [  # accepted Mon 11/2, assigned and signed, fed back Wed 11/4, approved Thu 11/5
    *SIGNED,
    (Action.FEEDBACK, {"result": "已调解"}, dt.datetime(2026, 11, 4, 10, 0)),
    (Action.APPROVE, {}, dt.datetime(2026, 11, 5, 10, 0)),
]


def test_waiting_for_the_evaluation_never_turns_an_on_time_case_red() -> None:
    proj = build(HANDLED)
    late = dt.datetime(2026, 11, 20, 10, 0)  # the 7-working-day deadline (11/11) long past
    clocks = clocks_at(proj, late)
    assert clocks.resolve is None  # the handling clock stopped at the 反馈
    assert clocks.handled is not None and clocks.handled.due_at == eod(2026, 11, 11)
    assert clocks.handled_at == dt.datetime(2026, 11, 4, 10, 0)
    assert supervision_level(proj, clocks, late) == "none"
    assert ledger_marks(clocks)[:3] == (None, None, None)  # nothing for the scan to raise


def test_evaluation_clock_is_five_working_days_from_approval_and_stops_at_the_evaluation() -> None:
    proj = build(HANDLED)
    clocks = clocks_at(proj, dt.datetime(2026, 11, 6, 9, 0))
    assert [name for name, _ in clocks.running()] == ["evaluation"]
    assert clocks.evaluation is not None
    assert clocks.evaluation.due_at == eod(2026, 11, 12)  # Thu 11/5 + 5 working days
    evaluated = build([*HANDLED, (Action.EVALUATE, {"evaluation": "satisfied"},
                                  dt.datetime(2026, 11, 9, 10, 0))])  # fmt: skip
    assert clocks_at(evaluated, dt.datetime(2026, 11, 9, 11, 0)).running() == ()


def test_revisit_clock_is_fifteen_days_from_closing_and_stops_at_the_revisit() -> None:
    closed_at = dt.datetime(2026, 11, 9, 15, 0)
    closed = [*HANDLED, (Action.EVALUATE, {"evaluation": "satisfied"}, closed_at),
              (Action.CLOSE, {"closure_type": "normal"}, closed_at)]  # fmt: skip
    clocks = clocks_at(build(closed), closed_at)
    assert [name for name, _ in clocks.running()] == ["revisit"]
    assert clocks.revisit is not None and clocks.revisit.due_at == eod(2026, 11, 24)
    revisited = build([*closed, (Action.REVISIT, {"outcome": "ok"}, dt.datetime(2026, 11, 20))])
    assert clocks_at(revisited, dt.datetime(2026, 11, 21)).running() == ()


def test_review_time_between_feedback_and_send_back_does_not_count_against_the_unit() -> None:
    back = dt.datetime(2026, 11, 9, 10, 0)  # fed back Wed 11/4, sent back Mon 11/9
    proj = build([*SIGNED, (Action.FEEDBACK, {"result": "x"}, dt.datetime(2026, 11, 4, 10, 0)),
                  (Action.SEND_BACK, {"opinion": "重办"}, back)])  # fmt: skip
    clocks = clocks_at(proj, back)
    assert clocks.resolve is not None
    # due 11/11 without the review; 11/5, 11/6 and 11/9 stood still: three working days later
    assert clocks.resolve.due_at == eod(2026, 11, 16)


def test_regrading_to_red_on_day_four_starts_the_red_rule_at_the_regrade() -> None:
    day4 = dt.datetime(2026, 11, 5, 10, 0)  # accepted Mon 11/2 (township green: 7 days)
    red = {"risk_colour": "red", "risk_basis": "扬言", "handling_level": "township"}
    proj = build([*ACCEPTED_MON, (Action.ASSESS, red, day4)])
    clocks = clocks_at(proj, day4)
    assert clocks.resolve is not None
    assert clocks.resolve.due_at == eod(2026, 11, 10)  # Thu 11/5 + 3 working days
    assert supervision_level(proj, clocks, day4) != "red"
    # a re-grade that keeps the rule (green → yellow, both 7 days) keeps the clock
    yellow = {"risk_colour": "yellow", "risk_basis": "x", "handling_level": "township"}
    same = build([*ACCEPTED_MON, (Action.ASSESS, yellow, day4)])
    assert clocks_at(same, day4).resolve == clocks_at(build(ACCEPTED_MON), day4).resolve


def test_escalation_follows_the_tiers_each_with_its_own_rule() -> None:
    up = dt.datetime(2026, 11, 3, 10, 0)
    village = build([*ACCEPTED_MON, (Action.ESCALATE, {"reason": "村级无法化解"}, up)],
                    level="village")  # fmt: skip
    assert village.handling_level == "township"
    resolve = clocks_at(village, up).resolve
    assert resolve is not None and resolve.due_at == eod(2026, 11, 12)  # township: 7 days
    township = build([*ACCEPTED_MON, (Action.ESCALATE, {"reason": "超出乡镇能力"}, up)])
    assert township.handling_level == "county"
    resolve = clocks_at(township, up).resolve
    assert resolve is not None and resolve.due_at == eod(2026, 11, 24)  # county: 15 days
    again = build([*ACCEPTED_MON, (Action.ESCALATE, {"reason": "村级无法化解"}, up),
                   (Action.ESCALATE, {"reason": "乡镇无法化解"}, up + dt.timedelta(days=1))],
                  level="village")  # fmt: skip
    assert again.handling_level == "county"
    with pytest.raises(TransitionError):
        build([*ACCEPTED_MON, (Action.ESCALATE, {"reason": "a"}, up),
               (Action.ESCALATE, {"reason": "b"}, up)])  # fmt: skip


def test_cancelling_a_supervision_needs_a_reason_and_drops_the_manual_floor() -> None:
    t = MON + dt.timedelta(hours=1)
    supervised = build([*ACCEPTED_MON, (Action.SUPERVISE, {"level": "red", "opinion": "加快"}, t)])
    assert supervision_level(supervised, clocks_at(supervised, t), t) == "red"
    with pytest.raises(ValidationError):
        build([*ACCEPTED_MON, (Action.SUPERVISE, {"level": "red", "opinion": "加快"}, t),
               (Action.CANCEL_SUPERVISION, {}, t)])  # fmt: skip
    cancelled = build([*ACCEPTED_MON, (Action.SUPERVISE, {"level": "red", "opinion": "加快"}, t),
                       (Action.CANCEL_SUPERVISION, {"reason": "已约谈，进度正常"}, t)])  # fmt: skip
    assert supervision_level(cancelled, clocks_at(cancelled, t), t) == "none"
    with pytest.raises(TransitionError):  # nothing to cancel
        build([*ACCEPTED_MON, (Action.CANCEL_SUPERVISION, {"reason": "x"}, t)])


NATIONAL_DAY_EVE = dt.datetime(2026, 9, 30, 15, 0)  # 10/1–10/7 off, Thu 10/8 the first workday


def test_sign_clock_counts_working_hours_not_the_national_day_holiday() -> None:
    proj = build([(Action.ACCEPT, {}, NATIONAL_DAY_EVE),
                  (Action.ASSIGN, ASSIGN, NATIONAL_DAY_EVE)])  # fmt: skip
    morning = dt.datetime(2026, 10, 8, 9, 0)
    clocks = clocks_at(proj, morning)
    assert clocks.sign is not None
    assert clocks.sign.due_at == dt.datetime(2026, 10, 8, 15, 0)  # 9 h on 9/30 + 15 h on 10/8
    assert supervision_level(proj, clocks, morning) == "none"
    late = dt.datetime(2026, 10, 8, 15, 1)
    assert supervision_level(proj, clocks_at(proj, late), late) == "yellow"


def test_a_natural_hours_rule_runs_through_the_holiday() -> None:
    rules = tuple(
        replace(r, unit="natural_hours") if r.milestone == MILESTONE_SIGN else r
        for r in DEFAULT_RULES
    )
    proj = build([(Action.ACCEPT, {}, NATIONAL_DAY_EVE),
                  (Action.ASSIGN, ASSIGN, NATIONAL_DAY_EVE)])  # fmt: skip
    sign = case_clocks(proj, rules, CALENDAR, NATIONAL_DAY_EVE).sign
    assert sign is not None and sign.due_at == dt.datetime(2026, 10, 1, 15, 0)


def test_overdue_sign_is_yellow_in_the_ledger_after_the_scan(env: Env) -> None:
    case_id = env.register(dt.datetime(2026, 11, 2, 9, 0))
    env.act(case_id, "assign", {"unit_id": env.unit_id}, dt.datetime(2026, 11, 2, 10, 0))
    assert env.case(case_id).supervision_level == "none"
    late = dt.datetime(2026, 11, 3, 11, 0)  # 24 working hours passed at 11/3 10:00
    env.at(late)
    assert get_case(env.ctx, case_id).supervision_level == "yellow"
    with env.store.write() as session:
        scan_overdue(session, late)
    assert env.case(case_id).supervision_level == "yellow"
    env.act(case_id, "sign", {"signer": "王五"}, late)  # signed: the ledger follows the case
    assert env.case(case_id).supervision_level == get_case(env.ctx, case_id).supervision_level


def test_evaluation_wait_keeps_the_ledger_clear_after_the_scan(env: Env) -> None:
    case_id = env.register(dt.datetime(2026, 11, 2, 9, 0))
    for action, payload, when in (
        ("assign", {"unit_id": env.unit_id}, dt.datetime(2026, 11, 2, 10, 0)),
        ("sign", {"signer": "王五"}, dt.datetime(2026, 11, 2, 11, 0)),
        ("feedback", {"result": "已调解"}, dt.datetime(2026, 11, 4, 10, 0)),
        ("approve", {}, dt.datetime(2026, 11, 5, 10, 0)),
    ):
        env.act(case_id, action, payload, when)
    late = dt.datetime(2026, 11, 30, 10, 0)
    with env.store.write() as session:
        scan_overdue(session, late)
    row = env.case(case_id)
    assert (row.state, row.supervision_level, row.due_at) == ("evaluation_pending", "none", None)
    detail = get_case(env.at(late).ctx, case_id)
    assert detail.supervision_level == "none"
    assert [c.milestone for c in detail.clocks] == ["evaluation"]
