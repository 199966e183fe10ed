"""The four headline rates over a window of days, for the dashboard (SQL over the projection)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.workflow import Action
from services.statistics.dto import Rate, make_rate
from services.statistics.figures import SUCCESS_CLOSURES
from services.store.models import Case, CaseEvent, ClosureFact, case_tally

NOT_ACCEPTED = ("registered", "answered", "rejected", "voided")


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def window_rates(
    session: Session,
    ctx: ServiceContext,
    start: dt.date,
    end: dt.date,
    township_id: str | None = None,
) -> tuple[Rate, ...]:
    """The four rates over days ``start`` … ``end``, live (not as of a cut-off).

    Closures are each case's latest close in the window (``closure_fact``, kept by
    :func:`services.statistics.closures.ensure_closures`); voided cases are left out.
    """
    lo, hi = _day_start(start), _day_start(end + dt.timedelta(days=1))
    # Aggregated in SQL: fetching the window's rows to Python (170,000 closes and as many
    # evaluations over 365 days on 1M cases) took 1.7 s. Voided cases are left out by their ids
    # (a few, from a covering index) instead of a join that read every counted case's row.
    # Each case's latest close / evaluation is its group's row of max(...) (SQLite's bare columns).
    # One township's: joined to its cases, as the township is read from each case's row anyway.
    voided = select(Case.id).where(Case.state == "voided")
    close_rows = select(
        ClosureFact.closure_type.label("kind"),
        ClosureFact.on_time.label("ok"),
        func.max(ClosureFact.closed_at),
    ).where(ClosureFact.closed_at >= lo, ClosureFact.closed_at < hi)
    evaluation = CaseEvent.payload["evaluation"].as_string()
    eval_rows = select(evaluation.label("value"), func.max(CaseEvent.hlc)).where(
        CaseEvent.action == Action.EVALUATE.value,
        CaseEvent.occurred_at >= lo,
        CaseEvent.occurred_at < hi,
    )
    # 受理 and 办结 among the cases registered in the window: the daily tally's 'state' keys
    # (``<state>|<closed>``, services.store.tally) instead of every registered case's row.
    t = case_tally.c
    accepted = select(t.key, func.sum(t.n)).where(
        t.dimension == "state", t.day >= start.isoformat(), t.day <= end.isoformat()
    )
    if township_id:
        mine = (Case.state != "voided", Case.township_id == township_id)
        close_rows = close_rows.join(Case, Case.id == ClosureFact.case_id).where(*mine)
        eval_rows = eval_rows.join(Case, Case.id == CaseEvent.case_id).where(*mine)
        accepted = accepted.where(t.township_id == township_id)
    else:
        close_rows = close_rows.where(ClosureFact.case_id.not_in(voided))
        eval_rows = eval_rows.where(CaseEvent.case_id.not_in(voided))
    latest_close = close_rows.group_by(ClosureFact.case_id).subquery()
    latest_eval = eval_rows.group_by(CaseEvent.case_id).subquery()
    closes = select(
        func.count(),
        func.coalesce(func.sum(case((latest_close.c.kind.in_(sorted(SUCCESS_CLOSURES)), 1))), 0),
        func.coalesce(func.sum(case((latest_close.c.ok, 1))), 0),
    )
    evals = select(
        func.count(),
        func.coalesce(func.sum(case((latest_eval.c.value.in_(("satisfied", "basically")), 1))), 0),
    )
    n_closed, n_success, n_on_time = session.execute(closes.select_from(latest_close)).one()
    n_accepted = n_done = 0
    for key, n in session.execute(accepted.group_by(t.key)):
        state, _, closed = str(key).rpartition("|")
        if state not in NOT_ACCEPTED:
            n_accepted += int(n)
            n_done += int(n) if closed == "1" else 0
    n_evaluated, n_satisfied = session.execute(evals.select_from(latest_eval)).one()
    return (
        make_rate("resolution", int(n_success), int(n_closed)),
        make_rate("closure", int(n_done), int(n_accepted)),
        make_rate("on_time", int(n_on_time), int(n_closed)),
        make_rate("satisfaction", int(n_satisfied), int(n_evaluated)),
    )
