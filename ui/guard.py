"""Input is never thrown away silently: snapshot a form's fields and ask before discarding edits."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def _value(widget: QWidget) -> object:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText() if widget.isEditable() else "")
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    return None


def snapshot(root: QWidget) -> dict[int, object]:
    """What every input under ``root`` holds now, keyed by widget identity."""
    values: dict[int, object] = {}
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLineEdit) and isinstance(
            widget.parent(), QAbstractSpinBox | QComboBox
        ):
            continue  # the spin box or combo stands for its own line edit
        value = _value(widget)
        if value is not None:
            values[id(widget)] = value
    return values


class EditGuard:
    """Remembers a form as it was; ``confirm_discard`` asks before its edits are dropped.

    Args:
        root: the widget holding the form's inputs.
        ask: the question shown (tests replace it); returns True to discard.
    """

    def __init__(self, root: QWidget,
                 ask: Callable[[QWidget, str], bool] | None = None) -> None:  # fmt: skip
        self._root = root
        self._ask = ask or ask_discard
        self._clean = snapshot(root)

    def mark_clean(self) -> None:
        """The form as it is now counts as unchanged (after loading or saving)."""
        self._clean = snapshot(self._root)

    def is_dirty(self) -> bool:
        now = snapshot(self._root)
        return any(now.get(key) != value for key, value in self._clean.items()) or any(
            key not in self._clean and value not in ("", False, (0, ""))
            for key, value in now.items()
        )

    def confirm_discard(self, text: str = "") -> bool:
        """True when nothing was typed or the user agrees to throw the edits away."""
        if not self.is_dirty():
            return True
        question = text or QCoreApplication.translate("guard", "已填写的内容尚未保存，确定放弃吗？")
        return self._ask(self._root, question)


def ask_discard(parent: QWidget, text: str) -> bool:
    box = QMessageBox(
        QMessageBox.Icon.Question,
        QCoreApplication.translate("guard", "放弃未保存的内容"),
        text,
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    keep = box.addButton(
        QCoreApplication.translate("guard", "继续填写"), QMessageBox.ButtonRole.RejectRole
    )
    drop = box.addButton(
        QCoreApplication.translate("guard", "放弃"), QMessageBox.ButtonRole.DestructiveRole
    )
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is drop
