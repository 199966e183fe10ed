"""Widgets a test closed are destroyed before the next test (tests/conftest.py).

pytest-qt closes the widgets a test gave ``qtbot.add_widget`` and calls ``deleteLater()`` on
them, then ``processEvents()``; but Qt runs a deferred delete only from an event loop, and
between tests none runs, so every window stayed alive for the rest of the worker's session
(after the 15 tests of test_input_kept and test_main_window: 19 windows, 383 top-level widgets,
9,723 widgets), each main window's idle watcher filtering every event of every later test.
"""

from __future__ import annotations


def delete_later_now() -> None:
    """Run the deletions ``deleteLater()`` asked for, as an event loop would."""
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
