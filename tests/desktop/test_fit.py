"""Every window and dialog fits the smallest supported screen (1366×728, or 1920×1040 at 150%)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

import desktop
import views
from desktop import gallery
from desktop.main_window import MainWindow
from desktop.settings import Settings
from tests.desktop.shell import demo_window
from tests.sizes import sizes
from ui.screen_fit import MAX_MINIMUM, SMALLEST_SCREEN, fit_to_screen, restore_geometry


def _too_big(size: QSize) -> bool:
    return size.width() > MAX_MINIMUM.width() or size.height() > MAX_MINIMUM.height()


@pytest.fixture
def shell(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = demo_window(tmp_path)
    qtbot.add_widget(window)
    return window


def _all_dialog_classes() -> set[type]:
    import importlib
    import pkgutil

    for package in (desktop, views):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
    found: set[type] = set()
    todo = list(QDialog.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith(("desktop.", "views.")) and not cls.__name__.startswith("_"):
            found.add(cls)
    return found


def test_the_main_window_fits_on_every_screen(shell: MainWindow, qtbot: QtBot) -> None:
    """Min 1207×738 before: the save row and status bar were off a 1366×728 work area."""
    shell.show()
    for key, window in gallery.screens(shell):
        QApplication.processEvents()
        hint = window.minimumSizeHint().expandedTo(window.minimumSize())
        assert not _too_big(hint), (key, hint)


@pytest.mark.parametrize("every", sizes(False, True))
def test_every_dialog_fits_the_smallest_screen(
    shell: MainWindow, qtbot: QtBot, every: bool
) -> None:
    """签发文书 was fixed at 1100×760: 预览/签发/打印/关闭 off-screen at 150%. Quick: the
    gallery's representative dialogs (one per class); full (slow): every action and slip kind."""
    seen: set[type] = set()
    for name, dialog in gallery.dialogs(shell, every=every):
        dialog.show()
        QApplication.processEvents()
        hint = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
        assert not _too_big(hint), (name, hint)
        area = QApplication.primaryScreen().availableGeometry()
        assert dialog.height() <= area.height() and dialog.width() <= area.width(), name
        seen.add(type(dialog))
        gallery.close(dialog)
    missing = {c.__name__ for c in _all_dialog_classes() - seen}
    assert not missing, f"dialogs missing from desktop/gallery.py: {missing}"


def test_a_dialog_larger_than_the_screen_is_shrunk_when_shown(qtbot: QtBot) -> None:
    dialog = QDialog()
    qtbot.add_widget(dialog)
    dialog.resize(3000, 2000)
    fit_to_screen(dialog)
    area = QApplication.primaryScreen().availableGeometry()
    assert dialog.width() <= area.width() and dialog.height() <= area.height()


def test_geometry_from_a_bigger_monitor_is_not_restored(qtbot: QtBot) -> None:
    big = MainWindow(Settings(), None)
    qtbot.add_widget(big)
    area = QApplication.primaryScreen().availableGeometry()
    big.setGeometry(0, 0, area.width() + 600, area.height() + 400)
    saved = QByteArray(big.saveGeometry())
    window = MainWindow(Settings(), None)
    qtbot.add_widget(window)
    assert not restore_geometry(window, saved)
    assert window.height() <= area.height() and window.width() <= area.width()
    small = MainWindow(Settings(), None)
    qtbot.add_widget(small)
    small.setGeometry(10, 40, 700, 500)
    window2 = MainWindow(Settings(), None)
    qtbot.add_widget(window2)
    assert restore_geometry(window2, QByteArray(small.saveGeometry()))
    assert (window2.width(), window2.height()) == (700, 500)


def test_the_screenshot_mode_saves_every_screen_and_dialog(shell: MainWindow,
                                                          tmp_path: Path) -> None:  # fmt: skip
    saved = gallery.save_all(shell, tmp_path / "shots")
    names = {p.name for p in saved}
    assert {"screen-reception.png", "screen-settings.png", "dialog-slip-supervision.png",
            "dialog-booking.png", "dialog-shortcuts.png"} <= names  # fmt: skip
    assert all(p.stat().st_size > 1000 for p in saved)


def test_screenshot_screens_are_simulated_at_their_scaling(tmp_path: Path) -> None:
    from desktop.screenshots import SCREENS, environment

    width, height, scale = SCREENS["1920x1040-150"]
    env = environment(width, height, scale, tmp_path)
    assert env["QT_SCALE_FACTOR"] == "1.5"
    assert env["QT_QPA_PLATFORM"].startswith("offscreen:configfile=")
    assert (width / scale, round(height / scale)) == (1280, SMALLEST_SCREEN.height())


def test_the_reminders_fit_the_rooms_side_pane_at_1366(shell: MainWindow, qtbot: QtBot) -> None:
    """提醒 scrolled sideways at 1366 px and wrote its weekday in Chinese ("12-07周一")."""
    from PySide6.QtCore import QDate, QLocale

    shell.show()
    shell.setGeometry(0, 0, 1366, 728)
    shell.show_screen("rooms")
    QApplication.processEvents()
    view = shell.rooms_view
    assert view is not None
    table, model = view.reminder_table, view.reminder_model
    assert model.rowCount() > 0  # the demo books sessions for the next working days
    header = table.horizontalHeader()
    shown = [c for c in range(model.columnCount()) if not table.isColumnHidden(c)]
    assert sum(header.sectionSize(c) for c in shown) <= table.viewport().width()
    assert table.horizontalScrollBar().maximum() == 0
    for c in shown:  # every shown cell whole: two lines a row are room enough
        for r in range(model.rowCount()):
            lines = str(model.index(r, c).data() or "").split("\n")
            width = max(table.fontMetrics().horizontalAdvance(line) for line in lines)
            assert width <= header.sectionSize(c) and len(lines) <= 2, (c, lines)
    booking, _party = model.rows[0]
    day = QDate(booking.start.year, booking.start.month, booking.start.day)
    assert (
        model.index(0, 0)
        .data()
        .startswith(QLocale().toString(day, "MM-dd ddd").replace(" ", "\u00a0"))
    )
    assert model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole).endswith(booking.title)
