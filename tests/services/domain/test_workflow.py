"""Tests for the case closed-loop state machine (services.domain.workflow): pure, no DB, no Qt."""

from __future__ import annotations

import datetime as dt
from collections import Counter, deque
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.domain.errors import TransitionError, ValidationError
from services.domain.workflow import (
    ACTION_LABELS,
    CLOSURE_TYPES,
    COLOURS,
    DONE,
    FIELD_LABELS,
    LEVELS,
    OPEN,
    REQUIRED,
    STATE_LABELS,
    TERMINAL,
    TRANSITIONS,
    Action,
    CaseProjection,
    CaseState,
    Event,
    allowed_actions,
    apply,
    replay,
    validate,
)
from tests.sizes import sized

S = CaseState
A = Action
T0 = dt.datetime(2026, 11, 2, 9, 0)
HANDLING_GROUP = frozenset({S.HANDLING, S.EXTENSION_PENDING, S.FEEDBACK_PENDING})
CLOSE_KIND = {
    S.RESOLVED: "normal",
    S.EVALUATION_PENDING: "evaluation_timeout",
    S.MEDIATION_FAILED: "terminated_mediation",
    S.ESCALATED: "county_closed",
}
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- helpers


def register_payload(colour: str = "green", level: str = "township") -> dict[str, Any]:
    payload: dict[str, Any] = {
        "category_code": "0202",
        "handling_level": level,
        "risk_colour": colour,
    }
    if colour != "green":
        payload["risk_basis"] = "双方情绪激动"
    return payload


def minimal_payload(state: CaseState | None, action: Action) -> dict[str, Any]:
    """The smallest valid payload of ``action`` taken in ``state``.

    Refined transitions (mediation_result, evaluate, revisit) get the payload that leads to the
    target written in TRANSITIONS.
    """
    payloads: dict[Action, dict[str, Any]] = {
        A.REGISTER: register_payload(),
        A.ACCEPT: {},
        A.REJECT: {"reason": "不属于受理范围", "advised_channel": "诉讼"},
        A.ANSWER: {"answer": "已当场解答政策"},
        A.ASSESS: {"risk_colour": "green", "handling_level": "township"},
        A.MEDIATE: {"mediator": "李调解"},
        A.MEDIATION_RESULT: {"result": "continuing"},
        A.ASSIGN: {
            "unit_id": "unit-1",
            "unit_name": "青山司法所",
            "co_units": [{"id": "unit-2", "name": "东沟村委会"}],
        },
        A.SIGN: {"signer": "王五"},
        A.CO_SIGN: {"unit_id": "unit-2", "signer": "李四"},
        A.CO_FEEDBACK: {"unit_id": "unit-2", "result": "已配合现场核实"},
        A.REQUEST_EXTENSION: {"days": 5, "reason": "需现场勘查"},
        A.DECIDE_EXTENSION: {"approved": True},
        A.FEEDBACK: {"result": "已调解"},
        A.APPROVE: {},
        A.SEND_BACK: {"opinion": "材料不全"},
        A.ESCALATE: {"reason": "超出乡镇能力"},
        A.EVALUATE: {"evaluation": "satisfied"},
        A.CLOSE: {"closure_type": CLOSE_KIND.get(state, "normal") if state else "normal"},
        A.ARCHIVE: {},
        A.REVISIT: {"outcome": "ok"},
        A.VOID: {"reason": "重复登记"},
        A.SUPERVISE: {"level": "yellow", "opinion": "请加快办理"},
        A.CANCEL_SUPERVISION: {"reason": "已约谈承办单位，进度正常"},
        A.WARN: {"risk_colour": "red", "basis": "扬言极端"},
        A.PAUSE_CLOCK: {"reason": "等待司法鉴定"},
        A.RESUME_CLOCK: {},
    }
    payload = dict(payloads[action])
    if action is A.CLOSE and payload["closure_type"] == "evaluation_timeout":
        payload["reason"] = "群众五个工作日内未评价"
    return payload


class Log:
    """Builds events with strictly increasing time and hybrid-logical-clock values."""

    def __init__(self, device: str = "pc-a", start: dt.datetime = T0) -> None:
        self.device = device
        self.at = start
        self.n = 0

    def event(self, action: Action, payload: Mapping[str, Any]) -> Event:
        self.n += 1
        self.at += dt.timedelta(hours=3)
        hlc = f"{self.n * 1000:013d}-00000-{self.device}"
        return Event(action, self.at, hlc, "user-1", dict(payload), f"{self.device}-{self.n:06d}")


def run(
    steps: Sequence[tuple[Action, Mapping[str, Any]]], log: Log | None = None
) -> tuple[CaseProjection, list[Event]]:
    """Apply the steps (the first must be REGISTER) and return the projection and events."""
    log = log or Log()
    proj: CaseProjection | None = None
    events: list[Event] = []
    for action, payload in steps:
        event = log.event(action, payload)
        proj = apply(proj, event)
        events.append(event)
    assert proj is not None
    return proj, events


REG = (A.REGISTER, register_payload())
HAPPY = [
    REG,
    (A.ACCEPT, {}),
    (A.ASSIGN, {"unit_id": "unit-1", "unit_name": "青山司法所"}),
    (A.SIGN, {"signer": "王五"}),
    (A.FEEDBACK, {"result": "已调解"}),
    (A.APPROVE, {}),
    (A.EVALUATE, {"evaluation": "satisfied"}),
    (A.CLOSE, {"closure_type": "normal"}),
    (A.ARCHIVE, {}),
    (A.REVISIT, {"outcome": "ok"}),
]


def _variants(state: CaseState, action: Action) -> list[dict[str, Any]]:
    base = minimal_payload(state, action)
    if action is A.MEDIATION_RESULT:
        return [{"result": r} for r in ("continuing", "reached", "not_reached")]
    if action is A.EVALUATE:
        return [{"evaluation": e} for e in ("satisfied", "dissatisfied")]
    if action is A.REVISIT:
        return [{"outcome": o} for o in ("ok", "recurred")]
    return [base]


def _paths() -> dict[CaseState, list[tuple[Action, dict[str, Any]]]]:
    """A shortest list of steps reaching every reachable state (breadth-first search)."""
    first, _ = run([REG])
    paths: dict[CaseState, list[tuple[Action, dict[str, Any]]]] = {first.state: [REG]}
    queue = deque([first.state])
    while queue:
        state = queue.popleft()
        proj, _ = run(paths[state])
        for action in allowed_actions(proj):
            for payload in _variants(state, action):
                try:
                    nxt = apply(proj, Event(action, proj.registered_at, "z", None, payload))
                except (TransitionError, ValidationError):
                    continue
                if nxt.state not in paths:
                    paths[nxt.state] = [*paths[state], (action, payload)]
                    queue.append(nxt.state)
    return paths


PATHS = _paths()


def reach(state: CaseState) -> tuple[CaseProjection, Log]:
    log = Log()
    proj, _ = run(PATHS[state], log)
    assert proj.state is state
    return proj, log


# --------------------------------------------------------------------------- transitions


def test_every_state_is_reachable_from_registration() -> None:
    assert set(PATHS) == set(CaseState)


@pytest.mark.parametrize(
    ("state", "action"), sorted(TRANSITIONS), ids=[f"{s}-{a}" for s, a in sorted(TRANSITIONS)]
)
def test_every_transition_applies_with_a_valid_payload(state: CaseState, action: Action) -> None:
    proj, log = reach(state)
    if (state, action) == (S.ESCALATED, A.ESCALATE):  # a village case reported to the township
        log = Log()
        proj, _ = run([(A.REGISTER, register_payload(level="village")), (A.ACCEPT, {}),
                       (A.ESCALATE, {"reason": "村级无法化解"})], log)  # fmt: skip
        assert (proj.state, proj.handling_level) == (S.ESCALATED, "township")
    if action is A.RESUME_CLOCK:
        proj = apply(proj, log.event(A.PAUSE_CLOCK, minimal_payload(state, A.PAUSE_CLOCK)))
        assert proj.clock_paused
    if action is A.CANCEL_SUPERVISION:
        proj = apply(proj, log.event(A.SUPERVISE, minimal_payload(state, A.SUPERVISE)))
    if action in (A.CO_SIGN, A.CO_FEEDBACK):  # reached through a 交办 naming an assisting unit
        log = Log()
        steps = {S.ASSIGNED: [], S.HANDLING: [A.SIGN], S.EXTENSION_PENDING: [A.SIGN,
                 A.REQUEST_EXTENSION], S.FEEDBACK_PENDING: [A.SIGN, A.FEEDBACK]}[state]  # fmt: skip
        proj, _ = run([REG, (A.ACCEPT, {}), (A.ASSIGN, minimal_payload(state, A.ASSIGN)),
                       *((a, minimal_payload(state, a)) for a in steps)], log)  # fmt: skip
        assert proj.state is state
    if action is A.CO_FEEDBACK:  # an assisting unit feeds back after signing
        proj = apply(proj, log.event(A.CO_SIGN, minimal_payload(state, A.CO_SIGN)))
    assert action in allowed_actions(proj)
    new = apply(proj, log.event(action, minimal_payload(state, action)))
    target = TRANSITIONS[(state, action)]
    assert new.state is (state if target is None else target)
    assert new.event_count == proj.event_count + 1


def test_allowed_actions_are_exactly_the_transition_table() -> None:
    for state in CaseState:
        proj, _ = reach(state)
        table = {a for (s, a) in TRANSITIONS if s is state}
        shown = set(allowed_actions(proj))
        # the clock buttons depend on whether the clock is paused
        # offered once paused / supervised / an assisting unit signed
        hidden = {A.RESUME_CLOCK, A.CANCEL_SUPERVISION, A.CO_FEEDBACK}
        if not proj.co_units:
            hidden.add(A.CO_SIGN)  # offered only when the 交办 named assisting units
        if proj.handling_level == "county":
            hidden.add(A.ESCALATE)  # no tier above the county
        assert shown - hidden == table - hidden
        assert not shown & {A.RESUME_CLOCK, A.CANCEL_SUPERVISION, A.CO_FEEDBACK}
        assert list(allowed_actions(proj)) == [a for a in Action if a in shown]


def test_pause_and_resume_offered_according_to_the_clock() -> None:
    proj, log = reach(S.HANDLING)
    assert A.PAUSE_CLOCK in allowed_actions(proj)
    assert A.RESUME_CLOCK not in allowed_actions(proj)
    paused = apply(proj, log.event(A.PAUSE_CLOCK, {"reason": "等待鉴定"}))
    assert A.RESUME_CLOCK in allowed_actions(paused)
    assert A.PAUSE_CLOCK not in allowed_actions(paused)


def test_terminal_states_offer_nothing() -> None:
    for state in TERMINAL:
        proj, _ = reach(state)
        assert allowed_actions(proj) == ()
        assert not any(s is state for s, _ in TRANSITIONS)


# --------------------------------------------------------------------------- refusals


NOT_ALLOWED = [
    (s, a) for s in CaseState for a in Action if a is not A.REGISTER and (s, a) not in TRANSITIONS
]


@pytest.mark.parametrize(("state", "action"), NOT_ALLOWED, ids=[f"{s}-{a}" for s, a in NOT_ALLOWED])
def test_action_not_allowed_in_state_is_refused(state: CaseState, action: Action) -> None:
    proj, log = reach(state)
    with pytest.raises(TransitionError) as info:
        apply(proj, log.event(action, minimal_payload(state, action)))
    err = info.value
    assert err.state == state.value
    assert err.action == action.value
    assert err.code == "workflow.not_allowed"
    assert STATE_LABELS[state] in err.message
    assert ACTION_LABELS[action] in err.message


def test_register_twice_and_act_before_register_are_refused() -> None:
    proj, log = reach(S.ACCEPTED)
    with pytest.raises(TransitionError) as info:
        apply(proj, log.event(A.REGISTER, register_payload()))
    assert (info.value.state, info.value.action) == ("accepted", "register")
    with pytest.raises(TransitionError) as info:
        validate(None, A.ACCEPT, {})
    assert (info.value.state, info.value.action) == ("none", "accept")


def test_labels_cover_every_state_action_and_required_field() -> None:
    assert set(STATE_LABELS) == set(CaseState)
    assert set(ACTION_LABELS) == set(Action)
    for fields in REQUIRED.values():
        assert set(fields) <= set(FIELD_LABELS)


def _state_allowing(action: Action) -> CaseState | None:
    if action is A.REGISTER:
        return None
    return next(s for s in CaseState if (s, action) in TRANSITIONS)


REQUIRED_FIELDS = [(a, key) for a, keys in REQUIRED.items() for key in keys]


@pytest.mark.parametrize(
    ("action", "key"), REQUIRED_FIELDS, ids=[f"{a}-{k}" for a, k in REQUIRED_FIELDS]
)
@pytest.mark.parametrize("blank", ["missing", None, "", "   "])
def test_missing_required_field_is_refused(action: Action, key: str, blank: object) -> None:
    state = _state_allowing(action)
    proj = reach(state)[0] if state is not None else None
    payload = minimal_payload(state, action)
    if blank == "missing":
        payload.pop(key, None)
    else:
        payload[key] = blank
    with pytest.raises(ValidationError) as info:
        validate(proj, action, payload)
    assert info.value.field == key
    assert FIELD_LABELS[key] in info.value.message


@pytest.mark.parametrize("action", [A.REGISTER, A.ASSESS])
@pytest.mark.parametrize("colour", ["yellow", "orange", "red"])
def test_coloured_risk_without_basis_is_refused(action: Action, colour: str) -> None:
    proj = reach(S.ACCEPTED)[0] if action is A.ASSESS else None
    payload = {"category_code": "0202", "risk_colour": colour, "handling_level": "township"}
    for basis in (None, "", "  "):
        with pytest.raises(ValidationError) as info:
            validate(proj, action, {**payload, "risk_basis": basis})
        assert info.value.field == "risk_basis"
    validate(proj, action, {**payload, "risk_basis": "多次调解未果"})
    validate(proj, action, {**payload, "risk_colour": "green"})


@pytest.mark.parametrize(
    ("field", "value"),
    [("risk_colour", "purple"), ("handling_level", "city"), ("risk_colour", "")],
)
def test_unknown_choice_values_are_refused(field: str, value: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate(None, A.REGISTER, {**register_payload(), field: value})
    assert info.value.field == field


@pytest.mark.parametrize("days", [0, -1, 61, 1000, True, False, 5.0, "5", None])
def test_request_extension_days_out_of_range_is_refused(days: object) -> None:
    proj, _ = reach(S.HANDLING)
    with pytest.raises(ValidationError) as info:
        validate(proj, A.REQUEST_EXTENSION, {"days": days, "reason": "需现场勘查"})
    assert info.value.field == "days"


@pytest.mark.parametrize("days", [1, 30, 60])
def test_request_extension_days_in_range_is_accepted(days: int) -> None:
    proj, log = reach(S.HANDLING)
    new = apply(proj, log.event(A.REQUEST_EXTENSION, {"days": days, "reason": "需现场勘查"}))
    assert new.state is S.EXTENSION_PENDING
    assert new.pending_extension_days == days


@pytest.mark.parametrize("days", [0, -5, 61, True, 2.5, float("inf"), "x"])
def test_decide_extension_with_bad_days_is_refused(days: object) -> None:
    proj, log = reach(S.HANDLING)
    proj = apply(proj, log.event(A.REQUEST_EXTENSION, {"days": 5, "reason": "需现场勘查"}))
    with pytest.raises(ValidationError) as info:
        validate(proj, A.DECIDE_EXTENSION, {"approved": True, "days": days})
    assert info.value.field == "days"


@pytest.mark.parametrize("approved", [None, "yes", 1, 0])
def test_decide_extension_needs_a_boolean(approved: object) -> None:
    proj, log = reach(S.HANDLING)
    proj = apply(proj, log.event(A.REQUEST_EXTENSION, {"days": 5, "reason": "需现场勘查"}))
    with pytest.raises(ValidationError) as info:
        validate(proj, A.DECIDE_EXTENSION, {"approved": approved, "opinion": "x"})
    assert info.value.field == "approved"


def test_denied_extension_needs_an_opinion() -> None:
    proj, log = reach(S.HANDLING)
    proj = apply(proj, log.event(A.REQUEST_EXTENSION, {"days": 5, "reason": "需现场勘查"}))
    with pytest.raises(ValidationError) as info:
        validate(proj, A.DECIDE_EXTENSION, {"approved": False})
    assert info.value.field == "opinion"


CLOSE_MISFITS = [(s, k) for s in CLOSE_KIND for k in CLOSURE_TYPES if k != CLOSE_KIND[s]]


@pytest.mark.parametrize(
    ("state", "kind"), CLOSE_MISFITS, ids=[f"{s}-{k}" for s, k in CLOSE_MISFITS]
)
def test_close_with_closure_type_not_fitting_the_state_is_refused(
    state: CaseState, kind: str
) -> None:
    proj, _ = reach(state)
    with pytest.raises(ValidationError) as info:
        validate(proj, A.CLOSE, {"closure_type": kind, "reason": "理由"})
    assert info.value.field == "closure_type"


def test_close_with_unknown_closure_type_or_timeout_without_reason_is_refused() -> None:
    proj, _ = reach(S.RESOLVED)
    with pytest.raises(ValidationError) as info:
        validate(proj, A.CLOSE, {"closure_type": "whatever"})
    assert info.value.field == "closure_type"
    proj, _ = reach(S.EVALUATION_PENDING)
    with pytest.raises(ValidationError) as info:
        validate(proj, A.CLOSE, {"closure_type": "evaluation_timeout"})
    assert info.value.field == "reason"


def test_resume_when_not_paused_and_pause_when_paused_are_refused() -> None:
    proj, log = reach(S.HANDLING)
    with pytest.raises(TransitionError) as info:
        apply(proj, log.event(A.RESUME_CLOCK, {}))
    assert (info.value.state, info.value.action) == ("handling", "resume_clock")
    paused = apply(proj, log.event(A.PAUSE_CLOCK, {"reason": "等待鉴定"}))
    with pytest.raises(TransitionError) as info:
        apply(paused, log.event(A.PAUSE_CLOCK, {"reason": "再次暂停"}))
    assert (info.value.state, info.value.action) == ("handling", "pause_clock")


# --------------------------------------------------------------------------- flows


def test_happy_loop_ends_finished() -> None:
    proj, events = run(HAPPY)
    assert proj.state is S.FINISHED
    assert proj.closure_type == "normal"
    assert proj.closed_at == events[7].at
    assert proj.evaluation == "satisfied"
    assert proj.rework_count == 0
    assert proj.assignee_unit_id == "unit-1"
    assert proj.assignee_unit_name == "青山司法所"
    assert proj.clock_started_at == events[1].at
    assert proj.assigned_at is None  # signed
    assert proj.event_count == len(HAPPY)
    assert not proj.is_open


def test_happy_loop_state_sequence() -> None:
    log = Log()
    proj: CaseProjection | None = None
    seen = []
    for action, payload in HAPPY:
        proj = apply(proj, log.event(action, payload))
        seen.append(proj.state)
    assert seen == [
        S.REGISTERED, S.ACCEPTED, S.ASSIGNED, S.HANDLING, S.FEEDBACK_PENDING,
        S.EVALUATION_PENDING, S.RESOLVED, S.CLOSED, S.ARCHIVED, S.FINISHED,
    ]  # fmt: skip


def test_dissatisfied_evaluation_returns_to_handling_and_counts_rework() -> None:
    log = Log()
    proj, _ = run(HAPPY[:6], log)
    assert proj.state is S.EVALUATION_PENDING
    assert proj.assignee_unit_id is not None
    new = apply(proj, log.event(A.EVALUATE, {"evaluation": "dissatisfied"}))
    assert new.state is S.HANDLING
    assert new.rework_count == proj.rework_count + 1
    assert new.dissatisfied
    assert new.evaluation == "dissatisfied"


def test_dissatisfied_mediated_case_returns_to_mediation() -> None:
    proj, log = run([REG, (A.ACCEPT, {}), (A.MEDIATE, {"mediator": "李调解"}),
                     (A.MEDIATION_RESULT, {"result": "reached"})])  # fmt: skip
    assert proj.state is S.EVALUATION_PENDING
    new = apply(proj, Log(start=T0 + dt.timedelta(days=3)).event(
        A.EVALUATE, {"evaluation": "dissatisfied"}))  # fmt: skip
    assert new.state is S.MEDIATING
    assert new.rework_count == 1


def test_send_back_counts_rework_each_time() -> None:
    proj, log = reach(S.FEEDBACK_PENDING)
    for expected in (1, 2, 3):
        proj = apply(proj, log.event(A.SEND_BACK, {"opinion": "请补充材料"}))
        assert proj.state is S.HANDLING
        assert proj.rework_count == expected
        proj = apply(proj, log.event(A.FEEDBACK, {"result": "已补充"}))
        assert proj.state is S.FEEDBACK_PENDING


@pytest.mark.parametrize(
    ("result", "state"),
    [("reached", S.EVALUATION_PENDING), ("not_reached", S.MEDIATION_FAILED),
     ("continuing", S.MEDIATING)],
)  # fmt: skip
def test_mediation_result_refines_the_state(result: str, state: CaseState) -> None:
    proj, log = reach(S.MEDIATING)
    assert apply(proj, log.event(A.MEDIATION_RESULT, {"result": result})).state is state


def test_mediation_result_must_be_known() -> None:
    proj, _ = reach(S.MEDIATING)
    with pytest.raises(ValidationError) as info:
        validate(proj, A.MEDIATION_RESULT, {"result": "成功"})
    assert info.value.field == "result"


def test_revisit_recurred_reopens_to_accepted() -> None:
    proj, events = run(HAPPY[:-1])
    assert proj.state is S.ARCHIVED
    log = Log(start=events[-1].at)
    log.n = len(events)
    reopened = apply(proj, log.event(A.REVISIT, {"outcome": "recurred"}))
    assert reopened.state is S.ACCEPTED
    assert reopened.is_open
    assert reopened.closed_at is None
    assert reopened.closure_type is None
    assert reopened.evaluation is None
    assert reopened.clock_started_at == log.at


def test_revisit_recurred_starts_a_fresh_clock_without_old_extension_or_fixed_due_date() -> None:
    steps = [
        REG,
        (A.ACCEPT, {}),
        (A.ASSIGN, {"unit_id": "u", "unit_name": "司法所", "due_date": "2026-11-10"}),
        (A.SIGN, {"signer": "王五"}),
        (A.REQUEST_EXTENSION, {"days": 5, "reason": "需勘查"}),
        (A.DECIDE_EXTENSION, {"approved": True}),
        (A.FEEDBACK, {"result": "已办"}),
        (A.APPROVE, {}),
        (A.EVALUATE, {"evaluation": "satisfied"}),
        (A.CLOSE, {"closure_type": "normal"}),
        (A.ARCHIVE, {}),
    ]
    proj, log_events = run(steps)
    assert proj.extension_days == 5
    assert proj.due_override == dt.date(2026, 11, 10)
    reopened = apply(proj, Log(start=log_events[-1].at).event(A.REVISIT, {"outcome": "recurred"}))
    assert reopened.state is S.ACCEPTED
    assert reopened.extension_days == 0
    assert reopened.due_override is None
    assert reopened.pending_extension_days == 0


def test_revisit_recurred_forgets_the_old_mediation_start() -> None:
    steps = [
        REG,
        (A.ACCEPT, {}),
        (A.MEDIATE, {"mediator": "李调解"}),
        (A.MEDIATION_RESULT, {"result": "reached"}),
        (A.EVALUATE, {"evaluation": "satisfied"}),
        (A.CLOSE, {"closure_type": "normal"}),
        (A.ARCHIVE, {}),
        (A.REVISIT, {"outcome": "recurred"}),
    ]
    log = Log()
    proj, events = run(steps, log)
    assert proj.state is S.ACCEPTED
    assert proj.mediation_started_at is None
    again = apply(proj, log.event(A.MEDIATE, {"mediator": "王调解"}))
    assert again.mediation_started_at == log.at
    assert again.mediation_started_at > events[2].at


def test_revisit_before_archiving_keeps_it_closed() -> None:
    proj, log = reach(S.CLOSED)
    assert apply(proj, log.event(A.REVISIT, {"outcome": "ok"})).state is S.CLOSED


def test_escalate_moves_to_county_and_restarts_the_clock() -> None:
    proj, log = run([REG, (A.ACCEPT, {}), (A.ASSIGN, {"unit_id": "u", "unit_name": "司法所",
                     "due_date": "2026-11-06"}), (A.SIGN, {"signer": "王五"}),
                     (A.REQUEST_EXTENSION, {"days": 3, "reason": "x"}),
                     (A.DECIDE_EXTENSION, {"approved": True})])  # fmt: skip
    assert proj.state is S.HANDLING
    assert proj.handling_level == "township"
    later = Log(start=T0 + dt.timedelta(days=2))
    later.n = 99
    up = apply(proj, later.event(A.ESCALATE, {"reason": "超出乡镇能力"}))
    assert up.state is S.ESCALATED
    assert up.handling_level == "county"
    assert up.escalated
    assert up.clock_started_at == later.at
    assert up.clock_started_at != proj.clock_started_at
    assert up.extension_days == 0
    assert up.due_override is None  # the township's 交办 date no longer binds the county clock


def test_escalated_case_fed_back_by_county_has_no_assignee() -> None:
    proj, log = run([REG, (A.ACCEPT, {}), (A.ESCALATE, {"reason": "红色风险"}),
                     (A.FEEDBACK, {"result": "县级已化解"})])  # fmt: skip
    assert proj.state is S.FEEDBACK_PENDING
    assert proj.assignee_unit_id is None


@pytest.mark.parametrize(("approved", "added"), [(True, 7), (False, 0)])
def test_extension_decision(approved: bool, added: int) -> None:
    proj, log = reach(S.HANDLING)
    proj = apply(proj, log.event(A.REQUEST_EXTENSION, {"days": 7, "reason": "需勘查"}))
    assert proj.pending_extension_days == 7
    decided = apply(
        proj, log.event(A.DECIDE_EXTENSION, {"approved": approved, "opinion": "审核意见"})
    )
    assert decided.state is S.HANDLING
    assert decided.extension_days == proj.extension_days + added
    assert decided.pending_extension_days == 0


def test_extension_approver_may_grant_fewer_days() -> None:
    proj, log = reach(S.HANDLING)
    proj = apply(proj, log.event(A.REQUEST_EXTENSION, {"days": 7, "reason": "需勘查"}))
    decided = apply(proj, log.event(A.DECIDE_EXTENSION, {"approved": True, "days": 3}))
    assert decided.extension_days == 3


def test_pause_and_resume_record_pauses() -> None:
    proj, log = reach(S.HANDLING)
    paused = apply(proj, log.event(A.PAUSE_CLOCK, {"reason": "等待鉴定"}))
    started = log.at
    assert paused.clock_paused
    assert len(paused.pauses) == 1
    assert paused.pauses[0].started_at == started
    assert paused.pauses[0].reason == "等待鉴定"
    resumed = apply(paused, log.event(A.RESUME_CLOCK, {}))
    assert not resumed.clock_paused
    assert resumed.pauses[0].ended_at == log.at
    again = apply(resumed, log.event(A.PAUSE_CLOCK, {"reason": "当事人住院"}))
    assert len(again.pauses) == 2
    assert again.pauses[0] == resumed.pauses[0]
    assert again.clock_paused


def test_closing_a_case_closes_an_open_pause() -> None:
    proj, log = reach(S.RESOLVED)
    paused = apply(proj, log.event(A.PAUSE_CLOCK, {"reason": "等待鉴定"}))
    assert paused.clock_paused
    closed = apply(paused, log.event(A.CLOSE, {"closure_type": "normal"}))
    assert closed.state is S.CLOSED
    assert not closed.clock_paused
    assert closed.pauses[-1].ended_at == closed.closed_at == log.at


def test_voiding_closes_an_open_pause() -> None:
    proj, log = reach(S.HANDLING)
    paused = apply(proj, log.event(A.PAUSE_CLOCK, {"reason": "等待鉴定"}))
    voided = apply(paused, log.event(A.VOID, {"reason": "误登记"}))
    assert voided.state is S.VOIDED
    assert voided.pauses[-1].ended_at == log.at


def test_assess_supervise_and_warn_keep_the_state() -> None:
    proj, log = reach(S.HANDLING)
    assessed = apply(proj, log.event(A.ASSESS, {"risk_colour": "orange", "risk_basis": "人数多",
                                                "handling_level": "township"}))  # fmt: skip
    assert assessed.state is S.HANDLING
    assert (assessed.risk_colour, assessed.risk_basis) == ("orange", "人数多")
    supervised = apply(assessed, log.event(A.SUPERVISE, {"level": "red", "opinion": "限期"}))
    assert supervised.manual_supervision == "red"
    warned = apply(supervised, log.event(A.WARN, {"risk_colour": "red", "basis": "扬言"}))
    assert (warned.warnings_issued, warned.risk_colour) == (1, "red")
    assert warned.state is S.HANDLING


def test_supervise_level_must_be_a_real_level() -> None:
    proj, _ = reach(S.HANDLING)
    for level in ("none", "blue"):
        with pytest.raises(ValidationError) as info:
            validate(proj, A.SUPERVISE, {"level": level, "opinion": "x"})
        assert info.value.field == "level"


def test_registration_sets_the_initial_projection() -> None:
    proj, events = run([(A.REGISTER, register_payload("yellow", "village"))])
    assert proj.state is S.REGISTERED
    assert (proj.risk_colour, proj.risk_basis, proj.handling_level) == (
        "yellow", "双方情绪激动", "village",
    )  # fmt: skip
    assert proj.registered_at == events[0].at
    assert proj.clock_started_at is None
    assert proj.event_count == 1


# --------------------------------------------------------------------------- property tests


def _assess_payload(draw: st.DrawFn, text: st.SearchStrategy[str]) -> dict[str, Any]:
    colour = draw(st.sampled_from(COLOURS))
    payload: dict[str, Any] = {
        "risk_colour": colour,
        "handling_level": draw(st.sampled_from(LEVELS)),
    }
    if colour != "green" or draw(st.booleans()):
        payload["risk_basis"] = draw(text)
    if draw(st.booleans()):
        payload["category_code"] = draw(st.sampled_from(["0202", "0301", "07"]))
    return payload


def _assign_payload(draw: st.DrawFn) -> dict[str, Any]:
    unit = draw(st.sampled_from(["u-1", "u-2", "u-3"]))
    payload: dict[str, Any] = {"unit_id": unit, "unit_name": f"单位{unit}"}
    if draw(st.booleans()):
        payload["due_date"] = draw(st.dates(dt.date(2026, 11, 1), dt.date(2027, 3, 1))).isoformat()
    return payload


@st.composite
def valid_payload(draw: st.DrawFn, proj: CaseProjection, action: Action) -> dict[str, Any]:
    """A random valid payload for ``action`` taken on ``proj``."""
    state = proj.state
    text = st.sampled_from(["情况属实", "已处理", "需补充材料", "请加快"])
    if action is A.ASSESS:
        return _assess_payload(draw, text)
    if action is A.MEDIATION_RESULT:
        return {"result": draw(st.sampled_from(["reached", "not_reached", "continuing"]))}
    if action is A.ASSIGN:
        return _assign_payload(draw)
    if action is A.REQUEST_EXTENSION:
        return {"days": draw(st.integers(1, 60)), "reason": draw(text)}
    if action is A.DECIDE_EXTENSION:
        approved = draw(st.booleans())
        payload: dict[str, Any] = {"approved": approved, "opinion": draw(text)}
        if approved and draw(st.booleans()):
            payload["days"] = draw(st.integers(1, 60))
        return payload
    if action is A.EVALUATE:
        return {"evaluation": draw(st.sampled_from(["satisfied", "basically", "dissatisfied"]))}
    if action is A.REVISIT:
        return {"outcome": draw(st.sampled_from(["ok", "recurred"]))}
    if action is A.SUPERVISE:
        return {"level": draw(st.sampled_from(["reminder", "yellow", "red"])), "opinion": "督办"}
    if action is A.WARN:
        return {"risk_colour": draw(st.sampled_from(COLOURS)), "basis": draw(text)}
    return minimal_payload(state, action)


@st.composite
def walks(draw: st.DrawFn, max_steps: int = 40) -> list[Event]:
    """A random legal walk through the state machine, as its event list."""
    log = Log(device=draw(st.sampled_from(["pc-a", "pc-b"])))
    colour = draw(st.sampled_from(COLOURS))
    events = [log.event(A.REGISTER, register_payload(colour, draw(st.sampled_from(LEVELS))))]
    proj = apply(None, events[0])
    for _ in range(draw(st.integers(0, max_steps))):
        actions = allowed_actions(proj)
        if not actions:
            break
        action = draw(st.sampled_from(actions))
        event = log.event(action, draw(valid_payload(proj, action)))
        proj = apply(proj, event)
        events.append(event)
    return events


def check_invariants(
    before: CaseProjection | None, event: Event, after: CaseProjection, history: list[Event]
) -> None:
    """Invariants after every step; ``history`` holds every event applied so far (incl. ``event``).

    Assignee: ASSIGNED is only entered through ASSIGN, so it always has an assignee. A case may
    be in HANDLING/EXTENSION_PENDING/FEEDBACK_PENDING without one only when it has never been
    assigned and reached there through a county feedback (ESCALATED -> FEEDBACK), possibly
    followed by SEND_BACK/REQUEST_EXTENSION/DECIDE_EXTENSION. Nothing ever clears an assignee:
    once assigned, ``assignee_unit_id`` is the unit of the latest ASSIGN.
    """
    assert isinstance(after.state, CaseState)
    assert after.event_count == len(history)
    # closure
    if after.state in {S.CLOSED, S.ARCHIVED, S.FINISHED}:
        assert after.closed_at is not None
        assert after.closure_type in CLOSURE_TYPES
    if after.state in OPEN:
        assert after.closed_at is None
        assert after.closure_type is None
    else:
        assert not after.clock_paused
    # assignee
    assigns = [e for e in history if e.action is A.ASSIGN]
    if assigns:
        assert after.assignee_unit_id == assigns[-1].payload["unit_id"]
    else:
        assert after.assignee_unit_id is None
    if after.state is S.ASSIGNED:
        assert after.assignee_unit_id is not None
        assert after.assigned_at is not None
    if after.state in HANDLING_GROUP and after.assignee_unit_id is None:
        assert any(
            e.action is A.FEEDBACK and s is S.ESCALATED
            for e, s in zip(history, _states_before(history), strict=True)
        )
    # counters
    assert after.rework_count >= 0
    assert after.extension_days >= 0
    if before is not None:
        assert after.rework_count >= before.rework_count
        reworked = event.action is A.SEND_BACK or (
            event.action is A.EVALUATE and event.payload["evaluation"] == "dissatisfied"
        )
        assert after.rework_count == before.rework_count + int(reworked)
        assert after.warnings_issued == before.warnings_issued + int(event.action is A.WARN)
        assert after.registered_at == before.registered_at
    # clock
    if after.state is not S.REGISTERED and after.state in OPEN:
        assert after.clock_started_at is not None
    assert all(p.ended_at is not None for p in after.pauses[:-1]), "only the last pause may be open"
    # terminal states accept nothing
    if after.state in TERMINAL:
        assert allowed_actions(after) == ()
        for action in Action:
            with pytest.raises(TransitionError):
                validate(after, action, minimal_payload(after.state, action))


def _states_before(history: list[Event]) -> list[CaseState | None]:
    states: list[CaseState | None] = []
    proj: CaseProjection | None = None
    for event in history:
        states.append(proj.state if proj else None)
        proj = apply(proj, event)
    return states


@sized(quick=20, full=100)
@PROPERTY
@given(st.data())
def test_random_walk_keeps_invariants(data: st.DataObject) -> None:
    log = Log()
    colour = data.draw(st.sampled_from(COLOURS), label="colour")
    first = log.event(A.REGISTER, register_payload(colour, data.draw(st.sampled_from(LEVELS))))
    proj = apply(None, first)
    history = [first]
    check_invariants(None, first, proj, history)
    for _ in range(data.draw(st.integers(0, 40), label="steps")):
        actions = allowed_actions(proj)
        if not actions:
            assert proj.state in TERMINAL
            break
        action = data.draw(st.sampled_from(actions), label="action")
        event = log.event(action, data.draw(valid_payload(proj, action), label="payload"))
        new = apply(proj, event)  # every offered action succeeds with a valid payload
        history.append(event)
        check_invariants(proj, event, new, history)
        proj = new


@sized(quick=20, full=100)
@PROPERTY
@given(walks(), st.randoms(use_true_random=False))
def test_replay_of_shuffled_events_equals_incremental_application(
    events: list[Event], rnd: Any
) -> None:
    incremental: CaseProjection | None = None
    for event in events:
        incremental = apply(incremental, event)
    shuffled = list(events)
    rnd.shuffle(shuffled)
    result = replay(shuffled)
    assert result.conflicts == ()
    assert result.projection == incremental


PAYLOAD_KEYS = sorted({*FIELD_LABELS, "due_date", "auto"})
ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            *COLOURS,
            *LEVELS,
            *CLOSURE_TYPES,
            "satisfied",
            "dissatisfied",
            "ok",
            "recurred",
            "reached",
            "not_reached",
            "continuing",
            "reminder",
            "0202",
            "2026-11-30",
            "2026-02-30",
            "not-a-date",
            5,
            60,
        ]
    ),  # fmt: skip
    st.lists(st.integers(), max_size=2),
)


@st.composite
def arbitrary_events(draw: st.DrawFn) -> list[Event]:
    def one(i: int) -> Event:
        payload = draw(st.dictionaries(st.sampled_from(PAYLOAD_KEYS), ANY_VALUE, max_size=6))
        action = draw(st.sampled_from(list(Action)))
        if action is A.REGISTER and draw(st.booleans()):
            payload = {**register_payload(draw(st.sampled_from(COLOURS))), **payload}
        hlc = f"{draw(st.integers(0, 30)):013d}-{draw(st.integers(0, 2)):05d}-pc"
        at = T0 + dt.timedelta(minutes=draw(st.integers(-10_000, 100_000)))
        return Event(action, at, hlc, None, payload, f"e{i}")

    events = [one(i) for i in range(draw(st.integers(0, 25)))]
    # (nested ifs, not `events and draw(…)`: mypy would infer draw's type from `events`)
    if events:
        if draw(st.booleans()):  # a valid registration most of the time
            events[0] = Event(
                A.REGISTER, T0, "0000000000000-00000-pc", None, register_payload(), "r"
            )
        if draw(st.booleans()):  # the same event delivered twice (sync retry)
            events += draw(st.lists(st.sampled_from(events), max_size=4))
    return draw(st.permutations(events))


@sized(quick=20, full=100)
@PROPERTY
@given(arbitrary_events())
def test_replay_never_raises_and_accounts_for_every_event(events: list[Event]) -> None:
    result = replay(events)
    applied = 0 if result.projection is None else result.projection.event_count
    assert applied + len(result.conflicts) == len(events)
    for event, reason in result.conflicts:
        assert isinstance(reason, str) and reason
        assert any(event is e for e in events)
    # the conflicting events changed nothing: replaying the rest gives the same result, cleanly
    left_out = Counter(id(e) for e, _ in result.conflicts)
    kept = []
    for event in events:
        if left_out[id(event)]:
            left_out[id(event)] -= 1
        else:
            kept.append(event)
    clean = replay(kept)
    assert clean.conflicts == ()
    assert clean.projection == result.projection


@sized(quick=20, full=100)
@PROPERTY
@given(walks(max_steps=25), st.data())
def test_duplicated_deliveries_are_all_accounted_for(
    events: list[Event], data: st.DataObject
) -> None:
    dupes = data.draw(st.lists(st.sampled_from(events), min_size=1, max_size=3))
    result = replay([*events, *dupes])
    applied = 0 if result.projection is None else result.projection.event_count
    assert applied + len(result.conflicts) == len(events) + len(dupes)
    assert applied >= 1


def test_replay_reports_events_before_registration_as_conflicts() -> None:
    log = Log()
    accept = log.event(A.ACCEPT, {})
    result = replay([accept])
    assert result.projection is None
    assert result.conflicts[0][0] is accept
    assert "尚未登记" in result.conflicts[0][1]


def test_replay_reports_malformed_payloads_as_conflicts() -> None:
    proj_events = run(PATHS[S.ASSIGNED])[1]
    bad = Event(A.ASSIGN, T0 + dt.timedelta(days=9), "9" * 13 + "-00000-pc", None,
                {"unit_id": "u", "unit_name": "x", "due_date": "2026-02-30"}, "bad")  # fmt: skip
    result = replay([*proj_events, bad])
    assert [e for e, _ in result.conflicts] == [bad]
    assert result.projection is not None
    assert result.projection.state is S.ASSIGNED
    assert result.projection.event_count == len(proj_events)


def test_replay_reports_an_overflowing_extension_as_a_conflict() -> None:
    proj, events = run([*HAPPY[:4], (A.REQUEST_EXTENSION, {"days": 5, "reason": "x"})])
    bad = Event(A.DECIDE_EXTENSION, events[-1].at, "9" * 13 + "-00000-pc", None,
                {"approved": True, "days": float("inf")}, "bad")  # fmt: skip
    result = replay([*events, bad])
    assert [e for e, _ in result.conflicts] == [bad]
    assert result.projection == proj


def _close_race(first_hlc: str, second_hlc: str) -> tuple[list[Event], Event, Event]:
    proj, events = run(PATHS[S.RESOLVED])
    base = events[-1].at
    a = Event(A.CLOSE, base + dt.timedelta(hours=1), first_hlc, "u-a",
              {"closure_type": "normal"}, "close-a")  # fmt: skip
    b = Event(A.CLOSE, base + dt.timedelta(hours=2), second_hlc, "u-b",
              {"closure_type": "normal"}, "close-b")  # fmt: skip
    return events, a, b


def test_two_devices_closing_keeps_the_first_by_hlc() -> None:
    events, a, b = _close_race("9000000000000-00000-pc-b", "9000000000000-00001-pc-a")
    result = replay([b, *events, a])
    assert result.projection is not None
    assert result.projection.state is S.CLOSED
    assert result.projection.closed_at == a.at  # a has the smaller hlc, though written later
    assert len(result.conflicts) == 1
    event, reason = result.conflicts[0]
    assert event is b
    assert STATE_LABELS[S.CLOSED] in reason and ACTION_LABELS[A.CLOSE] in reason


@sized(quick=20, full=100)
@PROPERTY
@given(st.integers(9 * 10**12, 9 * 10**12 + 50), st.integers(9 * 10**12, 9 * 10**12 + 50),
       st.sampled_from(["pc-a", "pc-b"]), st.sampled_from(["pc-a", "pc-b"]))  # fmt: skip
def test_conflicting_closes_keep_the_smaller_hlc(
    wall_a: int, wall_b: int, dev_a: str, dev_b: str
) -> None:
    hlc_a, hlc_b = f"{wall_a:013d}-00000-{dev_a}", f"{wall_b:013d}-00000-{dev_b}"
    events, a, b = _close_race(hlc_a, hlc_b)
    result = replay([*events, a, b])
    winner, loser = (a, b) if (a.hlc, a.id) < (b.hlc, b.id) else (b, a)
    assert result.projection is not None
    assert result.projection.closed_at == winner.at
    assert [e for e, _ in result.conflicts] == [loser]


def test_done_and_open_partition_the_states() -> None:
    assert OPEN | DONE == set(CaseState)
    assert not OPEN & DONE
    assert TERMINAL < DONE


def test_an_assignment_due_outside_1900_to_2199_still_assigns_on_the_rules_deadline() -> None:
    """Found in review: a 交办 an older hub stored with its due date in year 9999 was left out
    of the state, and with it every later event (the 签收 of a case never assigned)."""
    events = run(PATHS[S.ACCEPTED])[1]
    at = events[-1].at
    assign = Event(A.ASSIGN, at + dt.timedelta(hours=1), "9" * 13 + "-00001-pc", None,
                   {"unit_id": "unit-1", "unit_name": "青山司法所", "due_date": "9999-12-31"},
                   "assign")  # fmt: skip
    sign = Event(A.SIGN, at + dt.timedelta(hours=2), "9" * 13 + "-00002-pc", None,
                 {"signer": "王五"}, "sign")  # fmt: skip
    result = replay([*events, assign, sign])
    assert result.conflicts == ()
    assert [e for e, _ in result.partly] == [assign]
    assert "9999" in result.partly[0][1] and "按规则" in result.partly[0][1]
    proj = result.projection
    assert proj is not None and proj.state is S.HANDLING
    assert proj.assignee_unit_id == "unit-1" and proj.due_override is None
    assert proj.event_count == len(events) + 2
    # the same assignment with a usable date keeps it
    fine = replay([*events, replace(assign, payload={**assign.payload, "due_date": "2026-12-31"})])
    assert fine.partly == () and fine.projection is not None
    assert fine.projection.due_override == dt.date(2026, 12, 31)
