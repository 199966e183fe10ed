"""文书 screen: the slip register (文书台账): search, preview, print, batch print, save, void."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from functools import reduce
from pathlib import Path

from PySide6.QtCore import QDate, QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.domain.dto import Changes
from services.slips.dto import RenderedPdf, SlipInfo, SlipKind, SlipQuery
from ui.i18n import message
from ui.tasks import TaskRunner
from views.slips import prompts
from views.slips.api import SlipsApi
from views.slips.model import SlipTableModel
from views.slips.preview import PdfPreview
from views.slips.print_flow import SlipPrintFlow, error_text


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class SlipsView(QWidget):
    """The slip register (文书台账).

    Args:
        api: the slip service.
        tasks: the task runner; every service call goes through it.
        user_label: who is signed in, for the optional print watermark.
        now: the clock (tests pass a fixed one).

    Signals:
        slips_changed(object): a ``Changes`` after a void or a print, for other screens.
    """

    slips_changed = Signal(object)

    def __init__(
        self, api: SlipsApi, tasks: TaskRunner, *, user_label: str = "",
        now: Callable[[], dt.datetime] = dt.datetime.now, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._api, self._tasks, self._user, self._now = api, tasks, user_label, now
        self._kinds: tuple[SlipKind, ...] = ()
        self._preview_id: str | None = None
        self._setup_ui()
        self._connect_signals()
        self._tasks.run(self._api.kinds, self._on_kinds_loaded, self._on_error)

    # --- construction ------------------------------------------------------------------

    def _setup_ui(self) -> None:
        today = self._now().date()
        self._search = QLineEdit(self)
        self._search.setPlaceholderText(self.tr("文书编号、案件编号或对象"))
        self._search.setClearButtonEnabled(True)
        self._kind = QComboBox(self)
        self._kind.addItem(self.tr("全部文书"), None)
        self._from, self._to = QDateEdit(self), QDateEdit(self)
        for edit, day in ((self._from, today - dt.timedelta(days=30)), (self._to, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(_qdate(day))
        self._voided = QCheckBox(self.tr("含已作废"), self)
        self._voided.setChecked(True)
        self._find = QPushButton(self.tr("查询"), self)
        self._today = QPushButton(self.tr("今日签发"), self)
        filters = QHBoxLayout()
        pairs = ((None, self._search), (self.tr("种类"), self._kind),
                 (self.tr("签发日期"), self._from), (self.tr("至"), self._to))  # fmt: skip
        widget: QWidget
        for label, widget in pairs:
            if label:
                filters.addWidget(QLabel(label, self))
            filters.addWidget(widget, 2 if widget is self._search else 0)
        for widget in (self._voided, self._find, self._today):
            filters.addWidget(widget)

        self._model = SlipTableModel(self)
        self._table = QTableView(self)
        self._table.setModel(self._model)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.verticalHeader().hide()
        self._table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self._table.horizontalHeader().setStretchLastSection(True)
        self._preview = PdfPreview(self)
        self._check = QLabel(self)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self._check)
        right_layout.addWidget(self._preview, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._table)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self._print = QPushButton(self.tr("打印"), self)
        self._batch = QPushButton(self.tr("批量打印所列文书"), self)
        self._save = QPushButton(self.tr("另存为PDF"), self)
        self._void = QPushButton(self.tr("作废…"), self)
        self._watermark = QCheckBox(self.tr("打印水印（打印人和时间）"), self)
        self._status = QLabel(self)
        actions = QHBoxLayout()
        for widget in (self._print, self._batch, self._save, self._void, self._watermark):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self._status)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addLayout(actions)
        self._flow = SlipPrintFlow(self._api, self._tasks, self, self._watermark_text)
        self._update_buttons()

    def _connect_signals(self) -> None:
        self._find.clicked.connect(self.refresh)
        self._search.returnPressed.connect(self.refresh)
        self._today.clicked.connect(self._on_today_clicked)
        self._table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self._print.clicked.connect(self._on_print_clicked)
        self._batch.clicked.connect(self._on_batch_clicked)
        self._save.clicked.connect(self._on_save_clicked)
        self._void.clicked.connect(self._on_void_clicked)
        self._flow.message.connect(self._status.setText)
        self._flow.printed.connect(self._on_printed)

    # --- loading -------------------------------------------------------------------------

    def query(self) -> SlipQuery:
        """The register search the filters describe."""
        kind = self._kind.currentData()
        return SlipQuery(text=self._search.text().strip(), kind=kind if kind else None,
                         date_from=_pydate(self._from.date()), date_to=_pydate(self._to.date()),
                         include_voided=self._voided.isChecked())  # fmt: skip

    def refresh(self, message: str = "") -> None:
        """Search the register again with the current filters; ``message`` stays in the status."""
        query = self.query()
        self._find.setEnabled(False)
        self._tasks.run(
            lambda: self._api.search(query),
            lambda rows: self._on_rows_loaded(rows, message),
            self._on_error,
        )

    def show_kind_today(self, kind: str) -> None:
        """Filter to one kind issued today (e.g. every 督办单 for a batch print)."""
        index = self._kind.findData(kind)
        if index >= 0:
            self._kind.setCurrentIndex(index)
        self._on_today_clicked()

    def _on_kinds_loaded(self, kinds: tuple[SlipKind, ...]) -> None:
        self._kinds = kinds
        for kind in kinds:
            self._kind.addItem(kind.title, kind.code)
        self.refresh()

    def _on_rows_loaded(self, rows: tuple[SlipInfo, ...], message: str = "") -> None:
        self._find.setEnabled(True)
        keep = self._preview_id
        self._model.set_rows(rows)
        self._status.setText(message or self.tr("共 %1 份文书").replace("%1", str(len(rows))))
        row = next((i for i, s in enumerate(rows) if s.id == keep), 0 if rows else -1)
        if row >= 0:
            self._table.selectRow(row)
        else:
            self._preview.clear()
            self._check.clear()
        self._update_buttons()

    def _on_today_clicked(self) -> None:
        today = _qdate(self._now().date())
        self._from.setDate(today)
        self._to.setDate(today)
        self.refresh()

    # --- selection and preview -----------------------------------------------------------

    def selected(self) -> SlipInfo | None:
        rows = self._table.selectionModel().selectedRows()
        return self._model.slip(rows[0].row()) if rows else None

    def _on_table_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        slip = self.selected()
        self._update_buttons()
        if slip is None:
            return
        self._preview_id = slip.id
        self._tasks.run(lambda: self._api.original(slip.id),
                        lambda pdf: self._on_original_loaded(slip, pdf), self._on_error,
                        pool="cpu")  # fmt: skip

    def _on_original_loaded(self, slip: SlipInfo, rendered: RenderedPdf) -> None:
        if slip.id != self._preview_id:
            return  # the user moved on
        self._preview.set_pdf(rendered.pdf)
        if rendered.sha256 == slip.sha256:
            text = self.tr("与签发时的原件一致（SHA-256 %1…）").replace("%1", slip.sha256[:12])
        elif slip.voided:
            text = self.tr("已作废：%1").replace("%1", slip.void_reason)
        else:
            text = self.tr("内容与签发时一致；本机字体或版式与签发时不同，版面可能略有差异")
        if rendered.warnings:
            text += "\n" + "\n".join(message(w) for w in rendered.warnings)
        self._check.setText(text)

    def _update_buttons(self) -> None:
        slip = self.selected()
        usable = slip is not None and not slip.voided
        self._print.setEnabled(usable)
        self._void.setEnabled(usable)
        self._save.setEnabled(slip is not None)
        self._batch.setEnabled(any(not s.voided for s in self._model.rows()))
        if slip is not None and usable:
            self._print.setText(self.tr("补打") if slip.print_count else self.tr("打印"))

    # --- actions ---------------------------------------------------------------------------

    def _watermark_text(self) -> str:
        if not self._watermark.isChecked():
            return ""
        return f"{self._user} {self._now():%Y-%m-%d %H:%M}".strip()

    def _on_print_clicked(self) -> None:
        slip = self.selected()
        if slip is not None and not slip.voided:
            self._flow.print_slips([slip.id])

    def _on_batch_clicked(self) -> None:
        slips = [s for s in self._model.rows() if not s.voided]
        text = self.tr("将打印所列的 %1 份文书（已作废的除外），继续吗？").replace(
            "%1", str(len(slips))
        )
        if slips and prompts.confirm(self, self.tr("批量打印"), text):
            self._flow.print_slips([s.id for s in slips])

    def _on_printed(self, infos: tuple[SlipInfo, ...]) -> None:
        self.slips_changed.emit(reduce(operator.or_, (i.changes for i in infos), Changes()))
        self.refresh(self._status.text())

    def _on_save_clicked(self) -> None:
        slip = self.selected()
        if slip is None or not self._preview.pdf or slip.id != self._preview_id:
            return
        name = f"{slip.number}.pdf".replace("〔", "(").replace("〕", ")")
        path = prompts.ask_save_path(self, self.tr("另存为PDF"), name)
        if path is None:
            return
        try:
            Path(path).write_bytes(self._preview.pdf)
        except OSError as exc:
            prompts.warn(self, self.tr("保存失败"), self.tr("无法保存：%1").replace("%1", str(exc)))
            return
        self._status.setText(self.tr("已保存：%1").replace("%1", path))
        self._tasks.run(lambda: self._api.record_export(slip.id), lambda _r: None,
                        self._on_error)  # fmt: skip

    def _on_void_clicked(self) -> None:
        slip = self.selected()
        if slip is None or slip.voided:
            return
        title = self.tr("作废文书")
        label = self.tr("作废 %1 的理由（编号保留，不再使用）：").replace("%1", slip.number)
        reason = prompts.ask_text(self, title, label)
        if reason is None:
            return
        if not reason.strip():
            prompts.warn(self, title, self.tr("请填写作废理由"))
            return
        self._tasks.run(lambda: self._api.void(slip.id, reason), self._on_voided, self._on_error)

    def _on_voided(self, info: SlipInfo) -> None:
        self.slips_changed.emit(info.changes)
        self.refresh(self.tr("已作废：%1").replace("%1", info.number))

    def _on_error(self, exc: BaseException) -> None:
        self._find.setEnabled(True)
        text = error_text(exc)
        self._status.setText(text)
        prompts.warn(self, self.tr("文书"), text)
