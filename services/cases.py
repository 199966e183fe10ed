"""Case actions: append a case_event, replay, and refresh the case's projection columns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.deadlines import CaseClocks, case_clocks, supervision_level
from services.dto import (
    ActionResult,
    CaseDetail,
    Changes,
    ClockInfo,
    PartyView,
    TimelineEntry,
)
from services.errors import NotFoundError, ValidationError
from services.ids import uuid7
from services.store.models import AppUser, Case, CaseEvent, CaseParty, OrgUnit, Person
from services.summaries import person_summary
from services.textutil import clean_text
from services.workcalendar import remaining_working_days
from services.workflow import (
    ACTION_LABELS,
    STATE_LABELS,
    Action,
    CaseProjection,
    Event,
    Replay,
    allowed_actions,
    apply,
    replay,
)

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


def _event(row: CaseEvent) -> Event:
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
    return replay(_event(r) for r in load_events(session, case_id))


def get_case_row(session: Session, case_id: str) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFoundError("case.not_found", "找不到该案件，可能已被删除或尚未同步")
    return case


def refresh_projection(
    case: Case, proj: CaseProjection, clocks: CaseClocks, now: dt.datetime
) -> None:
    """Copy the derived state onto the case row (what the ledger filters and sorts on)."""
    case.state = proj.state.value
    case.risk_colour = proj.risk_colour
    case.risk_basis = proj.risk_basis
    case.handling_level = proj.handling_level
    case.category_code = proj.category_code
    case.assignee_unit_id = proj.assignee_unit_id
    case.rework_count = proj.rework_count
    case.event_count = proj.event_count
    case.closed_at = proj.closed_at
    case.clock_paused = proj.clock_paused
    resolve = clocks.resolve
    case.due_at = resolve.due_at if resolve else None
    case.remind_at = resolve.remind_at if resolve else None
    case.yellow_at = resolve.yellow_at if resolve else None
    case.due_provisional = bool(resolve and resolve.provisional)
    case.supervision_level = supervision_level(proj, clocks, now)


def record(
    session: Session,
    ctx: ServiceContext,
    case: Case,
    proj: CaseProjection | None,
    action: Action,
    payload: Mapping[str, Any],
    at: dt.datetime,
) -> CaseProjection:
    """Validate and append one event, then refresh the projection; raises before writing."""
    clean = _clean_payload(payload)
    hlc = ctx.clock.now().encode()
    event_id = uuid7()
    new = apply(proj, Event(action, at, hlc, ctx.user_id, clean, event_id))
    session.add(
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
            {"risk_colour": "red", "basis": basis, "auto": True}, at,
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


def perform(
    ctx: ServiceContext, case_id: str, action: str, payload: Mapping[str, Any]
) -> ActionResult:
    """Take one action on a case in one transaction (one user action = one unit of work)."""
    try:
        act = Action(action)
    except ValueError:
        raise ValidationError("action", "action.unknown", f"未知操作：{action}") from None
    if act is Action.REGISTER:
        raise ValidationError("action", "action.register", "请通过接待登记登记新案件")

    def work(session: Session) -> ActionResult:
        perform_in(session, ctx, case_id, act, payload, ctx.now())
        return ActionResult(case_detail(session, ctx, case_id), Changes(frozenset({case_id})))

    return ctx.store.run_write(work)


def perform_in(
    session: Session, ctx: ServiceContext, case_id: str, action: Action,
    payload: Mapping[str, Any], at: dt.datetime, *, projection: CaseProjection | None = None,
) -> CaseProjection:  # fmt: skip
    """The body of :func:`perform`, inside the caller's unit of work.

    ``projection`` may carry the case's current projection when the caller has just computed it
    (batch work); otherwise the event log is replayed.
    """
    case = get_case_row(session, case_id)
    if action is Action.ASSIGN:
        payload = _with_unit(session, payload)
    current = projection if projection is not None else replay_case(session, case_id).projection
    # No action changes a case's title, texts or parties, so the search index stays as it is.
    return record(session, ctx, case, current, action, payload, at)


def _with_unit(session: Session, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Check the handling unit of a 交办 exists and take its name from the organisation tree."""
    unit_id = payload.get("unit_id")
    unit = session.get(OrgUnit, unit_id) if isinstance(unit_id, str) and unit_id else None
    if unit is None:
        raise ValidationError("unit_id", "assign.unit_id", "请选择承办单位")
    return {**payload, "unit_name": unit.name}


def _clock_infos(
    clocks: CaseClocks, ctx: ServiceContext, session: Session, now: dt.datetime
) -> tuple[ClockInfo, ...]:
    out = []
    for name, due in (("resolve", clocks.resolve), ("sign", clocks.sign),
                      ("mediation", clocks.mediation)):  # fmt: skip
        if due is None:
            continue
        left = remaining_working_days(due, now, ctx.calendar(session))
        out.append(ClockInfo(name, due.due_at, left, due.provisional, due.paused))
    return tuple(out)


def case_detail(session: Session, ctx: ServiceContext, case_id: str) -> CaseDetail:
    """Everything the case file screen shows, with personal data masked."""
    case = get_case_row(session, case_id)
    result = replay_case(session, case_id)
    proj = result.projection
    if proj is None:
        raise NotFoundError("case.no_events", "案件记录不完整，请同步后重试")
    now = ctx.now()
    clocks = case_clocks(proj, ctx.rules(session), ctx.calendar(session), now)
    rows = session.execute(
        select(CaseParty, Person)
        .join(Person, Person.id == CaseParty.person_id)
        .where(CaseParty.case_id == case_id)
        .order_by(CaseParty.sort_order)
    ).all()
    parties = tuple(PartyView(person_summary(p), cp.role) for cp, p in rows)
    conflicts = {e.id: why for e, why in result.conflicts}
    events = load_events(session, case_id)
    actor_ids = {e.actor_id for e in events if e.actor_id}
    names: dict[str, str] = {}
    if actor_ids:
        query = select(AppUser.id, AppUser.display_name).where(AppUser.id.in_(actor_ids))
        names = {str(uid): str(name) for uid, name in session.execute(query).all()}
    timeline = tuple(
        TimelineEntry(
            e.id,
            e.action,
            ACTION_LABELS[Action(e.action)],
            e.occurred_at,
            names.get(e.actor_id or "", e.actor_id),
            dict(e.payload),
            conflicts.get(e.id, ""),
        )  # fmt: skip
        for e in events
    )
    notices = (clocks.notice,) if clocks.notice else ()
    return CaseDetail(
        id=case.id,
        code=case.code,
        title=case.title,
        summary=case.summary,
        description=case.description,
        category_code=proj.category_code,
        risk_colour=proj.risk_colour,
        risk_basis=proj.risk_basis,
        handling_level=proj.handling_level,
        state=proj.state.value,
        state_label=STATE_LABELS[proj.state],
        supervision_level=supervision_level(proj, clocks, now),
        registered_at=case.registered_at,
        assignee_unit_name=proj.assignee_unit_name,
        rework_count=proj.rework_count,
        parties=parties,
        clocks=_clock_infos(clocks, ctx, session, now),
        timeline=timeline,
        allowed_actions=tuple(a.value for a in allowed_actions(proj)),
        notices=notices,
    )


def get_case(ctx: ServiceContext, case_id: str) -> CaseDetail:
    with ctx.store.read() as session:
        return case_detail(session, ctx, case_id)


def refresh_provisional(ctx: ServiceContext) -> int:
    """Recompute the stored deadlines of open cases that were provisional (临时期限).

    Call after importing a holiday schedule: the ledger and the overdue scan read the stored
    columns, which otherwise stay provisional until each case's next event.
    """

    def work(session: Session) -> int:
        ctx.invalidate()
        ids = list(session.scalars(select(Case.id).where(Case.due_provisional.is_(True))))
        now = ctx.now()
        for case_id in ids:
            case = get_case_row(session, case_id)
            proj = replay_case(session, case_id).projection
            if proj is not None:
                clocks = case_clocks(proj, ctx.rules(session), ctx.calendar(session), now)
                refresh_projection(case, proj, clocks, now)
        return len(ids)

    return ctx.store.run_write(work)
