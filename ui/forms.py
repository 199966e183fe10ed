"""Keyboard-first form helpers: Enter moves on, inline error labels, function-fed completer."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QCompleter,
    QLabel,
    QLineEdit,
    QWidget,
)

ERROR_STYLE = "color: #C62828;"
INVALID_STYLE = "border: 1px solid #C62828;"


class EnterMovesFocus(QObject):
    """Event filter: Return/Enter in a line edit, combo or spin box moves to the next field.

    On the last field (``is_last``) it calls ``submit`` instead.

    Signals:
        submitted(): Enter was pressed on the last field.
    """

    submitted = Signal()

    def __init__(self, parent: QObject, last: Callable[[QWidget], bool]) -> None:
        super().__init__(parent)
        self._is_last = last

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return False
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False
        widget = watched if isinstance(watched, QWidget) else None
        if widget is None:
            return False
        view = widget.view() if isinstance(widget, QComboBox) else None
        if view is not None and view.isVisible():
            return False
        completer = widget.completer() if isinstance(widget, QLineEdit) else None
        popup = completer.popup() if completer is not None else None
        if popup is not None and popup.isVisible():
            return False
        if self._is_last(widget):
            self.submitted.emit()
        else:
            widget.focusNextChild()
        return True

    def watch(self, widgets: Sequence[QWidget]) -> None:
        for widget in widgets:
            if isinstance(widget, QLineEdit | QComboBox | QAbstractSpinBox):
                widget.installEventFilter(self)
                line = widget.lineEdit() if isinstance(widget, QComboBox) else None
                if line is not None:
                    line.installEventFilter(self)


class ErrorLabel(QLabel):
    """A red message under a field; empty and hidden when the field is fine."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_error(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setStyleSheet(INVALID_STYLE if invalid else "")
    widget.setProperty("invalid", invalid)


class FunctionCompleter(QCompleter):
    """A completer whose suggestions come from ``suggest(text)`` (e.g. pinyin search).

    Qt's own filtering is off: what ``suggest`` returns is what is shown.
    """

    def __init__(self, suggest: Callable[[str], list[str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._suggest = suggest
        self._model = QStringListModel(self)
        self.setModel(self._model)
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(12)

    def update_for(self, text: str) -> None:
        self._model.setStringList(self._suggest(text))
        if text.strip():
            self.complete()
