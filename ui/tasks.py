"""The one way off the GUI thread: database work on a serial worker, network work on another."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

T = TypeVar("T")
DoneCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class TaskRunner(Protocol):
    """What views are given: run ``fn`` off the GUI thread, call back on the GUI thread."""

    def run(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        pool: str = "db",
    ) -> None: ...


class _Relay(QObject):
    """Carries a result back to the GUI thread (queued signal)."""

    finished = Signal(object, object)  # (callback, value)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, on_done: DoneCallback | None,
                 on_error: ErrorCallback | None) -> None:  # fmt: skip
        super().__init__()
        self._fn, self._relay = fn, relay
        self._on_done, self._on_error = on_done, on_error

    def run(self) -> None:
        try:
            value = self._fn()
        except BaseException as exc:  # delivered to the view, never lost in a thread
            self._relay.finished.emit(self._on_error or _unhandled, exc)
            return
        if self._on_done is not None:
            self._relay.finished.emit(self._on_done, value)


def _unhandled(exc: BaseException) -> None:
    """A job without an error callback failed: an uncaught error, reported as one.

    desktop/ installs the crash reporter as ``sys.excepthook`` (log file + crash dialog); the
    exception keeps the worker thread's traceback.
    """
    sys.excepthook(type(exc), exc, exc.__traceback__)


class ThreadTaskRunner(QObject):
    """QThreadPool-backed runner: ``db`` jobs run one at a time, in order; ``net``, ``cpu``
    and ``io`` (the WAL checkpoint, backup checks) apart.

    Signals:
        busy_changed(bool): some job is running or queued.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools = {name: QThreadPool(self) for name in ("db", "net", "cpu", "io")}
        self._pools["db"].setMaxThreadCount(1)
        self._pools["net"].setMaxThreadCount(2)
        self._pools["cpu"].setMaxThreadCount(1)
        self._pools["io"].setMaxThreadCount(1)  # file work beside the database worker
        self._relay = _Relay()
        self._relay.finished.connect(self._on_relay_finished)
        self._pending = 0

    def run(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        pool: str = "db",
    ) -> None:
        self._pending += 1
        if self._pending == 1:
            self.busy_changed.emit(True)

        def finish(callback: Callable[[Any], None]) -> Callable[[Any], None]:
            def wrapped(value: Any) -> None:
                self._pending -= 1
                if self._pending == 0:
                    self.busy_changed.emit(False)
                callback(value)

            return wrapped

        job = _Job(fn, self._relay, finish(on_done or (lambda _v: None)),
                   finish(on_error or _unhandled))  # fmt: skip
        self._pools[pool].start(job)

    @Slot(object, object)
    def _on_relay_finished(self, callback: Callable[[Any], None], value: Any) -> None:
        callback(value)

    def wait(self, msecs: int = 30000) -> bool:
        """Block until every queued job ran (tests and shutdown only)."""
        return all(p.waitForDone(msecs) for p in self._pools.values())


class ImmediateTaskRunner:
    """Runs jobs at once on the calling thread: for tests and the screenshot mode."""

    def run(
        self,
        fn: Callable[[], Any],
        on_done: DoneCallback | None = None,
        on_error: ErrorCallback | None = None,
        *,
        pool: str = "db",
    ) -> None:
        try:
            value = fn()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
            return
        if on_done is not None:
            on_done(value)
