"""Deadline rules (办理时限), the case clocks they give, and the supervision level (督办级别)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from services.domain.errors import ValidationError
from services.domain.workcalendar import (
    UNIT_WORKING_DAYS,
    DueDate,
    Pause,
    WorkCalendar,
    compute_due,
    provisional_message,
)
from services.domain.workflow import CaseProjection, CaseState

MILESTONE_SIGN = "sign"  # 签收
MILESTONE_RESOLVE = "resolve"  # 办结
MILESTONE_MEDIATION = "mediation"  # 人民调解 (statutory, natural days)
SUPERVISION_ORDER = ("none", "reminder", "yellow", "red")
SIGN_STATES = frozenset({CaseState.ASSIGNED})
NO_RESOLVE_CLOCK = frozenset({CaseState.REGISTERED})


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A default deadline rule; ``None`` for category/colour means "any"."""

    handling_level: str
    category_code: str | None
    risk_colour: str | None
    milestone: str
    amount: int
    unit: str


@dataclass(frozen=True, slots=True)
class CaseClocks:
    """Every running clock of a case (案件时限)."""

    resolve: DueDate | None
    sign: DueDate | None
    mediation: DueDate | None

    @property
    def provisional_years(self) -> tuple[int, ...]:
        years: set[int] = set()
        for due in (self.resolve, self.sign, self.mediation):
            if due is not None:
                years.update(due.provisional_years)
        return tuple(sorted(years))

    @property
    def notice(self) -> str:
        """Chinese notice for the user when a deadline is provisional, else ''."""
        years = self.provisional_years
        return provisional_message(years) if years else ""


def pick_rule(
    rules: Sequence[RuleSpec], level: str, category: str, colour: str, milestone: str
) -> RuleSpec | None:
    """The most specific rule: exact sub-class beats class beats any; a colour match adds weight."""
    best: tuple[int, RuleSpec] | None = None
    for rule in rules:
        if rule.milestone != milestone or rule.handling_level != level:
            continue
        score = 0
        if rule.category_code is not None:
            if not category.startswith(rule.category_code):
                continue
            score += 2 * len(rule.category_code)
        if rule.risk_colour is not None:
            if rule.risk_colour != colour:
                continue
            score += 1
        if best is None or score > best[0]:
            best = (score, rule)
    return None if best is None else best[1]


def _end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59))


def case_clocks(
    proj: CaseProjection,
    rules: Sequence[RuleSpec],
    calendar: WorkCalendar,
    now: dt.datetime,
) -> CaseClocks:
    """Compute the clocks of an open case; a closed case has none."""
    if not proj.is_open:
        return CaseClocks(None, None, None)

    def due(milestone: str, start: dt.datetime | None, extension: int = 0) -> DueDate | None:
        if start is None:
            return None
        rule = pick_rule(
            rules, proj.handling_level, proj.category_code, proj.risk_colour, milestone
        )
        if rule is None:
            return None
        return compute_due(
            start, rule.amount, rule.unit, calendar, extension=extension,
            pauses=_pauses_since(proj, start), now=now,
        )  # fmt: skip

    resolve = None
    if proj.state not in NO_RESOLVE_CLOCK:
        resolve = due(MILESTONE_RESOLVE, proj.clock_started_at, proj.extension_days)
        if resolve is not None and proj.due_override is not None:
            pauses = _pauses_since(proj, resolve.start)
            resolve = _with_override(
                resolve, proj.due_override, calendar, now, proj.extension_days, pauses
            )
    sign = due(MILESTONE_SIGN, proj.assigned_at) if proj.state in SIGN_STATES else None
    mediation = None
    if proj.state is CaseState.MEDIATING:
        mediation = due(MILESTONE_MEDIATION, proj.mediation_started_at)
    return CaseClocks(resolve, sign, mediation)


def _pauses_since(proj: CaseProjection, start: dt.datetime) -> tuple[Pause, ...]:
    """The pauses of a clock started at ``start``: earlier pauses (before an escalation or a
    reopening restarted the clock) do not count, and a resume stamped before its pause (clocks
    of two PCs disagreeing) counts as no pause rather than breaking the deadline arithmetic."""
    out = []
    for p in proj.pauses:
        if p.ended_at is not None and p.ended_at <= start:
            continue
        begin = max(p.started_at, start)
        out.append(Pause(begin, None if p.ended_at is None else max(p.ended_at, begin)))
    return tuple(out)


def _with_override(
    base: DueDate, day: dt.date, calendar: WorkCalendar, now: dt.datetime,
    extension: int = 0, pauses: Sequence[Pause] = (),
) -> DueDate:  # fmt: skip
    """A deadline fixed by the 交办 slip replaces the rule's; thresholds scale with it.

    Approved extensions and paused working days move the fixed date as they move a rule's.
    """
    days, provisional = calendar.working_days_between(base.start.date(), day)
    scaled = compute_due(
        base.start, max(days, 0), UNIT_WORKING_DAYS, calendar,
        extension=extension, pauses=pauses, now=now,
    )  # fmt: skip
    due_at = max(_end_of(day), scaled.due_at)
    return DueDate(
        start=base.start,
        due_at=due_at,
        remind_at=min(scaled.remind_at, due_at),
        yellow_at=min(scaled.yellow_at, due_at),
        provisional=provisional or scaled.provisional,
        paused=base.paused,
        unit=UNIT_WORKING_DAYS,
        amount=days,
        provisional_years=scaled.provisional_years,
    )


def _max_level(a: str, b: str) -> str:
    return a if SUPERVISION_ORDER.index(a) >= SUPERVISION_ORDER.index(b) else b


def supervision_level(proj: CaseProjection, clocks: CaseClocks, now: dt.datetime) -> str:
    """督办级别: reminder at 70% of the time used, yellow at the yellow line, red when overdue.

    Two or more re-work loops, or a dissatisfied evaluation, raise it to yellow at least; a sign-off
    (签收) that is overdue raises it to yellow; a director's manual supervision is a floor.
    """
    if not proj.is_open:
        return "none"
    level = "none"
    resolve = clocks.resolve
    if resolve is not None and not resolve.paused:
        if now > resolve.due_at:
            level = "red"
        elif now >= resolve.yellow_at:
            level = "yellow"
        elif now >= resolve.remind_at:
            level = "reminder"
    if clocks.sign is not None and now > clocks.sign.due_at:
        level = _max_level(level, "yellow")
    if proj.rework_count >= 2 or proj.dissatisfied:
        level = _max_level(level, "yellow")
    return _max_level(level, proj.manual_supervision)


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One day of an official holiday schedule (放假安排) or a county override."""

    day: dt.date
    is_workday: bool
    name: str = ""


def parse_calendar_text(text: str) -> tuple[CalendarEntry, ...]:
    """Parse a holiday schedule typed or exported as CSV: ``日期,类型,名称`` per line.

    类型 is 休/假/holiday for a day off and 班/上班/workday for a 调休 working day. A header
    line and blank lines are skipped. Raises ValidationError naming the bad line.
    """
    entries: list[CalendarEntry] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if number == 1 and not parts[0][:1].isdigit():
            continue  # header
        try:
            day = dt.date.fromisoformat(parts[0].replace("/", "-"))
        except ValueError:
            raise ValidationError(
                "calendar", "calendar.date", f"第{number}行日期无法识别：{parts[0]}"
            ) from None
        kind = parts[1] if len(parts) > 1 else ""
        if kind in ("休", "假", "休息", "holiday", "off"):
            workday = False
        elif kind in ("班", "上班", "调休上班", "workday", "work"):
            workday = True
        else:
            raise ValidationError("calendar", "calendar.kind", f"第{number}行类型应为“休”或“班”")
        name = parts[2] if len(parts) > 2 else ""
        entries.append(CalendarEntry(day, workday, name))
    if not entries:
        raise ValidationError("calendar", "calendar.empty", "没有读到任何日期")
    return tuple(entries)
