"""Widgets a test closed are destroyed before the next test (tests/qtcleanup.py)."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from tests.qtcleanup import delete_later_now


def test_a_widget_deleted_later_is_gone_once_delete_later_now_runs(qtbot: QtBot) -> None:
    widget = QWidget()
    child = QWidget(widget)
    widget.show()
    widget.close()
    widget.deleteLater()
    app = QApplication.instance()
    assert app is not None
    app.processEvents()  # what pytest-qt does after closing a test's widgets
    assert shiboken6.isValid(widget) and shiboken6.isValid(child)  # no event loop: still there
    kept = QWidget()  # nobody asked to delete this one
    delete_later_now()
    assert not shiboken6.isValid(widget) and not shiboken6.isValid(child)
    assert shiboken6.isValid(kept)
    kept.deleteLater()
