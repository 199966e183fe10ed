"""The 统计 screen's figures: live counts over the case projection, each with its ledger filter.

Every clickable number is counted with the ledger's own conditions (``ledger_conditions``) for
the filter the click opens, so the ledger always shows exactly the cases counted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar, cast

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from services.cases.ledger import LedgerFilter, ledger_conditions
from services.context import ServiceContext
from services.domain.workflow import OPEN, CaseState
from services.reference.data import Reference
from services.statistics.dto import (
    Bar,
    Breakdown,
    Dashboard,
    DayPoint,
    Figure,
    TownshipRow,
    make_rate,
)
from services.statistics.freshness import freshness
from services.statistics.rates import window_rates
from services.store.hints import indexed_by
from services.store.models import Case, OrgUnit, Visit, case_tally

WINDOWS = (30, 90, 365)
OPEN_STATES = tuple(sorted(s.value for s in OPEN))
LIVE_STATES = tuple(sorted(s.value for s in CaseState if s is not CaseState.VOIDED))
ACCEPTED_STATES = tuple(
    sorted(v for v in LIVE_STATES if v not in ("registered", "answered", "rejected"))
)
COLOUR_LABELS = {"red": "红色", "orange": "橙色", "yellow": "黄色", "green": "绿色"}
# The screen's words (translated there, context "vocab": desktop.i18n_catalogue collects them).
FIGURE_LABELS = {
    "visits": "来访批次",
    "visitors": "来访人次",
    "accepted": "新受理",
    "answered": "当场化解",
    "closed": "办结",
    "open": "在办",
    "due_today": "今日到期",
    "overdue": "已超期",
    "red": "红色预警",
    "supervised": "督办中",
}
BREAKDOWN_TITLES = {
    "class": "按纠纷类别（GB/T 31000）",
    "village": "按村（社区）",
    "channel": "按来源渠道",
    "unit": "按承办单位",
    "colour": "风险颜色分布",
}
NO_VILLAGE, NOT_ASSIGNED = "未填写", "未交办"  # a bar of cases without one


Q = TypeVar("Q")  # a select of any columns


def _driven(query: Q, filt: LedgerFilter) -> Q:
    """Counts of cases closed in a span read the span through ``ix_case_closed``: left to itself
    SQLite walked the state index over every live case (1 s per count on 1M cases)."""
    if filt.closed_from is not None:
        return cast(Q, indexed_by(cast(Any, query), Case, "ix_case_closed"))
    return query


def _count(session: Session, filt: LedgerFilter, now: dt.datetime) -> int:
    conds = ledger_conditions(session, filt, now)
    query = _driven(select(func.count()).select_from(Case).where(*conds), filt)
    return int(session.execute(query).scalar_one())


def _figure(
    session: Session, prefix: str, key: str, filt: LedgerFilter, now: dt.datetime
) -> Figure:
    return Figure(prefix + key, FIGURE_LABELS[key], _count(session, filt, now), filt)


def _visits(
    session: Session, start: dt.date, end: dt.date, township_id: str | None
) -> tuple[int, int]:
    query = select(func.count(), func.coalesce(func.sum(Visit.head_count), 0)).where(
        Visit.received_at >= dt.datetime.combine(start, dt.time()),
        Visit.received_at < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
    )
    if township_id:
        query = query.where(Visit.township_id == township_id)
    n, heads = session.execute(query).one()
    return int(n), int(heads)


def _span_figures(
    session: Session,
    base: LedgerFilter,
    start: dt.date,
    today: dt.date,
    now: dt.datetime,
    prefix: str,
) -> list[Figure]:
    span = replace(base, registered_from=start, registered_to=today)
    batches, heads = _visits(session, start, today, base.township_id)
    closed = replace(base, states=LIVE_STATES, closed_from=start, closed_to=today)
    return [
        Figure(f"{prefix}visits", FIGURE_LABELS["visits"], batches),
        Figure(f"{prefix}visitors", FIGURE_LABELS["visitors"], heads),
        _figure(session, prefix, "accepted", replace(span, states=ACCEPTED_STATES), now),
        _figure(session, prefix, "answered", replace(span, states=("answered",)), now),
        _figure(session, prefix, "closed", closed, now),
    ]


def _now_figures(session: Session, base: LedgerFilter, now: dt.datetime) -> list[Figure]:
    supervised = replace(base, states=OPEN_STATES, supervision_levels=("yellow", "red"))
    return [
        _figure(session, "", "open", replace(base, states=OPEN_STATES), now),
        _figure(session, "", "due_today", replace(base, due_today=True), now),
        _figure(session, "", "overdue", replace(base, overdue=True), now),
        _figure(session, "", "red", replace(base, states=OPEN_STATES, colours=("red",)), now),
        _figure(session, "", "supervised", supervised, now),
    ]


def _series(
    session: Session, base: LedgerFilter, start: dt.date, today: dt.date
) -> tuple[DayPoint, ...]:
    """New and closed live cases per day, from the daily tally: its 'all' rows by registration
    day and its 'closed' rows by the day of the close (each point's ledger filter counts the
    same cases, tested)."""
    counts: dict[str, dict[dt.date, int]] = {"all": defaultdict(int), "closed": defaultdict(int)}
    for dimension in counts:
        query = _tally_query(start, today, base.township_id, (dimension,), by_day=True)
        for value, n in session.execute(query):
            counts[dimension][dt.date.fromisoformat(str(value))] = int(n)
    new, closed = counts["all"], counts["closed"]
    points = []
    for i in range((today - start).days + 1):
        d = start + dt.timedelta(days=i)
        points.append(
            DayPoint(
                d,
                new[d],
                closed[d],
                replace(base, states=LIVE_STATES, registered_from=d, registered_to=d),
                replace(base, states=LIVE_STATES, closed_from=d, closed_to=d),
            )
        )
    return tuple(points)


def _with(base: LedgerFilter, field: str, value: str) -> LedgerFilter:
    """``base`` narrowed to one bar's value."""
    if field == "colours":
        return replace(base, colours=(value,))
    if field == "category_code":
        return replace(base, category_code=value)
    if field == "village_id":
        return replace(base, village_id=value)
    if field == "channel":
        return replace(base, channel=value)
    return replace(base, assignee_unit_id=value)


def _names(session: Session) -> dict[str, str]:
    return {i: n for i, n in session.execute(select(OrgUnit.id, OrgUnit.name))}


def _tally_query(
    start: dt.date,
    end: dt.date,
    township_id: str | None,
    dimensions: tuple[str, ...],
    *,
    by_day: bool = False,
) -> Select[Any]:
    """Sums of the daily tally (``case_tally``, migration 0019) over registration days ``start``
    … ``end``: the live cases registered then, counted per (dimension, key), or per day."""
    t = case_tally.c
    head = (t.day,) if by_day else (t.dimension, t.key)
    query = (
        select(*head, func.sum(t.n))
        .where(t.day >= start.isoformat(), t.day <= end.isoformat(), t.dimension.in_(dimensions))
        .group_by(*head)
        .having(func.sum(t.n) > 0)
    )
    if township_id:
        query = query.where(t.township_id == township_id)
    return query


BREAKDOWN_DIMENSIONS = ("class", "village", "channel", "unit", "colour")


def _breakdowns(session: Session, ref: Reference, base: LedgerFilter) -> tuple[Breakdown, ...]:
    """``base`` is the window: the live cases registered in a span of days (one township or all).

    Summed from the daily tally: the same count as grouping the window's rows (tested against
    the ledger), from a few hundred rows per day instead of every case's row.
    """
    start, end = base.registered_from, base.registered_to
    if start is None or end is None:
        raise ValueError("a breakdown needs a span of registration days")
    sums: dict[str, dict[str | None, int]] = {k: defaultdict(int) for k in BREAKDOWN_DIMENSIONS}
    query = _tally_query(start, end, base.township_id, BREAKDOWN_DIMENSIONS)
    for dimension, key, n in session.execute(query):
        sums[str(dimension)][key or None] += int(n)
    names = _names(session)

    def bars(key: str, label: Callable[[str], str], field: str) -> tuple[Bar, ...]:
        out = []
        for value, n in sorted(sums[key].items(), key=lambda kv: (-kv[1], kv[0] or "")):
            if value is None:  # no village / not assigned: no ledger filter can select it
                out.append(Bar("", NO_VILLAGE if key == "village" else NOT_ASSIGNED, n, None))
                continue
            filt = _with(base, field, value)
            out.append(Bar(value, label(value), n, filt))
        return tuple(out)

    def cls_name(code: str) -> str:
        try:
            return ref.category(code).name
        except KeyError:
            return code

    titles = BREAKDOWN_TITLES
    return (
        Breakdown("class", titles["class"], bars("class", cls_name, "category_code")),
        Breakdown(
            "village", titles["village"], bars("village", lambda v: names.get(v, v), "village_id")
        ),
        Breakdown(
            "channel",
            titles["channel"],
            bars(
                "channel",
                lambda v: ref.name_of("channels", v) if v in ref.codes("channels") else v,
                "channel",
            ),
        ),
        Breakdown(
            "unit", titles["unit"], bars("unit", lambda v: names.get(v, v), "assignee_unit_id")
        ),
        Breakdown(
            "colour", titles["colour"], bars("colour", lambda v: COLOUR_LABELS.get(v, v), "colours")
        ),
    )


def _by_township(session: Session, filt: LedgerFilter, now: dt.datetime) -> dict[str, int]:
    """``_count`` of ``filt`` per township, in one grouped read."""
    query = (
        select(Case.township_id, func.count())
        .where(*ledger_conditions(session, filt, now))
        .group_by(Case.township_id)
    )
    return {str(tid): int(n) for tid, n in session.execute(_driven(query, filt))}


def _townships(
    session: Session, window: LedgerFilter, start: dt.date, today: dt.date, now: dt.datetime
) -> tuple[TownshipRow, ...]:
    """County mode (乡镇对比): each township's figures, counted with the ledger's own terms.

    Empty on a township PC (one township): there is nothing to compare.
    """
    rows = session.execute(
        select(OrgUnit.id, OrgUnit.name).where(OrgUnit.kind == "township").order_by(OrgUnit.code)
    ).all()
    if len(rows) < 2:
        return ()
    base = LedgerFilter()
    counts = {
        "registered": _by_township(session, window, now),
        "open": _by_township(session, replace(base, states=OPEN_STATES), now),
        "overdue": _by_township(session, replace(base, overdue=True), now),
        "red": _by_township(session, replace(base, states=OPEN_STATES, colours=("red",)), now),
        "closed": _by_township(
            session, replace(base, states=LIVE_STATES, closed_from=start, closed_to=today), now
        ),
    }
    return tuple(
        TownshipRow(
            tid,
            name,
            registered=counts["registered"].get(tid, 0),
            open=counts["open"].get(tid, 0),
            overdue=counts["overdue"].get(tid, 0),
            red=counts["red"].get(tid, 0),
            closed=counts["closed"].get(tid, 0),
            filter=replace(window, township_id=tid),
        )
        for tid, name in rows
    )


def compute_dashboard(
    ctx: ServiceContext, *, days: int = 30, township_id: str | None = None
) -> Dashboard:
    """The dashboard over the last ``days`` days (30, 90 or 365), as of now."""
    if days not in WINDOWS:
        raise ValueError(f"window must be one of {WINDOWS}")
    now = ctx.now()
    today = now.date()
    start = today - dt.timedelta(days=days - 1)
    week_start = today - dt.timedelta(days=today.weekday())
    base = LedgerFilter(township_id=township_id)
    window = replace(base, states=LIVE_STATES, registered_from=start, registered_to=today)
    with ctx.store.read() as session:
        today_figs = _span_figures(session, base, today, today, now, "today_")
        week_figs = _span_figures(session, base, week_start, today, now, "week_")
        return Dashboard(
            now=now,
            days=days,
            today=(*today_figs, *_now_figures(session, base, now)),
            week=tuple(week_figs),
            series=_series(session, base, start, today),
            breakdowns=_breakdowns(session, ctx.reference, window),
            rates=window_rates(session, ctx, start, today, township_id),
            freshness=freshness(session, ctx),
            county=township_id is None and not ctx.township_id,
            townships=(
                _townships(session, window, start, today, now)
                if township_id is None and not ctx.township_id
                else ()
            ),
        )


__all__ = ["compute_dashboard", "make_rate"]
