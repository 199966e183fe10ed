"""The stored holiday calendar and deadline rules (日历与时限规则的存储)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.domain.deadlines import CalendarEntry, RuleSpec
from services.domain.ids import uuid7
from services.domain.workcalendar import WorkCalendar
from services.store.models import CalendarDay, DeadlineRule


def load_rules(session: Session) -> tuple[RuleSpec, ...]:
    rows = session.scalars(select(DeadlineRule).where(DeadlineRule.active.is_(True))).all()
    return tuple(
        RuleSpec(r.handling_level, r.category_code, r.risk_colour, r.milestone, r.amount, r.unit)
        for r in rows
    )


def seed_rules(session: Session, rules: Iterable[RuleSpec]) -> int:
    """Insert the default rules when the table is empty; returns how many were added."""
    if session.scalars(select(DeadlineRule.id).limit(1)).first() is not None:
        return 0
    count = 0
    for r in rules:
        session.add(
            DeadlineRule(
                id=uuid7(),
                handling_level=r.handling_level,
                category_code=r.category_code,
                risk_colour=r.risk_colour,
                milestone=r.milestone,
                amount=r.amount,
                unit=r.unit,
                source="default",
                active=True,
            )
        )
        count += 1
    session.flush()
    return count


def load_calendar(session: Session) -> WorkCalendar:
    """The official calendar plus locally stored entries (county overrides, next year's data)."""
    rows = session.scalars(select(CalendarDay)).all()
    overrides = {r.day: r.is_workday for r in rows}
    names = {r.day: r.name for r in rows if r.name}
    known = {r.day.year for r in rows if r.source == "official"}
    return WorkCalendar(overrides, known, names=names)


def import_calendar(
    session: Session, entries: Iterable[CalendarEntry], *, official_years: Iterable[int] = ()
) -> int:
    """Store calendar entries (replacing the same days); returns how many were written.

    ``official_years`` are years whose complete State Council schedule is in ``entries``: their
    deadlines stop being provisional. Callers must ``ServiceContext.invalidate()`` afterwards.
    """
    official = set(official_years)
    count = 0
    for entry in entries:
        row = session.get(CalendarDay, entry.day)
        source = "official" if entry.day.year in official else "override"
        if row is None:
            session.add(CalendarDay(day=entry.day, is_workday=entry.is_workday,
                                    name=entry.name[:40], source=source))  # fmt: skip
        else:
            row.is_workday, row.name, row.source = entry.is_workday, entry.name[:40], source
        count += 1
    session.flush()
    return count
