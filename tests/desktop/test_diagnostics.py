"""A crash writes the log and shows the Chinese crash dialog; Qt's warnings reach the log."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import qWarning
from pytestqt.qtbot import QtBot

from desktop.app import parse_args
from desktop.diagnostics import CrashDialog, CrashReporter, close_logging, setup_logging
from tests.memory_keyring import MEMORY_KEYRING
from ui.tasks import ThreadTaskRunner


class _Shown:
    """Stands in for CrashDialog.exec: records what the dialog said instead of blocking."""

    def __init__(self) -> None:
        self.dialogs: list[tuple[str, str, str]] = []

    def exec(self, dialog: CrashDialog) -> int:
        self.dialogs.append((dialog.text(), dialog.informativeText(), dialog.detailedText()))
        return 0


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> _Shown:
    record = _Shown()
    monkeypatch.setattr(CrashDialog, "exec", lambda self: record.exec(self))
    return record


@pytest.fixture
def reporter(tmp_path: Path) -> Iterator[CrashReporter]:
    path = setup_logging(tmp_path / "log", "INFO")
    crash = CrashReporter(path)
    crash.install()
    try:
        yield crash
    finally:
        crash.uninstall()
        close_logging()


def _boom() -> None:
    raise RuntimeError("task went wrong 42")


def test_a_task_that_raises_is_logged_and_shows_the_crash_dialog(
    qtbot: QtBot, reporter: CrashReporter, shown: _Shown
) -> None:
    runner = ThreadTaskRunner()
    runner.run(_boom)  # no error callback: an uncaught error, not a silent one
    qtbot.waitUntil(lambda: bool(shown.dialogs), timeout=5000)
    assert runner.wait(5000)
    text, info, details = shown.dialogs[0]
    assert "意外错误" in text
    assert str(reporter.log_path) in info
    assert "task went wrong 42" in details and "_boom" in details
    logged = reporter.log_path.read_text(encoding="utf-8")
    assert "CRITICAL" in logged and "RuntimeError: task went wrong 42" in logged
    assert "_boom" in logged  # the traceback from the worker thread, not just the message


def test_an_uncaught_error_in_a_plain_thread_is_logged_and_shown(
    qtbot: QtBot, reporter: CrashReporter, shown: _Shown
) -> None:
    def work() -> None:
        raise ValueError("thread failure 7")

    thread = threading.Thread(target=work, name="worker-7")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(shown.dialogs), timeout=5000)
    logged = reporter.log_path.read_text(encoding="utf-8")
    assert "worker-7" in logged and "ValueError: thread failure 7" in logged


def test_qt_warnings_go_to_the_log_without_a_dialog(
    qtbot: QtBot, reporter: CrashReporter, shown: _Shown
) -> None:
    qWarning("a warning from Qt 99")
    logged = reporter.log_path.read_text(encoding="utf-8")
    assert "WARNING qt" in logged.replace("MainThread ", "") and "a warning from Qt 99" in logged
    assert shown.dialogs == []


def test_log_level_option_sets_the_level(tmp_path: Path) -> None:
    args = parse_args(["--log-level", "debug"])
    setup_logging(tmp_path, args.log_level)
    try:
        assert logging.getLogger().level == logging.DEBUG
        logging.getLogger("probe").debug("detail 5")
        assert "detail 5" in (tmp_path / "workbench.log").read_text(encoding="utf-8")
    finally:
        close_logging()
    assert parse_args([]).log_level == "INFO"


@pytest.mark.slow  # a subprocess start or a whole-app walk: see CONTRIBUTING
def test_the_app_writes_its_log_in_the_per_user_log_folder(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from services.setup.township import make_context, open_store, set_up_township

    ctx = make_context(open_store(tmp_path / "t.db"))
    set_up_township(ctx, "青山镇", "620123101000")
    ctx.store.dispose()
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state"),
           "PYTHON_KEYRING_BACKEND": MEMORY_KEYRING}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(tmp_path / "t.db"), "--log-level", "debug",
         "--screenshot", str(tmp_path / "shot.png"), "--view", "ledger"],
        capture_output=True, text=True, timeout=120, env=env,
        cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    log_file = tmp_path / "state" / "ZongzhiWorkbench" / "log" / "workbench.log"
    text = log_file.read_text(encoding="utf-8")
    assert "INFO MainThread desktop.app: start (demo=False, screenshot=True)" in text
    assert "DEBUG MainThread desktop.app: store opened and migrated in" in text  # --log-level
    assert "620123101000" not in text and "青山镇" not in text


def test_the_log_file_masks_id_numbers_and_mobile_phones(tmp_path: Path) -> None:
    """Issue 11 #2 (masked everywhere, logs included): a number that reaches a log line, an
    exception's text or a traceback is written 6+4 / 3+4, whoever logged it."""
    setup_logging(tmp_path)
    try:
        probe = logging.getLogger("probe")
        probe.warning("match failed for 620123199001010019 / 13812345678 (case %s, hlc %s, %s)",
                      "620123101000-2026-000001", "0001733380000000-0000-pc-1",
                      "199000001234 is no phone")  # fmt: skip
        try:
            raise ValueError("bad id 11010519491231002X, phone +86 139-1234-5678")
        except ValueError:
            probe.exception("refused")
        text = (tmp_path / "workbench.log").read_text(encoding="utf-8")
    finally:
        close_logging()
    assert "620123199001010019" not in text and "620123********0019" in text
    assert "13812345678" not in text and "138****5678" in text
    assert "11010519491231002X" not in text and "110105********002X" in text
    assert "139-1234-5678" not in text
    assert "620123101000-2026-000001" in text and "0001733380000000" in text
    assert "199000001234" in text  # twelve digits: not a mobile number
