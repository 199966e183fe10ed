"""The case ledger screen (案件台账): quick filters, filters, search, paged table, xlsx export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from services.cases.ledger import LedgerCursor, LedgerFilter, LedgerPage, LedgerRow, LedgerTotal
from services.domain.dto import Changes, CodeRename
from services.domain.workflow import OPEN, STATE_LABELS, CaseState
from services.reference.data import Reference
from services.setup.township import OrgInfo
from ui.dates import DateEdit
from ui.i18n import QT_TRANSLATE_NOOP, vocab
from ui.paged_model import PagedTableModel
from ui.tasks import TaskRunner
from views.cases.ledger_model import ledger_columns
from views.messages import error_text

PAGE = 100
QUICK = (
    QT_TRANSLATE_NOOP("LedgerView", "今日到期"),
    QT_TRANSLATE_NOOP("LedgerView", "已超期"),
    QT_TRANSLATE_NOOP("LedgerView", "红色预警"),
    QT_TRANSLATE_NOOP("LedgerView", "待签收"),
    QT_TRANSLATE_NOOP("LedgerView", "我经办的"),
)


class LedgerServices(Protocol):
    @property
    def reference(self) -> Reference: ...

    def ledger_page(
        self, filt: LedgerFilter, *, sort: str = "registered_at", descending: bool = True,
        after: LedgerCursor | None = None, limit: int = 100,
    ) -> LedgerPage: ...  # fmt: skip

    def iter_ledger(
        self, filt: LedgerFilter, *, sort: str = "registered_at", descending: bool = True,
        page: int = 2000,
    ) -> Iterator[LedgerPage]: ...  # fmt: skip

    def ledger_count(self, filt: LedgerFilter) -> LedgerTotal: ...

    def villages(self) -> tuple[OrgInfo, ...]: ...

    def townships(self) -> tuple[OrgInfo, ...]: ...

    def current_user_id(self) -> str | None: ...

    def code_renames(self, text: str) -> tuple[CodeRename, ...]: ...


def export_xlsx(path: Path, headers: list[str], rows: Iterator[list[str]]) -> int:
    """Write rows to an .xlsx file (openpyxl write-only mode: constant memory); returns count."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("案件台账")
    sheet.append(headers)
    count = 0
    for row in rows:
        sheet.append(row)
        count += 1
    book.save(path)
    return count


class LedgerView(QWidget):
    """All cases, filtered and sorted in SQL and fetched a page at a time.

    Signals:
        case_opened(str): the user opened a case (double-click or Enter).
    """

    case_opened = Signal(str)

    def __init__(self, services: LedgerServices, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._sort = ("registered_at", True)
        self._override: LedgerFilter | None = None  # a filter opened from elsewhere (统计)
        self._total: LedgerTotal | None = None  # the current filter's total (counted in background)
        self._count_for: LedgerFilter | None = None
        self._columns = ledger_columns(services.reference)
        self.model = PagedTableModel(self._columns, runner, self)
        self._setup_ui()
        self._connect_signals()
        self._runner.run(self._services.villages, self._set_villages)
        self._runner.run(self._services.townships, self._set_townships)
        self.refresh()

    def _combo(self, first: str, options: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox(self)
        combo.addItem(first, None)
        for name, value in options:
            combo.addItem(vocab(name), value)
        return combo

    def _setup_ui(self) -> None:
        ref = self._services.reference
        layout = QVBoxLayout(self)
        quick = QHBoxLayout()
        # Plain checkable buttons, no QButtonGroup: Tab treats a group as one stop and reached
        # only the first of them.
        self.quick_buttons: list[QPushButton] = []
        for label in QUICK:
            button = QPushButton(self.tr(label), self)
            button.setCheckable(True)
            self.quick_buttons.append(button)
            quick.addWidget(button)
        quick.addStretch(1)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("搜索编号、姓名、事由（拼音首字母亦可）"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        quick.addWidget(self.search)
        filters = QHBoxLayout()
        self.state = self._combo(
            self.tr("全部状态"), [(STATE_LABELS[s], s.value) for s in CaseState]
        )
        self.colour = self._combo(self.tr("全部颜色"),
                                  [(o.name, o.code) for o in ref.options("colours")])  # fmt: skip
        self.category = self._combo(self.tr("全部类别"),
                                    [(f"{c.code} {c.name}", c.code) for c in ref.categories
                                     if c.is_class])  # fmt: skip
        self.township = self._combo(self.tr("全部乡镇"), [])
        self.township.hide()  # county mode only (several townships on this PC)
        self.village = self._combo(self.tr("全部村(社区)"), [])
        levels = [(o.name, o.code) for o in ref.options("handling_levels")]
        self.level = self._combo(self.tr("全部层级"), levels)
        self.supervision = self._combo(self.tr("全部督办"),
                                       [(o.name, o.code) for o in ref.options("supervision_levels")
                                        if o.code != "none"])  # fmt: skip
        # A typed date field (Tab leaves it at once; QDateEdit kept Tab for its sections).
        self.date_from = DateEdit(self, allow_empty=True, empty_text=self.tr("不限"))
        self.date_to = DateEdit(self, allow_empty=True, empty_text=self.tr("不限"))
        for edit in (self.date_from, self.date_to):
            edit.setMaximumWidth(130)
        self.export_button = QPushButton(self.tr("导出Excel"), self)
        for widget in (self.township, self.state, self.colour, self.category, self.village,
                       self.level,
                       self.supervision, QLabel(self.tr("登记日期"), self), self.date_from,
                       QLabel("—", self), self.date_to):  # fmt: skip
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.export_button)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        keys = [c.sort_key for c in self._columns]
        self.table.horizontalHeader().setSortIndicator(
            keys.index("registered_at"), Qt.SortOrder.DescendingOrder
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        for col, width in enumerate((180, 230, 120, 100, 44, 84, 70, 150, 80, 80, 124, 90)):
            self.table.setColumnWidth(col, width)
        self.status = QLabel(self)
        self.banner = QWidget(self)
        banner = QHBoxLayout(self.banner)
        banner.setContentsMargins(0, 0, 0, 0)
        self.banner_label = QLabel(self.banner)
        self.banner_clear = QPushButton(self.tr("清除，回到台账筛选"), self.banner)
        banner.addWidget(self.banner_label, 1)
        banner.addWidget(self.banner_clear)
        self.banner.hide()
        # A searched code the case had before it was renumbered (the code on a printed receipt).
        self.renamed = QLabel(self)
        self.renamed.setStyleSheet("color: #9a5b00;")
        self.renamed.setWordWrap(True)
        self.renamed.hide()
        layout.addWidget(self.banner)
        layout.addLayout(quick)
        layout.addLayout(filters)
        layout.addWidget(self.renamed)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)

    def _connect_signals(self) -> None:
        for button in self.quick_buttons:
            button.toggled.connect(lambda _c: self.refresh())
        for combo in (self.township, self.state, self.colour, self.category, self.village,
                      self.level, self.supervision):  # fmt: skip
            combo.currentIndexChanged.connect(self.refresh)
        for edit in (self.date_from, self.date_to):
            edit.date_changed.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self._debounce.timeout.connect(self.refresh)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.activated.connect(self._on_table_double_clicked)
        self.model.sort_requested.connect(self._on_model_sort_requested)
        self.model.loading_changed.connect(self._update_status)
        self.model.rowsInserted.connect(self._update_status)
        self.model.load_failed.connect(self._on_model_load_failed)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.banner_clear.clicked.connect(self._on_banner_clear_clicked)

    def _set_townships(self, townships: tuple[OrgInfo, ...]) -> None:
        """County mode (县级模式): a township column and filter when the PC holds several."""
        if len(townships) < 2:
            return
        for t in townships:
            self.township.addItem(t.name, t.id)
        self.township.show()
        self._columns = ledger_columns(self._services.reference, county=True)
        self.model.set_columns(self._columns)
        self.refresh()

    def _set_villages(self, villages: tuple[OrgInfo, ...]) -> None:
        for v in villages:
            self.village.addItem(v.name, v.id)

    def show_filter(self, filt: LedgerFilter, label: str) -> None:
        """Show exactly the cases of ``filt`` (a figure clicked on the 统计 screen).

        The screen's own filter widgets are set aside until the user clears the banner.
        """
        self._override = filt
        self.banner_label.setText(self.tr("统计：%1（台账筛选暂不生效）").replace("%1", label))
        self.banner.show()
        self.refresh()

    def _on_banner_clear_clicked(self) -> None:
        self._override = None
        self.banner.hide()
        self.refresh()

    def current_filter(self) -> LedgerFilter:
        if self._override is not None:
            return self._override

        checked = {i for i, b in enumerate(self.quick_buttons) if b.isChecked()}
        filt = LedgerFilter(
            states=(self.state.currentData(),) if self.state.currentData() else (),
            colours=(self.colour.currentData(),) if self.colour.currentData() else (),
            category_code=self.category.currentData() or "",
            village_id=self.village.currentData(),
            township_id=self.township.currentData(),
            handling_level=self.level.currentData(),
            supervision_levels=(self.supervision.currentData(),)
            if self.supervision.currentData() else (),
            registered_from=self.date_from.date(), registered_to=self.date_to.date(),
            text=self.search.text().strip(),
        )  # fmt: skip
        if 0 in checked:
            filt = replace(filt, due_today=True)
        if 1 in checked:
            filt = replace(filt, overdue=True)
        if 2 in checked:
            filt = replace(
                filt, colours=("red",), states=filt.states or tuple(s.value for s in OPEN)
            )
        if 3 in checked:
            filt = replace(filt, states=(CaseState.ASSIGNED.value,))
        if 4 in checked:
            filt = replace(filt, registered_by=self._services.current_user_id() or "-")
        return filt

    def refresh(self) -> None:
        filt, (sort, descending) = self.current_filter(), self._sort
        services = self._services

        def fetch(cursor: LedgerCursor | None) -> tuple[tuple[LedgerRow, ...], Any]:
            page = services.ledger_page(filt, sort=sort, descending=descending, after=cursor,
                                        limit=PAGE)  # fmt: skip
            return page.rows, page.next_cursor

        self.model.set_fetch(fetch)
        self._total, self._count_for = None, filt
        self._update_status()

        def counted(total: LedgerTotal) -> None:
            self._set_total(filt, total)

        self._runner.run(lambda: services.ledger_count(filt), counted)
        self._show_renames(filt.text, ())
        if filt.text:
            query = filt.text
            self._runner.run(lambda: services.code_renames(query),
                             lambda found: self._show_renames(query, found))  # fmt: skip

    def _show_renames(self, query: str, renames: tuple[CodeRename, ...]) -> None:
        if query != self.current_filter().text:  # an older search answering late
            return
        lines = [self.tr("原编号 %1 已改为 %2").replace("%1", r.old_code).replace("%2", r.new_code)
                 for r in renames]  # fmt: skip
        self.renamed.setText("；".join(lines))
        self.renamed.setVisible(bool(lines))

    def _set_total(self, filt: LedgerFilter, total: LedgerTotal) -> None:
        if filt == self._count_for:  # not a count of an older filter arriving late
            self._total = total
            self._update_status()

    def on_changes(self, changes: Changes) -> None:
        if changes.case_ids or changes.reference:
            self.refresh()

    def _on_model_sort_requested(self, key: str, descending: bool) -> None:
        self._sort = (key, descending)
        self.refresh()

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.case_opened.emit(self.model.row_at(index.row()).id)

    def _update_status(self) -> None:
        rows = self.model.rowCount()
        more = self.tr("，向下滚动加载更多") if self.model.has_more else ""
        loading = self.tr("（加载中…）") if self.model.loading else ""
        total = self.tr("正在统计")
        if self._total is not None:
            total = str(self._total.count)
            if self._total.more:  # the count stopped at its cap (ledger.COUNT_CAP)
                total = self.tr("%1+").replace("%1", total)
        self.status.setText(self.tr("共 %4 条，已显示 %1 条%2%3").replace("%1", str(rows))
                            .replace("%2", more).replace("%3", loading)
                            .replace("%4", total))  # fmt: skip

    def _on_model_load_failed(self, exc: BaseException) -> None:
        message = error_text(exc)
        self.status.setText(self.tr("加载失败：%1（稍后将自动重试）").replace("%1", message))
        QTimer.singleShot(3000, self, self.refresh)  # dropped if the screen is gone

    def _on_export_clicked(self) -> None:
        name = self.tr("案件台账-%1.xlsx").replace("%1", f"{dt.date.today():%Y%m%d}")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出Excel"), name, "Excel (*.xlsx)")
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        filt, (sort, descending) = self.current_filter(), self._sort
        headers = [c.shown_header() for c in self._columns]
        columns, services = self._columns, self._services

        def rows() -> Iterator[list[str]]:
            for page in services.iter_ledger(filt, sort=sort, descending=descending):
                for row in page.rows:
                    yield [c.text(row) for c in columns]

        self.export_button.setEnabled(False)
        self.status.setText(self.tr("正在导出…"))

        def done(count: int) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(self.tr("已导出 %1 条到 %2").replace("%1", str(count))
                                .replace("%2", str(path)))  # fmt: skip

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(self.tr("导出失败：%1").replace("%1", str(exc)))

        self._runner.run(lambda: export_xlsx(path, headers, rows()), done, failed)
