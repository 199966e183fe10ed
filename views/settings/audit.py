"""审计日志 for directors: filter by user, action, case and date; export to CSV.

The service refuses anyone without ``audit.view``; the panel then shows its refusal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.audit.query import ACTION_LABELS, AuditQuery
from services.domain.errors import ServiceError
from ui.forms import ErrorLabel
from ui.i18n import QT_TRANSLATE_NOOP, vocab
from ui.rows_model import RowsModel
from ui.tasks import TaskRunner
from views.messages import error_text
from views.settings.users import refusal_text

Index = QModelIndex | QPersistentModelIndex


class AuditApi(Protocol):
    def search(self, query: AuditQuery) -> tuple[Any, ...]: ...

    def export_csv(self, query: AuditQuery, header: Sequence[str],
                   cells: Callable[[Any], Sequence[str]]) -> bytes: ...  # fmt: skip

    def users(self) -> tuple[Any, ...]: ...


class AuditModel(RowsModel):
    HEADERS = (
        QT_TRANSLATE_NOOP("AuditModel", "时间"),
        QT_TRANSLATE_NOOP("AuditModel", "用户"),
        QT_TRANSLATE_NOOP("AuditModel", "操作"),
        QT_TRANSLATE_NOOP("AuditModel", "案件编号"),
        QT_TRANSLATE_NOOP("AuditModel", "对象"),
        QT_TRANSLATE_NOOP("AuditModel", "设备与序号"),
    )

    def cell(self, row: Any, column: int) -> str:
        return self.cells(row)[column]

    def header(self) -> tuple[str, ...]:
        return tuple(self.tr(h) for h in self.HEADERS)

    def cells(self, r: Any) -> tuple[str, ...]:
        """One entry as the table (and the exported CSV) shows it, in the interface language."""
        return (f"{r.at:%Y-%m-%d %H:%M:%S}", r.user_name, vocab(r.action_label), r.case_code,
                self._target(r), r.device)  # fmt: skip

    def _target(self, r: Any) -> str:
        """对象 in the interface language: a count of changes, a sign-in's user name, or the
        record (entity code and id, data)."""
        if getattr(r, "changes", None) is not None:
            return self.tr("%1 项变更").replace("%1", str(r.changes))
        if getattr(r, "username", None) is not None:
            return self.tr("用户名 %1").replace("%1", r.username)
        return str(r.target)


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text.strip()) if text.strip() else None


class AuditPanel(QGroupBox):
    """审计日志（中心主任）."""

    def __init__(self, api: AuditApi, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._api, self._runner = api, runner
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.setTitle(self.tr("审计日志"))
        box = QVBoxLayout(self)
        row = QHBoxLayout()
        self.user = QComboBox(self)
        self.action = QComboBox(self)
        self.action.addItem(self.tr("全部操作"), None)
        for code, label in ACTION_LABELS.items():
            self.action.addItem(vocab(label), code)
        self.case = QLineEdit(self)
        self.case.setPlaceholderText(self.tr("案件编号"))
        self.date_from, self.date_to = QLineEdit(self), QLineEdit(self)
        for edit in (self.date_from, self.date_to):
            edit.setPlaceholderText("2026-11-20")
            edit.setMaximumWidth(100)
        self.search_button = QPushButton(self.tr("查询"), self)
        self.export_button = QPushButton(self.tr("导出…"), self)
        for label, widget in ((self.tr("用户"), self.user), (self.tr("操作"), self.action),
                              ("", self.case), (self.tr("从"), self.date_from),
                              (self.tr("到"), self.date_to)):  # fmt: skip
            if label:
                row.addWidget(QLabel(label, self))
            row.addWidget(widget)
        row.addWidget(self.search_button)
        row.addWidget(self.export_button)
        box.addLayout(row)
        self.model = AuditModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setMinimumHeight(160)
        header = self.table.horizontalHeader()  # a time on one line, codes and devices whole
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setWordWrap(False)
        box.addWidget(self.table)
        self.note = QLabel(self)
        self.error = ErrorLabel(self)
        box.addWidget(self.note)
        box.addWidget(self.error)

    def _connect_signals(self) -> None:
        self.search_button.clicked.connect(self.search)
        self.case.returnPressed.connect(self.search)
        self.export_button.clicked.connect(self._on_export_clicked)

    def reload(self) -> None:
        self._runner.run(self._api.users, self._show_users, lambda _e: None)
        self.search()

    def _show_users(self, users: tuple[Any, ...]) -> None:
        current = self.user.currentData()
        self.user.clear()
        self.user.addItem(self.tr("全部用户"), None)
        for u in users:
            self.user.addItem(f"{u.display_name}（{u.username}）", u.id)
        self.user.setCurrentIndex(max(0, self.user.findData(current)))

    def query(self) -> AuditQuery:
        try:
            start, end = _date(self.date_from.text()), _date(self.date_to.text())
        except ValueError:
            raise ServiceError("audit.date", self.tr("日期格式应为 2026-11-20")) from None
        return AuditQuery(self.user.currentData(), self.action.currentData(), self.case.text(),
                          start, end)  # fmt: skip

    def bring_into_view(self) -> None:
        """Scroll the page to this panel, focus the user filter and read the list."""
        scroller = self.parentWidget()
        while scroller is not None and not isinstance(scroller, QScrollArea):
            scroller = scroller.parentWidget()
        if isinstance(scroller, QScrollArea):
            scroller.ensureWidgetVisible(self.table, 0, 0)
            scroller.ensureWidgetVisible(self.user, 0, 0)
        self.user.setFocus()
        self.search()

    def search(self) -> None:
        self.error.show_error("")
        try:
            query = self.query()
        except ServiceError as exc:
            self.error.show_error(error_text(exc))
            return
        self._runner.run(lambda: self._api.search(query), self._show, self._refused)

    def _show(self, rows: tuple[Any, ...]) -> None:
        self.model.set_rows(rows)
        self.table.setVisible(True)
        self.export_button.setEnabled(True)
        self.note.setText(self.tr("共 %1 条（最新在前）").replace("%1", str(len(rows))))

    def _refused(self, exc: BaseException) -> None:
        self.model.set_rows(())
        self.table.setVisible(False)
        self.export_button.setEnabled(False)
        self.note.setText(refusal_text(exc))

    def _on_export_clicked(self) -> None:
        try:
            query = self.query()
        except ServiceError as exc:
            self.error.show_error(error_text(exc))
            return
        name = self.tr("审计日志.csv")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出审计日志"), name, "CSV (*.csv)")
        if path:
            self.export_to(Path(path), query)

    def export_to(self, path: Path, query: AuditQuery) -> None:
        def done(data: bytes) -> None:
            path.write_bytes(data)
            self.note.setText(self.tr("已导出到 %1").replace("%1", str(path)))

        def failed(exc: BaseException) -> None:
            self.error.show_error(error_text(exc))

        header, cells = self.model.header(), self.model.cells
        self._runner.run(lambda: self._api.export_csv(query, header, cells), done, failed)
