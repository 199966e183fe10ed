"""Rooms driving the case: a booking starts (or continues) the case's mediation step (调解) and
its statutory 人民调解 clock; a session record's outcome is the case's mediation result (调解结果).

Both are case events written in the caller's unit of work, so a refused booking or session leaves
the case as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.cases.events import perform_in, replay_case
from services.context import ServiceContext
from services.domain.errors import ConflictError, NotFoundError
from services.domain.messages import msg
from services.domain.workflow import STATE_LABELS, Action, CaseProjection, CaseState
from services.store.models import CaseEvent

S = CaseState
OUTCOME_RESULTS = {"达成": "reached", "未达成": "not_reached", "继续调解": "continuing"}
# States from which a booking or a session (re)starts mediation (调解): after 受理/研判, or the
# next session after one that did not reach agreement.
MEDIATE_FROM = frozenset({S.ACCEPTED, S.ASSESSED, S.MEDIATION_FAILED})


def projection_of(session: Session, case_id: str) -> CaseProjection:
    proj = replay_case(session, case_id).projection
    if proj is None:
        raise NotFoundError("case.no_events", "案件记录不完整，请同步后重试")
    return proj


def refuse_closed(proj: CaseProjection, what: str) -> None:
    """Nothing is booked or recorded for a voided or closed case."""
    if proj.state is S.VOIDED:
        raise ConflictError("case.voided", msg("该案已作废，不能{what}", what=what))
    if not proj.is_open:
        raise ConflictError(
            "case.closed", msg("该案{state}，不能{what}", state=STATE_LABELS[proj.state], what=what)
        )


def _mediate(session: Session, ctx: ServiceContext, case_id: str, proj: CaseProjection,
             mediators: Sequence[str], at: dt.datetime, note: str) -> CaseProjection:  # fmt: skip
    payload = {"mediator": "、".join(m for m in mediators if m) or "待定", "note": note}
    return perform_in(session, ctx, case_id, Action.MEDIATE, payload, at, projection=proj)


def start_mediation(
    session: Session, ctx: ServiceContext, case_id: str, mediators: Sequence[str]
) -> list[str]:
    """A booking for the case: start its mediation step (and clock) unless it is running;
    returns a warning when the case is at a step a booking does not change."""
    proj = projection_of(session, case_id)
    refuse_closed(proj, "预约调解")
    if proj.state in MEDIATE_FROM:
        _mediate(session, ctx, case_id, proj, mediators, ctx.now(), "预约调解室")
        return []
    if proj.state is S.MEDIATING:
        return []
    return [
        msg("案件当前为“{state}”，本次预约不改变案件的办理环节", state=STATE_LABELS[proj.state])
    ]


def check_recordable(session: Session, case_id: str) -> CaseProjection:
    """Refuse a session record for a case that is voided, closed or at another step."""
    proj = projection_of(session, case_id)
    refuse_closed(proj, "登记调解记录")
    if proj.state not in MEDIATE_FROM and proj.state is not S.MEDIATING:
        raise ConflictError("session.case_state",
                            msg("案件当前为“{state}”，不在调解环节，不能登记调解记录",
                                state=STATE_LABELS[proj.state]))  # fmt: skip
    return proj


def record_result(session: Session, ctx: ServiceContext, proj: CaseProjection, case_id: str,
                  session_id: str, outcome: str, presiding: str) -> None:  # fmt: skip
    """The session's outcome becomes the case's mediation result (达成 → 待评价 → 办结;
    未达成 → 调解未成: next session, 交办 or 终止调解; 继续调解 → stays 调解中)."""
    now = ctx.now()
    if proj.state in MEDIATE_FROM:
        proj = _mediate(session, ctx, case_id, proj, [presiding], now, "登记调解记录")
    payload = {"result": OUTCOME_RESULTS[outcome], "session_id": session_id,
               "mediator": presiding}  # fmt: skip
    perform_in(session, ctx, case_id, Action.MEDIATION_RESULT, payload, now, projection=proj)


def last_result_session(session: Session, case_id: str) -> str | None:
    """The session whose outcome gave the case's latest mediation result."""
    rows = session.scalars(select(CaseEvent).where(
        CaseEvent.case_id == case_id, CaseEvent.action == Action.MEDIATION_RESULT.value
    ).order_by(CaseEvent.hlc.desc()).limit(1))  # fmt: skip
    last = rows.first()
    return str(last.payload.get("session_id") or "") or None if last else None


def revise_result(session: Session, ctx: ServiceContext, case_id: str, session_id: str,
                  outcome: str | None, reason: str) -> None:  # fmt: skip
    """A corrected (new ``outcome``) or voided (``None``) record revises the result it gave.

    Only the record that gave the case's latest result, while the case is still at the step that
    result led to; a voided record sends the case back to 调解中.
    """
    proj = projection_of(session, case_id)
    if last_result_session(session, case_id) != session_id:
        return
    if proj.state not in (S.MEDIATING, S.MEDIATION_FAILED, S.EVALUATION_PENDING) or (
        proj.evaluation is not None
    ):
        raise ConflictError("session.case_moved_on",
                            msg("案件已进入“{state}”环节，不能再更改这次调解的结果",
                                state=STATE_LABELS[proj.state]))  # fmt: skip
    result = OUTCOME_RESULTS[outcome] if outcome else "continuing"
    if proj.state is S.MEDIATING and result == "continuing":
        return  # already 调解中: nothing to revise
    payload = {"result": result, "session_id": session_id, "correction": True, "reason": reason}
    perform_in(session, ctx, case_id, Action.MEDIATION_RESULT, payload, ctx.now(),
               projection=proj)  # fmt: skip
