"""Bad input (issue 16 #9): rooms validated, names and titles through the one text check, far
future refused, capacity warned, unknown rooms in Chinese, the 12-hour limit said as such, notes
shown; series repeat N times, skip a colliding occurrence, cancel the rest."""

from __future__ import annotations

import datetime as dt

import pytest

from services.domain.errors import ValidationError
from services.rooms.dto import BookingInput, MediatorInput, RoomInput, SeriesInput
from services.rooms.service import RoomService
from tests.services.rooms.conftest import MON, at


@pytest.mark.parametrize(
    ("form", "field"),
    [
        (RoomInput("小调解室", capacity=-1), "capacity"),
        (RoomInput("小调解室", capacity=0), "capacity"),
        (RoomInput("小调解室", open_rule="sometimes"), "open_rule"),
        (RoomInput("小调解室", open_rule="weekdays", weekdays=()), "weekdays"),
        (RoomInput("小调解室", slot_mode="half"), "slot_mode"),
        (RoomInput("调" * 61), "name"),
        (RoomInput("第一\x07调解室"), "name"),
    ],
)
def test_adding_a_room_is_validated(svc: RoomService, form: RoomInput, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        svc.add_room(form)
    assert err.value.field == field
    assert svc.rooms() == ()


def test_mediator_names_are_checked(svc: RoomService) -> None:
    for name in ("王" * 31, "王\x1b调解"):
        with pytest.raises(ValidationError) as err:
            svc.add_mediator(MediatorInput(name))
        assert err.value.field == "name"
    assert svc.mediators() == ()


def test_titles_are_refused_not_cut(svc: RoomService, room: str) -> None:
    for title in ("宅" * 201, "宅基地\x00纠纷"):
        with pytest.raises(ValidationError) as err:
            svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), title=title))
        assert err.value.field == "title"
    assert svc.bookings_between(MON, MON) == ()


@pytest.mark.parametrize("year", [2099, 9999])
def test_far_future_is_refused(svc: RoomService, room: str, year: int) -> None:
    day = dt.date(year, 3, 2)
    with pytest.raises(ValidationError) as err:
        svc.book(BookingInput(room, at(day, "09:00"), at(day, "10:00"), title="远期"))
    assert err.value.code == "booking.too_far"


def test_thirteen_hours_says_twelve_hours(svc: RoomService) -> None:
    always = svc.add_room(RoomInput("全天调解室", open_rule="always", open_from=dt.time(6),
                                    open_to=dt.time(22))).id  # fmt: skip
    with pytest.raises(ValidationError) as err:
        svc.book(BookingInput(always, at(MON, "07:00"), at(MON, "20:00"), title="长会"))
    assert "12小时" in err.value.message and "同一天" not in err.value.message


def test_unknown_room_is_a_chinese_error(svc: RoomService) -> None:
    with pytest.raises(ValidationError) as err:
        svc.book(BookingInput("no-such-room", at(MON, "09:00"), at(MON, "10:00"), title="x"))
    assert err.value.field == "room_id" and "调解室" in err.value.message


def test_more_people_than_the_room_holds_is_warned(svc: RoomService, case: str,
                                                   mediator: str) -> None:  # fmt: skip
    small = svc.add_room(RoomInput("小调解室", capacity=2)).id
    result = svc.book(BookingInput(small, at(MON, "09:00"), at(MON, "10:00"), case_id=case,
                                   mediator_ids=(mediator,)))  # fmt: skip
    assert any("3人" in w and "2人" in w for w in result.warnings)


def test_notes_are_shown(svc: RoomService, room: str) -> None:
    svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), title="律师值班",
                          note="请带上宅基地证"))  # fmt: skip
    (b,) = svc.bookings_between(MON, MON)
    assert b.note == "请带上宅基地证"


WEEKLY = dict(title="律师值班", weekday=3, start_time=dt.time(14, 0), end_time=dt.time(16, 0),
              first_date=MON, until_date=MON)  # fmt: skip


def test_series_repeats_n_times(svc: RoomService, room: str) -> None:
    made = svc.add_series(SeriesInput(room_id=room, count=6, **WEEKLY))  # type: ignore[arg-type]
    assert len(made.bookings) == 6
    assert made.bookings[-1].start.date() == MON + dt.timedelta(days=2 + 5 * 7)


def test_series_skips_the_colliding_occurrence(svc: RoomService, room: str) -> None:
    third = MON + dt.timedelta(days=2 + 14)
    svc.book(BookingInput(room, at(third, "14:30"), at(third, "15:00"), title="先约的"))
    made = svc.add_series(SeriesInput(room_id=room, count=4, **WEEKLY))  # type: ignore[arg-type]
    assert len(made.bookings) == 3
    assert third not in [b.start.date() for b in made.bookings]
    assert len(made.skipped) == 1 and "先约的" in made.skipped[0]


def test_cancel_the_rest_of_a_series(svc: RoomService, room: str) -> None:
    made = svc.add_series(SeriesInput(room_id=room, count=5, **WEEKLY))  # type: ignore[arg-type]
    cancelled = svc.cancel_series_from(made.bookings[2].id)
    assert len(cancelled.bookings) == 3
    live = svc.bookings_between(MON, MON + dt.timedelta(days=60))
    assert [b.id for b in live] == [b.id for b in made.bookings[:2]]
