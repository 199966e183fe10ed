# ruff: noqa: F811 - pytest fixtures imported from test_rooms_view
"""提醒 (issue 16 #5): the days covered, calls recorded, a chosen day's notices."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate

from tests.views.test_rooms_view import DAY, FakeRooms, fake, view  # noqa: F401
from views.rooms import RoomsView


def test_tab_names_the_days_it_covers(view: RoomsView, fake: FakeRooms) -> None:
    span = f"{DAY:%m-%d}至{DAY + dt.timedelta(days=1):%m-%d}"
    assert view.side.tabText(0) == f"提醒 {span}（1）"
    assert fake.reminder_asks[-1] is None  # the default list: through the next working day


def test_a_call_is_recorded_and_shown(view: RoomsView, fake: FakeRooms) -> None:
    view.reminder_table.selectRow(0)
    view.call_btn.click()
    assert fake.calls == {("b1", "p1"): "已通知"}
    row = [view.reminder_model.index(0, c).data() for c in range(6)]
    assert row[1] == "张三" and row[5].startswith("已通知 吴接待")


def test_notices_for_a_chosen_day(view: RoomsView, fake: FakeRooms) -> None:
    later = DAY + dt.timedelta(days=9)
    panel = view.reminder_panel
    panel.pick_day.setChecked(True)
    panel.day.setDate(QDate(later.year, later.month, later.day))
    assert fake.reminder_asks[-1] == later
    view.refresh_reminders()
    assert view.side.tabText(0) == f"提醒 {later:%m-%d}（1）"
    view.reminder_table.selectRow(0)
    view.notice_btn.click()
    ((pdf, name),) = view.pdfs  # type: ignore[attr-defined]
    # The file is named by the addressee and the notice's number (青人调通字, issue 14 #6).
    assert pdf.startswith(b"%PDF") and name.startswith("调解通知书-张三-（")
    assert "青人调通字第" in name


def test_centre_address_and_phone_for_notices(view: RoomsView, fake: FakeRooms) -> None:
    from PySide6.QtWidgets import QWidget

    from views.rooms.setup_dialogs import CentreDialog

    def fill(d: QWidget) -> int:
        assert isinstance(d, CentreDialog)
        d.address.setText("青山镇综治中心二楼")
        d.phone.setText("0931-1234567")
        d.buttons.accepted.emit()
        return d.result()

    view.dialog_factory = fill
    view.centre_btn.click()
    assert (fake.contact.address, fake.contact.phone) == ("青山镇综治中心二楼", "0931-1234567")
    assert view.status.text() == "通知书地址电话已保存"
