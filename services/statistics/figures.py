"""The figures of one report period (报告期统计), counted as of the data cut-off.

State figures (受理, 在办, 办结, 超期) come from :mod:`services.statistics.snapshot`; activity
figures (督办, 预警, 退回重办, 评价, 调解结果) from the events that occurred in the period; visits,
slips and room use from their own tables, each read as of the cut-off.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.workflow import Action
from services.statistics.closures import closes_between
from services.statistics.dto import Rate, make_rate
from services.statistics.periods import Period
from services.statistics.snapshot import (
    CaseFact,
    EventFact,
    period_events,
    snapshot,
)
from services.store.models import (
    Case,
    MediationAgreement,
    MediationSession,
    RoomBooking,
    Slip,
    Visit,
)

SUCCESS_CLOSURES = frozenset({"normal", "evaluation_timeout"})
_RECOLOUR = (Action.ASSESS.value, Action.WARN.value)
_COLOURING = (Action.REGISTER, Action.ASSESS, Action.WARN)
ACTIVITY = (
    Action.REGISTER,
    Action.CLOSE,
    Action.EVALUATE,
    Action.SUPERVISE,
    Action.WARN,
    Action.SEND_BACK,
    Action.ESCALATE,
    Action.ASSIGN,
    Action.SIGN,
    Action.MEDIATION_RESULT,
    Action.ASSESS,
    Action.VOID,
)


@dataclass(frozen=True, slots=True)
class Span:
    """``[start, end)`` clipped to the cut-off."""

    start: dt.datetime
    end: dt.datetime

    def has(self, moment: dt.datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end


@dataclass(frozen=True, slots=True)
class Activity:
    """Counts of what was done in a span."""

    supervisions: int
    red_warnings: int
    send_backs: int
    escalations: int
    assignments: int
    evaluated: int
    satisfied: int
    mediation_reached: int
    mediation_decided: int
    colour_changes: tuple[tuple[str, str, str], ...]  # (case id, from colour, to colour)


@dataclass(frozen=True, slots=True)
class Rooms:
    bookings: int
    hours: float
    sessions: int
    agreements: int
    agreement_amount_cents: int


@dataclass(frozen=True, slots=True)
class Visits:
    batches: int
    heads: int
    repeat: int
    collective: int


@dataclass(frozen=True, slots=True)
class PeriodStats:
    """Everything the 日报/周报/月报 print for one period, as of ``cutoff``."""

    period: Period
    cutoff: dt.datetime
    facts: tuple[CaseFact, ...]  # registered in the year to date, open at the cut-off, closed
    registered: tuple[CaseFact, ...]  # in the period, not voided
    closed: tuple[CaseFact, ...]  # closed in the period
    closed_ok: frozenset[str]  # closed in the period and 化解成功
    on_time: frozenset[str]  # closed in the period within the deadline
    open: tuple[CaseFact, ...]  # open at the cut-off
    overdue: tuple[CaseFact, ...]  # open and overdue at the cut-off
    activity: Activity
    visits: Visits
    rooms: Rooms
    slips: dict[str, int]  # kind -> issued in the period (not voided by the cut-off)
    ytd_registered: tuple[CaseFact, ...]
    ytd_closed: tuple[CaseFact, ...]
    ytd_closed_ok: frozenset[str]

    @property
    def accepted(self) -> tuple[CaseFact, ...]:
        return tuple(f for f in self.registered if f.accepted)

    @property
    def answered(self) -> int:
        return sum(1 for f in self.registered if f.state == "answered")

    def rates(self) -> tuple[Rate, ...]:
        accepted = self.accepted
        closed_of_accepted = sum(1 for f in accepted if f.closed_at is not None)
        a = self.activity
        return (
            make_rate("resolution", len(self.closed_ok), len(self.closed)),
            make_rate("closure", closed_of_accepted, len(accepted)),
            make_rate("on_time", len(self.on_time), len(self.closed)),
            make_rate("satisfaction", a.satisfied, a.evaluated),
        )

    def ytd_closure_rate(self) -> Rate:
        accepted = [f for f in self.ytd_registered if f.accepted]
        done = sum(1 for f in accepted if f.closed_at is not None)
        return make_rate("closure", done, len(accepted))


def _activity(events: list[EventFact], voided: set[str], span: Span) -> Activity:
    counts: Counter[str] = Counter()
    evaluation: dict[str, str] = {}
    mediation: dict[str, str] = {}
    changes: list[tuple[str, str, str]] = []
    colour: dict[str, str] = {}
    for e in events:
        if e.case_id in voided:
            continue
        if not span.has(e.at):  # earlier events only tell the colour a case had
            if e.action in (Action.REGISTER.value, Action.ASSESS.value, Action.WARN.value):
                colour[e.case_id] = str(e.payload.get("risk_colour") or colour.get(e.case_id, ""))
            continue
        counts[e.action] += 1
        if e.action == Action.EVALUATE.value:
            evaluation[e.case_id] = str(e.payload.get("evaluation"))
        elif e.action == Action.MEDIATION_RESULT.value:
            mediation[e.case_id] = str(e.payload.get("result"))
        elif e.action == Action.WARN.value and e.payload.get("risk_colour") == "red":
            counts["red_warning"] += 1
        if e.action in (Action.REGISTER.value, Action.ASSESS.value, Action.WARN.value):
            new = str(e.payload.get("risk_colour") or "")
            old = colour.get(e.case_id, "")
            if new and new != old and e.action != Action.REGISTER.value:
                changes.append((e.case_id, old, new))
            colour[e.case_id] = new or old
    return Activity(
        supervisions=counts[Action.SUPERVISE.value],
        red_warnings=counts["red_warning"],
        send_backs=counts[Action.SEND_BACK.value],
        escalations=counts[Action.ESCALATE.value],
        assignments=counts[Action.ASSIGN.value],
        evaluated=len(evaluation),
        satisfied=sum(1 for v in evaluation.values() if v in ("satisfied", "basically")),
        mediation_reached=sum(1 for v in mediation.values() if v == "reached"),
        mediation_decided=sum(1 for v in mediation.values() if v in ("reached", "not_reached")),
        colour_changes=tuple(changes),
    )


def _visits(session: Session, span: Span, township_id: str | None) -> Visits:
    query = select(
        func.count(),
        func.coalesce(func.sum(Visit.head_count), 0),
        func.coalesce(func.sum(Visit.is_repeat), 0),
        func.coalesce(func.sum(Visit.is_collective), 0),
    ).where(Visit.received_at >= span.start, Visit.received_at < span.end)
    if township_id:
        query = query.where(Visit.township_id == township_id)
    n, heads, repeat, collective = session.execute(query).one()
    return Visits(int(n), int(heads), int(repeat), int(collective))


def _rooms(session: Session, span: Span, township_id: str | None) -> Rooms:
    bookings = select(RoomBooking.start_at, RoomBooking.end_at).where(
        RoomBooking.start_at >= span.start,
        RoomBooking.start_at < span.end,
        RoomBooking.status.in_(("booked", "in_use", "finished")),
        RoomBooking.created_at < span.end,
    )
    sessions = (
        select(func.count())
        .select_from(MediationSession)
        .where(MediationSession.started_at >= span.start, MediationSession.started_at < span.end)
    )
    # Correlated lookups, not joins: with a join SQLite may scan every case of the township and
    # probe the (small) session and agreement tables.
    amount = select(Case.amount_cents).where(Case.id == MediationAgreement.case_id)
    agreements = (
        select(func.count(), func.coalesce(func.sum(amount.scalar_subquery()), 0))
        .select_from(MediationAgreement)
        .where(
            MediationAgreement.agreed_on >= span.start.date(),
            MediationAgreement.agreed_on
            < span.end.date() + dt.timedelta(days=1 if span.end.time() else 0),
            MediationAgreement.created_at < span.end,
        )
    )
    if township_id:
        bookings = bookings.where(RoomBooking.township_id == township_id)
        of_session = select(Case.township_id).where(Case.id == MediationSession.case_id)
        of_agreement = select(Case.township_id).where(Case.id == MediationAgreement.case_id)
        sessions = sessions.where(of_session.scalar_subquery() == township_id)
        agreements = agreements.where(of_agreement.scalar_subquery() == township_id)
    spans = session.execute(bookings).all()
    hours = sum((e - s).total_seconds() for s, e in spans) / 3600
    n_agree, amount = session.execute(agreements).one()
    return Rooms(
        len(spans),
        round(hours, 1),
        int(session.execute(sessions).scalar_one()),
        int(n_agree),
        int(amount or 0),
    )


def _slips(
    session: Session, span: Span, cutoff: dt.datetime, township_id: str | None
) -> dict[str, int]:
    query = (
        select(Slip.kind, func.count())
        .where(
            Slip.issued_at >= span.start,
            Slip.issued_at < span.end,
            (Slip.voided_at.is_(None)) | (Slip.voided_at >= cutoff),
        )
        .group_by(Slip.kind)
    )
    if township_id:
        query = query.where(Slip.township_id == township_id)
    return {kind: int(n) for kind, n in session.execute(query)}


def _closes(facts: Iterable[CaseFact], span: Span) -> tuple[CaseFact, ...]:
    return tuple(f for f in facts if span.has(f.closed_at) and f.state != "voided")


def period_stats(
    session: Session,
    ctx: ServiceContext,
    period: Period,
    cutoff: dt.datetime,
    *,
    township_id: str | None = None,
    with_on_time: bool = True,
) -> PeriodStats:
    """All figures of ``period`` as of ``cutoff`` (normally the end of the period)."""
    year = dt.datetime.combine(period.year_start(), dt.time())
    since = min(year, period.begin)
    span = Span(period.begin, min(period.cutoff, cutoff))
    ytd = Span(year, span.end)
    facts = snapshot(session, ctx, cutoff, since, township_id=township_id)
    live = [f for f in facts if f.state != "voided"]
    events = period_events(session, span.start, cutoff, ACTIVITY, township_id=township_id)
    recoloured = {e.case_id for e in events if e.action in _RECOLOUR}
    baseline = period_events(session, since, span.start, _COLOURING, case_ids=recoloured)
    voided = {f.id for f in facts if f.state == "voided"}
    closes = closes_between(session, since, cutoff)  # kept fresh by ensure_closures
    close_of = {f.id: closes.get((f.id, f.closed_at)) for f in live if f.closed_at is not None}
    closure = {case_id: c[0] for case_id, c in close_of.items() if c is not None}
    registered = tuple(f for f in live if span.has(f.registered_at))
    closed = _closes(live, span)
    ytd_closed = _closes(live, ytd)
    on_time: frozenset[str] = frozenset()
    if with_on_time:
        on_time = frozenset(f.id for f in closed if (close_of.get(f.id) or ("", False))[1])
    open_ = tuple(f for f in live if f.is_open)
    return PeriodStats(
        period=period,
        cutoff=cutoff,
        facts=tuple(facts),
        registered=registered,
        closed=closed,
        closed_ok=frozenset(f.id for f in closed if closure.get(f.id) in SUCCESS_CLOSURES),
        on_time=on_time,
        open=open_,
        overdue=tuple(f for f in open_ if f.overdue_at(cutoff)),
        activity=_activity([*baseline, *events], voided, span),
        visits=_visits(session, span, township_id),
        rooms=_rooms(session, span, township_id),
        slips=_slips(session, span, cutoff, township_id),
        ytd_registered=tuple(f for f in live if ytd.has(f.registered_at)),
        ytd_closed=ytd_closed,
        ytd_closed_ok=frozenset(f.id for f in ytd_closed if closure.get(f.id) in SUCCESS_CLOSURES),
    )
