"""提醒: the sessions to call about (next working day and everything until it, or any chosen
day), one row per party, phones masked; calls recorded; notices printed for any day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
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
TITLE_COLUMN = 4
CALLED_COLUMN = 5
TITLE_MIN = 160  # 事由 gets a column only when this much is left beside the others


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
        if role == Qt.ItemDataRole.ToolTipRole:  # 事由 in full, also when its column is hidden
            if mark:
                return self.tr("先处理再通知：%1").replace("%1", mark) + "\n" + b.title
            return b.title
        if role == Qt.ItemDataRole.BackgroundRole and mark:
            return QColor("#fde2e1")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        phone = self.revealed.get(p.person_id, p.phone_masked)
        if p.person_id and not phone:
            phone = self.tr("（无电话）")
        called = ""
        if p.called_at is not None:
            called = f"{p.call_result} {p.called_by}".strip() + f"\n{p.called_at:%m-%d %H:%M}"
        day = QDate(b.start.year, b.start.month, b.start.day)
        date = QLocale().toString(day, self.tr("MM-dd ddd")).replace(" ", "\u00a0")  # one line
        when = f"{date}\n{b.time_text}"
        title = self.tr("【待处理，暂勿通知】") + b.title if mark else b.title
        return (when, p.name, phone, b.room_name, title, called)[index.column()]


class ReminderTable(QTableView):
    """The reminders, fitted to the side pane's width (no sideways scroll at 1366 px): 时间 on
    two lines, 已通知 wrapped, and 事由 (also every row's tooltip) shown only where it fits."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setHorizontalScrollMode(QTableView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().setMinimumSectionSize(24)
        rows = self.verticalHeader()  # two lines a row: 日期 over 时间, 结果和人 over 时刻
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(2 * self.fontMetrics().lineSpacing() + 8)

    def setModel(self, model: Any) -> None:  # noqa: N802 (Qt's name)
        super().setModel(model)
        model.modelReset.connect(self.fit)
        model.dataChanged.connect(lambda *_a: self.fit())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        model, header = self.model(), self.horizontalHeader()
        if model is None or model.columnCount() <= CALLED_COLUMN:
            return
        fixed = (0, 1, PHONE_COLUMN, 3)
        for c in fixed:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        used = sum(max(self.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in fixed)
        called = max(header.sectionSizeHint(CALLED_COLUMN), self.sizeHintForColumn(CALLED_COLUMN))
        room = self.viewport().width() - used
        show_title = room - min(called, 120) >= TITLE_MIN
        self.setColumnHidden(TITLE_COLUMN, not show_title)
        if show_title:
            header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)
            header.setSectionResizeMode(CALLED_COLUMN, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(CALLED_COLUMN, min(called, 120))
        else:
            header.setSectionResizeMode(CALLED_COLUMN, QHeaderView.ResizeMode.Stretch)


class ReminderPanel(QWidget):
    """The 提醒 tab: its table, 显示号码, 已电话通知, 打印调解通知书 and the day chooser."""

    def __init__(self, services: RoomsApi, runner: TaskRunner,
                 on_error: Callable[[BaseException], None],
                 printer: DocumentPrinter, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.services, self.runner, self._on_error, self.printer = (
            services, runner, on_error, printer)  # fmt: skip
        self.model = ReminderModel()
        self.table = ReminderTable()
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
        self.model.set_items(items)  # the table fits its columns on the reset

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
