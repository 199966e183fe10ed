# ruff: noqa: F811 - pytest fixtures imported from test_rooms_view
"""调解室 records (issue 16 #1): no outcome chosen for the user, nothing recorded ahead of time,
corrections with a reason, a director's void."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from tests.views.test_rooms_view import FakeRooms, at, fake, view  # noqa: F401
from views.rooms import RoomsView
from views.rooms.session_dialog import SessionDialog


def test_no_outcome_is_preselected_and_enter_saves_nothing(
    view: RoomsView,
    fake: FakeRooms,
) -> None:
    seen: list[SessionDialog] = []

    def press_save(d: QWidget) -> int:
        assert isinstance(d, SessionDialog)
        seen.append(d)
        d.buttons.accepted.emit()  # Enter straight away
        return d.result()

    view.dialog_factory = press_save
    view.now = lambda: at("10:30")
    view.select_booking("b1")
    view.record_btn.click()
    (d,) = seen
    assert d.outcome.currentIndex() == -1 and d.outcome.currentText() == ""
    assert d.error.text() == "请选择调解结果" and not d.result()
    assert fake.sessions_recorded == [] and fake.items["b1"].status == "booked"


def test_a_session_ahead_cannot_be_recorded_or_finished(
    view: RoomsView,
    fake: FakeRooms,
) -> None:
    view.now = lambda: at("08:00")
    view.select_booking("b1")  # 09:00 today+1: not started
    assert not view.record_btn.isEnabled() and not view.finish_btn.isEnabled()
    assert not view.no_show_btn.isEnabled() and view.cancel_btn.isEnabled()
    view.calendar.booking_activated.emit("b1")  # Enter on the block
    assert fake.sessions_recorded == []
    view.now = lambda: at("09:05")
    view.select_booking("b1")
    assert view.record_btn.isEnabled() and view.finish_btn.isEnabled()


def test_a_recorded_session_opens_as_a_correction_with_reason(
    view: RoomsView,
    fake: FakeRooms,
) -> None:
    seen: list[SessionDialog] = []

    def fill(d: QWidget) -> int:
        assert isinstance(d, SessionDialog)
        seen.append(d)
        if len(seen) == 1:
            d.outcome.setCurrentText("未达成")
        else:
            assert d.outcome.currentText() == "未达成" and d.windowTitle() == "更正调解记录"
            d.process.setPlainText("补记：被申请人同意下周再谈。")
            d.buttons.accepted.emit()  # no reason yet: refused
            assert d.error.text() == "请填写更正理由" and fake.corrections == []
            d.reason.setText("漏记被申请人意见")
        d.buttons.accepted.emit()
        return d.result()

    view.dialog_factory = fill
    view.now = lambda: at("10:30")
    view.select_booking("b1")
    view.record_btn.click()
    view.select_booking("b1")
    view.record_btn.click()
    ((sid, form, reason),) = fake.corrections
    assert (sid, reason) == ("s0", "漏记被申请人意见")
    assert form.process_text == "补记：被申请人同意下周再谈。" and len(fake.sessions_recorded) == 1
    assert view.status.text().startswith("调解记录已更正")


def test_void_asks_for_a_reason(view: RoomsView, fake: FakeRooms) -> None:
    def fill(d: QWidget) -> int:
        assert isinstance(d, SessionDialog)
        d.outcome.setCurrentText("达成")
        d.buttons.accepted.emit()
        return d.result()

    view.dialog_factory = fill
    view.confirm = lambda text: False
    view.now = lambda: at("10:30")
    view.select_booking("b1")
    assert not view.void_record_btn.isEnabled()
    view.record_btn.click()
    view.select_booking("b1")
    assert view.void_record_btn.isEnabled()
    view.sessions_flow.ask_text = lambda label: ""
    view.void_record_btn.click()
    assert fake.voided == {}  # no reason: nothing voided
    view.sessions_flow.ask_text = lambda label: "误将下周的调解登记为达成"
    view.void_record_btn.click()
    assert fake.voided == {"s0": "误将下周的调解登记为达成"}
    assert view.status.text() == "第1次调解记录已作废"


def test_a_no_show_can_still_be_recorded(view: RoomsView, fake: FakeRooms) -> None:
    def fill(d: QWidget) -> int:
        assert isinstance(d, SessionDialog)
        d.outcome.setCurrentText("未达成")
        d.buttons.accepted.emit()
        return d.result()

    view.dialog_factory = fill
    view.now = lambda: at("11:00")
    fake.mark_no_show("b1")
    view.refresh()
    view.select_booking("b1")
    assert view.record_btn.isEnabled()  # 过期未到 by mistake: the record can still be made
    view.record_btn.click()
    assert fake.items["b1"].status == "finished" and len(fake.sessions_recorded) == 1


def test_overlapping_blocks_are_drawn_side_by_side(qtbot: object) -> None:
    """A clash that came by sync (issue 16 #3): both blocks visible, neither over the other."""
    from tests.views.test_rooms_view import DAY, ROOMS, booking
    from views.rooms.calendar import GUTTER_W, HEADER_H, HOUR_H, CalendarGrid

    grid = CalendarGrid()
    qtbot.add_widget(grid)  # type: ignore[attr-defined]
    grid.resize(GUTTER_W + 400, HEADER_H + 10 * HOUR_H + 1)
    items = (booking("x1", "r1", "10:00", "11:00"), booking("x2", "r1", "10:30", "11:30"),
             booking("x3", "r1", "13:00", "14:00"))  # fmt: skip
    grid.set_data("day", DAY, ROOMS, items)
    a, b, c = (grid.rect_of(i) for i in ("x1", "x2", "x3"))
    assert not a.intersects(b) and a.width() > 20 and b.width() > 20
    assert abs(a.width() - b.width()) < 1 and b.left() > a.left()
    assert c.width() > a.width() * 1.8  # a block with no clash keeps the whole column
    assert grid.booking_at(b.center().toPoint()).id == "x2"  # type: ignore[union-attr]
