"""Held sessions do not expire (issue 16 #4): only a session with parties, no record and no 签到,
whose day is over, becomes 过期未到; a past session can still be recorded; duty slots never
expire."""

from __future__ import annotations

import datetime as dt

from services.context import ServiceContext
from services.rooms.dto import BookingInput, SessionInput
from services.rooms.service import RoomService
from tests.services.rooms.conftest import MON, at

TUE = MON + dt.timedelta(days=1)


def _book(svc: RoomService, room: str, start: dt.datetime, **kw: object) -> str:
    form = BookingInput(room, start, start + dt.timedelta(hours=1), **kw)  # type: ignore[arg-type]
    return svc.book(form).booking.id


def _status(svc: RoomService) -> dict[str, str]:
    return {b.id: b.status for b in svc.bookings_between(MON, TUE)}


def test_opening_at_17_17_expires_nothing_of_today(
    svc: RoomService, room: str, case: str, ctx: ServiceContext
) -> None:
    ids = [_book(svc, room, at(MON, f"{h:02d}:00"), case_id=case) for h in (9, 10, 11, 14, 15, 16)]
    ctx.now = lambda: at(MON, "17:17")
    assert svc.expire_overdue().bookings == ()
    assert set(_status(svc).values()) == {"booked"}
    assert svc.follow_ups() == () and len(ids) == 6


def test_next_day_only_the_unrecorded_unattended_sessions_with_parties_expire(
    svc: RoomService, room: str, case: str, mediator: str, ctx: ServiceContext
) -> None:
    missed = _book(svc, room, at(MON, "09:00"), case_id=case)
    came = _book(svc, room, at(MON, "10:00"), case_id=case)
    recorded = _book(svc, room, at(MON, "11:00"), case_id=case, mediator_ids=(mediator,))
    duty = _book(svc, room, at(MON, "14:00"), title="律师值班")  # a slot without parties
    ctx.now = lambda: at(MON, "09:55")
    svc.check_in(came)
    ctx.now = lambda: at(MON, "12:10")
    form = SessionInput(case, at(MON, "11:00"), mediator, "面对面", "继续调解",
                        booking_id=recorded, next_session_at=at(TUE, "09:00"))  # fmt: skip
    svc.record_session(form)
    ctx.now = lambda: at(TUE, "08:00")
    expired = svc.expire_overdue().bookings
    assert [b.id for b in expired] == [missed]
    status = _status(svc)
    assert status[missed] == "no_show" and status[recorded] == "finished"
    assert status[came] == "finished" and status[duty] == "finished"
    assert [b.id for b in svc.follow_ups()] == [missed]  # nobody to call about the duty slot


def test_a_session_marked_no_show_can_still_be_recorded(
    svc: RoomService, room: str, case: str, mediator: str, ctx: ServiceContext
) -> None:
    bid = _book(svc, room, at(MON, "09:00"), case_id=case, mediator_ids=(mediator,))
    ctx.now = lambda: at(TUE, "08:00")
    svc.expire_overdue()
    svc.record_session(SessionInput(case, at(MON, "09:00"), mediator, "面对面", "未达成",
                                    booking_id=bid))  # fmt: skip
    (b,) = [b for b in svc.bookings_between(MON, MON) if b.id == bid]
    assert b.status == "finished" and not b.follow_up
    assert svc.follow_ups() == ()
