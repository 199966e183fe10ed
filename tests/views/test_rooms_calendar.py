# ruff: noqa: F811 - pytest fixtures imported from test_rooms_view
"""The calendar shows every booking (issue 16 #7): hours that hold bookings, room labels and
readable blocks in the week view, Ins/Enter on an empty slot books, undo after a drag."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication
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
    """Rooms in rows (named at the left), days in columns: at 1366 px a time axis of 7 × 4 room
    columns left 27 px each ("…" only) or scrolled sideways."""
    g = _grid(qtbot)
    g.resize(800, 600)  # the calendar's share of a 1366 px window
    items = (
        booking("b1", "r1", "09:00", "10:30"),
        booking("b2", "r1", "10:30", "11:00"),
        booking("b3", "r2", "19:00", "20:00", title="620123101000-2026-000001 邻里噪音"),
    )
    g.set_data("week", DAY, ROOMS, items)
    assert [n for n, _r in g.room_label_rects()] == ["第一调解室", "第二调解室"]
    assert g.room_label_texts() == ["第一调解室", "第二调解室"]  # not cut
    assert g.minimumWidth() <= 800  # fits: no sideways scroll
    b1, b2, b3 = (g.rect_of(i) for i in ("b1", "b2", "b3"))
    assert b1.width() >= MIN_WEEK_COL - 4 and b2.top() >= b1.bottom()  # one under the other
    assert b3.top() >= b1.bottom() and g.cell_rect("r2", DAY).contains(b3)
    assert g.block_lines(items[2]) == ["19:00–20:00", "邻里噪音", "张三、李四", "王调解"]
    assert g.block_lines(items[0])[1].startswith("宅基地纠纷")


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


def test_tab_leaves_the_grid_at_once_and_arrows_walk_it(qtbot: QtBot, view: RoomsView) -> None:
    """Tab walked every booking (60 presses on a busy week) before leaving the grid."""
    grid = view.calendar
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.wait_until(lambda: QApplication.activeWindow() is view, timeout=3000)
    grid.setFocus(Qt.FocusReason.TabFocusReason)
    assert QApplication.focusWidget() is grid
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.selected == "b2" and QApplication.focusWidget() is grid  # arrows stay inside
    qtbot.keyClick(grid, Qt.Key.Key_Tab)
    after = QApplication.focusWidget()
    assert after is not None and after is not grid and view.isAncestorOf(after)
    grid.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(grid, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() not in (grid, None)


def test_week_view_drag_moves_a_card_to_another_day_and_room(qtbot: QtBot) -> None:
    g = _grid(qtbot)
    g.resize(800, 600)
    g.set_data("week", DAY, ROOMS, (booking("b1", "r1", "09:00", "10:30"),))
    start = g.rect_of("b1").center().toPoint()
    day = g.days().index(DAY)
    other = g.days()[day + 1 if day < 6 else day - 1]
    target = g.cell_rect("r2", other).center().toPoint()
    with qtbot.wait_signal(g.move_requested) as blocker:
        qtbot.mousePress(g, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(g, target)
        qtbot.mouseRelease(g, Qt.MouseButton.LeftButton, pos=target)
    assert blocker.args == ["b1", at("09:00", other), at("10:30", other), "r2"]


def test_week_view_double_click_on_an_empty_cell_books_there(qtbot: QtBot) -> None:
    g = _grid(qtbot)
    g.resize(800, 600)
    g.set_data("week", DAY, ROOMS, (booking("b1", "r1", "09:00", "10:30"),))
    with qtbot.wait_signal(g.slot_activated) as blocker:
        qtbot.mouseDClick(
            g,
            Qt.MouseButton.LeftButton,
            pos=g.cell_rect("r1", DAY).bottomLeft().toPoint() + QPoint(10, -4),
        )
    assert blocker.args == [at("10:30"), "r1"]  # after the cell's last booking


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


def test_week_view_shows_a_clash_from_sync_as_two_cards(qtbot: QtBot) -> None:
    """Issue 16 #3 in the week view: both bookings of a clash are cards of their own."""
    g = _grid(qtbot)
    g.resize(800, 600)
    items = (booking("x1", "r1", "10:00", "11:00"), booking("x2", "r1", "10:30", "11:30"))
    g.set_data("week", DAY, ROOMS, items)
    a, b = g.rect_of("x1"), g.rect_of("x2")
    assert not a.isNull() and not b.isNull() and not a.intersects(b)
    assert g.lanes["x1"][1] == 2 == g.lanes["x2"][1]  # marked as a clash (red edge)
