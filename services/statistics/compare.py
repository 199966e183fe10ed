"""同比/环比: a few counts of a period straight from SQL (no case snapshot), for comparisons.

Counted the same way for this period, the one before and the same one a year before:
新受理 (registered in the period, accepted and not voided by its cut-off), 办结 and 化解成功 (cases
whose latest close in the period, by HLC, is there; not voided by the cut-off) and 来访人次.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.domain.workflow import Action
from services.statistics.periods import Period
from services.statistics.snapshot import period_events
from services.store.models import Case, CaseEvent, Visit

SUCCESS = frozenset({"normal", "evaluation_timeout"})


@dataclass(frozen=True, slots=True)
class Counts:
    accepted: int
    closed: int
    closed_ok: int
    visitors: int


def _voided(session: Session, cutoff: dt.datetime) -> set[str]:
    query = select(CaseEvent.case_id).where(
        CaseEvent.action == Action.VOID.value, CaseEvent.occurred_at < cutoff
    )
    return set(session.scalars(query))


def period_counts(
    session: Session, period: Period, cutoff: dt.datetime, township_id: str | None = None
) -> Counts:
    start, end = period.begin, min(period.cutoff, cutoff)
    voided = _voided(session, cutoff)
    accepted_before = (
        select(CaseEvent.id)
        .where(
            CaseEvent.case_id == Case.id,
            CaseEvent.action == Action.ACCEPT.value,
            CaseEvent.occurred_at < cutoff,
        )
        .exists()
    )
    query = select(Case.id).where(
        Case.registered_at >= start, Case.registered_at < end, accepted_before
    )
    visits = select(func.coalesce(func.sum(Visit.head_count), 0)).where(
        Visit.received_at >= start, Visit.received_at < end
    )
    if township_id:
        query = query.where(Case.township_id == township_id)
        visits = visits.where(Visit.township_id == township_id)
    accepted = sum(1 for case_id in session.scalars(query) if case_id not in voided)
    last: dict[str, str] = {}
    for e in period_events(session, start, end, (Action.CLOSE,), township_id=township_id):
        last[e.case_id] = str(e.payload.get("closure_type") or "")
    closed = {k: v for k, v in last.items() if k not in voided}
    return Counts(
        accepted=accepted,
        closed=len(closed),
        closed_ok=sum(1 for v in closed.values() if v in SUCCESS),
        visitors=int(session.execute(visits).scalar_one() or 0),
    )
