"""提醒: the sessions to call about (next working day and everything until it, or any chosen
day), one row per party, phones masked; calls recorded; notices printed for any day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.rooms.dto import BookingInfo, ReminderItem, ReminderParty
from ui.i18n import QT_TRANSLATE_NOOP
from ui.tasks import TaskRunner
from views.rooms.api import RoomsApi
from views.rooms.printing import DocumentPrinter

Index = QModelIndex | QPersistentModelIndex
HEADERS = (
    QT_TRANSLATE_NOOP("ReminderModel", "时间"),
    QT_TRANSLATE_NOOP("ReminderModel", "当事人"),
    QT_TRANSLATE_NOOP("ReminderModel", "电话"),
    QT_TRANSLATE_NOOP("ReminderModel", "调解室"),
    QT_TRANSLATE_NOOP("ReminderModel", "事由"),
    QT_TRANSLATE_NOOP("ReminderModel", "已通知"),
)
PHONE_COLUMN = 2
WEEKDAYS = "一二三四五六日"


class ReminderModel(QAbstractTableModel):
    """One row per (session, party); a revealed phone replaces the masked one."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[BookingInfo, ReminderParty]] = []
        self.revealed: dict[str, str] = {}
        self.marks: dict[str, str] = {}  # booking id -> why to settle it before calling

    def set_items(self, items: tuple[ReminderItem, ...]) -> None:
        self.beginResetModel()
        self.rows = [(it.booking, p) for it in items for p in it.parties]
        self.rows += [(it.booking, ReminderParty("", "", "")) for it in items if not it.parties]
        self.rows.sort(key=lambda r: r[0].start)
        self.marks = {it.booking.id: it.attention for it in items if it.attention}
        self.revealed = {}
        self.endResetModel()

    def reveal(self, person_id: str, phone: str) -> None:
        self.revealed[person_id] = phone
        for r, (_b, p) in enumerate(self.rows):
            if p.person_id == person_id:
                idx = self.index(r, PHONE_COLUMN)
                self.dataChanged.emit(idx, idx)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # fmt: skip
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.tr(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        b, p = self.rows[index.row()]
        mark = self.marks.get(b.id, "")
        if role == Qt.ItemDataRole.ToolTipRole and mark:
            return self.tr("先处理再通知：%1").replace("%1", mark)
        if role == Qt.ItemDataRole.BackgroundRole and mark:
            return QColor("#fde2e1")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        phone = self.revealed.get(p.person_id, p.phone_masked)
        called = ""
        if p.called_at is not None:
            called = f"{p.call_result} {p.called_by} {p.called_at:%m-%d %H:%M}".replace("  ", " ")
        when = f"{b.start:%m-%d}周{WEEKDAYS[b.start.weekday()]} {b.time_text}"
        title = self.tr("【待处理，暂勿通知】") + b.title if mark else b.title
        return (when, p.name, phone, b.room_name, title, called)[index.column()]


class ReminderPanel(QWidget):
    """The 提醒 tab: its table, 显示号码, 已电话通知, 打印调解通知书 and the day chooser."""

    def __init__(self, services: RoomsApi, runner: TaskRunner,
                 on_error: Callable[[BaseException], None],
                 printer: DocumentPrinter, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.services, self.runner, self._on_error, self.printer = (
            services, runner, on_error, printer)  # fmt: skip
        self.model = ReminderModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.pick_day = QCheckBox(self.tr("指定日期"))
        self.day = QDateEdit(QDate.currentDate().addDays(1))
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setEnabled(False)
        self.reveal_btn = QPushButton(self.tr("显示号码"))
        self.call_btn = QPushButton(self.tr("已电话通知"))
        self.notice_btn = QPushButton(self.tr("打印调解通知书"))
        top = QHBoxLayout()
        top.addWidget(self.pick_day)
        top.addWidget(self.day)
        top.addStretch(1)
        row = QHBoxLayout()
        for b in (self.reveal_btn, self.call_btn, self.notice_btn):
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addLayout(row)
        self.pick_day.toggled.connect(self._on_pick_day_toggled)
        self.day.dateChanged.connect(lambda _d: self.load())
        self.reveal_btn.clicked.connect(self._on_reveal_btn_clicked)
        self.call_btn.clicked.connect(self._on_call_btn_clicked)
        self.notice_btn.clicked.connect(self._on_notice_btn_clicked)

    def chosen_day(self) -> dt.date | None:
        if not self.pick_day.isChecked():
            return None
        day = self.day.date().toPython()
        assert isinstance(day, dt.date)
        return day

    def _on_pick_day_toggled(self, on: bool) -> None:
        self.day.setEnabled(on)
        self.load()

    def load(self) -> None:
        day = self.chosen_day()
        self.runner.run(lambda: self.services.reminders(day), self.show_items, self._on_error)

    def show_items(self, items: tuple[ReminderItem, ...]) -> None:
        self.model.set_items(items)
        self.table.resizeColumnsToContents()

    def selected_row(self) -> tuple[BookingInfo, str] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        b, p = self.model.rows[rows[0].row()]
        return (b, p.person_id) if p.person_id else None

    def _on_reveal_btn_clicked(self) -> None:
        picked = self.selected_row()
        if picked is None:
            return
        pid = picked[1]
        self.runner.run(lambda: self.services.reveal_phone(pid),
                        lambda phone: self.model.reveal(pid, phone), self._on_error)  # fmt: skip

    def _on_call_btn_clicked(self) -> None:
        """Record that the party was called (who and when are stamped by the service)."""
        picked = self.selected_row()
        if picked is None:
            return
        b, pid = picked
        self.runner.run(lambda: self.services.record_call(b.id, pid, "已通知"),
                        lambda _p: self.load(), self._on_error)  # fmt: skip

    def _on_notice_btn_clicked(self) -> None:
        picked = self.selected_row()
        if picked is None:
            return
        b, pid = picked
        svc = self.services
        self.printer.print_job(lambda: svc.notice_print(b.id, pid))
