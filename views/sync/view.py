"""The 同步 screen (SyncView): freshness, pending, conflicts, quarantined; background sync."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.domain.dto import Changes
from services.domain.errors import ServiceError
from services.sync.dto import ConflictItem, OutboxItem, ParkedItem, SyncReport, SyncStatus
from ui.i18n import message
from ui.tasks import TaskRunner
from views.messages import error_text
from views.sync.models import (
    DtoTableModel,
    conflict_model,
    outbox_model,
    parked_model,
    quarantine_model,
    when,
)


class SyncServiceLike(Protocol):
    """What the screen needs of ``services.sync.service.SyncService`` (typed fakes in tests)."""

    failures: int

    def sync_now(self) -> SyncReport: ...
    def full_resync(self) -> SyncReport: ...
    def status(self) -> SyncStatus: ...
    def outbox_items(self, status: str = ..., limit: int = ...) -> tuple[OutboxItem, ...]: ...
    def conflicts(self, *, include_settled: bool = ...) -> tuple[ConflictItem, ...]: ...
    def parked(self) -> tuple[ParkedItem, ...]: ...
    def requeue(self, change_id: str) -> str: ...
    def settle_conflict(self, conflict_id: str, *, use_lost_value: bool = ...) -> Changes: ...


def is_configured(service: object) -> bool:
    """False when no county hub address was entered (nothing to sync with yet)."""
    config = getattr(service, "config", None)
    return config is None or bool(getattr(config, "url", ""))


@dataclass(frozen=True, slots=True)
class _Snapshot:
    status: SyncStatus
    pending: tuple[OutboxItem, ...]
    quarantined: tuple[OutboxItem, ...]
    conflicts: tuple[ConflictItem, ...]
    parked: tuple[ParkedItem, ...]


class SyncView(QWidget):
    """同步 screen: display only. The syncs themselves (timer, one at a time) are run by
    ``desktop.controllers.SyncController``, wired with ``wire_sync_view``.

    Signals:
        status_changed(object): a :class:`SyncStatus`, for the status bar.
        sync_requested(bool): 立即同步 (False) or 完全重新同步 (True) was asked for.
    """

    status_changed = Signal(object)
    sync_requested = Signal(bool)

    def __init__(self, service: SyncServiceLike, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._service = service
        self._tasks = tasks
        self._setup_ui()
        self._connect_signals()
        self.refresh()

    def _setup_ui(self) -> None:
        self._labels = {k: QLabel(self) for k in ("state", "last", "pending", "conflicts",
                                                   "quarantined", "parked")}  # fmt: skip
        grid = QGridLayout()
        names = (("last", self.tr("最近成功同步")), ("pending", self.tr("待上传")),
                 ("conflicts", self.tr("待裁决冲突")), ("quarantined", self.tr("已隔离")),
                 ("parked", self.tr("暂存")))  # fmt: skip
        for i, (key, text) in enumerate(names):
            grid.addWidget(QLabel(text, self), 0, i)
            self._labels[key].setStyleSheet("font-size: 15pt; font-weight: bold;")
            grid.addWidget(self._labels[key], 1, i)
        self._message = QLabel(self)
        self._message.setWordWrap(True)
        self._sync_button = QPushButton(self.tr("立即同步"), self)
        self._resync_button = QPushButton(self.tr("完全重新同步"), self)
        self._resync_button.setToolTip(
            self.tr("先上传全部本机数据，再从县级平台重新下载；不会丢弃未上传的数据")
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self._labels["state"], 1)
        buttons.addWidget(self._sync_button)
        buttons.addWidget(self._resync_button)
        self._models: dict[str, DtoTableModel[Any]] = {
            "pending": outbox_model(), "conflicts": conflict_model(),
            "quarantined": quarantine_model(), "parked": parked_model(),
        }  # fmt: skip
        self._tables: dict[str, QTableView] = {}
        self._tabs = QTabWidget(self)
        titles = {"pending": self.tr("待上传"), "conflicts": self.tr("冲突"),
                  "quarantined": self.tr("已隔离"), "parked": self.tr("暂存")}  # fmt: skip
        for key, model in self._models.items():
            table = QTableView(self)
            table.setModel(model)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            table.horizontalHeader().setStretchLastSection(True)
            table.verticalHeader().setVisible(False)
            self._tables[key] = table
            self._tabs.addTab(table, titles[key])
        self._requeue_button = QPushButton(self.tr("重新排队上传"), self)
        self._keep_button = QPushButton(self.tr("确认现行值"), self)
        self._restore_button = QPushButton(self.tr("改用另一值"), self)
        actions = QHBoxLayout()
        actions.addStretch(1)
        for button in (self._requeue_button, self._keep_button, self._restore_button):
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addLayout(grid)
        layout.addWidget(self._message)
        layout.addWidget(self._tabs, 1)
        layout.addLayout(actions)
        self._update_actions()

    def _connect_signals(self) -> None:
        self._sync_button.clicked.connect(self._on_sync_button_clicked)
        self._resync_button.clicked.connect(self._on_resync_button_clicked)
        self._requeue_button.clicked.connect(self._on_requeue_button_clicked)
        self._keep_button.clicked.connect(lambda: self._settle(use_lost_value=False))
        self._restore_button.clicked.connect(lambda: self._settle(use_lost_value=True))
        self._tabs.currentChanged.connect(lambda _i: self._update_actions())
        for table in self._tables.values():
            table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())

    # -- loading -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload counts and lists off the GUI thread."""
        service = self._service

        def load() -> _Snapshot:
            return _Snapshot(service.status(), service.outbox_items("pending"),
                             service.outbox_items("quarantined"), service.conflicts(),
                             service.parked())  # fmt: skip

        self._tasks.run(load, self._on_loaded, self._on_failed, pool="db")

    def _on_loaded(self, snap: _Snapshot) -> None:
        self._show_status(snap.status)
        self._models["pending"].set_rows(snap.pending)
        self._models["quarantined"].set_rows(snap.quarantined)
        self._models["conflicts"].set_rows(snap.conflicts)
        self._models["parked"].set_rows(snap.parked)
        self._update_actions()

    def _show_status(self, status: SyncStatus) -> None:
        texts = {
            "never": self.tr("尚未同步"),
            "ok": self.tr("同步正常"),
            "offline": self.tr("县级平台暂时无法连接，稍后自动重试"),
            "refused": self.tr("同步被拒绝，需要处理"),
            "error": self.tr("县级平台持续出错，请联系县级管理员"),
            "running": self.tr("正在同步…"),
        }
        colour = {
            "ok": "#1b7f3b",
            "offline": "#b26a00",
            "refused": "#b00020",
            "error": "#b00020",
        }.get(  # fmt: skip
            status.state, "#333"
        )
        if not is_configured(self._service):  # not an error: this PC works alone until then
            texts[status.state] = self.tr("未配置县级平台")
            colour = "#333"
        self._labels["state"].setText(texts.get(status.state, status.state))
        self._labels["state"].setStyleSheet(f"color: {colour}; font-size: 13pt;")
        self._labels["last"].setText(when(status.last_success_at) or self.tr("从未"))
        for key in ("pending", "conflicts", "quarantined", "parked"):
            self._labels[key].setText(str(getattr(status, key)))
        notes = [message(status.message)] if status.message and status.state != "ok" else []
        if not is_configured(self._service):
            notes = [self.tr("本机数据照常保存。要与县里同步，"
                             "请在“设置 → 县级平台连接”中填写平台地址和设备令牌"
                             "（向县级平台管理员索取），保存后即自动同步。")]  # fmt: skip
        if status.clock_warning and status.clock_skew_ms is not None:
            minutes = abs(status.clock_skew_ms) // 60000
            note = self.tr("本机时钟与县级平台相差约%1分钟，请校准时间")
            notes.append(note.replace("%1", str(minutes)))
        self._message.setText("\n".join(notes))
        self.status_changed.emit(status)

    # -- syncing -------------------------------------------------------------------------------

    def sync_now(self, *, full: bool = False) -> None:
        """Ask for a sync (the controller runs it unless one is running)."""
        self.sync_requested.emit(full)

    def show_running(self) -> None:
        self._sync_button.setEnabled(False)
        self._resync_button.setEnabled(False)
        self._labels["state"].setText(self.tr("正在同步…"))

    def show_finished(self, _report: SyncReport | None) -> None:
        self._sync_button.setEnabled(True)
        self._resync_button.setEnabled(True)
        self.refresh()

    def show_failed(self, exc: BaseException) -> None:
        self.show_finished(None)
        if not isinstance(exc, ServiceError):
            self._message.setText(self.tr("同步出错：%1").replace("%1", repr(exc)))

    def _on_sync_button_clicked(self) -> None:
        self.sync_now()

    def _on_resync_button_clicked(self) -> None:
        answer = QMessageBox.question(
            self,
            self.tr("完全重新同步"),
            self.tr(
                "将先上传本机全部待同步数据，再从县级平台重新下载本乡镇的全部数据。\n"
                "不会删除本机任何数据。是否继续？"
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.sync_now(full=True)

    # -- actions on the lists ------------------------------------------------------------------

    def _selected(self, key: str) -> Any:
        table = self._tables[key]
        rows = table.selectionModel().selectedRows()
        return self._models[key].row_at(rows[0].row()) if rows else None

    def _update_actions(self) -> None:
        tab = list(self._tables)[self._tabs.currentIndex()]
        self._requeue_button.setVisible(tab == "quarantined")
        self._requeue_button.setEnabled(self._selected("quarantined") is not None)
        conflict = self._selected("conflicts")
        for button in (self._keep_button, self._restore_button):
            button.setVisible(tab == "conflicts")
        self._keep_button.setEnabled(conflict is not None)
        self._restore_button.setEnabled(conflict is not None and conflict.kind == "field")

    def _on_requeue_button_clicked(self) -> None:
        item = self._selected("quarantined")
        if item is not None:
            self._tasks.run(
                lambda: self._service.requeue(item.change_id),
                lambda _id: self.refresh(),
                self._on_failed,
                pool="db",
            )

    def _settle(self, *, use_lost_value: bool) -> None:
        item = self._selected("conflicts")
        if item is not None:
            self._tasks.run(lambda: self._service.settle_conflict(
                item.id, use_lost_value=use_lost_value), lambda _v: self.refresh(),
                self._on_failed, pool="db")  # fmt: skip

    def _on_failed(self, exc: BaseException) -> None:
        text = error_text(exc) if isinstance(exc, ServiceError) else repr(exc)
        self._message.setText(text)
