"""Background failures are logged and told to the user, never swallowed (STYLE rule 40)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow
from desktop.settings import Settings, load_settings
from services.api import Workbench
from services.setup.township import make_context, open_store, set_up_township
from ui.tasks import ImmediateTaskRunner


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> tuple[MainWindow, Workbench]:
    ctx = make_context(open_store(tmp_path / "t.db"))
    set_up_township(ctx, "青山镇", "620123101000")
    services = Workbench(ctx)
    win = MainWindow.build(services, ImmediateTaskRunner(), Settings())
    qtbot.add_widget(win)
    return win, services


def _fail() -> dict[str, int]:
    raise OSError("disk I/O error")


def test_a_failed_overdue_scan_is_logged_and_shown_in_the_status_bar(
    window: tuple[MainWindow, Workbench],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    win, services = window
    monkeypatch.setattr(win.jobs, "_scan", _fail)
    win.jobs.run_scan()
    record = next(r for r in caplog.records if "overdue scan failed" in r.getMessage())
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert "逾期检查失败" in win.statusBar().currentMessage()


def test_a_failed_status_refresh_is_logged_and_shown(
    window: tuple[MainWindow, Workbench],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    win, services = window
    monkeypatch.setattr(services, "status", _fail)
    win.refresh_status()
    assert any("status bar" in r.getMessage() and r.exc_info for r in caplog.records)
    assert "详情见日志" in win.fresh_label.text()


def test_settings_that_cannot_be_moved_aside_are_logged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")

    def refuse(self: Path, target: Path) -> Path:
        raise PermissionError("read-only folder")

    monkeypatch.setattr(Path, "replace", refuse)
    loaded = load_settings(path)
    assert loaded.settings == Settings() and loaded.notice
    assert any("could not move" in r.getMessage() and r.exc_info for r in caplog.records)
