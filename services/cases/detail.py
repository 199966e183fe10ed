"""The case file (案件详情): everything one case shows, personal data masked."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.cases.events import get_case_row, load_events, replay_case
from services.context import ServiceContext
from services.domain.access import action_permission
from services.domain.deadlines import CaseClocks, case_clocks, supervision_level
from services.domain.dto import CaseDetail, ClockInfo, CoUnitInfo, PartyView, TimelineEntry
from services.domain.errors import NotFoundError
from services.domain.workcalendar import remaining_working_days
from services.domain.workflow import ACTION_LABELS, STATE_LABELS, Action, allowed_actions
from services.people.summaries import person_summary
from services.store.models import AppUser, CaseParty, Person


def _clock_infos(
    clocks: CaseClocks, ctx: ServiceContext, session: Session, now: dt.datetime
) -> tuple[ClockInfo, ...]:
    out = []
    for name, due in clocks.running():
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
    partly = {e.id: why for e, why in result.partly}
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
            partly.get(e.id, ""),
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
        allowed_actions=tuple(
            a.value for a in allowed_actions(proj) if ctx.allows(action_permission(a.value))
        ),
        notices=notices,
        co_units=tuple(
            CoUnitInfo(u.unit_id, u.name, u.signed_at, u.fed_back_at) for u in proj.co_units
        ),  # fmt: skip
    )


def get_case(ctx: ServiceContext, case_id: str) -> CaseDetail:
    with ctx.store.read() as session:
        return case_detail(session, ctx, case_id)
