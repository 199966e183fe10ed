"""Rows of the rooms' tables as DTOs, and the checks every booking passes (预约校验)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.cases.events import get_case_row
from services.context import ServiceContext
from services.domain.errors import ValidationError
from services.rooms.dto import BookingInfo, RoomInfo
from services.rooms.rules import (
    _hm,
    check_conflicts,
    check_mediators_on_duty,
    check_room_open,
    check_times,
)
from services.store.models import MediationRoom, Mediator, Person, RoomBooking

T = TypeVar("T")


def room_info(r: MediationRoom) -> RoomInfo:
    return RoomInfo(r.id, r.name, r.room_type, r.capacity, tuple(r.equipment or ()), r.open_rule,
                    r.slot_mode, _hm(r.open_from), _hm(r.open_to))  # fmt: skip


def booking_info(session: Session, b: RoomBooking) -> BookingInfo:
    """The DTO of one booking, with names resolved."""
    room = session.get(MediationRoom, b.room_id)
    names = {m.id: m.name for m in get_all(session, Mediator, b.mediator_ids or [])}
    people = {p.id: p.name for p in get_all(session, Person, b.person_ids or [])}
    code = get_case_row(session, b.case_id).code if b.case_id else ""
    return BookingInfo(
        b.id, b.room_id, room.name if room else "", b.case_id, code, b.title, b.start_at,
        b.end_at, b.status, tuple(b.mediator_ids or ()),
        tuple(names.get(m, "") for m in b.mediator_ids or []), tuple(b.person_ids or ()),
        tuple(people.get(p, "") for p in b.person_ids or []), b.series_id, b.detached,
        b.follow_up, b.note,
    )  # fmt: skip


def get_all(session: Session, model: type[T], ids: Sequence[str]) -> list[T]:
    if not ids:
        return []
    key = model.id  # type: ignore[attr-defined]
    return list(session.scalars(select(model).where(key.in_(list(ids)))))


def validate_booking(
    session: Session, ctx: ServiceContext, b: RoomBooking, buffer: dt.timedelta
) -> list[str]:
    """Refuse closed times and collisions; return warnings (after the case deadline)."""
    check_times(b.start_at, b.end_at, ctx.now())
    room = session.get(MediationRoom, b.room_id)
    if room is None or not room.active:
        raise ValidationError("room_id", "booking.room", "请选择调解室")
    check_room_open(room, ctx.calendar(session), b.start_at, b.end_at)
    check_mediators_on_duty(get_all(session, Mediator, b.mediator_ids or []),
                            b.start_at.date())  # fmt: skip
    check_conflicts(session, b, buffer)
    warnings = []
    people = len(b.person_ids or []) + len(b.mediator_ids or [])
    if people > room.capacity:
        warnings.append(f"参加人数（{people}人）超过调解室“{room.name}”的容纳人数"
                        f"（{room.capacity}人），请换大一些的调解室")  # fmt: skip
    if b.case_id:
        case = get_case_row(session, b.case_id)
        if case.due_at is not None and b.end_at > case.due_at:
            warnings.append(f"本次调解在案件办理期限（{case.due_at:%Y年%m月%d日 %H:%M}）"
                            "之后，请注意时限或申请延期")  # fmt: skip
    return warnings
