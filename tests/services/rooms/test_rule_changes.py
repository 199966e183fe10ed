"""Rule changes and provisional days (issue 16 #6): closing a room lists the bookings it hits,
with the parties to call; a booking on a day the holiday calendar does not cover yet is flagged
and rechecked once the year's schedule arrives."""

from __future__ import annotations

import dataclasses
import datetime as dt

from services.cases.schedule import import_schedule
from services.context import ServiceContext
from services.domain.dto import Changes
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


def test_a_closure_puts_its_bookings_in_the_attention_list_until_moved(
    svc: RoomService, room: str, case: str
) -> None:
    """The bookings stayed 已预约 and in the reminders; now they wait in 待处理, marked in the
    reminders, until moved or cancelled."""
    days = [MON + dt.timedelta(days=i) for i in range(2)]
    made = [svc.book(BookingInput(room, at(d, "09:00"), at(d, "10:00"), case_id=case)).booking
            for d in days]  # fmt: skip
    assert svc.attention() == ()
    svc.edit_room(room, dataclasses.replace(svc.room_form(room), closures=(days[0],)))
    (item,) = svc.attention()
    assert item.kind == "closed" and item.booking.id == made[0].id and "停用" in item.reason
    assert item.booking.party_names == ("张三", "李四")
    (reminder,) = [r for r in svc.reminders(days[0]) if r.booking.id == made[0].id]
    assert reminder.attention == item.reason
    svc.move(made[0].id, at(days[1], "14:00"), at(days[1], "15:00"))
    assert svc.attention() == ()


def test_a_schedule_arriving_rechecks_bookings_and_tells_the_screens(
    svc: RoomService, ctx: ServiceContext
) -> None:
    """recheck_provisional ran only when called by hand; the one calendar refresh (settings
    import, sync pull, start-up) publishes on ctx.feed and the 待处理 list shows the booking."""
    ctx.now = lambda: dt.datetime(2026, 12, 20, 10, 0)
    always = svc.add_room(RoomInput("每天开放调解室", open_rule="always")).id
    day = dt.date(2027, 2, 8)
    booked = svc.book(BookingInput(always, at(day, "09:00"), at(day, "10:00"), title="春节前"))
    assert svc.attention() == ()
    heard: list[Changes] = []
    ctx.feed.subscribe(heard.append)
    import_schedule(ctx, "2027-02-08,休,春节\n", complete_years=(2027,))
    assert any(c.reference and c.bookings for c in heard)
    (item,) = svc.attention()
    assert item.kind == "holiday" and item.booking.id == booked.booking.id
    assert "春节" in item.reason


def test_a_series_says_which_occurrences_fall_on_holidays_or_unknown_days(
    svc: RoomService, ctx: ServiceContext
) -> None:
    """A series into 2027 (no official schedule yet) booked 春节 and 国庆 silently, and an
    every-day room's series booked 国庆 2026 with no flag: the result now says so, once per kind."""
    from services.rooms.dto import SeriesInput

    ctx.now = lambda: dt.datetime(2026, 9, 20, 10, 0)
    always = svc.add_room(RoomInput("每天开放调解室", open_rule="always")).id
    made = svc.add_series(SeriesInput(always, "律师值班", 4, dt.time(9), dt.time(10),
                                      dt.date(2026, 9, 24), dt.date(2027, 2, 28)))  # fmt: skip
    assert len(made.bookings) > 20 and made.skipped == ()
    holiday, provisional = made.warnings
    assert "10月01日" in holiday and "国庆" in holiday  # Thursday 1 October 2026
    assert "2027年的放假安排尚未导入" in provisional and "8次" in provisional  # Jan + Feb 2027
    assert "导入后将重新核对" in provisional
