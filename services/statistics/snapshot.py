"""Cases as they stood at a cut-off (截至某时的案件状态), from the event log.

A case with no event at or after the cut-off is read from its projection columns (they are the
replay of the same events); a case touched since is replayed from its events before the cut-off.
Either way an event after the cut-off never changes what a closed period reports.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, NamedTuple, cast

from sqlalchemy import ClauseElement, and_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler

from services.context import ServiceContext
from services.domain.deadlines import case_clocks
from services.domain.workflow import OPEN, Action, CaseState, Event, replay
from services.store.models import Case, CaseEvent

OPEN_VALUES = frozenset(s.value for s in OPEN)
NOT_ACCEPTED = frozenset({"registered", "answered", "rejected", "voided"})
CHUNK = 500
PAYLOAD_KEYS = ("closure_type", "evaluation", "result", "risk_colour", "unit_id")


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a report reads tens of thousands of rows
    into tuples (there are no reference cycles among them to collect).

    The allocations trigger full collections over the whole application heap: on a 100k-case
    monthly report they cost 150-200 ms of ~1.1 s (the case rows 190 -> 260-350 ms, the facts
    65 -> 80-143 ms, their sort 13 -> 80 ms). The collector runs again afterwards, if it ran
    before (another thread's pause ending first leaves it as that thread found it).
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def to_event(row: CaseEvent) -> Event:
    return Event(
        Action(row.action), row.occurred_at, row.hlc, row.actor_id, row.payload or {}, row.id
    )


class CaseFact(NamedTuple):
    """One case at the cut-off: what every figure of a report is counted from.

    A named tuple, not a frozen dataclass: a report builds tens of thousands and a tuple is
    built several times faster.
    """

    id: str
    code: str
    title: str
    township_id: str
    village_id: str | None
    category_code: str
    channel: str
    registered_at: dt.datetime
    state: str
    risk_colour: str
    handling_level: str
    unit_id: str | None
    due_at: dt.datetime | None
    paused: bool
    closed_at: dt.datetime | None
    rework_count: int
    amount_cents: int | None
    people_count: int

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_VALUES

    @property
    def accepted(self) -> bool:
        """受理 by the cut-off (not still waiting, answered on the spot, rejected or voided)."""
        return self.state not in NOT_ACCEPTED

    def overdue_at(self, moment: dt.datetime) -> bool:
        return self.is_open and not self.paused and self.due_at is not None and self.due_at < moment


_COLUMNS = (
    Case.id,
    Case.code,
    Case.title,
    Case.township_id,
    Case.village_id,
    Case.category_code,
    Case.channel,
    Case.registered_at,
    Case.state,
    Case.risk_colour,
    Case.handling_level,
    Case.assignee_unit_id,
    Case.due_at,
    Case.clock_paused,
    Case.closed_at,
    Case.rework_count,
    Case.amount_cents,
    Case.people_count,
)


def _fact(row: Sequence[Any], _parse: Any = dt.datetime.fromisoformat) -> CaseFact:
    """A fact from a raw row of ``_COLUMNS`` (in order; datetimes as SQLite stores them).

    Built by ``tuple.__new__`` from slices: a report builds ~45,000 of these, and the keyword
    constructor with one argument per field took twice as long (95-158 ms on 100k cases).
    """
    due, closed = row[12], row[14]
    return _new_fact(
        CaseFact,
        (
            *row[:7],
            _parse(row[7]),
            *row[8:12],
            None if due is None else _parse(due),
            bool(row[13]),
            None if closed is None else _parse(closed),
            *row[15:18],
        ),
    )


_new_fact = tuple.__new__
_BY_REGISTRATION = itemgetter(7, 0)  # (registered_at, id) of a CaseFact, as a tuple index


def stored(moment: dt.datetime) -> str:
    """A datetime as SQLAlchemy stores it in SQLite (compares as text with the stored ones)."""
    return f"{moment:%Y-%m-%d %H:%M:%S.%f}"


def _raw_rows(session: Session, query: ClauseElement) -> Sequence[Sequence[Any]]:
    """``query``'s rows as SQLite returns them (text datetimes), in the session's transaction.

    A snapshot reads tens of thousands of cases: SQLAlchemy's ORM and datetime processing cost
    three times the SQL itself, so the statement goes to the driver and ``_fact`` parses.
    """
    compiled = cast(
        SQLCompiler,
        query.compile(
            dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
        ),
    )
    params = tuple(
        stored(v) if isinstance(v, dt.datetime) else v
        for v in (compiled.params[k] for k in compiled.positiontup or ())
    )
    return session.connection().exec_driver_sql(str(compiled), params).all()


def changed_since(session: Session, cutoff: dt.datetime) -> set[str]:
    """Cases with an event at or after ``cutoff`` (their columns no longer show the cut-off)."""
    # No DISTINCT: with it SQLite walks every event in case order (sqlite_autoindex_case_event_2)
    # to skip the sort, instead of the few events after the cut-off through their time index
    # (100k cases, a closed month: 199 ms -> the range alone).
    query = select(CaseEvent.case_id).where(CaseEvent.occurred_at >= cutoff)
    return set(session.scalars(query))


def events_before(
    session: Session, case_ids: Iterable[str], cutoff: dt.datetime
) -> dict[str, list[Event]]:
    """The events of these cases that occurred before ``cutoff``, per case."""
    out: dict[str, list[Event]] = defaultdict(list)
    ids = list(case_ids)
    for i in range(0, len(ids), CHUNK):
        rows = session.scalars(
            select(CaseEvent).where(
                CaseEvent.case_id.in_(ids[i : i + CHUNK]), CaseEvent.occurred_at < cutoff
            )
        )
        for row in rows:
            out[row.case_id].append(to_event(row))
    return out


def _replayed(
    session: Session, ctx: ServiceContext, rows: Sequence[Any], cutoff: dt.datetime
) -> Iterator[CaseFact]:
    """Facts of cases touched since the cut-off: their events before it, replayed."""
    events = events_before(session, (r[0] for r in rows), cutoff)
    rules, calendar = ctx.rules(session), ctx.calendar(session)
    for row in rows:
        proj = replay(events.get(row[0], ())).projection
        if proj is None:  # registered after the cut-off on another PC's clock
            continue
        due = case_clocks(proj, rules, calendar, cutoff).resolve if proj.is_open else None
        yield CaseFact(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            proj.category_code,
            row[6],
            row[7],
            proj.state.value,
            proj.risk_colour,
            proj.handling_level,
            proj.assignee_unit_id,
            due.due_at if due else None,
            proj.clock_paused,
            proj.closed_at,
            proj.rework_count,
            row[16],
            row[17],
        )


def snapshot(
    session: Session,
    ctx: ServiceContext,
    cutoff: dt.datetime,
    since: dt.datetime,
    *,
    township_id: str | None = None,
) -> list[CaseFact]:
    """Every case that matters for periods from ``since`` to ``cutoff``, as it stood at ``cutoff``.

    That is: cases registered in the span, cases open at the cut-off, and cases closed in the
    span. ``township_id`` limits to one township (county mode reports every township).
    """
    changed = changed_since(session, cutoff)
    conds = [Case.registered_at < cutoff]
    if township_id:
        conds.append(Case.township_id == township_id)
    # Each arm of the OR carries the cut-off bound so SQLite reads each through its own index.
    relevant = or_(
        and_(Case.registered_at >= since, *conds),
        and_(Case.state.in_(sorted(OPEN_VALUES)), *conds),
        and_(Case.closed_at >= since, *conds),
    )
    facts = [
        _fact(row)
        for row in _raw_rows(session, select(*_COLUMNS).where(relevant))
        if row[0] not in changed
    ]
    if changed:
        touched: list[Any] = []
        ids = sorted(changed)
        for i in range(0, len(ids), CHUNK):
            query = select(*_COLUMNS).where(Case.id.in_(ids[i : i + CHUNK]), *conds)
            touched.extend(session.execute(query).all())
        for fact in _replayed(session, ctx, touched, cutoff):
            closed_in = fact.closed_at is not None and fact.closed_at >= since
            if fact.registered_at >= since or fact.is_open or closed_in:
                facts.append(fact)
    facts.sort(key=_BY_REGISTRATION)
    return facts


class EventFact(NamedTuple):
    """One event in a period with the case it belongs to (for activity counts)."""

    case_id: str
    action: str
    at: dt.datetime
    hlc: str
    payload: dict[str, object]


def period_events(
    session: Session,
    start: dt.datetime,
    end: dt.datetime,
    actions: Iterable[Action],
    *,
    township_id: str | None = None,
    case_ids: Iterable[str] | None = None,
) -> list[EventFact]:
    """Events of these kinds that occurred in ``[start, end)``, in HLC order.

    Only the payload fields statistics read (``PAYLOAD_KEYS``) are fetched, extracted in SQL:
    decoding every event's JSON in Python was most of a monthly report's time.
    """
    query = (
        select(
            CaseEvent.case_id,
            CaseEvent.action,
            CaseEvent.occurred_at,
            CaseEvent.hlc,
            *(CaseEvent.payload[k].as_string() for k in PAYLOAD_KEYS),
        )
        .where(
            CaseEvent.occurred_at >= start,
            CaseEvent.occurred_at < end,
            CaseEvent.action.in_([a.value for a in actions]),
        )
        .order_by(CaseEvent.hlc)
    )
    if case_ids is not None:
        query = query.where(CaseEvent.case_id.in_(sorted(case_ids)))
    if township_id:
        query = query.join(Case, Case.id == CaseEvent.case_id).where(
            Case.township_id == township_id
        )
    return [
        EventFact(
            r[0], r[1], r[2], r[3], {k: v for k, v in zip(PAYLOAD_KEYS, r[4:], strict=True) if v}
        )
        for r in session.execute(query)
    ]


def voided_before(session: Session, cutoff: dt.datetime) -> set[str]:
    """Cases voided (作废) before the cut-off: left out of every figure."""
    query = select(CaseEvent.case_id).where(
        CaseEvent.action == Action.VOID.value, CaseEvent.occurred_at < cutoff
    )
    return set(session.scalars(query))


def state_label(state: str) -> str:
    from services.domain.workflow import STATE_LABELS

    return STATE_LABELS[CaseState(state)]
