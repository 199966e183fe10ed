"""The shell opens on a fresh store and names every screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QListWidget, QStackedWidget
from pytestqt.qtbot import QtBot

from desktop.main_window import SCREENS, MainWindow
from services.setup import make_context, open_store, set_up_township


def test_main_window_lists_screens_and_township(qtbot: QtBot, tmp_path: Path) -> None:
    ctx = make_context(open_store(tmp_path / "t.db"))
    set_up_township(ctx, "青山镇", "620123101000")
    window = MainWindow(ctx)
    qtbot.add_widget(window)
    nav = window.findChild(QListWidget)
    stack = window.findChild(QStackedWidget)
    assert nav is not None and stack is not None
    assert [nav.item(i).text() for i in range(nav.count())] == list(SCREENS)
    nav.setCurrentRow(2)
    page = stack.currentWidget()
    assert isinstance(page, QLabel) and "调解室" in page.text()
    assert "620123101000" in window.statusBar().currentMessage()
