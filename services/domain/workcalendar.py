"""Official working-day calendar (工作日, 调休) and case deadline arithmetic (办理期限)."""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import chinese_calendar

from services.domain.errors import ValidationError
from services.domain.messages import msg

UNIT_HOURS = "hours"  # hours of working days on the official calendar (工作小时)
UNIT_NATURAL_HOURS = "natural_hours"  # clock hours, holidays included (自然小时)
UNIT_NATURAL_DAYS = "natural_days"
UNIT_WORKING_DAYS = "working_days"
UNITS = frozenset({UNIT_HOURS, UNIT_NATURAL_HOURS, UNIT_NATURAL_DAYS, UNIT_WORKING_DAYS})

MAKEUP_WORKDAY_NAME = "调休上班"
_HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}
_END_OF_DAY = datetime.time(23, 59, 59)
_ONE_DAY = datetime.timedelta(days=1)
_ZERO = datetime.timedelta(0)


@dataclass(frozen=True, slots=True)
class DayInfo:
    """What the calendar says about one day.

    Attributes:
        day: the date.
        is_workday: True when offices are open that day.
        known: False when neither imported data nor the package cover the day's year, i.e.
            ``is_workday`` is only the Monday–Friday fallback.
        name: Chinese holiday name ("春节", "国庆节"), "调休上班" for a make-up working day,
            or "" for an ordinary day and for unknown years.
    """

    day: datetime.date
    is_workday: bool
    known: bool
    name: str


def _package_name(is_workday: bool, english: object) -> str:
    if not english:
        return ""
    if is_workday:
        return MAKEUP_WORKDAY_NAME
    return _HOLIDAY_NAMES_ZH.get(str(english), str(english))


class WorkCalendar:
    """Working-day calendar: imported data, then ``chinese_calendar``, then Mon–Fri.

    Lookups never raise for years the package does not cover; such days fall back to
    "Monday to Friday are working days" and are reported as not known (provisional).
    Results are cached per day in a plain dict, so a calendar should be rebuilt after the
    official schedule is re-imported.
    """

    def __init__(
        self,
        overrides: Mapping[datetime.date, bool] | None = None,
        known_years: Iterable[int] = (),
        *,
        use_package: bool = True,
        names: Mapping[datetime.date, str] | None = None,
    ) -> None:
        """Builds a calendar.

        Args:
            overrides: date -> is_workday from the database; wins over the package (a county
                may correct a day or import a year the package lacks).
            known_years: years whose complete official schedule is in ``overrides``; their
                days count as known even when the package has no data for them.
            use_package: consult ``chinese_calendar`` (turn off in tests to use data only).
            names: optional Chinese names for days (usually the override dates).
        """
        self._overrides: dict[datetime.date, bool] = dict(overrides or {})
        self._known_years = frozenset(known_years)
        self._use_package = use_package
        self._names: dict[datetime.date, str] = dict(names or {})
        self._cache: dict[datetime.date, DayInfo] = {}
        self._package_years: dict[int, bool] = {}

    def _package_has(self, year: int) -> bool:
        if not self._use_package:
            return False
        has = self._package_years.get(year)
        if has is None:
            try:
                chinese_calendar.is_workday(datetime.date(year, 1, 1))
                has = True
            except NotImplementedError:
                has = False
            self._package_years[year] = has
        return has

    @property
    def imported_years(self) -> frozenset[int]:
        """Years whose complete official schedule came as data (not from the package)."""
        return self._known_years

    def is_known_year(self, year: int) -> bool:
        """Returns True when the official schedule of ``year`` is imported or packaged."""
        return year in self._known_years or self._package_has(year)

    def day_info(self, day: datetime.date) -> DayInfo:
        """Returns the (cached) calendar facts for ``day``; a datetime is cut to its date."""
        if isinstance(day, datetime.datetime):
            day = day.date()
        info = self._cache.get(day)
        if info is None:
            info = self._compute(day)
            self._cache[day] = info
        return info

    def _compute(self, day: datetime.date) -> DayInfo:
        weekday_rule = day.weekday() < 5
        package_workday, package_name = weekday_rule, ""
        if self._package_has(day.year):
            is_holiday, english = chinese_calendar.get_holiday_detail(day)
            package_workday = not is_holiday
            package_name = _package_name(package_workday, english)
        workday = self._overrides.get(day, package_workday)
        if day in self._names:
            name = self._names[day]
        elif workday == package_workday:
            name = package_name
        else:
            name = MAKEUP_WORKDAY_NAME if workday and not weekday_rule else ""
        return DayInfo(day, workday, self.is_known_year(day.year), name)

    def is_workday(self, day: datetime.date) -> bool:
        """Returns True when ``day`` is a working day (fallback: Monday–Friday)."""
        return self.day_info(day).is_workday

    def _advance(self, start: datetime.date, n: int, unknown: set[int]) -> datetime.date:
        if n < 0:
            raise ValidationError("n", "workcalendar.negative", "工作日天数不能为负数")
        day = start
        while n > 0:
            day += _ONE_DAY
            info = self.day_info(day)
            if not info.known:
                unknown.add(day.year)
            if info.is_workday:
                n -= 1
        return day

    def _count(self, start: datetime.date, end: datetime.date, unknown: set[int]) -> int:
        count = 0
        day = start
        while day < end:
            day += _ONE_DAY
            info = self.day_info(day)
            if not info.known:
                unknown.add(day.year)
            count += info.is_workday
        return count

    def _work_time(
        self, begin: datetime.datetime, end: datetime.datetime, unknown: set[int]
    ) -> datetime.timedelta:
        """The part of [begin, end) that falls on working days."""
        total = _ZERO
        at = begin
        while at < end:
            midnight = datetime.datetime.combine(at.date() + _ONE_DAY, datetime.time(),
                                                 tzinfo=at.tzinfo)  # fmt: skip
            info = self.day_info(at.date())
            if not info.known:
                unknown.add(at.year)
            if info.is_workday:
                total += min(end, midnight) - at
            at = midnight
        return total

    def _advance_time(
        self, start: datetime.datetime, amount: datetime.timedelta, unknown: set[int]
    ) -> datetime.datetime:
        """The instant at which ``amount`` of working-day time has passed since ``start``.

        Time on days off does not count: 24 working hours from 15:00 on the eve of a week-long
        holiday end at 15:00 on the first working day after it.
        """
        at, left = start, amount
        while True:
            info = self.day_info(at.date())
            if not info.known:
                unknown.add(at.year)
            midnight = datetime.datetime.combine(at.date() + _ONE_DAY, datetime.time(),
                                                 tzinfo=at.tzinfo)  # fmt: skip
            if info.is_workday:
                if at + left <= midnight:
                    return at + left
                left -= midnight - at
            at = midnight

    def add_working_days(self, start: datetime.date, n: int) -> tuple[datetime.date, bool]:
        """Returns the n-th working day strictly after ``start``.

        ``start`` itself never counts (a case registered on Friday with 1 working day is due
        on the next working day); ``n == 0`` returns ``start``.

        Returns:
            (date, provisional): provisional is True when any day consulted lies in a year
            without official data.

        Raises:
            ValidationError: ``n`` is negative.
        """
        unknown: set[int] = set()
        return self._advance(start, n, unknown), bool(unknown)

    def working_days_between(self, start: datetime.date, end: datetime.date) -> tuple[int, bool]:
        """Counts working days d with ``start < d <= end`` (0 when ``end <= start``).

        Returns:
            (count, provisional) as in :meth:`add_working_days`.
        """
        unknown: set[int] = set()
        return self._count(start, end, unknown), bool(unknown)


@dataclass(frozen=True, slots=True)
class Pause:
    """A period the deadline clock stood still (中止/暂停); ``ended_at`` None = still paused."""

    started_at: datetime.datetime
    ended_at: datetime.datetime | None


@dataclass(frozen=True, slots=True)
class DueDate:
    """A computed deadline with its reminder (提醒) and yellow supervision (黄色督办) points.

    Attributes:
        start: when the clock started.
        due_at: the deadline instant.
        remind_at: when ``remind_fraction`` of the allowed time is used.
        yellow_at: when ``yellow_fraction`` of the allowed time is used.
        provisional: some year consulted had no official holiday data.
        paused: a pause is open; the dates assume the clock resumes now.
        unit: one of the ``UNIT_*`` constants.
        amount: amount + extension (what the clock runs to, pauses excluded).
        provisional_years: the years that made the result provisional, ascending.
    """

    start: datetime.datetime
    due_at: datetime.datetime
    remind_at: datetime.datetime
    yellow_at: datetime.datetime
    provisional: bool
    paused: bool
    unit: str
    amount: int
    provisional_years: tuple[int, ...]


def _check_due_args(
    amount: int, extension: int, unit: str, fractions: tuple[float, float], pauses: Sequence[Pause]
) -> None:
    """The ``Raises`` of :func:`compute_due`."""
    if amount < 0:
        raise ValidationError("amount", "due.negative_amount", "办理期限不能为负数")
    if extension < 0:
        raise ValidationError("extension", "due.negative_extension", "延期天数不能为负数")
    if unit not in UNITS:
        raise ValidationError("unit", "due.unknown_unit", msg("未知的期限单位：{unit}", unit=unit))
    remind_fraction, yellow_fraction = fractions
    if not 0 <= remind_fraction <= yellow_fraction <= 1:
        raise ValidationError("remind_fraction", "due.fraction", "提醒比例须满足 0≤提醒≤黄线≤1")
    for pause in pauses:
        if pause.ended_at is not None and pause.ended_at < pause.started_at:
            raise ValidationError("pauses", "due.pause_order", "暂停结束时间不能早于开始时间")


def compute_due(
    start: datetime.datetime,
    amount: int,
    unit: str,
    calendar: WorkCalendar,
    *,
    extension: int = 0,
    pauses: Sequence[Pause] = (),
    now: datetime.datetime | None = None,
    remind_fraction: float = 0.7,
    yellow_fraction: float = 0.9,
) -> DueDate:
    """Computes the deadline of a case.

    With ``total = amount + extension``:

    * working_days: ``due_at`` is 23:59:59 of the (total + paused working days)-th working
      day strictly after ``start.date()``. Each pause contributes
      ``working_days_between(started_at.date(), (ended_at or now).date())``.
    * natural_days: ``due_at`` is 23:59:59 of ``start.date() + total`` days, plus the whole
      days paused (ceiling of the summed pause duration in days).
    * hours (工作小时): ``total`` hours of working-day time after ``start`` plus the working-day
      time paused; days off on the official calendar do not count.
    * natural_hours: ``due_at = start + total hours + summed pause duration``.

    ``remind_at``/``yellow_at`` use k = floor(fraction × total) working/natural days (end of
    day) or fraction × total hours, shifted only by the pauses that began before that point.
    When k == 0 they equal ``start``. Every point is at least ``start``, so
    ``start <= remind_at <= yellow_at <= due_at``. An open pause runs until ``now``
    (default: the current time) and sets ``paused``. Only working_days and hours consult the
    calendar, so only they can be provisional.

    Raises:
        ValidationError: negative amount or extension, unknown unit, fractions outside
            0 <= remind <= yellow <= 1, or a pause that ends before it starts.
    """
    _check_due_args(amount, extension, unit, (remind_fraction, yellow_fraction), pauses)
    clock_now = now if now is not None else datetime.datetime.now(start.tzinfo)
    spans = [(p.started_at, max(p.ended_at or clock_now, p.started_at)) for p in pauses]
    spans.sort()
    total = amount + extension
    unknown: set[int] = set()

    def point(
        k: float, included: Sequence[tuple[datetime.datetime, datetime.datetime]]
    ) -> datetime.datetime:
        if unit == UNIT_NATURAL_HOURS:
            duration = sum((end - begin for begin, end in included), _ZERO)
            return start + datetime.timedelta(hours=k) + duration
        if unit == UNIT_HOURS:
            duration = sum((calendar._work_time(b, e, unknown) for b, e in included), _ZERO)
            return calendar._advance_time(start, datetime.timedelta(hours=k) + duration, unknown)
        if unit == UNIT_NATURAL_DAYS:
            duration = sum((end - begin for begin, end in included), _ZERO)
            day = start.date() + datetime.timedelta(days=int(k) + math.ceil(duration / _ONE_DAY))
        else:
            paused = sum(calendar._count(b.date(), e.date(), unknown) for b, e in included)
            day = calendar._advance(start.date(), int(k) + paused, unknown)
        return datetime.datetime.combine(day, _END_OF_DAY, tzinfo=start.tzinfo)

    def threshold(fraction: float) -> datetime.datetime:
        share = round(fraction * total, 9)  # 0.7 * 30 must give 21, not 20.999…
        k = share if unit in (UNIT_HOURS, UNIT_NATURAL_HOURS) else math.floor(share)
        if k == 0:
            return start
        # Shift only by the pauses that began before the (shifted) point; monotone in k and
        # in the pauses included, which keeps remind_at <= yellow_at <= due_at.
        at = point(k, ())
        for i, (begin, _end) in enumerate(spans):
            if begin > at:
                break
            at = point(k, spans[: i + 1])
        return max(start, at)

    due_at = max(start, point(total, spans))
    remind_at = threshold(remind_fraction)
    yellow_at = threshold(yellow_fraction)
    return DueDate(
        start=start,
        due_at=due_at,
        remind_at=remind_at,
        yellow_at=yellow_at,
        provisional=bool(unknown),
        paused=any(p.ended_at is None for p in pauses),
        unit=unit,
        amount=total,
        provisional_years=tuple(sorted(unknown)),
    )


def remaining_working_days(due: DueDate, now: datetime.datetime, calendar: WorkCalendar) -> int:
    """Working days left until ``due.due_at``, counted by date.

    Returns 0 on the due day, n when the due day is the n-th working day after today, and
    -(working days elapsed since the due day) when overdue. A weekend right after the due day
    still gives 0; use ``now > due.due_at`` to decide whether the case is overdue.
    """
    today, due_day = now.date(), due.due_at.date()
    if today <= due_day:
        return calendar.working_days_between(today, due_day)[0]
    return -calendar.working_days_between(due_day, today)[0]


def provisional_message(years: Sequence[int]) -> str:
    """Returns the Chinese notice for deadlines computed without official data ("" if none).

    Example: ``provisional_message([2027])`` ->
    "2027 年节假日安排尚未导入，期限按周一至周五临时计算，导入后将自动更正".
    """
    if not years:
        return ""
    return msg(
        "{years} 年节假日安排尚未导入，期限按周一至周五临时计算，导入后将自动更正",
        years=year_runs(years),
    )


def year_runs(years: Sequence[int]) -> str:
    """Years as a reader lists them: runs of three or more as a span ("2027、2029—2031"), so a
    due date far ahead does not name every year up to it."""
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    parts = [f"{r[0]}—{r[-1]}" if len(r) >= 3 else "、".join(map(str, r)) for r in runs]
    return "、".join(parts)
