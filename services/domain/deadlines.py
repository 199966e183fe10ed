"""Deadline rules (办理时限), the case clocks they give, and the supervision level (督办级别)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.domain.errors import ValidationError
from services.domain.messages import msg
from services.domain.workcalendar import (
    UNIT_WORKING_DAYS,
    DueDate,
    Pause,
    WorkCalendar,
    compute_due,
    provisional_message,
)
from services.domain.workflow import RESOLVE_RUNNING, CaseProjection, CaseState

MILESTONE_SIGN = "sign"  # 签收
MILESTONE_RESOLVE = "resolve"  # 办结
MILESTONE_MEDIATION = "mediation"  # 人民调解 (statutory, natural days)
MILESTONE_REVIEW = "feedback_review"  # 审核 of the handling unit's 反馈
MILESTONE_EVALUATION = "evaluation"  # 群众评价
MILESTONE_REVISIT = "revisit"  # 回访, counted from 办结
SUPERVISION_ORDER = ("none", "reminder", "yellow", "red")
SIGN_STATES = frozenset({CaseState.ASSIGNED})
REVISIT_STATES = frozenset({CaseState.CLOSED, CaseState.ARCHIVED})
# A sign-off is overdue once ``now > due_at``; stored as a yellow line one second later.
_SIGN_OVERDUE = dt.timedelta(seconds=1)


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
    """Every running clock of a case (案件时限), one per milestone, each stopped by its own event.

    ``resolve`` is the handling clock while it runs; once the handling is done (反馈, 调解达成) it
    stands, and ``handled`` keeps where it stood with ``handled_at`` (for on-time statistics).
    The evaluation (评价), review (审核) and revisit (回访) clocks never raise supervision: they
    are the centre's own steps, not the handling unit's.
    """

    resolve: DueDate | None
    sign: DueDate | None
    mediation: DueDate | None
    evaluation: DueDate | None = None
    review: DueDate | None = None
    revisit: DueDate | None = None
    handled: DueDate | None = None
    handled_at: dt.datetime | None = None

    def running(self) -> tuple[tuple[str, DueDate], ...]:
        """(milestone, clock) of every running clock, in the order the case file lists them."""
        named = (
            (MILESTONE_RESOLVE, self.resolve), (MILESTONE_SIGN, self.sign),
            (MILESTONE_MEDIATION, self.mediation), (MILESTONE_REVIEW, self.review),
            (MILESTONE_EVALUATION, self.evaluation), (MILESTONE_REVISIT, self.revisit),
        )  # fmt: skip
        return tuple((name, due) for name, due in named if due is not None)

    @property
    def provisional_years(self) -> tuple[int, ...]:
        years: set[int] = set()
        for _name, due in self.running():
            years.update(due.provisional_years)
        return tuple(sorted(years))

    @property
    def supervised_provisional(self) -> bool:
        """Whether a clock the ledger stores (办结, 签收) is provisional."""
        return any(d is not None and d.provisional for d in (self.resolve, self.sign))

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
    """Compute the clocks of a case: each milestone's from its own start to its own event.

    A closed case keeps only its revisit clock (回访, counted from 办结) until the revisit.
    """

    def due(milestone: str, start: dt.datetime | None, extension: int = 0,
            spans: Sequence[Pause] = ()) -> DueDate | None:  # fmt: skip
        if start is None:
            return None
        rule = pick_rule(
            rules, proj.handling_level, proj.category_code, proj.risk_colour, milestone
        )
        if rule is None:
            return None
        return compute_due(
            start, rule.amount, rule.unit, calendar, extension=extension,
            pauses=_clip(spans or _pauses_since(proj, start), now), now=now,
        )  # fmt: skip

    if proj.state in REVISIT_STATES and proj.revisited_at is None:
        return CaseClocks(None, None, None, revisit=due(MILESTONE_REVISIT, proj.closed_at))
    if not proj.is_open:
        return CaseClocks(None, None, None)
    handled_at = proj.resolve_stopped_at
    resolve = _resolve_clock(proj, rules, calendar, handled_at or now)
    sign = due(MILESTONE_SIGN, proj.assigned_at) if proj.state in SIGN_STATES else None
    state = proj.state
    return CaseClocks(
        resolve=resolve if state in RESOLVE_RUNNING else None,
        sign=sign,
        mediation=(due(MILESTONE_MEDIATION, proj.mediation_started_at)
                   if state is CaseState.MEDIATING else None),
        review=(due(MILESTONE_REVIEW, proj.review_started_at)
                if state is CaseState.FEEDBACK_PENDING else None),
        evaluation=(due(MILESTONE_EVALUATION, proj.evaluation_started_at)
                    if state is CaseState.EVALUATION_PENDING else None),
        handled=resolve if handled_at is not None else None,
        handled_at=handled_at,
    )  # fmt: skip


def _resolve_clock(
    proj: CaseProjection, rules: Sequence[RuleSpec], calendar: WorkCalendar, now: dt.datetime
) -> DueDate | None:
    """The handling clock (办结), as of ``now`` (its stop, when the handling is done).

    It runs from acceptance, or from the latest re-grade that changed its rule (a case graded red
    on day 4 runs the red rule from day 4); pauses and the spans between a 反馈 and its 退回重办
    do not count.
    """
    start = proj.clock_started_at
    if start is None or proj.state is CaseState.REGISTERED:
        return None
    rule: RuleSpec | None = None
    for grade in proj.grades:
        picked = pick_rule(rules, grade.handling_level, grade.category_code, grade.risk_colour,
                           MILESTONE_RESOLVE)  # fmt: skip
        if grade.at > start and picked != rule:
            start = grade.at
        rule = picked
    rule = pick_rule(rules, proj.handling_level, proj.category_code, proj.risk_colour,
                     MILESTONE_RESOLVE)  # fmt: skip
    if rule is None:
        return None
    breaks = tuple(b for b in proj.resolve_breaks if b.ended_at is not None)
    spans = _clip(_pauses_since(proj, start, (*proj.pauses, *breaks)), now)
    resolve = compute_due(start, rule.amount, rule.unit, calendar,
                          extension=proj.extension_days, pauses=spans, now=now)  # fmt: skip
    if proj.due_override is not None:
        resolve = _with_override(resolve, proj.due_override, calendar, now,
                                 proj.extension_days, spans)  # fmt: skip
    return resolve


def _pauses_since(
    proj: CaseProjection, start: dt.datetime, pauses: Sequence[Any] | None = None
) -> tuple[Pause, ...]:
    """The pauses of a clock started at ``start``: earlier pauses (before an escalation or a
    reopening restarted the clock) do not count, and a resume stamped before its pause (clocks
    of two PCs disagreeing) counts as no pause rather than breaking the deadline arithmetic."""
    out = []
    for p in proj.pauses if pauses is None else pauses:
        if p.ended_at is not None and p.ended_at <= start:
            continue
        begin = max(p.started_at, start)
        out.append(Pause(begin, None if p.ended_at is None else max(p.ended_at, begin)))
    return _merged(out)


def _merged(pauses: Sequence[Pause]) -> tuple[Pause, ...]:
    """Overlapping pauses as one (a 暂停计时 while the handling clock stood counts once)."""
    out: list[Pause] = []
    for p in sorted(pauses, key=lambda p: p.started_at):
        last = out[-1] if out else None
        if last is not None and (last.ended_at is None or p.started_at <= last.ended_at):
            end = (
                None
                if last.ended_at is None or p.ended_at is None
                else max(last.ended_at, p.ended_at)
            )
            out[-1] = Pause(last.started_at, end)
        else:
            out.append(p)
    return tuple(out)


def _clip(pauses: Sequence[Pause], until: dt.datetime) -> tuple[Pause, ...]:
    """Pauses as seen at ``until``: later ones dropped, one running past it open."""
    out = []
    for p in pauses:
        if p.started_at >= until:
            continue
        out.append(p if p.ended_at is None or p.ended_at <= until else Pause(p.started_at, None))
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
    resolve = clocks.resolve  # None once the handling is done: waiting for 评价 is not late
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


def ledger_marks(
    clocks: CaseClocks,
) -> tuple[dt.datetime | None, dt.datetime | None, dt.datetime | None, bool]:
    """(due_at, remind_at, yellow_at, provisional) the ledger stores for the overdue scan.

    The handling clock gives the deadline; a 签收 clock brings the yellow line forward to the
    moment the sign-off is overdue, so the scan turns the ledger yellow exactly when the case
    file does. No running handling clock (evaluation, review, revisit): nothing to supervise.
    """
    resolve, sign = clocks.resolve, clocks.sign
    due = resolve.due_at if resolve else None
    remind = resolve.remind_at if resolve else None
    yellow = resolve.yellow_at if resolve else None
    if sign is not None:
        late = sign.due_at + _SIGN_OVERDUE
        yellow = late if yellow is None else min(yellow, late)
        remind = yellow if remind is None else min(remind, yellow)
    return due, remind, yellow, clocks.supervised_provisional


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
                "calendar",
                "calendar.date",
                msg("第{line}行日期无法识别：{text}", line=number, text=parts[0]),
            ) from None
        kind = parts[1] if len(parts) > 1 else ""
        if kind in ("休", "假", "休息", "holiday", "off"):
            workday = False
        elif kind in ("班", "上班", "调休上班", "workday", "work"):
            workday = True
        else:
            raise ValidationError(
                "calendar", "calendar.kind", msg("第{line}行类型应为“休”或“班”", line=number)
            )
        name = parts[2] if len(parts) > 2 else ""
        entries.append(CalendarEntry(day, workday, name))
    if not entries:
        raise ValidationError("calendar", "calendar.empty", "没有读到任何日期")
    return tuple(entries)
