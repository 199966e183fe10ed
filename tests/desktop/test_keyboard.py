"""Keyboard everywhere: Tab reaches every control of every screen; the menu bar has every action."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from desktop import gallery
from desktop.main_window import SCREENS, MainWindow
from desktop.menus import ENTRIES, MENUS, find_button
from tests.desktop.shell import demo_window
from tests.sizes import sizes


@pytest.fixture
def shell(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = demo_window(tmp_path)
    qtbot.add_widget(window)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    return window


@pytest.fixture(scope="module")
def one_window(
    qapp: QApplication, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MainWindow]:
    """One window for the module's tests that only look at it or move the focus (Tab walks,
    menus, tooltips): each demo window took ~3 s to set up."""
    window = demo_window(tmp_path_factory.mktemp("keyboard"))
    window.show()
    yield window
    window.close()
    window.deleteLater()


@pytest.fixture
def looked_at(one_window: MainWindow, qtbot: QtBot) -> MainWindow:
    """The shared window, active and on its first screen as a new one opens."""
    one_window.show_screen(SCREENS[0][0])
    one_window.activateWindow()
    qtbot.waitActive(one_window)
    return one_window


def _resolve(widget: QWidget | None) -> QWidget | None:
    while widget is not None and widget.focusProxy() is not None:
        widget = widget.focusProxy()
    return widget


def _controls(root: QWidget) -> set[QWidget]:
    found = set()
    for w in root.findChildren(QWidget):
        if (w.focusPolicy() & Qt.FocusPolicy.TabFocus and w.isVisible() and w.isEnabled()
                and w.window() is root.window()):  # fmt: skip
            resolved = _resolve(w)
            if resolved is not None and resolved.isVisible() and resolved.isEnabled():
                found.add(resolved)
    return found


def _walk(qtbot: QtBot, start: QWidget, presses: int) -> set[QWidget]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen: set[QWidget] = set()
    for _ in range(presses):
        current = QApplication.focusWidget()
        assert current is not None
        seen.add(_resolve(current))  # type: ignore[arg-type]
        qtbot.keyClick(current, Qt.Key.Key_Tab)
    return seen


def _names(widgets: set[QWidget]) -> list[str]:
    return sorted(f"{type(w).__name__}:{w.objectName() or getattr(w, 'text', lambda: '')()}"
                  for w in widgets)  # fmt: skip


def test_tab_reaches_every_control_of_every_screen(looked_at: MainWindow, qtbot: QtBot) -> None:
    """The ledger's 登记日期 filter kept Tab: the table was reachable only by Shift+Tab ×7."""
    for key, _window in gallery.screens(looked_at):
        QApplication.processEvents()
        page = looked_at.pages[looked_at.current_screen()]
        controls = _controls(page)
        seen = _walk(qtbot, looked_at.nav, 3 * len(controls) + 40)
        missing = controls - seen
        assert not missing, (key, _names(missing))


def test_tab_reaches_every_control_of_the_dialogs(looked_at: MainWindow, qtbot: QtBot) -> None:
    for name, dialog in gallery.dialogs(looked_at):
        dialog.show()
        dialog.activateWindow()
        qtbot.waitActive(dialog)
        QApplication.processEvents()
        controls = _controls(dialog)
        first = next(iter(controls))
        seen = _walk(qtbot, first, 2 * len(controls) + 8)
        assert not controls - seen, (name, _names(controls - seen))
        gallery.close(dialog)


@pytest.mark.parametrize("every", sizes(False, True))
def test_multi_line_fields_of_a_slip_form_pass_tab_on(
    shell: MainWindow, qtbot: QtBot, every: bool
) -> None:
    """Tab and Ctrl+Tab went into the 督办单's text boxes as characters. Quick: the gallery's
    representative dialogs; full (slow): every action and slip kind."""
    for name, dialog in gallery.dialogs(shell, every=every):
        for edit in dialog.findChildren(QPlainTextEdit):
            if not edit.isVisibleTo(dialog) or edit.isReadOnly():
                continue
            dialog.show()
            dialog.activateWindow()
            qtbot.waitActive(dialog)
            for modifiers in (Qt.KeyboardModifier.NoModifier,
                              Qt.KeyboardModifier.ControlModifier):  # fmt: skip
                edit.setFocus()
                qtbot.keyClick(edit, Qt.Key.Key_Tab, modifiers)
                assert "\t" not in edit.toPlainText(), name
                assert not edit.hasFocus(), name
        gallery.close(dialog)


def test_every_menu_is_there_and_alt_digits_are_shown(looked_at: MainWindow) -> None:
    titles = [a.text().split("(")[0] for a in looked_at.menuBar().actions()]
    assert titles == list(MENUS)
    view = looked_at.menu.menus["视图"]
    shown = {a.text(): a.shortcut().toString() for a in view.actions() if a.text()}
    for i, (_key, name) in enumerate(SCREENS):
        assert shown[name] == f"Alt+{i + 1}"
    assert looked_at.nav.item(0).toolTip().endswith("（Alt+1）")


def test_each_menu_entry_reaches_a_real_button_or_command(looked_at: MainWindow) -> None:
    for entry in ENTRIES:
        if entry.button:
            assert find_button(looked_at.pages[entry.screen], entry.button) is not None, entry
        else:
            assert looked_at._command(entry.command) is not None, entry


def test_menu_shortcuts_work_outside_reception(shell: MainWindow, qtbot: QtBot) -> None:
    shell.show_screen("settings")
    qtbot.keyClick(shell, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert shell.current_screen() == "ledger"
    assert QApplication.focusWidget() is shell.ledger.search
    qtbot.keyClick(shell.ledger.search, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert shell.current_screen() == "case"


def test_f1_lists_every_shortcut(shell: MainWindow, qtbot: QtBot) -> None:
    qtbot.keyClick(shell, Qt.Key.Key_F1)
    dialog = QApplication.activeModalWidget() or shell.findChildren(QWidget, "")[-1]
    from desktop.menus import ShortcutsDialog

    dialogs = [d for d in shell.findChildren(ShortcutsDialog) if d.isVisible()]
    assert dialogs, dialog
    table = dialogs[0].table
    cells = [table.item(r, 2) for r in range(table.rowCount())]
    keys = {cell.text() for cell in cells if cell is not None}
    assert {"Alt+1", "Alt+8", "Ctrl+S", "Ctrl+P", "F1", "Ctrl+F", "Ctrl+I"} <= keys


def test_shortcuts_are_in_the_buttons_tooltips(looked_at: MainWindow) -> None:
    assert "Ctrl+I" in looked_at.case_file.slip_button.toolTip()
    assert "Ctrl+E" in looked_at.ledger.export_button.toolTip()
