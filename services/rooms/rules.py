"""Booking rules (预约规则): opening times, duty days, and the indexed conflict check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from services.domain.errors import ValidationError
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


def _days(days: Iterable[int]) -> str:
    return "、".join(WEEKDAY_NAMES[d - 1] for d in sorted(days))


def check_times(start: dt.datetime, end: dt.datetime, now: dt.datetime) -> None:
    """End after start, same day, not in the past nor beyond a year ahead, at most 12 hours."""
    if end <= start:
        raise ValidationError("end", "booking.end_before_start", "结束时间必须晚于开始时间")
    if start < now:
        raise ValidationError("start", "booking.past", "不能预约已经过去的时间")
    if start - now > MAX_AHEAD:
        raise ValidationError("start", "booking.too_far",
                              f"只能预约一年以内的时间（{start:%Y年%m月%d日}太远）")  # fmt: skip
    if end.date() != start.date():
        raise ValidationError("end", "booking.span", "一次预约须在同一天内结束")
    if end - start > MAX_SPAN:
        hours = (end - start).total_seconds() / 3600
        text = f"一次预约最长12小时（现为{hours:g}小时），请分成几次预约"
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
    label = f"调解室“{room.name}”"
    if day.isoformat() in (room.closures or []):
        raise ValidationError("start", "booking.room_closed",
                              f"{label}在{day:%Y年%m月%d日}停用")  # fmt: skip
    if room.open_rule == "workdays" and not calendar.is_workday(day):
        text = f"{label}只在法定工作日开放，{day:%Y年%m月%d日}不是工作日"
        raise ValidationError("start", "booking.room_closed", text)
    if room.open_rule == "weekdays" and day.isoweekday() not in (room.weekdays or []):
        raise ValidationError("start", "booking.room_closed",
                              f"{label}只在{_days(room.weekdays)}开放")  # fmt: skip
    opens, closes = _hm(room.open_from), _hm(room.open_to)
    if start.time() < opens or end.time() > closes:
        raise ValidationError("start", "booking.room_hours",
                              f"{label}开放时间为 {room.open_from}–{room.open_to}")  # fmt: skip
    if room.slot_mode == "hourly" and any(
        t.minute or t.second or t.microsecond for t in (start, end)
    ):
        raise ValidationError("start", "booking.room_slots",
                              f"{label}按整点时段预约（如 09:00–10:00）")  # fmt: skip


def check_mediators_on_duty(mediators: Sequence[Mediator], day: dt.date) -> None:
    for m in mediators:
        if not m.active:
            raise ValidationError("mediators", "booking.mediator_inactive",
                                  f"调解员“{m.name}”已停用")  # fmt: skip
        if m.weekdays and day.isoweekday() not in m.weekdays:
            raise ValidationError("mediators", "booking.mediator_off",
                                  f"调解员“{m.name}”只在{_days(m.weekdays)}值班")  # fmt: skip


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
        return [f"{day.year}年的放假安排尚未导入，{day:%m月%d日}可能是节假日；"
                "导入后将重新核对这次预约"]  # fmt: skip
    if not info.is_workday and info.name:
        return [f"{day:%m月%d日}是{info.name}假期，请确认当事人和调解员能够到场"]
    return []
