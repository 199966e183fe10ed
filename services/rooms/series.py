"""Weekly booking series (周期预约) whose edits keep the occurrences changed on their own.

An occurrence moved or cancelled by itself is *detached* (an exception, 例外); editing the series
rewrites only the attached future occurrences, so the exceptions survive (unlike MRBS #659).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.errors import NotFoundError, ValidationError
from services.domain.ids import uuid7
from services.domain.messages import msg, when
from services.domain.textutil import clean_text
from services.domain.workcalendar import WorkCalendar
from services.rooms.dto import BookingConflictError, BookingInfo, SeriesInput, SeriesResult
from services.rooms.info import booking_info, validate_booking
from services.rooms.rules import hold, require_room
from services.store.holds import settle_resolved
from services.store.models import BookingSeries, RoomBooking

MAX_SERIES_DAYS = 366
MAX_COUNT = 53


def _with_count(form: SeriesInput) -> SeriesInput:
    """``count`` occurrences ("repeat N times") become the ``until_date`` of the series."""
    if form.count is None:
        return form
    if not 1 <= form.count <= MAX_COUNT:
        raise ValidationError(
            "count", "series.count", msg("重复次数须为1至{limit}次", limit=MAX_COUNT)
        )
    first = form.first_date + dt.timedelta(days=(form.weekday - form.first_date.isoweekday()) % 7)
    return replace(form, until_date=first + dt.timedelta(weeks=form.count - 1))


def _check(form: SeriesInput) -> None:
    clean_text(form.title, "title", "预约事由", max_len=200, required=True)
    clean_text(form.note, "note", "备注", max_len=500)
    if not 1 <= form.weekday <= 7:
        raise ValidationError("weekday", "series.weekday", "请选择星期")
    if form.end_time <= form.start_time:
        raise ValidationError("end", "booking.end_before_start", "结束时间必须晚于开始时间")
    if form.until_date < form.first_date:
        raise ValidationError("until_date", "series.until", "结束日期不能早于开始日期")
    if (form.until_date - form.first_date).days > MAX_SERIES_DAYS:
        raise ValidationError("until_date", "series.too_long", "周期预约最长一年")


def _dates(form: SeriesInput) -> list[dt.date]:
    day = form.first_date + dt.timedelta(days=(form.weekday - form.first_date.isoweekday()) % 7)
    out = []
    while day <= form.until_date:
        out.append(day)
        day += dt.timedelta(days=7)
    return out


@dataclass
class _Tally:
    """What an edit did to the occurrences, gathered while walking the dates."""

    kept: int = 0
    skipped: list[str] = field(default_factory=list)
    made: list[RoomBooking] = field(default_factory=list)

    def warnings(self, calendar: WorkCalendar) -> tuple[str, ...]:
        """Booked occurrences on an official holiday (named), then those in a year whose
        official schedule is not imported yet (counted per year; rechecked when it arrives)."""
        holidays: list[str] = []  # 12月25日（元旦）…
        unknown: dict[int, list[dt.date]] = {}
        for b in self.made:
            day = b.start_at.date()
            info = calendar.day_info(day)
            if not info.known:
                unknown.setdefault(day.year, []).append(day)
            elif not info.is_workday and info.name:
                holidays.append(msg("{date}（{holiday}）", date=when(day, "%m月%d日"),
                                    holiday=info.name))  # fmt: skip
        out = []
        if holidays:
            out.append(msg("以下日期是法定节假日，请确认当事人和调解员能够到场：{days}",
                           days=tuple(holidays)))  # fmt: skip
        out += [msg("{year}年的放假安排尚未导入：其中{count}次（{first}起）可能是节假日，"
                    "导入后将重新核对，落在假期的会列入待处理", year=year, count=len(days),
                    first=when(days[0], "%m月%d日"))
                for year, days in sorted(unknown.items())]  # fmt: skip
        return tuple(out)


def save_series(
    ctx: ServiceContext, buffer: dt.timedelta, series_id: str | None, form: SeriesInput
) -> SeriesResult:
    """Create or edit a series in one transaction; an occurrence that collides or falls on a
    closed day is skipped (with why), the others are booked."""
    form = _with_count(form)
    _check(form)

    def work(session: Session) -> SeriesResult:
        series = _series_row(session, ctx, series_id, form)
        existing = {b.occurrence_date: b for b in session.scalars(
            select(RoomBooking).where(RoomBooking.series_id == series.id))}  # fmt: skip
        wanted = _dates(form)
        now = ctx.now()
        tally = _Tally()
        for day in wanted:
            _place(session, ctx, buffer, (series, form), existing.get(day), day, now, tally)
        for odate, b in existing.items():
            if odate not in wanted and not b.detached and b.status == "booked":
                b.status, b.cancelled_at = "cancelled", now
                hold(session, b)
        infos = tuple(booking_info(session, b) for b in tally.made)
        return SeriesResult(series.id, infos, tuple(tally.skipped), tally.kept,
                            warnings=tally.warnings(ctx.calendar(session)))  # fmt: skip

    return ctx.store.run_write(work)


def _series_row(
    session: Session, ctx: ServiceContext, series_id: str | None, form: SeriesInput
) -> BookingSeries:
    """The series row, new or edited (its revision counted), holding ``form``'s values."""
    if series_id is None:
        series = BookingSeries(township_id=ctx.township_id, room_id=form.room_id,
                               title=form.title, weekday=form.weekday, start_time="",
                               end_time="", first_date=form.first_date,
                               until_date=form.until_date)  # fmt: skip
        session.add(series)
    else:
        found = session.get(BookingSeries, series_id)
        if found is None:
            raise NotFoundError("series.not_found", "周期预约不存在")
        series = found
        series.revision += 1
    require_room(session, form.room_id)
    series.room_id, series.title, series.weekday = form.room_id, form.title, form.weekday
    series.start_time, series.end_time = f"{form.start_time:%H:%M}", f"{form.end_time:%H:%M}"
    series.first_date, series.until_date = form.first_date, form.until_date
    series.mediator_ids, series.note = list(form.mediator_ids), form.note
    session.flush()
    return series


def _place(
    session: Session,
    ctx: ServiceContext,
    buffer: dt.timedelta,
    edit: tuple[BookingSeries, SeriesInput],
    b: RoomBooking | None,
    day: dt.date,
    now: dt.datetime,
    tally: _Tally,
) -> None:
    """Book (or rewrite) the occurrence on ``day``; exceptions and past days stay as they are."""
    series, form = edit
    if b is not None and (b.detached or b.status not in ("booked", "cancelled")):
        tally.kept += int(b.detached)
        return
    start = dt.datetime.combine(day, form.start_time)
    if start < now:
        return
    fresh = b is None
    if b is None:
        b = RoomBooking(id=uuid7(), township_id=ctx.township_id,
                        series_id=series.id, occurrence_date=day,
                        created_at=now, created_by=ctx.user_id)  # fmt: skip
    else:
        b.revision += 1
    b.room_id, b.title, b.note = form.room_id, form.title, form.note
    b.start_at, b.end_at = start, dt.datetime.combine(day, form.end_time)
    b.mediator_ids, b.person_ids = list(form.mediator_ids), []
    b.status, b.cancelled_at = "booked", None
    try:
        validate_booking(session, ctx, b, buffer)
    except (BookingConflictError, ValidationError) as exc:
        if isinstance(exc, BookingConflictError):
            what = tuple(c.describe() for c in exc.collisions)
            tally.skipped.append(msg("{date}：时间冲突，{what}", date=when(day, "%m月%d日"),
                                     what=what))  # fmt: skip
        else:
            tally.skipped.append(msg("{date}：{why}", date=when(day, "%m月%d日"),
                                     why=exc.message))  # fmt: skip
        if not fresh:
            b.status, b.cancelled_at = "cancelled", now
            hold(session, b)
        return
    if fresh:
        session.add(b)
    hold(session, b)
    tally.made.append(b)


def cancel_series_from(ctx: ServiceContext, booking_id: str) -> tuple[BookingInfo, ...]:
    """Cancel this occurrence and the rest of its series (取消此后的全部); the series ends the
    day before. Occurrences already held or recorded stay as they are."""

    def work(session: Session) -> tuple[BookingInfo, ...]:
        b = session.get(RoomBooking, booking_id)
        if b is None or b.series_id is None:
            raise NotFoundError("series.not_found", "这不是周期预约中的一次")
        series = session.get(BookingSeries, b.series_id)
        assert series is not None
        rest = list(session.scalars(select(RoomBooking).where(
            RoomBooking.series_id == b.series_id, RoomBooking.start_at >= b.start_at,
            RoomBooking.status == "booked").order_by(RoomBooking.start_at)))  # fmt: skip
        now = ctx.now()
        for r in rest:
            r.status, r.cancelled_at = "cancelled", now
            r.revision += 1
            hold(session, r)
        settle_resolved(session, [r.id for r in rest], now, ctx.user_id)
        series.until_date = min(series.until_date, b.start_at.date() - dt.timedelta(days=1))
        series.revision += 1
        return tuple(booking_info(session, r) for r in rest)

    return ctx.store.run_write(work)
