"""Report periods (报告期): a day, an ISO week, a month or a year, parsed from what people type."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from services.domain.errors import ValidationError
from services.domain.messages import msg


class PeriodKind(StrEnum):
    """How long a report period is (日报/周报/月报/年报, 专报 has none)."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"


@dataclass(frozen=True, slots=True)
class Period:
    """Days ``start`` … ``end`` inclusive; ``cutoff`` is the first moment after the period."""

    kind: PeriodKind
    start: dt.date
    end: dt.date

    @property
    def cutoff(self) -> dt.datetime:
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())

    @property
    def begin(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time())

    @property
    def label(self) -> str:
        s, e = self.start, self.end
        if self.kind is PeriodKind.DAY:
            return f"{s.year}年{s.month}月{s.day}日"
        if self.kind is PeriodKind.WEEK:
            iso = s.isocalendar()
            return f"{iso.year}年第{iso.week}周（{s.month}月{s.day}日至{e.month}月{e.day}日）"
        if self.kind is PeriodKind.MONTH:
            return f"{s.year}年{s.month}月"
        if self.kind is PeriodKind.YEAR:
            return f"{s.year}年"
        return f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日"

    def previous(self) -> Period:
        """The period just before (环比)."""
        if self.kind is PeriodKind.MONTH:
            return month_period(*_shift_month(self.start.year, self.start.month, -1))
        if self.kind is PeriodKind.YEAR:
            return year_period(self.start.year - 1)
        length = (self.end - self.start).days + 1
        return Period(
            self.kind, self.start - dt.timedelta(days=length), self.start - dt.timedelta(days=1)
        )

    def next(self) -> Period:
        if self.kind is PeriodKind.MONTH:
            return month_period(*_shift_month(self.start.year, self.start.month, 1))
        length = (self.end - self.start).days + 1
        return Period(
            self.kind, self.end + dt.timedelta(days=1), self.end + dt.timedelta(days=length)
        )

    def year_ago(self) -> Period:
        """The same period a year earlier (同比)."""
        if self.kind is PeriodKind.MONTH:
            return month_period(self.start.year - 1, self.start.month)
        if self.kind is PeriodKind.WEEK:
            iso = self.start.isocalendar()
            week = min(iso.week, dt.date(iso.year - 1, 12, 28).isocalendar().week)
            return week_period(iso.year - 1, week)
        return Period(self.kind, _minus_year(self.start), _minus_year(self.end))

    def year_start(self) -> dt.date:
        return dt.date(self.end.year, 1, 1)


def _minus_year(day: dt.date) -> dt.date:
    return (
        day.replace(year=day.year - 1, day=28)
        if (day.month, day.day) == (2, 29)
        else day.replace(year=day.year - 1)
    )


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + by
    return index // 12, index % 12 + 1


def day_period(day: dt.date) -> Period:
    return Period(PeriodKind.DAY, day, day)


def week_period(year: int, week: int) -> Period:
    start = dt.date.fromisocalendar(year, week, 1)
    return Period(PeriodKind.WEEK, start, start + dt.timedelta(days=6))


def week_of(day: dt.date) -> Period:
    start = day - dt.timedelta(days=day.weekday())
    return Period(PeriodKind.WEEK, start, start + dt.timedelta(days=6))


def month_period(year: int, month: int) -> Period:
    y, m = _shift_month(year, month, 1)
    return Period(
        PeriodKind.MONTH, dt.date(year, month, 1), dt.date(y, m, 1) - dt.timedelta(days=1)
    )


def year_period(year: int) -> Period:
    return Period(PeriodKind.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))


_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.IGNORECASE)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\S+?)(?:\.\.|~|至)(\S+)$")
FORMATS = {
    PeriodKind.DAY: "2026-11-20",
    PeriodKind.WEEK: "2026-W47 或该周任一日 2026-11-18",
    PeriodKind.MONTH: "2026-11",
    PeriodKind.YEAR: "2026",
}


def _bad(text: str, kind: PeriodKind) -> ValidationError:
    example = FORMATS.get(kind, "2026-11-01..2026-11-30")
    return ValidationError(
        "period",
        "period.malformed",
        msg("报告期“{text}”格式不正确，应写作 {example}", text=text, example=example),
    )


def _date(text: str, kind: PeriodKind) -> dt.date:
    m = _DAY.match(text)
    if not m:
        raise _bad(text, kind)
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise ValidationError(
            "period", "period.impossible", msg("日期“{text}”不存在", text=text)
        ) from None


def _parse(text: str, kind: PeriodKind) -> Period:
    if kind is PeriodKind.RANGE or ".." in text or "至" in text or "~" in text:
        return _parse_range(text, kind)
    if kind is PeriodKind.DAY:
        return day_period(_date(text, kind))
    if kind is PeriodKind.WEEK:
        m = _WEEK.match(text)
        if m is None:
            return week_of(_date(text, kind))
        try:
            return week_period(int(m[1]), int(m[2]))
        except ValueError:
            raise ValidationError(
                "period", "period.impossible", msg("“{text}”没有这一周", text=text)
            ) from None
    if kind is PeriodKind.MONTH:
        m = _MONTH.match(text)
        if m is None or not 1 <= int(m[2]) <= 12:
            raise _bad(text, kind)
        return month_period(int(m[1]), int(m[2]))
    if kind is PeriodKind.YEAR:
        m = _YEAR.match(text)
        if m is None:
            raise _bad(text, kind)
        return year_period(int(m[1]))
    raise _bad(text, kind)


def _parse_range(text: str, kind: PeriodKind) -> Period:
    m = _RANGE.match(text)
    if m is None:
        raise _bad(text, kind)
    start, end = _date(m[1], kind), _date(m[2], kind)
    if end < start:
        raise ValidationError(
            "period",
            "period.reversed",
            msg(
                "报告期起止日期颠倒：{start} 晚于 {end}",
                start=start.isoformat(),
                end=end.isoformat(),
            ),
        )
    return Period(PeriodKind.RANGE, start, end)


def parse_period(text: str, kind: PeriodKind, today: dt.date) -> Period:
    """Parse ``--period``; a period that has not begun yet is refused.

    Raises:
        ValidationError: malformed text, an impossible date, reversed dates or a future period.
    """
    text = text.strip()
    if len(text) > 40:
        raise _bad(text[:40] + "…", kind)
    period = _parse(text, kind)
    if period.start > today:
        raise ValidationError(
            "period",
            "period.future",
            msg(
                "报告期“{period}”尚未开始（今天是{today}），不能生成未来的报告",
                period=period.label,
                today=today.isoformat(),
            ),
        )
    return period


def cutoff_of(period: Period, now: dt.datetime) -> dt.datetime:
    """Data cut-off: the end of the period, or now while the period is still running."""
    return min(period.cutoff, now)
