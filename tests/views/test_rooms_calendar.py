# ruff: noqa: F811 - pytest fixtures imported from test_rooms_view
"""The calendar shows every booking (issue 16 #7): hours that hold bookings, room labels and
readable blocks in the week view, Ins/Enter on an empty slot books, undo after a drag."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.views.qt_helpers import press
from tests.views.test_rooms_view import DAY, ROOMS, FakeRooms, at, booking, fake, view  # noqa: F401
from views.rooms import CalendarGrid, RoomsView
from views.rooms.calendar import HEADER_H, MIN_WEEK_COL


def _grid(qtbot: QtBot) -> CalendarGrid:
    g = CalendarGrid()
    qtbot.add_widget(g)
    g.resize(1000, 900)
    return g


def test_evening_and_early_sessions_are_inside_the_grid(qtbot: QtBot) -> None:
    g = _grid(qtbot)
    items = (booking("ev", "r1", "19:00", "20:00"), booking("am", "r2", "07:15", "08:00"))
    g.set_data("day", DAY, ROOMS, items)
    assert (g.hour_from, g.hour_to) == (7, 20)
    ev, am = g.rect_of("ev"), g.rect_of("am")
    assert am.top() >= HEADER_H  # not painted over the header
    assert ev.bottom() <= g.minimumHeight()  # not below the painted hours


def test_week_view_names_rooms_and_blocks_are_readable(qtbot: QtBot) -> None:
    g = _grid(qtbot)
    g.set_data("week", DAY, ROOMS, (booking("b1", "r1", "09:00", "10:30"),))
    names = {n for n, _r in g.room_label_rects()}
    assert names == {"第一调解室", "第二调解室"} and len(g.room_label_rects()) == 14
    assert g.minimumWidth() >= 14 * MIN_WEEK_COL  # wide enough to read; the page scrolls
    assert g.rect_of("b1").width() >= MIN_WEEK_COL - 2


def test_insert_on_an_empty_grid_books_and_enter_too(qtbot: QtBot) -> None:
    g = _grid(qtbot)
    g.set_data("day", DAY, ROOMS, ())
    with qtbot.wait_signal(g.slot_activated) as blocker:
        press(g, Qt.Key.Key_Insert)
    assert blocker.args == [at("09:00"), "r1"]
    g.set_data("day", DAY, ROOMS, (booking("b1", "r2", "10:00", "11:00"),))
    g.selected = "b1"
    with qtbot.wait_signal(g.slot_activated) as blocker:
        press(g, Qt.Key.Key_Insert)  # right after the selected booking, in its room
    assert blocker.args == [at("11:00"), "r2"]
    g.selected = ""
    with qtbot.wait_signal(g.slot_activated):
        press(g, Qt.Key.Key_Return)


def test_undo_after_a_drag(view: RoomsView, fake: FakeRooms) -> None:
    assert not view.undo_btn.isEnabled()
    view.calendar.move_requested.emit("b3", at("16:00"), at("17:30"), "r1")
    assert fake.items["b3"].start == at("16:00") and view.undo_btn.isEnabled()
    view.undo_btn.click()
    b3 = fake.items["b3"]
    assert (b3.start, b3.end, b3.room_id) == (at("14:00"), at("15:30"), "r2")
    assert not view.undo_btn.isEnabled()
    assert fake.moves[-1][0] == "b3" and len(fake.moves) == 2


def test_closing_a_room_lists_the_bookings_to_move(view: RoomsView, fake: FakeRooms) -> None:
    from PySide6.QtWidgets import QWidget

    from views.rooms.setup_dialogs import RoomDialog

    def fill(d: QWidget) -> int:
        assert isinstance(d, RoomDialog)
        d.closures.setText(f"{DAY:%Y-%m-%d}")
        d.buttons.accepted.emit()
        return d.result()

    told: list[str] = []
    view.inform = lambda title, text: told.append(text)
    view.dialog_factory = fill
    view.edit_room_btn.click()
    text = view.status.text()
    assert "请改期或取消并电话通知当事人" in text and "张三、李四" in text
    assert len(told) == 1 and "张三、李四" in told[0] and "待处理" in told[0]
