"""The 统计 screen (DashboardView): today's and this week's figures, the four rates, charts.

Figures are computed by the statistics service in the background task runner; every number and
every bar or point opens the ledger on exactly its cases. The charts are QPainter widgets
(views.dashboard.charts), imported the first time they are drawn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from services.cases.ledger import LedgerFilter
from services.statistics.dto import Bar, Breakdown, Dashboard, Figure, Rate
from services.statistics.report_dto import ReportDocument
from ui.i18n import QT_TRANSLATE_NOOP, messages, vocab
from ui.tasks import TaskRunner
from views.messages import error_text

WINDOWS = (
    (30, QT_TRANSLATE_NOOP("DashboardView", "近30天")),
    (90, QT_TRANSLATE_NOOP("DashboardView", "近90天")),
    (365, QT_TRANSLATE_NOOP("DashboardView", "近365天")),
)
# Breakdowns whose bars are words of the services' vocabularies (a dictionary's options, the
# risk colours); the others' bars are data (categories, villages, units) but for "no value".
WORDED_BARS = frozenset({"channel", "colour"})
REPORTS = (
    ("daily", QT_TRANSLATE_NOOP("DashboardView", "日报")),
    ("weekly", QT_TRANSLATE_NOOP("DashboardView", "周报")),
    ("monthly", QT_TRANSLATE_NOOP("DashboardView", "月报")),
    ("assessment", QT_TRANSLATE_NOOP("DashboardView", "考核表")),
)


class DashboardApi(Protocol):
    """What the screen needs of ``services.statistics.service.StatisticsService``."""

    def dashboard(self, days: int = ..., township_id: str | None = ...) -> Dashboard: ...
    def report(self, kind: str, period_text: str) -> ReportDocument: ...
    def record_export(self, kind: str, period: str, fmt: str, *, case_code: str = "") -> None: ...


def default_period(kind: str, today: dt.date) -> str:
    """What the period box offers: today, this week, last month."""
    if kind == "daily":
        return today.isoformat()
    if kind == "weekly":
        iso = today.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    last = today.replace(day=1) - dt.timedelta(days=1)
    return f"{last.year}-{last.month:02d}"


def render_document(doc: ReportDocument, suffix: str) -> bytes:
    """PDF or xlsx bytes of a report (runs in the background task)."""
    if suffix == ".xlsx":
        from reports.workbook import render_report_xlsx

        return render_report_xlsx(doc)
    from reports.periodic import render_report_pdf

    return render_report_pdf(doc)


class DashboardView(QWidget):
    """Director's desk (统计).

    Signals:
        ledger_requested(object, str): open the ledger on a ``LedgerFilter`` with this label.
    """

    ledger_requested = Signal(object, str)

    def __init__(
        self,
        api: DashboardApi,
        runner: TaskRunner,
        now: Callable[[], dt.datetime] = dt.datetime.now,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._api, self._runner, self._now = api, runner, now
        self.data: Dashboard | None = None
        self._drawn: Dashboard | None = None
        self._loading = False
        self._setup_ui()
        self._connect_signals()

    # --- layout
    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.window_box = QComboBox(self)
        for days, label in WINDOWS:
            self.window_box.addItem(self.tr(label), days)
        self.refresh_button = QPushButton(self.tr("刷新"), self)
        self.freshness = QLabel(self)
        self.freshness.setWordWrap(True)
        top.addWidget(QLabel(self.tr("统计区间"), self))
        top.addWidget(self.window_box)
        top.addWidget(self.refresh_button)
        top.addWidget(self.freshness, 1)
        layout.addLayout(top)
        self.today_box, self.today_grid = self._group(self.tr("今日"))
        self.week_box, self.week_grid = self._group(self.tr("本周"))
        self.rates_box, self.rates_grid = self._group(self.tr("主要指标（统计区间内）"))
        row = QHBoxLayout()
        row.addWidget(self.today_box, 3)
        row.addWidget(self.week_box, 2)
        layout.addLayout(row)
        layout.addWidget(self.rates_box)
        self.tabs = QTabWidget(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self._report_bar())

    def _group(self, title: str) -> tuple[QGroupBox, QGridLayout]:
        box = QGroupBox(title, self)
        grid = QGridLayout(box)
        grid.setSpacing(4)
        return box, grid

    def _report_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.report_kind = QComboBox(self)
        for key, label in REPORTS:
            self.report_kind.addItem(self.tr(label), key)
        self.report_period = QLineEdit(self)
        self.report_period.setPlaceholderText(self.tr("报告期，如 2026-11、2026-W47、2026-11-20"))
        self.report_period.setText(default_period("daily", self._now().date()))
        self.pdf_button = QPushButton(self.tr("生成PDF…"), self)
        self.xlsx_button = QPushButton(self.tr("导出Excel…"), self)
        self.report_status = QLabel(self)
        for w in (
            QLabel(self.tr("报告"), self),
            self.report_kind,
            self.report_period,
            self.pdf_button,
            self.xlsx_button,
        ):
            bar.addWidget(w)
        bar.addWidget(self.report_status, 1)
        return bar

    def _connect_signals(self) -> None:
        self.refresh_button.clicked.connect(self.refresh)
        self.window_box.currentIndexChanged.connect(self.refresh)
        self.report_kind.currentIndexChanged.connect(self._on_report_kind_changed)
        self.pdf_button.clicked.connect(lambda: self._on_export_clicked(".pdf"))
        self.xlsx_button.clicked.connect(lambda: self._on_export_clicked(".xlsx"))

    # --- data
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.data is None and not self._loading:
            self.refresh()
        elif self.data is not None and self._drawn is not self.data:
            self._draw_charts(self.data)

    def on_changes(self, _changes: object) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.data = None  # recomputed when the screen is next shown

    def refresh(self) -> None:
        days = int(self.window_box.currentData())
        self._loading = True
        self.refresh_button.setEnabled(False)
        self.freshness.setText(self.tr("正在统计…"))
        self._runner.run(lambda: self._api.dashboard(days), self._on_loaded, self._on_failed)

    def _on_loaded(self, data: Dashboard) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        self.data = data
        self._fill_tiles(self.today_grid, data.today, 5)
        self._fill_tiles(self.week_grid, data.week, 3)
        self._fill_rates(data.rates)
        lines = messages(f.text(data.now) for f in data.freshness)
        self.freshness.setText(
            self.tr("统计时间 %1；%2")
            .replace("%1", f"{data.now:%Y-%m-%d %H:%M}")
            .replace("%2", lines)
        )
        if self.isVisible():
            self._draw_charts(data)

    def _on_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.refresh_button.setEnabled(True)
        message = error_text(exc)
        self.freshness.setText(self.tr("统计失败：%1").replace("%1", message))

    # --- tiles and rates
    @staticmethod
    def _clear(grid: QGridLayout) -> None:
        while grid.count():
            item = grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()

    def _fill_tiles(self, grid: QGridLayout, figures: tuple[Figure, ...], per_row: int) -> None:
        self._clear(grid)
        for i, fig in enumerate(figures):
            button = QToolButton(self)
            button.setObjectName(f"tile_{fig.key}")
            button.setText(f"{fig.value}\n{vocab(fig.label)}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumSize(96, 48)
            if fig.filter is not None:
                button.setToolTip(self.tr("在台账中查看这 %1 件").replace("%1", str(fig.value)))
                button.clicked.connect(
                    lambda _c=False, f=fig: self.open_ledger(f.filter, vocab(f.label))
                )
            else:
                button.setEnabled(False)  # visits are not cases: nothing to open
            grid.addWidget(button, i // per_row, i % per_row)

    def _fill_rates(self, rates: tuple[Rate, ...]) -> None:
        self._clear(self.rates_grid)
        for i, rate in enumerate(rates):
            text = self.tr("%1：<b>%2</b>（%3/%4）").replace("%1", vocab(rate.label))
            text = text.replace("%2", rate.text).replace("%3", str(rate.numerator))
            label = QLabel(text.replace("%4", str(rate.denominator)), self)
            why = QToolButton(self)
            why.setObjectName(f"definition_{rate.key}")
            why.setText(self.tr("口径"))
            why.setToolTip(vocab(rate.definition))
            why.clicked.connect(lambda _c=False, r=rate: self.show_definition(r))
            self.rates_grid.addWidget(label, 0, 2 * i)
            self.rates_grid.addWidget(why, 0, 2 * i + 1)

    def show_definition(self, rate: Rate) -> None:
        QMessageBox.information(self, vocab(rate.label), vocab(rate.definition))

    def open_ledger(self, filt: LedgerFilter | None, label: str) -> None:
        if filt is not None:
            self.ledger_requested.emit(filt, label)

    # --- charts (QPainter widgets, imported lazily)
    def _draw_charts(self, data: Dashboard) -> None:
        from views.dashboard.charts import bar_chart, series_chart

        self._drawn = data
        current = self.tabs.currentIndex()
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            if page is not None:
                page.deleteLater()
        font = self.font()
        days = [f"{p.day.month}/{p.day.day}" for p in data.series]
        self.tabs.addTab(
            series_chart(
                days,
                [p.new for p in data.series],
                [p.resolved for p in data.series],
                font,
                self.on_series_clicked,
            ),
            self.tr("每日新增与办结"),
        )
        for b in data.breakdowns:
            chart = bar_chart(
                [self.bar_label(b, bar) for bar in b.bars],
                [bar.value for bar in b.bars],
                [bar.key for bar in b.bars],
                font,
                self._bar_handler(b.key),
            )
            self.tabs.addTab(chart, vocab(b.title))
        if data.townships:
            self.tabs.addTab(self._township_table(data), self.tr("乡镇对比"))
        self.tabs.setCurrentIndex(max(0, current))

    def _bar_handler(self, key: str) -> Callable[[int], None]:
        def handler(index: int) -> None:
            self.on_bar_clicked(key, index)

        return handler

    def on_series_clicked(self, series: str, index: int) -> None:
        if self.data is None or not 0 <= index < len(self.data.series):
            return
        p = self.data.series[index]
        if series == "new":
            self.open_ledger(p.new_filter, self.tr("%1 新增").replace("%1", p.day.isoformat()))
        else:
            self.open_ledger(p.resolved_filter, self.tr("%1 办结").replace("%1", p.day.isoformat()))

    def on_bar_clicked(self, key: str, index: int) -> None:
        if self.data is None:
            return
        breakdown = next((b for b in self.data.breakdowns if b.key == key), None)
        if breakdown is not None and 0 <= index < len(breakdown.bars):
            bar = breakdown.bars[index]
            label = self.tr("%1：%2").replace("%1", vocab(breakdown.title))
            self.open_ledger(bar.filter, label.replace("%2", self.bar_label(breakdown, bar)))

    @staticmethod
    def bar_label(breakdown: Breakdown, bar: Bar) -> str:
        """A bar's label in the interface language: a vocabulary word (a channel, a colour, no
        value) translated, a datum (a category's, a village's or a unit's name) as it is."""
        return vocab(bar.label) if breakdown.key in WORDED_BARS or not bar.key else bar.label

    def _township_table(self, data: Dashboard) -> QWidget:
        """County mode (乡镇对比): a table of each township's figures over a bar chart of its
        cases registered in the window; a click on a bar opens the ledger on them."""
        from views.dashboard.charts import bar_chart

        page = QWidget(self)
        box = QVBoxLayout(page)
        box.setContentsMargins(0, 0, 0, 0)
        heads = (
            QT_TRANSLATE_NOOP("DashboardView", "乡镇"),
            QT_TRANSLATE_NOOP("DashboardView", "登记"),
            QT_TRANSLATE_NOOP("DashboardView", "在办"),
            QT_TRANSLATE_NOOP("DashboardView", "超期"),
            QT_TRANSLATE_NOOP("DashboardView", "红色"),
            QT_TRANSLATE_NOOP("DashboardView", "办结"),
        )
        table = QTableWidget(len(data.townships), len(heads), page)
        table.setObjectName("township_table")
        table.setHorizontalHeaderLabels([self.tr(h) for h in heads])
        for r, t in enumerate(data.townships):
            for c, value in enumerate((t.name, t.registered, t.open, t.overdue, t.red, t.closed)):
                table.setItem(r, c, QTableWidgetItem(str(value)))
        table.resizeColumnsToContents()
        box.addWidget(table, 1)
        chart = bar_chart(
            [t.name for t in data.townships],
            [t.registered for t in data.townships],
            ["" for _ in data.townships],
            self.font(),
            self.on_township_clicked,
        )
        chart.setObjectName("township_chart")
        box.addWidget(chart, 2)
        return page

    def on_township_clicked(self, index: int) -> None:
        if self.data is None or not 0 <= index < len(self.data.townships):
            return
        t = self.data.townships[index]
        self.open_ledger(t.filter, self.tr("%1 登记").replace("%1", t.name))

    # --- reports
    def _on_report_kind_changed(self) -> None:
        kind = str(self.report_kind.currentData())
        self.report_period.setText(default_period(kind, self._now().date()))

    def _on_export_clicked(self, suffix: str) -> None:
        kind, label = str(self.report_kind.currentData()), self.report_kind.currentText()
        period = self.report_period.text().strip()
        name = f"{label}-{period}{suffix}"
        kinds = "PDF (*.pdf)" if suffix == ".pdf" else "Excel (*.xlsx)"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存报告"), name, kinds)
        if path:
            self.export_report(kind, period, Path(path))

    def export_report(self, kind: str, period: str, path: Path) -> None:
        """Build and render the report off the GUI thread, then write it to ``path``."""
        api, suffix = self._api, path.suffix.lower()

        def work() -> Path:
            path.write_bytes(render_document(api.report(kind, period), suffix))
            api.record_export(kind, period, suffix.lstrip("."))  # the audit log: who, what
            return path

        for b in (self.pdf_button, self.xlsx_button):
            b.setEnabled(False)
        self.report_status.setText(self.tr("正在生成…"))
        self._runner.run(work, self._on_exported, self._on_export_failed)

    def _on_exported(self, path: Any) -> None:
        for b in (self.pdf_button, self.xlsx_button):
            b.setEnabled(True)
        self.report_status.setText(self.tr("已保存：%1").replace("%1", str(path)))

    def _on_export_failed(self, exc: BaseException) -> None:
        for b in (self.pdf_button, self.xlsx_button):
            b.setEnabled(True)
        message = error_text(exc)
        self.report_status.setText(self.tr("未能生成：%1").replace("%1", message))
