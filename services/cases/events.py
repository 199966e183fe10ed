"""Case actions: append a case_event, replay, and refresh the case's projection columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.access import action_permission
from services.domain.deadlines import CaseClocks, case_clocks, ledger_marks, supervision_level
from services.domain.errors import NotFoundError, ValidationError
from services.domain.ids import uuid7
from services.domain.textutil import clean_text
from services.domain.workflow import (
    Action,
    CaseProjection,
    Event,
    Replay,
    apply,
    replay,
)
from services.store.models import Case, CaseEvent, OrgUnit

TEXT_FIELDS = ("reason", "answer", "opinion", "result", "basis", "risk_basis", "note")
MAX_OPINION = 2000


def _jsonable(payload: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in payload.items():
        if isinstance(value, dt.datetime | dt.date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


def _clean_payload(payload: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = dict(payload)
    for key in TEXT_FIELDS:
        value = cleaned.get(key)
        if isinstance(value, str):
            cleaned[key] = clean_text(value, key, "意见", max_len=MAX_OPINION)
    return _jsonable(cleaned)


def to_event(row: CaseEvent) -> Event:
    return Event(
        action=Action(row.action),
        at=row.occurred_at,
        hlc=row.hlc,
        actor=row.actor_id,
        payload=row.payload,
        id=row.id,
    )


def load_events(session: Session, case_id: str) -> list[CaseEvent]:
    return list(
        session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.hlc)
        )
    )


def replay_case(session: Session, case_id: str) -> Replay:
    return replay(to_event(r) for r in load_events(session, case_id))


def get_case_row(session: Session, case_id: str) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFoundError("case.not_found", "找不到该案件，可能已被删除或尚未同步")
    return case


def refresh_projection(
    case: Case, proj: CaseProjection, clocks: CaseClocks, now: dt.datetime
) -> None:
    """Copy the derived state onto the case row (what the ledger filters and sorts on).

    Only values that differ are set: a case left as it was stays clean for the flush."""
    due_at, remind_at, yellow_at, due_provisional = ledger_marks(clocks)
    values = {
        "state": proj.state.value,
        "risk_colour": proj.risk_colour,
        "risk_basis": proj.risk_basis,
        "handling_level": proj.handling_level,
        "category_code": proj.category_code,
        "assignee_unit_id": proj.assignee_unit_id,
        "rework_count": proj.rework_count,
        "event_count": proj.event_count,
        "closed_at": proj.closed_at,
        "clock_paused": proj.clock_paused,
        "due_at": due_at,
        "remind_at": remind_at,
        "yellow_at": yellow_at,
        "due_provisional": due_provisional,
        "supervision_level": supervision_level(proj, clocks, now),
    }
    for name, value in values.items():
        if getattr(case, name) != value:
            setattr(case, name, value)


def record(
    session: Session,
    ctx: ServiceContext,
    case: Case,
    proj: CaseProjection | None,
    action: Action,
    payload: Mapping[str, Any],
    at: dt.datetime,
    add: Callable[[CaseEvent], object] | None = None,
) -> CaseProjection:
    """Validate and append one event, then refresh the projection; raises before writing.

    ``add`` takes the new event instead of ``session.add`` (registration writes its new case's
    rows with Core: services.store.coreinsert)."""
    clean = _clean_payload(payload)
    hlc = ctx.clock.now().encode()
    event_id = uuid7()
    new = apply(proj, Event(action, at, hlc, ctx.user_id, clean, event_id))
    (add or session.add)(
        CaseEvent(
            id=event_id,
            case_id=case.id,
            seq=_next_seq(session, case.id) if proj is not None else _first_seq(session, case.id),
            action=action.value,
            actor_id=ctx.user_id,
            device_id=ctx.device_id,
            hlc=hlc,
            occurred_at=at,
            payload=clean,
        )
    )
    case.event_count = case.event_count + 1 if proj is not None else 1
    if action in (Action.REGISTER, Action.ASSESS) and _turned_red(proj, new):
        # A red grade always raises a 风险预警 (research/domain.md §1.6).
        basis = new.risk_basis or "定为红色风险"
        new = record(
            session, ctx, case, new, Action.WARN,
            {"risk_colour": "red", "basis": basis, "auto": True}, at, add,
        )  # fmt: skip
        return new
    clocks = case_clocks(new, ctx.rules(session), ctx.calendar(session), at)
    refresh_projection(case, new, clocks, at)
    return new


_SEQ_KEY = "case_event_seq"


def _next_seq(session: Session, case_id: str) -> int:
    """The next event number of a case: after every stored event, conflicting ones included.

    The number is looked up once per unit of work and then counted on in ``session.info``.
    """
    known: dict[str, int] = session.info.setdefault(_SEQ_KEY, {})
    if case_id not in known:
        top = session.scalar(select(func.max(CaseEvent.seq)).where(CaseEvent.case_id == case_id))
        known[case_id] = int(top or 0)
    known[case_id] += 1
    return known[case_id]


def _first_seq(session: Session, case_id: str) -> int:
    session.info.setdefault(_SEQ_KEY, {})[case_id] = 1
    return 1


def _turned_red(before: CaseProjection | None, after: CaseProjection) -> bool:
    return after.risk_colour == "red" and (before is None or before.risk_colour != "red")


def perform_in(
    session: Session, ctx: ServiceContext, case_id: str, action: Action,
    payload: Mapping[str, Any], at: dt.datetime, *, projection: CaseProjection | None = None,
) -> CaseProjection:  # fmt: skip
    """The body of :func:`perform`, inside the caller's unit of work.

    ``projection`` may carry the case's current projection when the caller has just computed it
    (batch work); otherwise the event log is replayed.

    Raises:
        PermissionDeniedError: the signed-in user's role may not take ``action``.
    """
    ctx.require(action_permission(action.value))
    case = get_case_row(session, case_id)
    if action is Action.ASSIGN:
        payload = _with_unit(session, payload)
    current = projection if projection is not None else replay_case(session, case_id).projection
    # No action changes a case's title, texts or parties, so the search index stays as it is.
    return record(session, ctx, case, current, action, payload, at)


def _with_unit(session: Session, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Check the handling unit of a 交办 exists and take its name from the organisation tree;
    the same for each 协办单位 (``co_unit_ids``, chosen from the tree, never typed)."""
    unit_id = payload.get("unit_id")
    unit = session.get(OrgUnit, unit_id) if isinstance(unit_id, str) and unit_id else None
    if unit is None:
        raise ValidationError("unit_id", "assign.unit_id", "请选择承办单位")
    out = {k: v for k, v in payload.items() if k != "co_unit_ids"}
    ids = payload.get("co_unit_ids") or ()
    if isinstance(ids, str) or not isinstance(ids, list | tuple):
        raise ValidationError("co_unit_ids", "assign.co_unit_ids", "协办单位应从组织机构中选择")
    co_units = []
    for co_id in dict.fromkeys(ids):
        co = session.get(OrgUnit, co_id) if isinstance(co_id, str) else None
        if co is None or not co.active:
            raise ValidationError("co_unit_ids", "assign.co_unit_ids", "协办单位不存在，请重新选择")
        if co.id == unit.id:
            raise ValidationError("co_unit_ids", "assign.co_unit_ids", "协办单位不能是承办单位本身")
        co_units.append({"id": co.id, "name": co.name})
    if co_units:
        out["co_units"] = co_units
    return {**out, "unit_name": unit.name}
