"""Rule changes and provisional days (issue 16 #6): closing a room lists the bookings it hits,
with the parties to call; a booking on a day the holiday calendar does not cover yet is flagged
and rechecked once the year's schedule arrives."""

from __future__ import annotations

import dataclasses
import datetime as dt

from services.cases.schedule import import_schedule
from services.context import ServiceContext
from services.rooms.dto import BookingInput, RoomInput
from services.rooms.service import RoomService
from tests.services.rooms.conftest import MON, at


def test_closing_a_room_lists_the_bookings_it_hits(svc: RoomService, room: str,
                                                   case: str) -> None:  # fmt: skip
    days = [MON + dt.timedelta(days=i) for i in range(4)]
    for d in days:
        svc.book(BookingInput(room, at(d, "09:00"), at(d, "10:00"), case_id=case))
    form = dataclasses.replace(svc.room_form(room), closures=tuple(days[:3]))
    hit = svc.bookings_hit(room, form)
    assert [b.start.date() for b in hit] == days[:3]
    assert all(b.party_names == ("张三", "李四") for b in hit)  # the parties to call
    svc.edit_room(room, form)
    assert [b.start.date() for b in svc.bookings_hit(room, form)] == days[:3]  # still listed


def test_a_booking_in_an_uncovered_year_is_flagged_and_rechecked(
    svc: RoomService, ctx: ServiceContext
) -> None:
    ctx.now = lambda: dt.datetime(2026, 12, 20, 10, 0)
    always = svc.add_room(RoomInput("每天开放调解室", open_rule="always")).id
    day = dt.date(2027, 2, 8)  # a Monday; 2027's 春节 schedule is not known yet
    result = svc.book(BookingInput(always, at(day, "09:00"), at(day, "10:00"), title="春节前"))
    assert any("2027" in w and "放假安排" in w for w in result.warnings)
    assert svc.recheck_provisional() == ()
    import_schedule(ctx, "2027-02-08,休,春节\n", complete_years=(2027,))
    (hit,) = svc.recheck_provisional()
    assert hit.id == result.booking.id
