"""One keyboard rule for every screen: Tab and Shift+Tab always move between controls.

Multi-line text boxes would take Tab (and Ctrl+Tab) as characters and tables would move between
cells, trapping a keyboard user; arrows still move inside them. Applied to every widget as Qt
polishes it, so forms built later (a slip kind's fields) follow it too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QPlainTextEdit, QTextEdit, QWidget

TAB_KEYS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)


def apply(widget: QWidget) -> None:
    """Make ``widget`` give Tab back to focus navigation."""
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        widget.setTabChangesFocus(True)
    elif isinstance(widget, QAbstractItemView):
        widget.setTabKeyNavigation(False)


class TabMovesFocus(QObject):
    """Application event filter applying :func:`apply` and sending Ctrl+Tab on as Tab."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(watched, QWidget):
            apply(watched)
        elif (kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
              and event.key() in TAB_KEYS
              and isinstance(watched, QPlainTextEdit | QTextEdit)):  # fmt: skip
            apply(watched)
            if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                backwards = event.key() == Qt.Key.Key_Backtab or bool(
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                )
                move_focus(watched, forward=not backwards)
                return True
        return False


def _takes_tab(widget: QWidget) -> bool:
    return (bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isVisible()
            and widget.isEnabled() and widget.focusProxy() is None)  # fmt: skip


def move_focus(widget: QWidget, *, forward: bool = True) -> QWidget | None:
    """Focus the next (or previous) control in the window's Tab order; returns it."""
    window = widget.window()
    step = QWidget.nextInFocusChain if forward else QWidget.previousInFocusChain
    target = step(widget)
    while target is not None and target is not widget:
        if target.window() is window and _takes_tab(target):
            reason = Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason
            target.setFocus(reason)
            return target
        target = step(target)
    return None


def install(app: QObject) -> TabMovesFocus:
    """Apply the rule to every widget of the application from now on."""
    rule = TabMovesFocus(app)
    app.installEventFilter(rule)
    return rule
