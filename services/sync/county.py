"""County mode (县级模式): assign down (交办), supervise (督办), answer escalations (上报).

A PC with a county-wide token sees every township's cases after sync; what it records here are
ordinary case events owned by the county, which flow down to the township at the next sync.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select

from services.cases.actions import perform
from services.context import ServiceContext
from services.domain.dto import ActionResult
from services.domain.errors import ServiceError, ValidationError
from services.domain.workflow import OPEN, CaseState
from services.store.models import Case, OrgUnit, SyncState

OPEN_STATES = tuple(s.value for s in OPEN)


@dataclass(frozen=True, slots=True)
class TownshipOverview:
    """One township as the county sees it (各乡镇概况)."""

    township_id: str
    name: str
    code: str | None
    open_cases: int
    escalated: int
    overdue: int
    red: int


@dataclass(frozen=True, slots=True)
class EscalationItem:
    """A case escalated to the county, waiting for its answer (待县级答复的上报)."""

    case_id: str
    code: str
    title: str
    township_id: str
    township_name: str
    registered_at: dt.datetime
    risk_colour: str


def is_county(ctx: ServiceContext) -> bool:
    with ctx.store.read() as session:
        state = session.get(SyncState, 1)
        return state is not None and state.scope == "county"


def _require_county(ctx: ServiceContext) -> None:
    if not is_county(ctx):
        raise ServiceError("county.only", "该操作只能在使用县级令牌的工作台上进行")


def assign_down(ctx: ServiceContext, case_id: str, unit_id: str, opinion: str,
                due_date: dt.date | None = None) -> ActionResult:  # fmt: skip
    """交办: assign a township's case to a handling unit, optionally with a due date."""
    _require_county(ctx)
    payload: dict[str, Any] = {"unit_id": unit_id, "opinion": opinion, "by": "county"}
    if due_date is not None:
        payload["due_date"] = due_date.isoformat()
    return perform(ctx, case_id, "assign", payload)


def supervise(ctx: ServiceContext, case_id: str, level: str, opinion: str) -> ActionResult:
    """督办: supervise a township's case at ``level`` (reminder / yellow / red)."""
    _require_county(ctx)
    return perform(ctx, case_id, "supervise", {"level": level, "opinion": opinion,
                                               "by": "county"})  # fmt: skip


def answer_escalation(ctx: ServiceContext, case_id: str, answer: str, *,
                      close: bool = False) -> ActionResult:  # fmt: skip
    """Answer an escalation (上报答复): feedback for the township, or close it at county level."""
    _require_county(ctx)
    if not answer.strip():
        raise ValidationError("answer", "escalation.answer", "请填写答复意见")
    payload: Mapping[str, Any] = (
        {"closure_type": "county_closed", "opinion": answer, "by": "county"}
        if close else {"result": answer, "by": "county"}
    )  # fmt: skip
    return perform(ctx, case_id, "close" if close else "feedback", payload)


def escalations(ctx: ServiceContext, township_id: str | None = None,
                limit: int = 200) -> tuple[EscalationItem, ...]:  # fmt: skip
    """Cases escalated to the county and not yet answered, oldest first."""
    with ctx.store.read() as session:  # a village's 上报 stops at the township: not listed
        query = (select(Case, OrgUnit.name).join(OrgUnit, OrgUnit.id == Case.township_id)
                 .where(Case.state == CaseState.ESCALATED.value,
                        Case.handling_level == "county"))  # fmt: skip
        if township_id:
            query = query.where(Case.township_id == township_id)
        rows = session.execute(query.order_by(Case.registered_at).limit(limit)).all()
        return tuple(EscalationItem(c.id, c.code, c.title, c.township_id, name, c.registered_at,
                                    c.risk_colour) for c, name in rows)  # fmt: skip


def township_overview(ctx: ServiceContext,
                      now: dt.datetime | None = None) -> tuple[TownshipOverview, ...]:  # fmt: skip
    """Open, escalated, overdue and red cases per township (the county's first screen)."""
    now = now or ctx.now()
    is_open = Case.state.in_(OPEN_STATES)

    def count_if(cond: Any) -> Any:
        return func.sum(case((cond, 1), else_=0))

    with ctx.store.read() as session:
        rows = session.execute(
            select(OrgUnit.id, OrgUnit.name, OrgUnit.code, count_if(is_open),
                   count_if(Case.state == CaseState.ESCALATED.value),
                   count_if(is_open & (Case.due_at < now)),
                   count_if(is_open & (Case.risk_colour == "red")))
            .join(Case, Case.township_id == OrgUnit.id, isouter=True)
            .where(OrgUnit.kind == "township").group_by(OrgUnit.id).order_by(OrgUnit.code)
        ).all()  # fmt: skip
        return tuple(TownshipOverview(r[0], r[1], r[2], int(r[3] or 0), int(r[4] or 0),
                                      int(r[5] or 0), int(r[6] or 0)) for r in rows)  # fmt: skip
