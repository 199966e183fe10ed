"""考核: handling units' and mediators' assessment over a period (承办单位及调解员考核).

Per unit, from the period's events: 交办 received, 按时签收 (signed within the 签收 rule after each
交办), 按期办结 (closures of its cases within the deadline, ``closure_fact``), 退回重办, 督办,
满意率. Per mediator, from the session records: 主持调解场次 and 调解成功率.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.deadlines import MILESTONE_SIGN, pick_rule
from services.domain.workcalendar import compute_due
from services.domain.workflow import Action, replay
from services.statistics.closures import on_time_of
from services.statistics.documents import prepare
from services.statistics.dto import RATE_DEFINITIONS, ROUNDING_NOTE, percent
from services.statistics.freshness import freshness
from services.statistics.periods import Period, cutoff_of
from services.statistics.report_dto import ReportDocument, ReportSection, ReportTable
from services.statistics.snapshot import events_before, period_events
from services.store.models import Case, MediationSession, Mediator, OrgUnit

UNIT_COLUMNS = ("承办单位", "受理交办", "按时签收", "签收及时率", "办结", "按期办结", "按期办结率",
                "退回重办", "收到督办", "已评价", "满意率")  # fmt: skip
MEDIATOR_COLUMNS = ("调解员", "主持场次", "达成协议", "未达成", "继续调解", "调解成功率")


@dataclass
class _Unit:
    received: int = 0
    signed_on_time: int = 0
    closed: int = 0
    closed_on_time: int = 0
    send_backs: int = 0
    supervisions: int = 0
    evaluations: dict[str, str] = field(default_factory=dict)


def _sign_on_time(
    session: Session,
    ctx: ServiceContext,
    assign_case: str,
    assigned_at: dt.datetime,
    signed_at: dt.datetime | None,
) -> bool:
    """Whether the sign-off came within the 签收 rule counted from the 交办."""
    if signed_at is None:
        return False
    events = events_before(session, [assign_case], assigned_at + dt.timedelta(microseconds=1))
    proj = replay(events.get(assign_case, ())).projection
    if proj is None:
        return True
    rule = pick_rule(
        ctx.rules(session),
        proj.handling_level,
        proj.category_code,
        proj.risk_colour,
        MILESTONE_SIGN,
    )
    if rule is None:
        return True
    due = compute_due(assigned_at, rule.amount, rule.unit, ctx.calendar(session), now=signed_at)
    return signed_at <= due.due_at


def _units(
    session: Session, ctx: ServiceContext, start: dt.datetime, end: dt.datetime
) -> dict[str, _Unit]:
    acts = (
        Action.ASSIGN,
        Action.SIGN,
        Action.SEND_BACK,
        Action.SUPERVISE,
        Action.EVALUATE,
        Action.CLOSE,
    )
    events = period_events(session, start, end, acts, township_id=ctx.township_id)
    units: dict[str, _Unit] = defaultdict(_Unit)
    holder: dict[str, str] = {}  # case -> unit holding it (as of the event)
    pending: dict[str, tuple[str, dt.datetime]] = {}  # case -> (unit, assigned at)
    ids = {e.case_id for e in events}
    current = (
        dict(session.execute(select(Case.id, Case.assignee_unit_id).where(Case.id.in_(ids))).all())
        if ids
        else {}
    )
    closes: dict[str, dt.datetime] = {}
    close_unit: dict[str, str] = {}
    for e in events:
        unit = holder.get(e.case_id) or current.get(e.case_id)
        if e.action == Action.ASSIGN.value:
            unit = str(e.payload.get("unit_id"))
            holder[e.case_id] = unit
            units[unit].received += 1
            pending[e.case_id] = (unit, e.at)
        elif e.action == Action.SIGN.value and e.case_id in pending:
            u, at = pending.pop(e.case_id)
            units[u].signed_on_time += _sign_on_time(session, ctx, e.case_id, at, e.at)
        elif unit is None:
            continue
        elif e.action == Action.SEND_BACK.value:
            units[unit].send_backs += 1
        elif e.action == Action.SUPERVISE.value:
            units[unit].supervisions += 1
        elif e.action == Action.EVALUATE.value:
            units[unit].evaluations[e.case_id] = str(e.payload.get("evaluation"))
        elif e.action == Action.CLOSE.value:
            closes[e.case_id], close_unit[e.case_id] = e.at, unit
    for case_id, ok in on_time_of(session, closes).items():
        units[close_unit[case_id]].closed += 1
        units[close_unit[case_id]].closed_on_time += ok
    return units


def _unit_rows(units: dict[str, _Unit], names: dict[str, str]) -> tuple[tuple[str, ...], ...]:
    rows = []
    for unit_id, u in sorted(units.items(), key=lambda kv: names.get(kv[0], kv[0])):
        good = sum(1 for v in u.evaluations.values() if v in ("satisfied", "basically"))
        rows.append(
            (
                names.get(unit_id, unit_id),
                str(u.received),
                str(u.signed_on_time),
                percent(u.signed_on_time, u.received),
                str(u.closed),
                str(u.closed_on_time),
                percent(u.closed_on_time, u.closed),
                str(u.send_backs),
                str(u.supervisions),
                str(len(u.evaluations)),
                percent(good, len(u.evaluations)),
            )
        )
    return tuple(rows)


def _mediator_rows(
    session: Session, start: dt.datetime, end: dt.datetime, township_id: str | None
) -> tuple[tuple[str, ...], ...]:
    query = (
        select(Mediator.name, MediationSession.outcome)
        .join(Mediator, Mediator.id == MediationSession.presiding_id)
        .where(
            MediationSession.started_at >= start,
            MediationSession.started_at < end,
            MediationSession.recorded_at < end,
        )
    )
    if township_id:
        query = query.where(Mediator.township_id == township_id)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for name, outcome in session.execute(query):
        counts[name][outcome] += 1
    rows = []
    for name, c in sorted(counts.items()):
        total = sum(c.values())
        rows.append(
            (
                name,
                str(total),
                str(c["达成"]),
                str(c["未达成"]),
                str(c["继续调解"]),
                percent(c["达成"], c["达成"] + c["未达成"]),
            )
        )
    return tuple(rows)


def build_assessment(ctx: ServiceContext, period: Period) -> ReportDocument:
    """The 考核 of handling units and mediators for ``period`` as of its cut-off."""
    prepare(ctx)
    cutoff = cutoff_of(period, ctx.now())
    start = period.begin
    with ctx.store.read() as session:
        names = {i: n for i, n in session.execute(select(OrgUnit.id, OrgUnit.name))}
        units = _units(session, ctx, start, cutoff)
        mediators = _mediator_rows(session, start, cutoff, ctx.township_id)
        issuer = f"{names.get(ctx.township_id or '', '县')}综治中心"
        notes = (
            "注：签收及时率＝在签收时限内签收的交办件数÷受理交办件数×100%。",
            f"注：{RATE_DEFINITIONS['on_time'][1]}",
            f"注：{RATE_DEFINITIONS['satisfaction'][1]}",
            f"注：{RATE_DEFINITIONS['mediation_success'][1]}（按主持调解场次计）",
            ROUNDING_NOTE,
            f"数据截止时间：{cutoff:%Y年%m月%d日 %H:%M}。",
            *(f"{f.text(cutoff)}。" for f in freshness(session, ctx)),
        )
    return ReportDocument(
        kind="assessment",
        title=f"{issuer}承办单位及调解员考核表",
        issuer=issuer,
        period_label=period.label,
        cutoff_text=f"数据截止：{cutoff:%Y年%m月%d日 %H:%M}",
        sections=(
            ReportSection(
                "一、承办单位考核",
                tables=(
                    ReportTable(
                        "units", "承办单位办理情况", UNIT_COLUMNS, _unit_rows(units, names)
                    ),
                ),
            ),
            ReportSection(
                "二、调解员考核",
                tables=(ReportTable("mediators", "调解员工作情况", MEDIATOR_COLUMNS, mediators),),
            ),
        ),
        footnotes=notes,
        signatures=("签发人：", "制表人："),
    )
