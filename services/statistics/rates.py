"""The four headline rates over a window of days, for the dashboard (SQL over the projection)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.statistics.dto import Rate, make_rate
from services.statistics.figures import SUCCESS_CLOSURES
from services.store.models import case_tally, rate_fact, rate_tally
from services.store.rate_facts import CLOSE, EVALUATE

NOT_ACCEPTED = ("registered", "answered", "rejected", "voided")
SATISFIED = ("satisfied", "basically")


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
    :func:`services.statistics.closures.ensure_closures`), evaluations each case's latest
    evaluation (by HLC) in the window; voided cases are left out.
    """
    lo, hi = _day_start(start), _day_start(end + dt.timedelta(days=1))
    # Each close and evaluation is a row of ``rate_fact`` (migration 0020) with its case's
    # township and liveness and the instants of its case's later facts (``next_at`` at or after
    # it, ``back_at`` before it): it is its case's latest in the window when it lies in the
    # window and no later one does. Those with no later fact at all (nearly all) are counted per
    # day in ``rate_tally``; the others are one index range (``ix_rate_fact_later``). Grouping
    # closure_fact and the evaluation events per case took 1.1-2.6 s on 1M cases.
    counts: dict[str, dict[str, int]] = {CLOSE: defaultdict(int), EVALUATE: defaultdict(int)}
    r = rate_tally.c
    tallied = select(r.kind, r.key, func.sum(r.n)).where(
        r.kind.in_((CLOSE, EVALUATE)), r.day >= start.isoformat(), r.day <= end.isoformat()
    )
    f = rate_fact.c
    outranked = select(f.kind, f.value, f.ok, func.count()).where(
        or_(f.next_at.is_not(None), f.back_at.is_not(None)),  # ix_rate_fact_later's own terms
        f.kind.in_((CLOSE, EVALUATE)),
        f.live == true(),
        f.at >= lo,
        f.at < hi,
        or_(f.next_at.is_(None), f.next_at >= hi),
        or_(f.back_at.is_(None), f.back_at < lo),
    )
    if township_id:
        tallied = tallied.where(r.township_id == township_id)
        outranked = outranked.where(f.township_id == township_id)
    for kind, key, n in session.execute(tallied.group_by(r.kind, r.key)):
        counts[str(kind)][str(key)] += int(n)
    for kind, value, ok, n in session.execute(outranked.group_by(f.kind, f.value, f.ok)):
        counts[str(kind)][f"{value or ''}|{'' if ok is None else int(ok)}"] += int(n)
    n_closed = n_success = n_on_time = n_evaluated = n_satisfied = 0
    for key, n in counts[CLOSE].items():
        value, _, ok = key.rpartition("|")
        n_closed += n
        n_success += n if value in SUCCESS_CLOSURES else 0
        n_on_time += n if ok == "1" else 0
    for key, n in counts[EVALUATE].items():
        n_evaluated += n
        n_satisfied += n if key.rpartition("|")[0] in SATISFIED else 0
    # 受理 and 办结 among the cases registered in the window: the daily tally's 'state' keys
    # (``<state>|<closed>``, services.store.tally) instead of every registered case's row.
    t = case_tally.c
    accepted = select(t.key, func.sum(t.n)).where(
        t.dimension == "state", t.day >= start.isoformat(), t.day <= end.isoformat()
    )
    if township_id:
        accepted = accepted.where(t.township_id == township_id)
    n_accepted = n_done = 0
    for key, n in session.execute(accepted.group_by(t.key)):
        state, _, closed = str(key).rpartition("|")
        if state not in NOT_ACCEPTED:
            n_accepted += int(n)
            n_done += int(n) if closed == "1" else 0
    return (
        make_rate("resolution", int(n_success), int(n_closed)),
        make_rate("closure", int(n_done), int(n_accepted)),
        make_rate("on_time", int(n_on_time), int(n_closed)),
        make_rate("satisfaction", int(n_satisfied), int(n_evaluated)),
    )
