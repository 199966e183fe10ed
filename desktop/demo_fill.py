"""The demo township's cases made in the background (演示数据): the window comes first.

The first ``--demo`` start used to generate 2,000 cases behind a progress dialog (a minute on a
busy PC). Now the township, villages and users are made before the window shows (under a second)
and :class:`DemoFiller` makes the cases on a thread, a small batch per transaction, telling the
status bar how far it got and the screens (through ``ctx.feed``) every few seconds. Quitting
half-way is safe: the next start carries on (:class:`services.demo.township.DemoJob`).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QLabel, QStatusBar

from services.demo.township import DemoJob
from services.domain.dto import ALL_CASES, Changes

log = logging.getLogger(__name__)
REFRESH_S = 4.0  # how often the screens reload while cases arrive


class DemoFiller(QObject):
    """Runs ``job`` on a thread, then ``after`` (demo slips and bookings, which need the cases).

    Signals:
        progress(int, int): cases made so far and in all (queued to the GUI thread).
        finished(bool): True when the demo is complete, False when it stopped or failed.
    """

    progress = Signal(int, int)
    finished = Signal(bool)

    def __init__(self, job: DemoJob, after: Callable[[DemoJob], None],
                 parent: QObject | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.job, self._after = job, after
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name="demo-cases", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop after the batch being written (at quit); the next start carries on."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def wait(self, timeout: float | None = None) -> bool:
        """True once the thread is done (tests, benchmarks)."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _work(self) -> None:
        feed = self.job.ctx.feed
        last = time.monotonic()

        def progress(done: int, total: int) -> None:
            nonlocal last
            self.progress.emit(done, total)
            if time.monotonic() - last >= REFRESH_S:
                last = time.monotonic()
                feed.publish(Changes(case_ids=ALL_CASES))

        ok = False
        try:
            made = self.job.run(progress=progress, stop=self._stop.is_set)
            if self.job.complete and not self._stop.is_set():
                self._after(self.job)
                ok = True
            if made or ok:
                feed.publish(Changes(case_ids=ALL_CASES, slips=True, bookings=True))
        except Exception:  # the window works on what is there; the next start carries on
            log.exception("demo data: generation stopped")
        self.finished.emit(ok)


class DemoStatus(QObject):
    """正在生成演示数据 n/N in the status bar while the cases are made (a GUI-thread receiver, so
    the filler's signals arrive queued)."""

    def __init__(self, bar: QStatusBar, made: int, total: int) -> None:
        super().__init__(bar)
        self._bar = bar
        self.label = QLabel(bar)
        bar.addWidget(self.label)
        self._working = made < total  # a complete demo: only the quiet checks are left
        self.on_progress(made, total)
        self.label.setVisible(self._working)

    @Slot(int, int)
    def on_progress(self, done: int, total: int) -> None:
        self.label.setText(self.tr("正在生成演示数据：%1 / %2 件，可先使用")
                           .replace("%1", f"{done:,}").replace("%2", f"{total:,}"))  # fmt: skip

    @Slot(bool)
    def on_finished(self, ok: bool) -> None:
        self._bar.removeWidget(self.label)
        self.label.deleteLater()
        if ok and self._working:
            self._bar.showMessage(self.tr("演示数据已生成"), 5000)
