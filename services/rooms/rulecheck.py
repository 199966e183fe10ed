"""Bookings a rule change hits (调整开放规则) and bookings on provisional or holiday days.

Closing a room on booked days lists those bookings with their parties, for the clerk to move or
cancel them and call; a booking in a year the holiday calendar does not cover yet is flagged
when made and rechecked when the year's official schedule (放假安排) arrives.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.errors import ValidationError
from services.rooms.dto import BookingInfo, RoomInput
from services.rooms.info import INFO_COLUMNS, booking_infos
from services.rooms.rules import check_room_open
from services.store.models import MediationRoom, RoomBooking

LIVE = ("booked", "in_use")


def _future(session: Session, now: dt.datetime, room_id: str | None = None) -> list[object]:
    query = select(*INFO_COLUMNS).where(RoomBooking.status.in_(LIVE), RoomBooking.start_at >= now)
    if room_id is not None:
        query = query.where(RoomBooking.room_id == room_id)
    return list(session.connection().execute(query.order_by(RoomBooking.start_at)).all())


def bookings_hit(ctx: ServiceContext, room_id: str, form: RoomInput) -> tuple[BookingInfo, ...]:
    """Future bookings of the room that ``form``'s rules would refuse (the parties to call)."""
    with ctx.store.read() as session:
        calendar = ctx.calendar(session)
        closures = [d.isoformat() for d in form.closures]
        probe = MediationRoom(
            name=form.name, open_rule=form.open_rule, weekdays=list(form.weekdays),
            slot_mode=form.slot_mode, open_from=f"{form.open_from:%H:%M}",
            open_to=f"{form.open_to:%H:%M}", closures=closures)  # fmt: skip
        hit = []
        for row in _future(session, ctx.now(), room_id):
            try:
                check_room_open(probe, calendar, row.start_at, row.end_at)  # type: ignore[attr-defined]
            except ValidationError:
                hit.append(row)
        return booking_infos(session, hit)


def recheck_provisional(ctx: ServiceContext) -> tuple[BookingInfo, ...]:
    """Future bookings that now fall on an official holiday (e.g. once 2027's schedule came)."""
    with ctx.store.read() as session:
        calendar = ctx.calendar(session)
        hit = []
        for row in _future(session, ctx.now()):
            info = calendar.day_info(row.start_at.date())  # type: ignore[attr-defined]
            if info.known and not info.is_workday and info.name:
                hit.append(row)
        return booking_infos(session, hit)
