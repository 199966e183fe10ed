"""Editing rooms (修改调解室, 闭馆日期) and mediators, reading a series back, and closed days.

Helpers of :class:`services.rooms.service.RoomService`; each call is one unit of work.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.errors import NotFoundError, ValidationError
from services.domain.textutil import clean_text
from services.rooms.dto import MediatorInfo, MediatorInput, RoomInfo, RoomInput, SeriesInput
from services.rooms.info import room_info
from services.rooms.rules import _hm
from services.store.models import BookingSeries, MediationRoom, Mediator

OPEN_RULES = ("workdays", "weekdays", "always")
SLOT_MODES = ("free", "hourly")


MAX_ROOM_NAME = 60
MAX_MEDIATOR_NAME = 30


def check_mediator_name(name: str) -> str:
    return clean_text(name, "name", "调解员姓名", max_len=MAX_MEDIATOR_NAME, required=True)


def check_room(form: RoomInput) -> str:
    """Refuse an unnamed room, hours that end before they start, unknown rules, a room that
    never opens; returns the cleaned name."""
    name = clean_text(form.name, "name", "调解室名称", max_len=MAX_ROOM_NAME, required=True)
    clean_text(form.room_type, "room_type", "调解室类型", max_len=20)
    if form.open_to <= form.open_from:
        raise ValidationError("open_to", "room.hours", "关门时间必须晚于开门时间")
    if form.capacity < 1:
        raise ValidationError("capacity", "room.capacity", "容纳人数至少为1人")
    if form.open_rule not in OPEN_RULES:
        raise ValidationError("open_rule", "room.open_rule", "请选择开放规则")
    if form.open_rule == "weekdays" and not form.weekdays:
        raise ValidationError("weekdays", "room.weekdays", "“指定星期”开放时请至少选择一天")
    if form.slot_mode not in SLOT_MODES:
        raise ValidationError("slot_mode", "room.slot_mode", "请选择预约方式")
    if any(not 1 <= d <= 7 for d in form.weekdays):
        raise ValidationError("weekdays", "room.weekdays", "开放星期无效")
    return name


def _room(session: Session, room_id: str) -> MediationRoom:
    room = session.get(MediationRoom, room_id)
    if room is None or not room.active:
        raise NotFoundError("room.not_found", "调解室不存在或已停用")
    return room


def _mediator(session: Session, mediator_id: str) -> Mediator:
    m = session.get(Mediator, mediator_id)
    if m is None or not m.active:
        raise NotFoundError("mediator.not_found", "调解员不存在或已停用")
    return m


def room_form(ctx: ServiceContext, room_id: str) -> RoomInput:
    """The room as its edit form shows it, closures included."""
    with ctx.store.read() as session:
        r = _room(session, room_id)
        closures = tuple(sorted(dt.date.fromisoformat(d) for d in r.closures or []))
        return RoomInput(r.name, r.room_type, r.capacity, tuple(r.equipment or ()), r.open_rule,
                         tuple(r.weekdays or ()), r.slot_mode, _hm(r.open_from), _hm(r.open_to),
                         closures)  # fmt: skip


def edit_room(ctx: ServiceContext, room_id: str, form: RoomInput) -> RoomInfo:
    """Change a room's rules; existing bookings are kept (new ones follow the new rules)."""
    name = check_room(form)

    def work(session: Session) -> RoomInfo:
        r = _room(session, room_id)
        r.name, r.room_type, r.capacity = name, form.room_type, form.capacity
        r.equipment, r.open_rule = list(form.equipment), form.open_rule
        r.weekdays, r.slot_mode = list(form.weekdays), form.slot_mode
        r.open_from, r.open_to = f"{form.open_from:%H:%M}", f"{form.open_to:%H:%M}"
        r.closures = sorted({d.isoformat() for d in form.closures})
        session.flush()
        return room_info(r)

    return ctx.store.run_write(work)


def mediator_form(ctx: ServiceContext, mediator_id: str) -> MediatorInput:
    with ctx.store.read() as session:
        m = _mediator(session, mediator_id)
        return MediatorInput(m.name, m.kind, m.phone or "", tuple(m.specialties or ()),
                             tuple(m.weekdays or ()))  # fmt: skip


def edit_mediator(ctx: ServiceContext, mediator_id: str, form: MediatorInput) -> MediatorInfo:
    name = check_mediator_name(form.name)
    if any(not 1 <= d <= 7 for d in form.weekdays):
        raise ValidationError("weekdays", "mediator.weekdays", "值班星期无效")

    def work(session: Session) -> MediatorInfo:
        m = _mediator(session, mediator_id)
        m.name, m.kind, m.phone = name, form.kind, form.phone or None
        m.specialties, m.weekdays = list(form.specialties), sorted(set(form.weekdays))
        session.flush()
        return MediatorInfo(m.id, m.name, m.kind, tuple(m.specialties), tuple(m.weekdays))

    return ctx.store.run_write(work)


def series_form(ctx: ServiceContext, series_id: str) -> SeriesInput:
    """A series as its edit form shows it (修改整个系列)."""
    with ctx.store.read() as session:
        s = session.get(BookingSeries, series_id)
        if s is None:
            raise NotFoundError("series.not_found", "周期预约不存在")
        return SeriesInput(s.room_id, s.title, s.weekday, _hm(s.start_time), _hm(s.end_time),
                           s.first_date, s.until_date, tuple(s.mediator_ids or ()),
                           s.note)  # fmt: skip


def closed_days(
    ctx: ServiceContext, first: dt.date, last: dt.date
) -> tuple[tuple[str, dt.date], ...]:
    """(room id, day) pairs of days ``first``..``last`` a room is closed all day: closure dates,
    non-working days of the holiday calendar (rule 法定工作日), weekdays not chosen."""
    out: list[tuple[str, dt.date]] = []
    with ctx.store.read() as session:
        calendar = ctx.calendar(session)
        rooms = list(session.scalars(select(MediationRoom).where(MediationRoom.active)))
        day = first
        while day <= last:
            for r in rooms:
                closed = (day.isoformat() in (r.closures or [])
                          or r.open_rule == "workdays" and not calendar.is_workday(day)
                          or r.open_rule == "weekdays"
                          and day.isoweekday() not in (r.weekdays or []))  # fmt: skip
                if closed:
                    out.append((r.id, day))
            day += dt.timedelta(days=1)
    return tuple(out)
