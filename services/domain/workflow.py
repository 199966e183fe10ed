"""The case closed loop (闭环流程) as a pure state machine replayed from the case_event log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from services.domain.bounds import parse_date
from services.domain.enums import (
    ClosureType,
    Evaluation,
    HandlingLevel,
    MediationResult,
    RevisitOutcome,
    RiskColour,
    SupervisionLevel,
)
from services.domain.errors import TransitionError, ValidationError
from services.domain.messages import Text, msg


class CaseState(StrEnum):
    """Main states of a case (案件状态), research/domain.md §1.2."""

    REGISTERED = "registered"  # 已登记·待受理 (S1)
    ACCEPTED = "accepted"  # 已受理·待研判 (S2)
    ASSESSED = "assessed"  # 已研判 (S3)
    MEDIATING = "mediating"  # 调解中 (S4a)
    ASSIGNED = "assigned"  # 已交办·待签收 (S4b)
    HANDLING = "handling"  # 承办中 (S5)
    EXTENSION_PENDING = "extension_pending"  # 延期审核中 (S5d)
    FEEDBACK_PENDING = "feedback_pending"  # 已反馈·待审核 (S6)
    MEDIATION_FAILED = "mediation_failed"  # 调解未成 (S6')
    ESCALATED = "escalated"  # 已上报 (S7)
    EVALUATION_PENDING = "evaluation_pending"  # 待评价 (S8)
    RESOLVED = "resolved"  # 已评价·待办结
    CLOSED = "closed"  # 已办结 (S9)
    ARCHIVED = "archived"  # 已归档·待回访
    FINISHED = "finished"  # 已回访·结案 (S11)
    ANSWERED = "answered"  # 咨询已答复 (X1)
    REJECTED = "rejected"  # 不予受理 (X2)
    VOIDED = "voided"  # 已作废


class Action(StrEnum):
    """Every action on a case (案件操作); each one appends a case_event."""

    REGISTER = "register"  # 登记
    ACCEPT = "accept"  # 受理
    REJECT = "reject"  # 不予受理
    ANSWER = "answer"  # 咨询当场答复
    ASSESS = "assess"  # 研判定级定色
    MEDIATE = "mediate"  # 调解
    MEDIATION_RESULT = "mediation_result"  # 调解结果
    ASSIGN = "assign"  # 交办
    SIGN = "sign"  # 签收
    CO_SIGN = "co_sign"  # 协办单位签收
    CO_FEEDBACK = "co_feedback"  # 协办单位反馈
    REQUEST_EXTENSION = "request_extension"  # 延期申请
    DECIDE_EXTENSION = "decide_extension"  # 延期审批
    FEEDBACK = "feedback"  # 反馈
    APPROVE = "approve"  # 审核通过
    SEND_BACK = "send_back"  # 退回重办
    ESCALATE = "escalate"  # 上报
    EVALUATE = "evaluate"  # 评价
    CLOSE = "close"  # 办结
    ARCHIVE = "archive"  # 归档
    REVISIT = "revisit"  # 回访
    VOID = "void"  # 作废
    SUPERVISE = "supervise"  # 督办
    CANCEL_SUPERVISION = "cancel_supervision"  # 取消督办
    WARN = "warn"  # 风险预警
    PAUSE_CLOCK = "pause_clock"  # 暂停计时
    RESUME_CLOCK = "resume_clock"  # 恢复计时


STATE_LABELS: Mapping[CaseState, str] = MappingProxyType(
    {
        CaseState.REGISTERED: "已登记待受理",
        CaseState.ACCEPTED: "已受理待研判",
        CaseState.ASSESSED: "已研判",
        CaseState.MEDIATING: "调解中",
        CaseState.ASSIGNED: "已交办待签收",
        CaseState.HANDLING: "承办中",
        CaseState.EXTENSION_PENDING: "延期审核中",
        CaseState.FEEDBACK_PENDING: "已反馈待审核",
        CaseState.MEDIATION_FAILED: "调解未成",
        CaseState.ESCALATED: "已上报",
        CaseState.EVALUATION_PENDING: "待评价",
        CaseState.RESOLVED: "已评价待办结",
        CaseState.CLOSED: "已办结",
        CaseState.ARCHIVED: "已归档待回访",
        CaseState.FINISHED: "已结案",
        CaseState.ANSWERED: "咨询已答复",
        CaseState.REJECTED: "不予受理",
        CaseState.VOIDED: "已作废",
    }
)

ACTION_LABELS: Mapping[Action, str] = MappingProxyType(
    {
        Action.REGISTER: "登记",
        Action.ACCEPT: "受理",
        Action.REJECT: "不予受理",
        Action.ANSWER: "当场答复",
        Action.ASSESS: "研判定级定色",
        Action.MEDIATE: "调解",
        Action.MEDIATION_RESULT: "登记调解结果",
        Action.ASSIGN: "交办",
        Action.SIGN: "签收",
        Action.CO_SIGN: "协办签收",
        Action.CO_FEEDBACK: "协办反馈",
        Action.REQUEST_EXTENSION: "延期申请",
        Action.DECIDE_EXTENSION: "延期审批",
        Action.FEEDBACK: "反馈",
        Action.APPROVE: "审核通过",
        Action.SEND_BACK: "退回重办",
        Action.ESCALATE: "上报",
        Action.EVALUATE: "评价",
        Action.CLOSE: "办结",
        Action.ARCHIVE: "归档",
        Action.REVISIT: "回访",
        Action.VOID: "作废",
        Action.SUPERVISE: "督办",
        Action.CANCEL_SUPERVISION: "取消督办",
        Action.WARN: "风险预警",
        Action.PAUSE_CLOCK: "暂停计时",
        Action.RESUME_CLOCK: "恢复计时",
    }
)

S = CaseState
# The handling clock (办结时限) runs while the case is being handled and stops at its own event
# (反馈, 调解达成); review, the citizen's evaluation and closing run clocks of their own.
RESOLVE_RUNNING: frozenset[CaseState] = frozenset({
    S.ACCEPTED, S.ASSESSED, S.MEDIATING, S.ASSIGNED, S.HANDLING, S.EXTENSION_PENDING,
    S.MEDIATION_FAILED, S.ESCALATED,
})  # fmt: skip
RESOLVE_STOPPED: frozenset[CaseState] = frozenset(
    {S.FEEDBACK_PENDING, S.EVALUATION_PENDING, S.RESOLVED}
)
# An assisting unit (协办单位) of a 交办 signs and feeds back while the lead unit handles the case.
CO_UNIT_STATES: frozenset[CaseState] = frozenset(
    {S.ASSIGNED, S.HANDLING, S.EXTENSION_PENDING, S.FEEDBACK_PENDING}
)
# 上报 goes one tier up (村 → 乡镇 → 县); a county case has no higher tier in this app.
NEXT_TIER: Mapping[str, str] = MappingProxyType({"village": "township", "township": "county"})
TERMINAL: frozenset[CaseState] = frozenset({S.FINISHED, S.ANSWERED, S.REJECTED, S.VOIDED})
DONE: frozenset[CaseState] = TERMINAL | {S.CLOSED, S.ARCHIVED}
OPEN: frozenset[CaseState] = frozenset(CaseState) - DONE
# The vocabularies' codes, in order (services.domain.enums holds them and their labels).
COLOURS = tuple(v.value for v in RiskColour)
LEVELS = tuple(v.value for v in HandlingLevel)
SUPERVISION_LEVELS = tuple(v.value for v in SupervisionLevel)
EVALUATIONS = tuple(v.value for v in Evaluation)
MEDIATION_RESULTS = tuple(v.value for v in MediationResult)
REVISIT_OUTCOMES = tuple(v.value for v in RevisitOutcome)
CLOSURE_TYPES = tuple(v.value for v in ClosureType)

# (state, action) -> next state; None keeps the state (orthogonal actions).
_SAME = None
TRANSITIONS: Mapping[tuple[CaseState, Action], CaseState | None] = MappingProxyType(
    {
        (S.REGISTERED, Action.ACCEPT): S.ACCEPTED,
        (S.REGISTERED, Action.REJECT): S.REJECTED,
        (S.REGISTERED, Action.ANSWER): S.ANSWERED,
        (S.ACCEPTED, Action.ASSESS): S.ASSESSED,
        **{(s, Action.ASSESS): _SAME for s in OPEN - {S.REGISTERED, S.ACCEPTED}},
        (S.ACCEPTED, Action.MEDIATE): S.MEDIATING,
        (S.ASSESSED, Action.MEDIATE): S.MEDIATING,
        (S.MEDIATION_FAILED, Action.MEDIATE): S.MEDIATING,
        (S.MEDIATING, Action.MEDIATION_RESULT): S.MEDIATING,  # refined in _next_state
        **{
            (s, Action.ASSIGN): S.ASSIGNED
            for s in (S.ACCEPTED, S.ASSESSED, S.MEDIATION_FAILED, S.ESCALATED, S.ASSIGNED)
        },
        (S.ASSIGNED, Action.SIGN): S.HANDLING,
        (S.HANDLING, Action.REQUEST_EXTENSION): S.EXTENSION_PENDING,
        (S.EXTENSION_PENDING, Action.DECIDE_EXTENSION): S.HANDLING,
        (S.HANDLING, Action.FEEDBACK): S.FEEDBACK_PENDING,
        (S.ESCALATED, Action.FEEDBACK): S.FEEDBACK_PENDING,
        (S.FEEDBACK_PENDING, Action.APPROVE): S.EVALUATION_PENDING,
        (S.FEEDBACK_PENDING, Action.SEND_BACK): S.HANDLING,
        **{
            (s, Action.ESCALATE): S.ESCALATED
            for s in (
                S.ACCEPTED,
                S.ASSESSED,
                S.MEDIATING,
                S.MEDIATION_FAILED,
                S.HANDLING,
                S.ESCALATED,
            )
        },
        (S.EVALUATION_PENDING, Action.EVALUATE): S.RESOLVED,  # refined in _next_state
        (S.RESOLVED, Action.CLOSE): S.CLOSED,
        (S.EVALUATION_PENDING, Action.CLOSE): S.CLOSED,
        (S.MEDIATION_FAILED, Action.CLOSE): S.CLOSED,
        (S.ESCALATED, Action.CLOSE): S.CLOSED,
        (S.CLOSED, Action.ARCHIVE): S.ARCHIVED,
        (S.ARCHIVED, Action.REVISIT): S.FINISHED,  # refined in _next_state
        (S.CLOSED, Action.REVISIT): S.CLOSED,  # a revisit before archiving keeps it closed
        **{(s, Action.VOID): S.VOIDED for s in OPEN | {S.CLOSED}},
        **{(s, Action.SUPERVISE): _SAME for s in OPEN - {S.REGISTERED}},
        **{(s, Action.CANCEL_SUPERVISION): _SAME for s in OPEN - {S.REGISTERED}},
        **{(s, Action.CO_SIGN): _SAME for s in CO_UNIT_STATES},
        **{(s, Action.CO_FEEDBACK): _SAME for s in CO_UNIT_STATES},
        **{(s, Action.WARN): _SAME for s in OPEN},
        **{(s, Action.PAUSE_CLOCK): _SAME for s in OPEN - {S.REGISTERED}},
        **{(s, Action.RESUME_CLOCK): _SAME for s in OPEN - {S.REGISTERED}},
    }
)

# A corrected or voided session record revises the mediation result it gave (更正调解结果); not a
# user action of its own, so not in TRANSITIONS nor among the case file's buttons.
RESULT_CORRECTABLE: frozenset[CaseState] = frozenset({S.EVALUATION_PENDING, S.MEDIATION_FAILED})


def is_result_correction(
    projection: CaseProjection | None, action: Action, payload: Mapping[str, Any]
) -> bool:
    return (
        projection is not None
        and action is Action.MEDIATION_RESULT
        and projection.state in RESULT_CORRECTABLE
        and bool(payload.get("correction"))
    )


# Payload fields each action needs (必填项), checked before anything is written.
REQUIRED: Mapping[Action, tuple[str, ...]] = MappingProxyType(
    {
        Action.REGISTER: ("category_code", "handling_level", "risk_colour"),
        Action.REJECT: ("reason", "advised_channel"),
        Action.ANSWER: ("answer",),
        Action.ASSESS: ("risk_colour", "handling_level"),
        Action.MEDIATE: ("mediator",),
        Action.MEDIATION_RESULT: ("result",),
        Action.ASSIGN: ("unit_id", "unit_name"),
        Action.SIGN: ("signer",),
        Action.CO_SIGN: ("unit_id", "signer"),
        Action.CO_FEEDBACK: ("unit_id", "result"),
        Action.REQUEST_EXTENSION: ("days", "reason"),
        Action.DECIDE_EXTENSION: ("approved",),
        Action.FEEDBACK: ("result",),
        Action.SEND_BACK: ("opinion",),
        Action.ESCALATE: ("reason",),
        Action.EVALUATE: ("evaluation",),
        Action.CLOSE: ("closure_type",),
        Action.REVISIT: ("outcome",),
        Action.VOID: ("reason",),
        Action.SUPERVISE: ("level", "opinion"),
        Action.CANCEL_SUPERVISION: ("reason",),
        Action.WARN: ("risk_colour", "basis"),
        Action.PAUSE_CLOCK: ("reason",),
    }
)

FIELD_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "category_code": "纠纷类别",
        "handling_level": "办理层级",
        "risk_colour": "风险颜色",
        "risk_basis": "定色依据",
        "basis": "预警依据",
        "reason": "理由",
        "advised_channel": "告知的其他途径",
        "answer": "答复内容",
        "mediator": "调解员",
        "result": "结果",
        "unit_id": "承办单位",
        "unit_name": "承办单位",
        "signer": "签收人",
        "days": "延期天数",
        "approved": "审批意见",
        "opinion": "意见",
        "evaluation": "评价",
        "closure_type": "办结类型",
        "outcome": "回访结果",
        "level": "督办级别",
        "co_unit_ids": "协办单位",
    }
)


@dataclass(frozen=True, slots=True)
class Event:
    """One recorded action (案件流转记录) as the workflow sees it."""

    action: Action
    at: dt.datetime
    hlc: str
    actor: str | None = None
    payload: Mapping[str, Any] = field(default_factory=dict)
    id: str = ""


@dataclass(frozen=True, slots=True)
class ClockPause:
    """A stopped deadline clock (计时暂停) with its reason."""

    started_at: dt.datetime
    ended_at: dt.datetime | None
    reason: str


@dataclass(frozen=True, slots=True)
class CoUnit:
    """An assisting unit (协办单位) of the current 交办, with its own sign-off and feedback."""

    unit_id: str
    name: str
    signed_at: dt.datetime | None = None
    fed_back_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Grade:
    """A grading (定级定色) in force from ``at``: what picks the case's deadline rule."""

    at: dt.datetime
    handling_level: str
    category_code: str
    risk_colour: str


@dataclass(frozen=True, slots=True)
class CaseProjection:
    """The state of a case derived by replaying its events (案件当前状态)."""

    state: CaseState
    category_code: str
    risk_colour: str
    risk_basis: str
    handling_level: str
    registered_at: dt.datetime
    clock_started_at: dt.datetime | None = None
    assigned_at: dt.datetime | None = None
    assignee_unit_id: str | None = None
    assignee_unit_name: str | None = None
    due_override: dt.date | None = None
    extension_days: int = 0
    pending_extension_days: int = 0
    pauses: tuple[ClockPause, ...] = ()
    rework_count: int = 0
    dissatisfied: bool = False
    manual_supervision: str = "none"
    warnings_issued: int = 0
    escalated: bool = False
    mediation_started_at: dt.datetime | None = None
    evaluation: str | None = None
    closure_type: str | None = None
    closed_at: dt.datetime | None = None
    event_count: int = 1
    grades: tuple[Grade, ...] = ()  # every grading in order; a re-grade may start a new rule
    resolve_breaks: tuple[ClockPause, ...] = ()  # handling done (反馈) until sent back
    review_started_at: dt.datetime | None = None  # 反馈 awaiting the centre's 审核
    evaluation_started_at: dt.datetime | None = None  # awaiting the citizen's 评价
    revisited_at: dt.datetime | None = None  # 回访 done
    co_units: tuple[CoUnit, ...] = ()  # 协办单位 of the current 交办

    @property
    def resolve_stopped_at(self) -> dt.datetime | None:
        """When the handling clock stopped at its own event (反馈, 调解达成), if it stands now."""
        if self.resolve_breaks and self.resolve_breaks[-1].ended_at is None:
            return self.resolve_breaks[-1].started_at
        return None

    @property
    def clock_paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1].ended_at is None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN


@dataclass(frozen=True, slots=True)
class Replay:
    """Result of replaying an event log: the projection, the events left out as conflicts, and
    the events counted without a value the workflow cannot use (``partly``: a 交办 whose due date
    an older hub let through outside 1900-2199 still assigns the case, on the rule's deadline)."""

    projection: CaseProjection | None
    conflicts: tuple[tuple[Event, str], ...]
    partly: tuple[tuple[Event, str], ...] = ()


def allowed_actions(projection: CaseProjection) -> tuple[Action, ...]:
    """Actions a user may take now, in a stable order (for the case file's buttons)."""
    hidden = {Action.PAUSE_CLOCK if projection.clock_paused else Action.RESUME_CLOCK}
    if projection.manual_supervision == "none":
        hidden.add(Action.CANCEL_SUPERVISION)
    if projection.handling_level not in NEXT_TIER:
        hidden.add(Action.ESCALATE)
    if not any(u.signed_at is None for u in projection.co_units):
        hidden.add(Action.CO_SIGN)
    if not any(u.signed_at and u.fed_back_at is None for u in projection.co_units):
        hidden.add(Action.CO_FEEDBACK)
    return tuple(a for a in Action if (projection.state, a) in TRANSITIONS and a not in hidden)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _choice(action: Action, payload: Mapping[str, Any], key: str, options: Iterable[str]) -> None:
    value = payload.get(key)
    if value is not None and value not in tuple(options):
        raise ValidationError(key, f"{action.value}.{key}",
                              msg("{field}取值无效", field=FIELD_LABELS.get(key, key)))  # fmt: skip


def validate(projection: CaseProjection | None, action: Action, payload: Mapping[str, Any]) -> None:
    """Raise if ``action`` is not allowed now or its payload lacks a required field.

    Raises:
        TransitionError: the action is not allowed in the current state.
        ValidationError: a required field is missing or has a bad value.
    """
    if projection is None:
        if action is not Action.REGISTER:
            raise TransitionError("none", action.value, "案件尚未登记，只能先登记")
    elif action is Action.REGISTER:
        raise TransitionError(projection.state.value, action.value, "案件已登记，不能重复登记")
    elif (projection.state, action) not in TRANSITIONS and not is_result_correction(
        projection, action, payload
    ):
        raise TransitionError(
            projection.state.value,
            action.value,
            msg(
                "案件当前状态为“{state}”，不能执行“{action}”操作",
                state=STATE_LABELS[projection.state],
                action=ACTION_LABELS[action],
            ),
        )
    for key in REQUIRED.get(action, ()):
        if _blank(payload.get(key)):
            label = FIELD_LABELS.get(key, key)
            raise ValidationError(key, f"{action.value}.{key}.required",
                                  msg("请填写{label}", label=label))  # fmt: skip
    _check_values(projection, action, payload)


def _check_values(
    projection: CaseProjection | None, action: Action, payload: Mapping[str, Any]
) -> None:
    _choice(action, payload, "risk_colour", COLOURS)
    _choice(action, payload, "handling_level", LEVELS)
    _choice(action, payload, "evaluation", EVALUATIONS)
    _choice(action, payload, "outcome", REVISIT_OUTCOMES)
    _choice(action, payload, "closure_type", CLOSURE_TYPES)
    if action is Action.MEDIATION_RESULT:
        _choice(action, payload, "result", MEDIATION_RESULTS)
    if action is Action.SUPERVISE:
        _choice(action, payload, "level", SUPERVISION_LEVELS[1:])
    colour = payload.get("risk_colour")
    if action in (Action.REGISTER, Action.ASSESS) and colour in ("red", "orange", "yellow"):
        if _blank(payload.get("risk_basis")):
            raise ValidationError(
                "risk_basis", f"{action.value}.risk_basis.required", "黄色及以上风险须填写定色依据"
            )
    _check_extension(action, payload)
    _check_dates(action, payload)
    if projection is not None and action is Action.CLOSE:
        _check_close(projection, payload)
    if projection is not None:
        _check_projection_rules(projection, action, payload)


def _check_projection_rules(
    projection: CaseProjection, action: Action, payload: Mapping[str, Any]
) -> None:
    """上报 needs a tier above; 取消督办 a supervision; 协办 a unit of the 交办; the clock buttons
    their clock's state."""
    state = projection.state.value
    if action is Action.ESCALATE and projection.handling_level not in NEXT_TIER:
        raise TransitionError(state, action.value, "县级案件已是最高层级，不能继续上报")
    if action is Action.CANCEL_SUPERVISION and projection.manual_supervision == "none":
        raise TransitionError(state, action.value, "案件没有人工督办，无需取消")
    if action in (Action.CO_SIGN, Action.CO_FEEDBACK):
        _check_co_unit(projection, action, payload)
    if action is Action.RESUME_CLOCK and not projection.clock_paused:
        raise TransitionError(state, action.value, "计时未暂停，无需恢复")
    if action is Action.PAUSE_CLOCK and projection.clock_paused:
        raise TransitionError(state, action.value, "计时已暂停")


def _check_extension(action: Action, payload: Mapping[str, Any]) -> None:
    """延期: 1–60 days; a decision says yes or no, and a no gives its opinion."""
    if action is Action.REQUEST_EXTENSION or (
        action is Action.DECIDE_EXTENSION and payload.get("days") is not None
    ):
        days = payload.get("days")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 60:
            raise ValidationError("days", f"{action.value}.days", "延期天数须为1至60之间的整数")
    if action is Action.DECIDE_EXTENSION and not isinstance(payload.get("approved"), bool):
        raise ValidationError("approved", "decide_extension.approved", "请选择同意或不同意")
    if action is Action.DECIDE_EXTENSION and payload.get("approved") is False:
        if _blank(payload.get("opinion")):
            raise ValidationError("opinion", "decide_extension.opinion", "不同意延期须填写意见")


def _check_co_unit(projection: CaseProjection, action: Action, payload: Mapping[str, Any]) -> None:
    """协办: only a unit the 交办 named, signing once, feeding back once after signing."""
    unit = next((u for u in projection.co_units if u.unit_id == payload.get("unit_id")), None)
    state = projection.state.value
    if unit is None:
        raise ValidationError("unit_id", f"{action.value}.unit_id", "该单位不是本案的协办单位")
    if action is Action.CO_SIGN and unit.signed_at is not None:
        raise TransitionError(state, action.value, msg("{unit}已签收", unit=unit.name))
    if action is Action.CO_FEEDBACK and unit.signed_at is None:
        raise TransitionError(state, action.value, msg("{unit}尚未签收，不能反馈", unit=unit.name))
    if action is Action.CO_FEEDBACK and unit.fed_back_at is not None:
        raise TransitionError(state, action.value, msg("{unit}已反馈", unit=unit.name))


def _co_units(value: Any) -> tuple[CoUnit, ...]:
    """The 协办单位 of an 交办 payload: ``[{"id": …, "name": …}, …]``."""
    if not isinstance(value, list):
        return ()
    return tuple(CoUnit(str(u["id"]), str(u.get("name") or "")) for u in value
                 if isinstance(u, dict) and u.get("id"))  # fmt: skip


def _co_unit_done(proj: CaseProjection, unit_id: str, at: dt.datetime, *,
                  signed: bool) -> CaseProjection:  # fmt: skip
    def done(u: CoUnit) -> CoUnit:
        if u.unit_id != unit_id:
            return u
        return replace(u, signed_at=at) if signed else replace(u, fed_back_at=at)

    return replace(proj, co_units=tuple(done(u) for u in proj.co_units))


def _check_close(projection: CaseProjection, payload: Mapping[str, Any]) -> None:
    kind = payload.get("closure_type")
    expected = {
        S.RESOLVED: ("normal",),
        S.EVALUATION_PENDING: ("evaluation_timeout",),
        S.MEDIATION_FAILED: ("terminated_mediation",),
        S.ESCALATED: ("county_closed",),
    }.get(projection.state, ())
    if kind not in expected:
        raise ValidationError("closure_type", "close.closure_type", "办结类型与案件当前状态不符")
    if kind == "evaluation_timeout" and _blank(payload.get("reason")):
        raise ValidationError("reason", "close.reason.required", "未经评价办结须说明理由")


def _next_state(projection: CaseProjection, event: Event) -> CaseState:
    nxt = TRANSITIONS.get((projection.state, event.action), projection.state)
    p = event.payload
    if event.action is Action.MEDIATION_RESULT:
        return {"reached": S.EVALUATION_PENDING, "not_reached": S.MEDIATION_FAILED}.get(
            str(p.get("result")), S.MEDIATING
        )
    if event.action is Action.EVALUATE and p.get("evaluation") == "dissatisfied":
        return S.HANDLING if projection.assignee_unit_id else S.MEDIATING
    if event.action is Action.REVISIT and p.get("outcome") == "recurred":
        return S.ACCEPTED
    return projection.state if nxt is None else nxt


# Payload keys holding a date the deadline arithmetic reads (the hub checks their range).
PAYLOAD_DATES = ("due_date",)


def _check_dates(action: Action, payload: Mapping[str, Any]) -> None:
    """A payload date the deadline arithmetic reads is a date within 1900-2199: told as the
    field's error here, where a user typed it (办结期限 takes any confirmed year), rather than
    a ValueError out of the replay."""
    for key in PAYLOAD_DATES:
        try:
            _date(payload.get(key))
        except ValueError as exc:
            said = exc.args[0] if exc.args and isinstance(exc.args[0], Text) else None
            said = said or msg("{field}取值无效", field=FIELD_LABELS.get(key, key))
            raise ValidationError(key, f"{action.value}.{key}.invalid", said) from None


def _date(value: Any) -> dt.date | None:
    """A payload date; ValueError (the event is left out as a conflict) outside 1900-2199,
    where adding working days to it would overflow."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return parse_date(value.isoformat())
    if isinstance(value, str) and value:
        return parse_date(value)
    return None


def _register(event: Event) -> CaseProjection:
    p = event.payload
    return CaseProjection(
        state=S.REGISTERED,
        category_code=str(p["category_code"]),
        risk_colour=str(p["risk_colour"]),
        risk_basis=str(p.get("risk_basis") or ""),
        handling_level=str(p["handling_level"]),
        registered_at=event.at,
        warnings_issued=0,
        grades=(
            Grade(
                event.at, str(p["handling_level"]), str(p["category_code"]), str(p["risk_colour"])
            ),
        ),  # fmt: skip
    )


def _effects(proj: CaseProjection, event: Event) -> CaseProjection:
    """Field changes of one event apart from the state change."""
    p, a, at = event.payload, event.action, event.at
    handlers: dict[Action, Callable[[], CaseProjection]] = {
        Action.ACCEPT: lambda: replace(proj, clock_started_at=at),
        Action.ASSESS: lambda: replace(
            proj,
            risk_colour=str(p["risk_colour"]),
            risk_basis=str(p.get("risk_basis") or proj.risk_basis),
            handling_level=str(p["handling_level"]),
            category_code=str(p.get("category_code") or proj.category_code),
        ),
        Action.MEDIATE: lambda: replace(proj, mediation_started_at=proj.mediation_started_at or at),
        Action.ASSIGN: lambda: replace(
            proj,
            assigned_at=at,
            assignee_unit_id=str(p["unit_id"]),
            assignee_unit_name=str(p["unit_name"]),
            due_override=_date(p.get("due_date")) or proj.due_override,
            clock_started_at=proj.clock_started_at or at,
            co_units=_co_units(p.get("co_units")),
        ),
        Action.CO_SIGN: lambda: _co_unit_done(proj, str(p["unit_id"]), at, signed=True),
        Action.CO_FEEDBACK: lambda: _co_unit_done(proj, str(p["unit_id"]), at, signed=False),
        Action.SIGN: lambda: replace(proj, assigned_at=None),
        Action.REQUEST_EXTENSION: lambda: replace(proj, pending_extension_days=int(p["days"])),
        Action.DECIDE_EXTENSION: lambda: replace(
            proj,
            extension_days=proj.extension_days
            + (int(p.get("days") or proj.pending_extension_days) if p["approved"] else 0),
            pending_extension_days=0,
        ),
        Action.SEND_BACK: lambda: replace(proj, rework_count=proj.rework_count + 1),
        Action.ESCALATE: lambda: replace(
            proj,
            escalated=True,
            handling_level=NEXT_TIER[proj.handling_level],
            clock_started_at=at,
            extension_days=0,
            due_override=None,
        ),
        Action.EVALUATE: lambda: replace(
            proj,
            evaluation=str(p["evaluation"]),
            dissatisfied=proj.dissatisfied or p["evaluation"] == "dissatisfied",
            rework_count=proj.rework_count + (1 if p["evaluation"] == "dissatisfied" else 0),
        ),
        Action.CLOSE: lambda: replace(proj, closure_type=str(p["closure_type"]), closed_at=at),
        Action.REVISIT: lambda: (
            replace(
                proj,
                closed_at=None,
                closure_type=None,
                clock_started_at=at,
                evaluation=None,
                extension_days=0,
                due_override=None,
                mediation_started_at=None,
            )
            if p["outcome"] == "recurred"
            else replace(proj, revisited_at=at)
        ),
        Action.SUPERVISE: lambda: replace(proj, manual_supervision=str(p["level"])),
        Action.CANCEL_SUPERVISION: lambda: replace(proj, manual_supervision="none"),
        Action.WARN: lambda: replace(
            proj, warnings_issued=proj.warnings_issued + 1, risk_colour=str(p["risk_colour"])
        ),
        Action.PAUSE_CLOCK: lambda: replace(
            proj, pauses=(*proj.pauses, ClockPause(at, None, str(p["reason"])))
        ),
        Action.RESUME_CLOCK: lambda: replace(
            proj, pauses=(*proj.pauses[:-1], replace(proj.pauses[-1], ended_at=at))
        ),
    }
    handler = handlers.get(a)
    return handler() if handler else proj


def apply(projection: CaseProjection | None, event: Event) -> CaseProjection:
    """Validate ``event`` against ``projection`` and return the new projection (pure)."""
    validate(projection, event.action, event.payload)
    if projection is None:
        return _register(event)
    state = _next_state(projection, event)
    updated = _milestones(projection, _effects(projection, event), state, event.at)
    if state not in OPEN and updated.clock_paused:  # a closed case has no running clock
        updated = replace(
            updated, pauses=(*updated.pauses[:-1], replace(updated.pauses[-1], ended_at=event.at))
        )
    return replace(updated, state=state, event_count=projection.event_count + 1)


def _milestones(
    before: CaseProjection, after: CaseProjection, state: CaseState, at: dt.datetime
) -> CaseProjection:
    """Start and stop the milestone clocks at the events that enter and leave their states."""
    changes: dict[str, Any] = {}
    grade = (after.handling_level, after.category_code, after.risk_colour)
    last = after.grades[-1] if after.grades else None
    if last is None or grade != (last.handling_level, last.category_code, last.risk_colour):
        changes["grades"] = (*after.grades, Grade(at, *grade))
    breaks = after.resolve_breaks
    stopped = bool(breaks) and breaks[-1].ended_at is None
    if state in RESOLVE_STOPPED and not stopped:
        changes["resolve_breaks"] = (*breaks, ClockPause(at, None, "handled"))
    elif state in RESOLVE_RUNNING and stopped:
        changes["resolve_breaks"] = (*breaks[:-1], replace(breaks[-1], ended_at=at))
    if state is not before.state:
        if state is S.FEEDBACK_PENDING:
            changes["review_started_at"] = at
        if state is S.EVALUATION_PENDING:
            changes["evaluation_started_at"] = at
    return replace(after, **changes) if changes else after


def replay(events: Iterable[Event]) -> Replay:
    """Replay events in hybrid-logical-clock order; never raises.

    An event that is not valid where it falls (two PCs both closing the case, say) is left out of
    the derived state and returned as a conflict with its reason, for a director to settle.
    """
    projection: CaseProjection | None = None
    conflicts: list[tuple[Event, str]] = []
    partly: list[tuple[Event, str]] = []
    for event in sorted(events, key=lambda e: (e.hlc, e.id)):
        try:
            projection = apply(projection, event)
        except ValidationError as exc:
            kept = _without_bad_date(projection, event, exc)
            if kept is None:
                conflicts.append((event, exc.message))
            else:
                projection = kept
                partly.append((event, msg("{reason}，未计入，期限按规则计算", reason=exc.message)))
        except TransitionError as exc:
            conflicts.append((event, exc.message))
        except (KeyError, TypeError, ValueError) as exc:  # malformed payload from elsewhere
            conflicts.append((event, f"记录内容无效：{exc}"))
    return Replay(projection, tuple(conflicts), tuple(partly))


def _without_bad_date(
    projection: CaseProjection | None, event: Event, error: ValidationError
) -> CaseProjection | None:
    """The event applied without the payload date ``error`` names, when that date is a real
    date outside 1900-2199 and all that is wrong with it (no PC lets one be typed, but an older
    hub stored them); else None (a garbled date stays a conflict). Leaving the whole event out
    would also leave out everything after it (签收 of a case never assigned), so a real
    assignment would vanish from every PC that replays it."""
    if error.field not in PAYLOAD_DATES or projection is None:
        return None
    try:
        dt.date.fromisoformat(str(event.payload.get(error.field))[:10])
    except ValueError:
        return None
    payload = {k: v for k, v in event.payload.items() if k != error.field}
    try:
        return apply(projection, replace(event, payload=payload))
    except (TransitionError, ValidationError, KeyError, TypeError, ValueError):
        return None
