"""Main window: navigation between the screens, and the status bar."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from services.context import ServiceContext

SCREENS = ("接待登记", "案件台账", "调解室", "文书", "统计", "同步", "设置")


class MainWindow(QMainWindow):
    """The shell (主窗口); screens arrive with their issues and say so until then."""

    def __init__(self, ctx: ServiceContext) -> None:
        super().__init__()
        self._ctx = ctx
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("综治中心工作台"))
        self.resize(1280, 800)
        central = QWidget(self)
        layout = QHBoxLayout(central)
        self._nav = QListWidget(central)
        self._nav.setFixedWidth(160)
        self._stack = QStackedWidget(central)
        for name in SCREENS:
            self._nav.addItem(self.tr(name))
            page = QLabel(self.tr("“%1”功能尚未开放，将在后续版本提供。").replace("%1", name))
            page.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._stack.addWidget(page)
        layout.addWidget(self._nav)
        layout.addWidget(self._stack, 1)
        self.setCentralWidget(central)
        self._nav.setCurrentRow(0)
        township = self._ctx.township_code or self.tr("未设置乡镇")
        self.statusBar().showMessage(
            self.tr("本机：%1　乡镇代码：%2")
            .replace("%1", self._ctx.device_id)
            .replace("%2", township)
        )

    def _connect_signals(self) -> None:
        self._nav.currentRowChanged.connect(self._stack.setCurrentIndex)
