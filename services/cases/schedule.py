"""Calendar changes reach the cases: one refresh after any change of the calendar or the rules.

Whatever changed the official calendar or the deadline rules (the settings import, a county
calendar or rule pulled by sync, a newer ``chinese_calendar`` package found at start-up), the
stored projection of the open cases (``due_at``, the yellow and reminder lines, the provisional
mark and the supervision level the ledger and the overdue scan read) is recomputed by
:func:`refresh_after_calendar_change`. A fingerprint of the calendar and the rules, kept in
``device_state.reference_version``, tells :func:`refresh_if_calendar_changed` (run before each
overdue scan, so at start-up too) whether anything changed since the last refresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import chinese_calendar
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from services.cases.events import refresh_projection, to_event
from services.context import ServiceContext
from services.domain.deadlines import case_clocks, parse_calendar_text
from services.domain.dto import ALL_CASES, Changes
from services.domain.errors import ValidationError
from services.domain.messages import msg
from services.domain.workflow import OPEN, CaseState, Event, replay
from services.reference.calendar import import_calendar
from services.store.models import CalendarDay, Case, CaseEvent, DeadlineRule, DeviceState

log = logging.getLogger(__name__)

CHUNK = 500  # cases per transaction: a full refresh never holds the write lock for long
# Open cases whose stored columns come from a clock (a registered case has none yet).
CLOCK_STATES = tuple(s.value for s in OPEN - {CaseState.REGISTERED})
_FINGERPRINT_PREFIX = "cal:"  # + 16 hex digits: fits device_state.reference_version (20)


def import_schedule(ctx: ServiceContext, text: str, *, complete_years: Iterable[int] = ()) -> int:
    """Import a schedule, then refresh the stored deadlines; returns the entries written.

    ``complete_years`` marks years whose complete official schedule is in ``text``; a year the
    text has no day of is refused (ticking "complete" must not mark another year complete).
    """
    entries = parse_calendar_text(text)
    years = {e.day.year for e in entries}
    missing = sorted(set(complete_years) - years)
    if missing:
        listed = "、".join(str(y) for y in missing)
        message = msg("导入的内容中没有 {years} 年的日期，不能标记为该年完整的安排", years=listed)
        raise ValidationError("calendar", "calendar.year", message)
    count = ctx.store.run_write(
        lambda session: import_calendar(session, entries, official_years=complete_years)
    )
    refresh_after_calendar_change(ctx, days={e.day for e in entries})
    return count


def refresh_after_calendar_change(
    ctx: ServiceContext, *, days: Collection[dt.date] | None = None, announce: bool = True
) -> int:
    """Recompute the stored deadlines of the open cases after the calendar or the rules changed.

    THE one refresh: the settings import, a sync pull that brought calendar days or rules, and
    start-up (via :func:`refresh_if_calendar_changed`) all call it. With ``days`` (the calendar
    days that changed) only cases a change can move are recomputed: provisional ones, and those
    whose clock window (registration to stored deadline) reaches a changed day; without, every
    open case. Works in transactions of ``CHUNK`` cases and records the new fingerprint at the
    end, then publishes the change on ``ctx.feed`` (unless ``announce`` is off and no case
    moved: a database recording its first fingerprint). Returns how many cases were recomputed.
    """
    ctx.invalidate()
    with ctx.store.read() as session:
        ids = list(session.scalars(_candidates(days)))
    now = ctx.now()
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        ctx.store.run_write(partial(_recompute, ctx=ctx, ids=chunk, now=now))
    ctx.store.run_write(record_fingerprint)
    if ids:
        log.info("calendar or rules changed: %d open cases recomputed", len(ids))
    # every screen reloads; the rooms recheck bookings now on official holidays (desk wiring)
    if announce or ids:
        ctx.feed.publish(Changes(case_ids=ALL_CASES, reference=True, bookings=True))
    return len(ids)


def refresh_if_calendar_changed(ctx: ServiceContext) -> int:
    """Run the refresh when the calendar or the rules differ from the last refresh's (start-up,
    or a change made by another program on this database); returns the cases recomputed."""
    with ctx.store.read() as session:
        current = fingerprint(session)
        stored = session.scalar(select(DeviceState.reference_version).limit(1))
    if stored is None or stored == current:
        return 0
    return refresh_after_calendar_change(ctx, announce=bool(stored))


def fingerprint(session: Session) -> str:
    """A short digest of what deadlines depend on: stored calendar days, active rules and the
    ``chinese_calendar`` package version (a newer package may know next year's holidays)."""
    digest = hashlib.sha1()
    digest.update(str(getattr(chinese_calendar, "__version__", "-")).encode())
    days = session.execute(
        select(CalendarDay.day, CalendarDay.is_workday, CalendarDay.source).order_by(
            CalendarDay.day
        )
    )
    for row in days:
        digest.update(repr(tuple(row)).encode())
    rules = session.execute(
        select(DeadlineRule.handling_level, DeadlineRule.category_code, DeadlineRule.risk_colour,
               DeadlineRule.milestone, DeadlineRule.amount, DeadlineRule.unit)
        .where(DeadlineRule.active.is_(True))
    )  # fmt: skip
    for rule in sorted(repr(tuple(r)) for r in rules):
        digest.update(rule.encode())
    return _FINGERPRINT_PREFIX + digest.hexdigest()[:16]


def _candidates(days: Collection[dt.date] | None) -> Select[Any]:
    query = select(Case.id).where(Case.state.in_(CLOCK_STATES))
    if days:
        first = dt.datetime.combine(min(days), dt.time())
        after_last = dt.datetime.combine(max(days) + dt.timedelta(days=1), dt.time())
        reaches = and_(Case.due_at >= first, Case.registered_at < after_last)
        query = query.where(or_(Case.due_provisional.is_(True), reaches))
    return query.order_by(Case.id)


def _recompute(session: Session, *, ctx: ServiceContext, ids: list[str], now: dt.datetime) -> None:
    events: defaultdict[str, list[Event]] = defaultdict(list)
    rows = session.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(ids)))
    for row in rows:
        events[row.case_id].append(to_event(row))
    rules, calendar = ctx.rules(session), ctx.calendar(session)
    for case in session.scalars(select(Case).where(Case.id.in_(ids))):
        proj = replay(events.get(case.id, ())).projection
        if proj is not None:
            refresh_projection(case, proj, case_clocks(proj, rules, calendar, now), now)


def record_fingerprint(session: Session) -> None:
    """Note that the stored deadlines follow the current calendar and rules."""
    device = session.scalars(select(DeviceState).limit(1)).first()
    if device is not None:
        device.reference_version = fingerprint(session)


@dataclass(frozen=True, slots=True)
class CalendarYear:
    """Whether deadlines in a year follow an official schedule (节假日安排是否已导入)."""

    year: int
    known: bool
    source: str  # "package", "imported" or ""


def calendar_years(ctx: ServiceContext, years: tuple[int, ...]) -> tuple[CalendarYear, ...]:
    with ctx.store.read() as session:
        calendar = ctx.calendar(session)
        imported = calendar.imported_years
        out = []
        for year in years:
            known = calendar.is_known_year(year)
            source = "imported" if year in imported else ("package" if known else "")
            out.append(CalendarYear(year, known, source))
        return tuple(out)
