"""Booking rules (预约规则): opening times, duty days, and the indexed conflict check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.domain.errors import ValidationError
from services.domain.messages import msg, when
from services.domain.workcalendar import WorkCalendar
from services.rooms.dto import WEEKDAY_NAMES, BookingConflictError, Collision
from services.store import holds
from services.store.models import (
    BookingResource,
    MediationRoom,
    Mediator,
    Person,
    RoomBooking,
)

MAX_SPAN = holds.MAX_SPAN
MAX_AHEAD = dt.timedelta(days=366)  # 2099 or 9999 is a typing slip, not a booking
_RES = BookingResource.__table__


def _hm(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def _days(days: Iterable[int]) -> tuple[str, ...]:
    return tuple(WEEKDAY_NAMES[d - 1] for d in sorted(days))


def check_times(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> None:
    """End after start, same day, not in the past nor beyond a year ahead, at most 12 hours."""
    if end <= start:
        raise ValidationError("end", "booking.end_before_start", "结束时间必须晚于开始时间")
    if start < now:
        raise ValidationError("start", "booking.past", "不能预约已经过去的时间")
    if start - now > MAX_AHEAD:
        raise ValidationError(
            "start",
            "booking.too_far",
            msg("只能预约一年以内的时间（{date}太远）", date=when(start)),
        )
    if end.date() != start.date():
        raise ValidationError("end", "booking.span", "一次预约须在同一天内结束")
    if end - start > MAX_SPAN:
        hours = (end - start).total_seconds() / 3600
        text = msg("一次预约最长12小时（现为{hours}小时），请分成几次预约", hours=hours)
        raise ValidationError("end", "booking.too_long", text)


def require_room(session: Session, room_id: str) -> MediationRoom:
    """The room of a booking, checked before anything is written (no raw IntegrityError)."""
    room = session.get(MediationRoom, room_id) if room_id else None
    if room is None or not room.active:
        raise ValidationError("room_id", "booking.room", "调解室不存在或已停用，请重新选择调解室")
    return room


def check_room_open(
    room: MediationRoom, calendar: WorkCalendar, start: dt.datetime, end: dt.datetime
) -> None:
    """Refuse a time the room is closed: closure day, holiday, weekday rule, hours, slots."""
    day = start.date()
    room_name = room.name
    if day.isoformat() in (room.closures or []):
        raise ValidationError(
            "start",
            "booking.room_closed",
            msg("调解室“{room}”在{date}停用", room=room_name, date=when(day)),
        )
    if room.open_rule == "workdays" and not calendar.is_workday(day):
        text = msg("调解室“{room}”只在法定工作日开放，{date}不是工作日", room=room_name,
                   date=when(day))  # fmt: skip
        raise ValidationError("start", "booking.room_closed", text)
    if room.open_rule == "weekdays" and day.isoweekday() not in (room.weekdays or []):
        raise ValidationError("start", "booking.room_closed",
                              msg("调解室“{room}”只在{days}开放", room=room_name,
                                  days=_days(room.weekdays)))  # fmt: skip
    opens, closes = _hm(room.open_from), _hm(room.open_to)
    if start.time() < opens or end.time() > closes:
        raise ValidationError("start", "booking.room_hours",
                              msg("调解室“{room}”开放时间为 {opens}–{closes}", room=room_name,
                                  opens=room.open_from, closes=room.open_to))  # fmt: skip
    if room.slot_mode == "hourly" and any(
        t.minute or t.second or t.microsecond for t in (start, end)
    ):
        raise ValidationError("start", "booking.room_slots",
                              msg("调解室“{room}”按整点时段预约（如 09:00–10:00）",
                                  room=room_name))  # fmt: skip


def check_mediators_on_duty(mediators: Sequence[Mediator], day: dt.date) -> None:
    for m in mediators:
        if not m.active:
            raise ValidationError("mediators", "booking.mediator_inactive",
                                  msg("调解员“{name}”已停用", name=m.name))  # fmt: skip
        if m.weekdays and day.isoweekday() not in m.weekdays:
            raise ValidationError("mediators", "booking.mediator_off",
                                  msg("调解员“{name}”只在{days}值班", name=m.name,
                                      days=_days(m.weekdays)))  # fmt: skip


def resources_of(booking: RoomBooking) -> list[str]:
    return holds.resources(booking.room_id, booking.mediator_ids or [], booking.person_ids or [])


def find_collisions(
    session: Session,
    resources: Sequence[str],
    start: dt.datetime,
    end: dt.datetime,
    buffer: dt.timedelta,
    exclude: str | None = None,
) -> list[tuple[str, str, dt.datetime, dt.datetime]]:
    """Held spans overlapping [start - buffer, end + buffer); touching edges do not collide."""
    return holds.overlapping(session, resources, start - buffer, end + buffer, exclude)


def describe(
    session: Session, hits: Sequence[tuple[str, str, dt.datetime, dt.datetime]]
) -> tuple[Collision, ...]:
    """Name what each hit is: the room, mediator or party, and the booking's title."""
    out: list[Collision] = []
    for resource, booking_id, start, end in hits:
        kind, _, key = resource.partition(":")
        model = {"room": MediationRoom, "mediator": Mediator, "person": Person}[kind]
        obj = session.get(model, key)
        name = str(getattr(obj, "name", key))
        booking = session.get(RoomBooking, booking_id)
        title = booking.title if booking else ""
        out.append(Collision(kind, name, booking_id, title, start, end))
    order = {"room": 0, "mediator": 1, "person": 2}
    return tuple(sorted(out, key=lambda c: (order[c.kind], c.start, c.name)))


def check_conflicts(
    session: Session, booking: RoomBooking, buffer: dt.timedelta, prefix: str = ""
) -> None:
    hits = find_collisions(session, resources_of(booking), booking.start_at, booking.end_at,
                           buffer, exclude=booking.id)  # fmt: skip
    if hits:
        raise BookingConflictError(describe(session, hits), prefix)


def hold(session: Session, booking: RoomBooking) -> None:
    """(Re)write the spans a booking holds; a cancelled booking holds none."""
    session.flush()
    holds.rehold(session, [booking.id])


def rebuild_all(session: Session) -> int:
    """Recompute every held span from ``room_booking`` (a repair; nothing calls it at start-up:
    every write and every pull keeps the spans of the bookings it touched)."""
    session.execute(delete(BookingResource))
    ids = list(session.scalars(select(RoomBooking.id).where(RoomBooking.status != "cancelled")))
    return len(holds.rehold(session, ids))


def day_warnings(calendar: WorkCalendar, day: dt.date) -> list[str]:
    """A provisional year (no official schedule yet) or an official holiday, said as such."""
    info = calendar.day_info(day)
    if not info.known:
        return [msg("{year}年的放假安排尚未导入，{date}可能是节假日；导入后将重新核对这次预约",
                    year=day.year, date=when(day, "%m月%d日"))]  # fmt: skip
    if not info.is_workday and info.name:
        return [msg("{date}是{holiday}假期，请确认当事人和调解员能够到场",
                    date=when(day, "%m月%d日"), holiday=info.name)]  # fmt: skip
    return []
