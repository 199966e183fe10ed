# ruff: noqa: F811 - pytest fixtures imported from test_rooms_view
"""Booking input on the 调解室 screen (issue 16 #9): notes kept and shown, repeat N times,
cancel the rest of a series."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from PySide6.QtWidgets import QWidget

from tests.views.test_rooms_view import DAY, FakeRooms, at, fake, view  # noqa: F401
from views.rooms import RoomsView
from views.rooms.dialogs import BookingDialog


def test_note_is_saved_and_shown(view: RoomsView, fake: FakeRooms) -> None:
    def fill(d: QWidget) -> int:
        assert isinstance(d, BookingDialog)
        d.title.setText("律师值班")
        d.note.setText("请带上宅基地证")
        d.buttons.accepted.emit()
        return d.result()

    view.dialog_factory = fill
    view.open_booking(at("16:00"), "r1")
    assert fake.booked[0].note == "请带上宅基地证"
    fake.items["b1"] = replace(fake.items["b1"], note="请带上宅基地证")
    view.refresh()
    assert "备注：请带上宅基地证" in view.calendar.tooltip_text(fake.items["b1"])


def test_repeat_n_times(view: RoomsView, fake: FakeRooms) -> None:
    def fill(d: QWidget) -> int:
        assert isinstance(d, BookingDialog)
        d.title.setText("律师值班")
        d.repeat.setChecked(True)
        d.count.setValue(6)
        d.buttons.accepted.emit()
        return d.result()

    view.dialog_factory = fill
    view.open_booking(at("16:00"), "r1")
    ((_sid, form),) = fake.series_forms
    assert form.count == 6


def test_cancel_the_rest_of_a_series(view: RoomsView, fake: FakeRooms) -> None:
    from services.rooms.dto import SeriesInput

    fake.add_series(SeriesInput("r1", "律师值班", DAY.isoweekday(), dt.time(16), dt.time(17), DAY,
                                DAY + dt.timedelta(weeks=3)))  # fmt: skip
    view.refresh()
    view.select_booking("w0")
    assert view.cancel_rest_btn.isEnabled()
    asked: list[str] = []
    view.confirm = lambda text: asked.append(text) or True  # type: ignore[func-returns-value]
    view.cancel_rest_btn.click()
    assert "起的全部预约" in asked[0]
    assert {b.status for b in fake.items.values() if b.series_id} == {"cancelled"}
    assert view.status.text() == "已取消4次预约"


def test_a_series_on_holidays_says_so(view: RoomsView, fake: FakeRooms) -> None:
    from services.rooms.dto import SeriesInput, SeriesResult

    made: list[SeriesInput] = []
    warning = "2027年的放假安排尚未导入：其中8次（01月07日起）可能是节假日"

    def add_series(form: SeriesInput) -> SeriesResult:
        made.append(form)
        return SeriesResult("ser1", (), ("12月24日：闭馆",), 0, warnings=(warning,))

    fake.add_series = add_series  # type: ignore[method-assign]

    def fill(d: QWidget) -> int:
        assert isinstance(d, BookingDialog)
        d.title.setText("律师值班")
        d.repeat.setChecked(True)
        d.count.setValue(30)
        d.buttons.accepted.emit()
        return d.result()

    view.dialog_factory = fill
    view.open_booking(at("16:00"), "r1")
    assert made and warning in view.status.text() and "未预约：12月24日：闭馆" in view.status.text()
