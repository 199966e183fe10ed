"""Diagnostics: the log file in the per-user log folder, and the crash dialog (STYLE rule 40).

``setup_logging`` sends the standard ``logging`` records to a rotating file; ``CrashReporter``
installs ``sys.excepthook``, ``threading.excepthook`` and a Qt message handler that log what went
wrong and show one Chinese dialog saying where the log is.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, Signal, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from services.domain.identity import mask_id_number, mask_phone

log = logging.getLogger(__name__)

LOG_FILE = "workbench.log"
_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
_MAX_BYTES = 2_000_000
_BACKUPS = 5
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class _LogFile(RotatingFileHandler):
    """The app's own handler, so set-up and tests replace it without touching others'."""


# ID numbers (18 characters, or the old 15 digits) and mainland mobiles (+86 and separators
# allowed), not inside a longer run of letters or digits (case codes, HLCs, ids stay whole).
_PERSONAL = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15}"
    r"|(?:\+?86[ -]?)?1[3-9]\d(?:[ -]?\d{4}){2})(?![0-9A-Za-z])"
)


def _mask(match: re.Match[str]) -> str:
    text = match.group(0)
    digits = re.sub(r"[^\dXx]", "", text)
    if len(digits) in (15, 18) and not text.startswith("+"):
        return mask_id_number(digits)
    return mask_phone(digits[-11:])


class MaskingFormatter(logging.Formatter):
    """Writes ID numbers 6+4 and mobile phones 3+4 in every line, exceptions included: the
    code never logs them on purpose (CONTRIBUTING), this catches what slips through (an
    exception's text, a library's message)."""

    def format(self, record: logging.LogRecord) -> str:
        return _PERSONAL.sub(_mask, super().format(record))


def setup_logging(directory: Path, level: str = "INFO") -> Path:
    """Log to ``directory/workbench.log`` (rotated at 2 MB, five kept); returns the file's path.

    Calling it again (tests, a second window) replaces the handler instead of adding another.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / LOG_FILE
    close_logging()
    handler = _LogFile(path, maxBytes=_MAX_BYTES, backupCount=_BACKUPS, encoding="utf-8")
    handler.setFormatter(MaskingFormatter(_FORMAT))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level.upper())
    logging.captureWarnings(True)
    return path


class CrashDialog(QMessageBox):
    """程序出错 dialog: what happened, where the log is, and the details for support."""

    def __init__(self, log_path: Path, details: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("程序出错"))
        self.setText(
            self.tr("程序遇到了意外错误。已保存的数据不受影响，未保存的操作请检查后重做。")
        )
        self.setInformativeText(
            self.tr(
                "错误详情已写入日志文件：\n%1\n如问题反复出现，请把这个文件发给技术支持。"
            ).replace("%1", str(log_path))
        )
        self.setDetailedText(details)
        self.setStandardButtons(QMessageBox.StandardButton.Ok)


class CrashReporter(QObject):
    """Logs uncaught exceptions (any thread) and Qt's own warnings; shows :class:`CrashDialog`.

    Signals:
        crashed(str): the traceback text of an uncaught exception (queued to the GUI thread).
    """

    crashed = Signal(str)

    def __init__(self, log_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self._showing = False
        self._previous: tuple[Any, Any, Any] | None = None
        self.crashed.connect(self._on_crashed)

    def install(self) -> None:
        """Become ``sys.excepthook``, ``threading.excepthook`` and Qt's message handler."""
        previous_qt = qInstallMessageHandler(self._on_qt_message)
        self._previous = (sys.excepthook, threading.excepthook, previous_qt)
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception

    def uninstall(self) -> None:
        """Put back what :meth:`install` replaced (tests)."""
        if self._previous is None:
            return
        sys.excepthook, threading.excepthook, previous_qt = self._previous
        qInstallMessageHandler(previous_qt)
        self._previous = None

    def _on_exception(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.critical("uncaught exception", exc_info=(kind, exc, tb))
        self.crashed.emit("".join(traceback.format_exception(kind, exc, tb)))

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        name = args.thread.name if args.thread is not None else "?"
        info = (args.exc_type, args.exc_value, args.exc_traceback)
        log.critical("uncaught exception in thread %s", name, exc_info=info)
        text = traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
        self.crashed.emit("".join(text))

    def _on_qt_message(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        level = _QT_LEVELS.get(kind, logging.WARNING)
        where = f" ({context.file}:{context.line})" if context.file else ""
        logging.getLogger("qt").log(level, "%s%s", message, where)
        if kind == QtMsgType.QtFatalMsg:  # Qt aborts when this returns: flush and tell the user
            for handler in logging.getLogger().handlers:
                handler.flush()
            self._show(message)

    def _on_crashed(self, details: str) -> None:
        self._show(details)

    def _show(self, details: str) -> None:
        if self._showing or QApplication.instance() is None:
            return  # one dialog at a time; before the QApplication the log is all we have
        self._showing = True
        try:
            parent = QApplication.activeWindow()
            dialog = CrashDialog(self.log_path, details, parent)
            dialog.exec()
        finally:
            self._showing = False


def close_logging() -> None:
    """Remove and close the log file handler (tests; a second set-up replaces it anyway)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _LogFile)]:
        root.removeHandler(old)
        old.close()
    root.setLevel(logging.WARNING)
