"""Background work no screen owns (后台任务): the overdue scan, missed sessions, county sync.

The screens only display. What these jobs change reaches them one way: the services publish it
on their Qt-free ``ctx.feed`` (:class:`services.domain.feed.ChangeFeed`), :class:`ChangeBridge`
turns it into a Qt signal, and the main window re-emits it on ``AppEvents.changed``.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from services.domain.dto import Changes
from services.domain.errors import ServiceError
from services.domain.feed import ChangeFeed
from services.sync.dto import SyncReport, SyncStatus
from services.sync.service import next_delay
from ui.tasks import TaskRunner

SCAN_INTERVAL_MS = 10 * 60 * 1000  # overdue scan (督办扫描)
ROOMS_INTERVAL_MS = 5 * 60 * 1000  # missed sessions become 过期未到; reminders follow the day
BACKUP_INTERVAL_MS = 60 * 60 * 1000  # is the day's automatic backup due? (taken once a day)
CHECKPOINT_INTERVAL_MS = 2000  # the WAL copied into the database off the writing thread
FIRST_SYNC_MS = 2000  # the first sync shortly after start-up

log = logging.getLogger(__name__)


class ChangeBridge(QObject):
    """The services' change feed as a Qt signal.

    A job publishes on its worker thread; ``changed`` is delivered queued to receivers on the
    GUI thread.

    Signals:
        changed(object): a :class:`services.domain.dto.Changes` some background work made.
    """

    changed = Signal(object)

    def __init__(self, feed: ChangeFeed, parent: QObject | None = None) -> None:
        super().__init__(parent)
        unsubscribe = feed.subscribe(self._on_published)
        self.close = unsubscribe
        self.destroyed.connect(lambda *_: unsubscribe())

    def _on_published(self, changes: Changes) -> None:
        self.changed.emit(changes)


class BackgroundJobs(QObject):
    """The overdue scan and the expiry of missed sessions, at start and on timers.

    Args:
        runner: where the jobs run (off the GUI thread).
        scan: the overdue scan (``Workbench.run_overdue_scan``); it publishes what it raised.
        expire: ``RoomService.expire_overdue`` (``None`` without rooms); it publishes too.
        today: the date, to tell the screens when the day turned (reminders move on).

    Signals:
        failed(str): a Chinese line for the status bar; the job is retried on its timer.
        changed(object): ``Changes`` of the day turning (the reminders' next working day).
    """

    failed = Signal(str)
    changed = Signal(object)

    def __init__(self, runner: TaskRunner, scan: Callable[[], object],
                 expire: Callable[[], object] | None = None,
                 today: Callable[[], dt.date] = dt.date.today,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._runner, self._scan, self._expire, self._today = runner, scan, expire, today
        self._day = today()
        self.scan_timer = QTimer(self)
        self.scan_timer.setInterval(SCAN_INTERVAL_MS)
        self.scan_timer.timeout.connect(self.run_scan)
        self.rooms_timer = QTimer(self)
        self.rooms_timer.setInterval(ROOMS_INTERVAL_MS)
        self.rooms_timer.timeout.connect(self.run_rooms)
        self._backup: Callable[[], object] | None = None
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(BACKUP_INTERVAL_MS)
        self.backup_timer.timeout.connect(self.run_backup)
        self._checkpoint: Callable[[], object] | None = None
        self._checkpointing = False
        self.checkpoint_timer = QTimer(self)
        self.checkpoint_timer.setInterval(CHECKPOINT_INTERVAL_MS)
        self.checkpoint_timer.timeout.connect(self.run_checkpoint)

    def add_checkpoint(self, job: Callable[[], object]) -> None:
        """The WAL checkpoint (``Store.checkpoint`` of a store that ``defer_checkpoints``):
        every two seconds on the ``io`` worker, so no registration's commit pays for it and
        no database job waits behind it."""
        self._checkpoint = job
        self.checkpoint_timer.start()

    def run_checkpoint(self) -> None:
        if self._checkpoint is not None and not self._checkpointing:
            self._checkpointing = True
            self._runner.run(self._checkpoint, self._on_checkpoint_done,
                             self._on_checkpoint_failed, pool="io")  # fmt: skip

    def _on_checkpoint_done(self, _result: object) -> None:
        self._checkpointing = False

    def _on_checkpoint_failed(self, exc: BaseException) -> None:
        self._checkpointing = False
        log.warning("WAL checkpoint failed; tried again in %d s", CHECKPOINT_INTERVAL_MS // 1000,
                    exc_info=exc)  # fmt: skip

    def add_backup(self, job: Callable[[], object]) -> None:
        """The automatic backup (``services.backup.service.due_backup`` bound to this PC's
        database and folder): tried now and every hour; it copies once a day."""
        self._backup = job
        self.run_backup()
        self.backup_timer.start()

    def run_backup(self) -> None:
        if self._backup is not None:
            self._runner.run(self._backup, self._on_backup_done, self._on_backup_failed,
                             pool="cpu")  # fmt: skip

    def _on_backup_done(self, path: object) -> None:
        if path is not None:
            log.info("automatic backup written: %s", path)

    def _on_backup_failed(self, exc: BaseException) -> None:
        log.error("automatic backup failed; retried in an hour", exc_info=exc)
        self.failed.emit(self.tr("自动备份失败，1小时后重试；请检查备份文件夹（设置），详情见日志"))

    def start(self) -> None:
        """Run every job once now, then on its timer."""
        self.run_scan()
        self.scan_timer.start()
        if self._expire is not None:
            self.run_rooms()
            self.rooms_timer.start()

    def stop(self) -> None:
        self.scan_timer.stop()
        self.rooms_timer.stop()
        self.backup_timer.stop()
        self.checkpoint_timer.stop()

    def run_scan(self) -> None:
        self._runner.run(self._scan, lambda _counts: None, self._on_scan_failed)

    def _on_scan_failed(self, exc: BaseException) -> None:
        log.error("overdue scan failed; retried in %d min", SCAN_INTERVAL_MS // 60000,
                  exc_info=exc)  # fmt: skip
        self.failed.emit(self.tr("逾期检查失败，10分钟后自动重试；详情见日志"))

    def run_rooms(self) -> None:
        if self._expire is not None:
            self._runner.run(self._expire, self._on_rooms_done, self._on_rooms_failed)

    def _on_rooms_done(self, _result: object) -> None:
        today = self._today()
        if today != self._day:  # tomorrow's reminders are another day's now
            self._day = today
            self.changed.emit(Changes(bookings=True))

    def _on_rooms_failed(self, exc: BaseException) -> None:
        log.error("expiring missed sessions failed; retried in %d min",
                  ROOMS_INTERVAL_MS // 60000, exc_info=exc)  # fmt: skip
        self.failed.emit(self.tr("调解室过期检查失败，5分钟后自动重试；详情见日志"))


class SyncServiceLike(Protocol):
    """What the sync controller needs of ``services.sync.service.SyncService``."""

    failures: int

    def sync_now(self) -> SyncReport: ...
    def full_resync(self) -> SyncReport: ...
    def status(self) -> SyncStatus: ...


class SyncController(QObject):
    """The county sync's timer and its one-at-a-time guard (was inside the 同步 screen).

    Signals:
        started(): a sync began (the screen disables its buttons).
        finished(object): the :class:`SyncReport` of a sync that worked.
        failed(object): the exception of one that did not (offline is retried sooner).
        synced(object): a report that pulled, pushed or renumbered something.
    """

    started = Signal()
    finished = Signal(object)
    failed = Signal(object)
    synced = Signal(object)

    def __init__(self, service: SyncServiceLike, runner: TaskRunner, *, interval_s: int = 300,
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._service, self._runner, self._interval = service, runner, interval_s
        self.busy = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)

    def start(self, first_ms: int = FIRST_SYNC_MS) -> None:
        """Sync shortly after start-up, then every ``interval_s`` (sooner while offline)."""
        self.timer.start(first_ms)

    def stop(self) -> None:
        self.timer.stop()

    def sync_now(self, full: bool = False) -> None:
        """Start a sync in the background unless one is running."""
        if self.busy:
            return
        self.busy = True
        self.timer.stop()
        self.started.emit()
        job = self._service.full_resync if full else self._service.sync_now
        self._runner.run(job, self._on_done, self._on_failed, pool="net")

    def _on_done(self, report: SyncReport) -> None:
        self._after()
        self.finished.emit(report)
        if report.pulled or report.pushed or report.renumbered:
            self.synced.emit(report)

    def _on_failed(self, exc: BaseException) -> None:
        self._after()
        if not isinstance(exc, ServiceError):
            log.error("sync failed", exc_info=exc)
        self.failed.emit(exc)

    def _after(self) -> None:
        self.busy = False
        self._runner.run(self._service.status, self._schedule, self._on_status_failed, pool="db")

    def _schedule(self, status: SyncStatus) -> None:
        self.timer.start(1000 * next_delay(status, self._interval, self._service.failures))

    def _on_status_failed(self, exc: BaseException) -> None:
        log.warning("sync status unreadable; next sync in %d s", self._interval, exc_info=exc)
        self.timer.start(1000 * self._interval)


def wire_sync_view(view: Any, controller: SyncController) -> None:
    """Connect the 同步 screen (display only) to the controller that runs the syncs."""
    view.sync_requested.connect(controller.sync_now)
    controller.started.connect(view.show_running)
    controller.finished.connect(view.show_finished)
    controller.failed.connect(view.show_failed)
