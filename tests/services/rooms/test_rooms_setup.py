"""Editing rooms (闭馆日期) and mediators, reading a series back, and the closed days."""

from __future__ import annotations

import datetime as dt

import pytest

from services.context import ServiceContext
from services.domain.errors import NotFoundError, ValidationError
from services.rooms.dto import BookingInput, MediatorInput, RoomInput, SeriesInput
from services.rooms.service import RoomService

MON = dt.date(2026, 11, 23)  # NOW (conftest) is Friday 2026-11-20 10:00


@pytest.fixture
def svc(ctx: ServiceContext) -> RoomService:
    return RoomService(ctx)


def test_edit_room_with_closures_refuses_bookings_on_them(svc: RoomService) -> None:
    room = svc.add_room(RoomInput("第一调解室")).id
    form = svc.room_form(room)
    assert form.closures == () and form.open_rule == "workdays"
    info = svc.edit_room(room, RoomInput("大调解室", capacity=12, equipment=("视频调解",),
                                         open_rule="always", open_from=dt.time(9),
                                         open_to=dt.time(16), closures=(MON,)))  # fmt: skip
    assert (info.name, info.capacity, info.equipment, info.open_to) == (
        "大调解室", 12, ("视频调解",), dt.time(16))  # fmt: skip
    assert svc.room_form(room).closures == (MON,)
    with pytest.raises(ValidationError, match="停用"):
        svc.book(BookingInput(room, dt.datetime.combine(MON, dt.time(10)),
                              dt.datetime.combine(MON, dt.time(11)), "值班"))  # fmt: skip
    tue = MON + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="开放时间为 09:00–16:00"):
        svc.book(BookingInput(room, dt.datetime.combine(tue, dt.time(16)),
                              dt.datetime.combine(tue, dt.time(17)), "值班"))  # fmt: skip
    with pytest.raises(ValidationError, match="关门时间"):
        svc.edit_room(room, RoomInput("大调解室", open_from=dt.time(17), open_to=dt.time(9)))
    with pytest.raises(ValidationError, match="至少选择一天"):
        svc.edit_room(room, RoomInput("大调解室", open_rule="weekdays"))
    with pytest.raises(NotFoundError):
        svc.edit_room("nope", RoomInput("x"))
    assert svc.rooms()[0].name == "大调解室"  # the refused edits saved nothing


def test_edit_mediator_duty_days(svc: RoomService) -> None:
    room = svc.add_room(RoomInput("第一调解室", open_rule="always")).id
    m = svc.add_mediator(MediatorInput("陈律师")).id
    info = svc.edit_mediator(m, MediatorInput("陈律师", "external", "13812345678", ("05",), (3,)))
    assert (info.kind, info.specialties, info.weekdays) == ("external", ("05",), (3,))
    assert svc.mediator_form(m).phone == "13812345678"
    with pytest.raises(ValidationError, match="只在周三值班"):
        svc.book(BookingInput(room, dt.datetime.combine(MON, dt.time(10)),
                              dt.datetime.combine(MON, dt.time(11)), "值班",
                              mediator_ids=(m,)))  # fmt: skip
    with pytest.raises(ValidationError, match="姓名"):
        svc.edit_mediator(m, MediatorInput(" "))


def test_series_form_reads_the_series_back(svc: RoomService) -> None:
    room = svc.add_room(RoomInput("第一调解室")).id
    form = SeriesInput(room, "律师值班", 3, dt.time(9), dt.time(11), MON, MON + dt.timedelta(28))
    made = svc.add_series(form)
    assert svc.series_form(made.series_id) == form


def test_closed_days(svc: RoomService) -> None:
    work = svc.add_room(RoomInput("工作日开放")).id
    picked = svc.add_room(RoomInput("周三开放", open_rule="weekdays", weekdays=(3,))).id
    always = svc.add_room(RoomInput("每天开放", open_rule="always", closures=(MON,))).id
    closed = set(svc.closed_days(MON - dt.timedelta(days=2), MON + dt.timedelta(days=2)))
    sat, sun, tue = (MON + dt.timedelta(days=n) for n in (-2, -1, 1))
    assert (work, sat) in closed and (work, sun) in closed and (work, MON) not in closed
    assert (picked, MON) in closed and (picked, MON + dt.timedelta(days=2)) not in closed
    assert (always, MON) in closed and (always, sat) not in closed and (always, tue) not in closed
