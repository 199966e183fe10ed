"""The case ledger (案件台账): filtered, sorted, keyset-paged in SQL so 1M cases stay fast."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from services.cases import search
from services.context import ServiceContext
from services.domain.textutil import is_pinyin_query
from services.domain.workcalendar import WorkCalendar
from services.domain.workflow import OPEN, STATE_LABELS, CaseState
from services.store.models import Case, OrgUnit, case_search

SORTABLE = {
    "registered_at": Case.registered_at,
    "due_at": Case.due_at,
    "code": Case.code,
}
OPEN_STATES = tuple(s.value for s in OPEN)
_VILLAGE = OrgUnit.__table__.alias("village")
_TOWNSHIP = OrgUnit.__table__.alias("township")
TEXT_FILTER_LIMIT = 5000  # newest matches a text filter considers (search is ranked by recency)


@dataclass(frozen=True, slots=True)
class LedgerFilter:
    """What the ledger shows (台账筛选); empty fields do not filter."""

    states: tuple[str, ...] = ()
    colours: tuple[str, ...] = ()
    category_code: str = ""  # class ("02") or sub-class ("0202")
    village_id: str | None = None
    handling_level: str | None = None
    registered_from: dt.date | None = None
    registered_to: dt.date | None = None  # inclusive
    due_today: bool = False
    overdue: bool = False
    supervision_levels: tuple[str, ...] = ()
    assignee_unit_id: str | None = None
    registered_by: str | None = None
    text: str = ""
    township_id: str | None = None
    channel: str = ""  # 来源渠道 code
    closed_from: dt.date | None = None  # 办结日期 (projection ``closed_at``), inclusive
    closed_to: dt.date | None = None


@dataclass(frozen=True, slots=True)
class LedgerCursor:
    """Where the next page starts (keyset paging: no OFFSET over a million rows)."""

    value: Any
    id: str


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One line of the ledger."""

    id: str
    code: str
    title: str
    state: str
    state_label: str
    risk_colour: str
    category_code: str
    village_name: str
    handling_level: str
    supervision_level: str
    registered_at: dt.datetime
    due_at: dt.datetime | None
    due_provisional: bool
    names: str
    remaining_working_days: int | None = None
    township_name: str = ""  # shown in county mode, where the ledger spans every township


@dataclass(frozen=True, slots=True)
class LedgerPage:
    rows: tuple[LedgerRow, ...]
    next_cursor: LedgerCursor | None
    notes: tuple[str, ...] = field(default_factory=tuple)


def _conditions(
    session: Session, filt: LedgerFilter, now: dt.datetime
) -> list[ColumnElement[bool]]:
    c = [*_case_field_conditions(filt), *_clock_conditions(filt, now)]
    if filt.channel:
        c.append(Case.channel == filt.channel)
    if filt.closed_from:
        c.append(Case.closed_at >= dt.datetime.combine(filt.closed_from, dt.time()))
    if filt.closed_to:
        end = dt.datetime.combine(filt.closed_to + dt.timedelta(days=1), dt.time())
        c.append(Case.closed_at < end)
    if filt.supervision_levels:
        c.append(Case.supervision_level.in_(filt.supervision_levels))
    if filt.assignee_unit_id:
        c.append(Case.assignee_unit_id == filt.assignee_unit_id)
    if filt.registered_by:
        c.append(Case.registered_by == filt.registered_by)
    if filt.text.strip():
        ids = search.search_case_ids(session, filt.text, limit=TEXT_FILTER_LIMIT)
        letters = filt.text.strip().lower()
        if is_pinyin_query(letters):
            ids += search.cases_by_pinyin(session, letters, TEXT_FILTER_LIMIT)
        c.append(Case.id.in_(ids))
    return c


def _case_field_conditions(filt: LedgerFilter) -> list[ColumnElement[bool]]:
    """State, colour, category, place, level and registration dates."""
    c: list[ColumnElement[bool]] = []
    if filt.states:
        c.append(Case.state.in_(filt.states))
    if filt.colours:
        c.append(Case.risk_colour.in_(filt.colours))
    if filt.category_code:
        code = filt.category_code
        c.append(
            Case.category_code == code if len(code) == 4 else Case.category_code.startswith(code)
        )
    if filt.village_id:
        c.append(Case.village_id == filt.village_id)
    if filt.township_id:
        c.append(Case.township_id == filt.township_id)
    if filt.handling_level:
        c.append(Case.handling_level == filt.handling_level)
    if filt.registered_from:
        c.append(Case.registered_at >= dt.datetime.combine(filt.registered_from, dt.time()))
    if filt.registered_to:
        end = dt.datetime.combine(filt.registered_to + dt.timedelta(days=1), dt.time())
        c.append(Case.registered_at < end)
    return c


def _clock_conditions(filt: LedgerFilter, now: dt.datetime) -> list[ColumnElement[bool]]:
    """Due today and overdue."""
    c: list[ColumnElement[bool]] = []
    # A paused clock (计时暂停) is neither due nor overdue, as in scan_overdue: its stored due_at
    # is only where the deadline stood when the clock stopped.
    running = and_(Case.state.in_(OPEN_STATES), Case.clock_paused.is_(False))
    if filt.due_today:
        start = dt.datetime.combine(now.date(), dt.time())
        c.append(and_(running, Case.due_at >= start,
                      Case.due_at < start + dt.timedelta(days=1)))  # fmt: skip
    if filt.overdue:
        c.append(and_(running, Case.due_at < now))
    return c


def ledger_conditions(
    session: Session, filt: LedgerFilter, now: dt.datetime
) -> list[ColumnElement[bool]]:
    """The WHERE terms of ``filt`` over ``case_file`` (statistics count with the same terms)."""
    return _conditions(session, filt, now)


def ledger_page(
    session: Session,
    filt: LedgerFilter,
    *,
    sort: str = "registered_at",
    descending: bool = True,
    after: LedgerCursor | None = None,
    limit: int = 100,
    now: dt.datetime | None = None,
    calendar: WorkCalendar | None = None,
) -> LedgerPage:
    """One page of the ledger, ordered by ``sort`` then id; pass ``next_cursor`` for the next.

    With a ``calendar``, open cases carry their remaining working days (for the badges).
    """
    column = SORTABLE.get(sort)
    if column is None:
        raise ValueError(f"cannot sort by {sort}")
    now = now or dt.datetime.now()
    conds = _conditions(session, filt, now)
    if after is not None:
        # First: of two bounds on the sort column SQLite ranges the index on the first one, and
        # the cursor's is the tighter (page 10 read every earlier page's index entries again).
        conds.insert(0, _after(column, after, descending, nullable=sort == "due_at"))
    order: tuple[Any, ...] = (
        (column.desc(), Case.id.desc()) if descending else (column.asc(), Case.id.asc())
    )
    if sort == "due_at":  # cases without a deadline (answered, closed) come last either way
        order = (column.is_(None).asc(), *order)
    village = _VILLAGE
    # Plain columns, not Case entities: loading 100 full ORM objects cost ~5 ms of the 5 ms budget.
    query = (
        select(
            Case.id,
            Case.code,
            Case.title,
            Case.state,
            Case.risk_colour,
            Case.category_code,
            Case.handling_level,
            Case.supervision_level,
            Case.registered_at,
            Case.due_at,
            Case.due_provisional,
            village.c.name,
            case_search.c.names,
            _TOWNSHIP.c.name,
        )
        .outerjoin(village, village.c.id == Case.village_id)
        .outerjoin(_TOWNSHIP, _TOWNSHIP.c.id == Case.township_id)
        .outerjoin(case_search, case_search.c.case_id == Case.id)
        .where(*conds)
        .order_by(*order)
        .limit(limit)
    )
    memo: dict[dt.date, int] = {}  # many rows share a due day: count its working days once
    rows = tuple(
        LedgerRow(
            id=case_id,
            code=code,
            title=title,
            state=state,
            state_label=STATE_LABELS[CaseState(state)],
            risk_colour=colour,
            category_code=category,
            village_name=village_name or "",
            handling_level=level,
            supervision_level=supervision,
            registered_at=registered_at,
            due_at=due_at,
            due_provisional=provisional,
            names=names or "",
            remaining_working_days=_remaining(state, due_at, now, calendar, memo),
            township_name=township_name or "",
        )  # fmt: skip
        for (
            case_id,
            code,
            title,
            state,
            colour,
            category,
            level,
            supervision,
            registered_at,
            due_at,
            provisional,
            village_name,
            names,
            township_name,
        ) in session.execute(query).all()
    )
    next_cursor = None
    if len(rows) == limit:
        last = rows[-1]
        next_cursor = LedgerCursor(getattr(last, sort), last.id)
    return LedgerPage(rows, next_cursor)


def _after(
    column: Any, after: LedgerCursor, descending: bool, *, nullable: bool
) -> ColumnElement[bool]:
    """Rows after the cursor; a nullable sort column keeps its NULLs after every value."""
    if after.value is None:
        return and_(column.is_(None), Case.id < after.id if descending else Case.id > after.id)
    key, bound = tuple_(column, Case.id), tuple_(after.value, after.id)
    beyond: ColumnElement[bool] = key < bound if descending else key > bound
    # The plain bound is implied by the row-value one, but only it lets SQLite start the index
    # range at the cursor instead of reading (and discarding) every earlier page again.
    plain = column <= after.value if descending else column >= after.value
    return or_(and_(plain, beyond), column.is_(None)) if nullable else and_(plain, beyond)


def _remaining(
    state: str, due_at: dt.datetime | None, now: dt.datetime, calendar: WorkCalendar | None,
    memo: dict[dt.date, int],
) -> int | None:  # fmt: skip
    if calendar is None or due_at is None or state not in OPEN_STATES:
        return None
    day = due_at.date()
    if day not in memo:
        if due_at < now:
            memo[day] = -calendar.working_days_between(day, now.date())[0]
        else:
            memo[day] = calendar.working_days_between(now.date(), day)[0]
    return memo[day]


def ledger_count(session: Session, filt: LedgerFilter, now: dt.datetime | None = None) -> int:
    conds = _conditions(session, filt, now or dt.datetime.now())
    return int(session.execute(select(func.count()).select_from(Case).where(*conds)).scalar_one())


def get_ledger_page(
    ctx: ServiceContext, filt: LedgerFilter, *, sort: str = "registered_at",
    descending: bool = True, after: LedgerCursor | None = None, limit: int = 100,
) -> LedgerPage:  # fmt: skip
    with ctx.store.read() as session:
        return ledger_page(session, filt, sort=sort, descending=descending, after=after,
                           limit=limit, now=ctx.now(), calendar=ctx.calendar(session))  # fmt: skip


def scan_overdue(session: Session, now: dt.datetime) -> dict[str, int]:
    """Raise the stored supervision level of open cases whose thresholds have passed (督办扫描).

    Pure SQL; manual and re-work floors were stored when the last event was written, so a level
    is only ever raised here, never lowered. Since ``remind_at <= yellow_at <= due_at`` (one
    ``DueDate``), every candidate has ``remind_at <= now``: that redundant term lets each step
    range-scan ``ix_case_supervision_remind`` instead of reading every open case.
    """
    open_running = and_(
        Case.state.in_(OPEN_STATES), Case.clock_paused.is_(False), Case.remind_at <= now
    )
    steps = (
        ("red", Case.due_at < now, ("none", "reminder", "yellow")),
        ("yellow", Case.yellow_at <= now, ("none", "reminder")),
        ("reminder", Case.remind_at <= now, ("none",)),
    )
    counts: dict[str, int] = {}
    for level, reached, lower in steps:
        result = session.execute(
            update(Case)
            .where(open_running, reached, Case.supervision_level.in_(lower))
            .values(supervision_level=level)
            .execution_options(synchronize_session=False)
        )
        counts[level] = int(result.rowcount)  # type: ignore[attr-defined]
    return counts


def run_overdue_scan(ctx: ServiceContext) -> dict[str, int]:
    return ctx.store.run_write(lambda session: scan_overdue(session, ctx.now()))
