"""Closures and whether each was on time (按期办结), kept in ``closure_fact``.

Whether a close fell within its deadline needs the deadline in force just before it: the case's
earlier events replayed. A close event never changes once written, so the answer is computed
once per close event and kept (local, derived, never synced); reports and the dashboard read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.deadlines import case_clocks
from services.domain.workflow import Action, replay
from services.statistics.snapshot import events_before
from services.store.models import Case, CaseEvent, ClosureFact

BATCH = 2000


Close = tuple[str, str, dt.datetime, str, dict[str, Any]]  # event, case, when, township, payload


def _missing(session: Session, limit: int) -> list[Close]:
    query = (
        select(
            CaseEvent.id,
            CaseEvent.case_id,
            CaseEvent.occurred_at,
            Case.township_id,
            CaseEvent.payload,
        )
        .join(Case, Case.id == CaseEvent.case_id)
        .outerjoin(ClosureFact, ClosureFact.event_id == CaseEvent.id)
        .where(CaseEvent.action == Action.CLOSE.value, ClosureFact.event_id.is_(None))
        .limit(limit)
    )
    return [(r[0], r[1], r[2], r[3], dict(r[4] or {})) for r in session.execute(query)]


def _facts(session: Session, ctx: ServiceContext, closes: Iterable[Close]) -> list[ClosureFact]:
    closes = list(closes)
    latest = max(c[2] for c in closes) + dt.timedelta(seconds=1)
    events = events_before(session, {c[1] for c in closes}, latest)
    rules, calendar = ctx.rules(session), ctx.calendar(session)
    out = []
    for event_id, case_id, closed_at, township_id, payload in closes:
        before = [
            e
            for e in events.get(case_id, ())
            if e.id != event_id
            and (e.at < closed_at or (e.at == closed_at and e.action is not Action.CLOSE))
        ]
        proj = replay(before).projection
        due = None
        done_at = closed_at
        if proj is not None and proj.is_open:
            # On time = the handling was done (反馈, 调解达成) by its deadline: the wait for the
            # citizen's evaluation before closing does not count against it.
            clocks = case_clocks(proj, rules, calendar, closed_at)
            clock = clocks.resolve or clocks.handled
            due = clock.due_at if clock is not None else None
            done_at = clocks.handled_at or closed_at
        out.append(
            ClosureFact(
                event_id=event_id,
                case_id=case_id,
                township_id=township_id,
                closed_at=closed_at,
                closure_type=str(payload.get("closure_type") or ""),
                due_at=due,
                on_time=due is None or done_at <= due,
            )
        )
    return out


def _all_known(session: Session) -> bool:
    """Every close event has its fact: two index counts (the anti-join read every close)."""
    closes = session.scalar(
        select(func.count()).select_from(CaseEvent).where(CaseEvent.action == Action.CLOSE.value)
    )
    known = session.scalar(select(func.count()).select_from(ClosureFact))
    return int(closes or 0) <= int(known or 0)


def refresh_closures(session: Session, ctx: ServiceContext) -> int:
    """Work out the on-time answer of every close event not yet known; returns how many."""
    done = 0
    while True:
        closes = _missing(session, BATCH)
        if not closes:
            return done
        session.add_all(_facts(session, ctx, closes))
        session.flush()
        done += len(closes)


def ensure_closures(ctx: ServiceContext) -> int:
    """:func:`refresh_closures` in its own unit of work (before a report or dashboard read)."""
    with ctx.store.read() as session:
        if _all_known(session):
            return 0
    return int(ctx.store.run_write(lambda session: refresh_closures(session, ctx)))


def on_time_of(session: Session, case_closes: dict[str, dt.datetime]) -> dict[str, bool]:
    """For each case, whether its close at the given instant was on time (``closure_fact``)."""
    out: dict[str, bool] = {}
    ids = list(case_closes)
    for i in range(0, len(ids), 500):
        query = select(ClosureFact.case_id, ClosureFact.closed_at, ClosureFact.on_time).where(
            ClosureFact.case_id.in_(ids[i : i + 500])
        )
        for case_id, closed_at, on_time in session.execute(query):
            if case_closes.get(case_id) == closed_at:
                out[case_id] = bool(on_time)
    return out


def closes_between(
    session: Session, start: dt.datetime, end: dt.datetime
) -> dict[tuple[str, dt.datetime], tuple[str, bool]]:
    """Every close in ``[start, end)``: (case, instant) -> (closure type, on time).

    A case's fact at a cut-off carries the instant of its latest close before it, so the pair
    finds that very close (a reopened case closed twice has two rows here).
    """
    query = select(
        ClosureFact.case_id, ClosureFact.closed_at, ClosureFact.closure_type, ClosureFact.on_time
    ).where(ClosureFact.closed_at >= start, ClosureFact.closed_at < end)
    return {(r[0], r[1]): (r[2], bool(r[3])) for r in session.execute(query)}
