"""Weekly booking series (周期预约) whose edits keep the occurrences changed on their own.

An occurrence moved or cancelled by itself is *detached* (an exception, 例外); editing the series
rewrites only the attached future occurrences, so the exceptions survive (unlike MRBS #659).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.errors import NotFoundError, ValidationError
from services.domain.ids import uuid7
from services.rooms.dto import BookingConflictError, Collision, SeriesInput, SeriesResult
from services.rooms.info import booking_info, validate_booking
from services.rooms.rules import hold
from services.store.models import BookingSeries, RoomBooking

MAX_SERIES_DAYS = 366


def _check(form: SeriesInput) -> None:
    if not form.title.strip():
        raise ValidationError("title", "series.title", "请填写预约事由")
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


def save_series(
    ctx: ServiceContext, buffer: dt.timedelta, series_id: str | None, form: SeriesInput
) -> SeriesResult:
    """Create or edit a series in one transaction; any collision refuses the whole edit."""
    _check(form)

    def work(session: Session) -> SeriesResult:
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
        series.room_id, series.title, series.weekday = form.room_id, form.title, form.weekday
        series.start_time, series.end_time = f"{form.start_time:%H:%M}", f"{form.end_time:%H:%M}"
        series.first_date, series.until_date = form.first_date, form.until_date
        series.mediator_ids, series.note = list(form.mediator_ids), form.note
        session.flush()
        existing = {b.occurrence_date: b for b in session.scalars(
            select(RoomBooking).where(RoomBooking.series_id == series.id))}  # fmt: skip
        wanted = _dates(form)
        now = ctx.now()
        kept, skipped, made = 0, [], []
        collisions: list[Collision] = []
        for day in wanted:
            b = existing.get(day)
            if b is not None and (b.detached or b.status not in ("booked", "cancelled")):
                kept += int(b.detached)
                continue
            start = dt.datetime.combine(day, form.start_time)
            if start < now:
                continue
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
            except BookingConflictError as exc:
                collisions.extend(exc.collisions)
                continue
            except ValidationError as exc:
                skipped.append(f"{day:%m月%d日}：{exc.message}")
                if not fresh:
                    b.status, b.cancelled_at = "cancelled", now
                    hold(session, b)
                continue
            if fresh:
                session.add(b)
            hold(session, b)
            made.append(b)
        if collisions:
            raise BookingConflictError(tuple(collisions), "周期预约中有")
        for odate, b in existing.items():
            if odate not in wanted and not b.detached and b.status == "booked":
                b.status, b.cancelled_at = "cancelled", now
                hold(session, b)
        infos = tuple(booking_info(session, b) for b in made)
        return SeriesResult(series.id, infos, tuple(skipped), kept)

    return ctx.store.run_write(work)
