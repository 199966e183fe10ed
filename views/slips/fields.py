"""Form widgets for a slip kind's fields (文书字段): values in, typed values out."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtCore import QDate, QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from services.slips.dto import SlipField, SlipForm

CHECKLIST_SEPARATOR = "\n"  # what services.slips.facts expects between checked options
INVALID_STYLE = "border: 1px solid #C8161D;"


class FieldEditor(QObject):
    """Builds one row per field in a QFormLayout and reads the typed values back.

    Case values are shown read-only; required fields carry a red asterisk.
    """

    def __init__(self, form: SlipForm, layout: QFormLayout, parent: QWidget) -> None:
        super().__init__(parent)
        self._form, self._parent = form, parent
        self.widgets: dict[str, QWidget] = {}
        for field in form.kind.fields:
            widget = self._widget(field, form.values.get(field.name, ""))
            widget.setObjectName(f"field_{field.name}")
            self.widgets[field.name] = widget
            layout.addRow(self._label(field), widget)

    def _label(self, field: SlipField) -> QLabel:
        text = field.label
        if field.required:
            text = f'{text}<span style="color:#C8161D">*</span>'
        label = QLabel(text, self._parent)
        label.setToolTip(self.tr("必填") if field.required else "")
        return label

    def _widget(self, field: SlipField, value: str) -> QWidget:
        parent = self._parent
        if not field.is_input:
            shown = QLabel(value or self.tr("（案件中暂无此项）"), parent)
            shown.setWordWrap(True)
            if not value and field.required:
                shown.setStyleSheet("color:#C8161D")
            return shown
        if field.input == "multiline":
            edit = QPlainTextEdit(parent)
            edit.setPlainText(value)
            edit.setFixedHeight(72)
            return edit
        if field.input == "date":
            date = QDateEdit(parent)
            date.setCalendarPopup(True)
            date.setDisplayFormat("yyyy-MM-dd")
            date.setMinimumDate(QDate(2000, 1, 1))
            date.setSpecialValueText(self.tr("请选择日期"))  # the minimum stands for "not set"
            date.setDate(QDate.fromString(value, "yyyy-MM-dd") if value else date.minimumDate())
            return date
        if field.input in ("unit", "choice"):
            combo = QComboBox(parent)
            combo.addItem(self.tr("请选择…"), "")
            options: Iterable[tuple[str, str]] = (
                self._form.units if field.input == "unit" else ((o, o) for o in field.options)
            )
            for data, text in options:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(value)))
            return combo
        if field.input == "checklist":
            box = QFrame(parent)  # a frame, so an error border can be drawn around the group
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            chosen = set(value.split(CHECKLIST_SEPARATOR))
            for option in field.options:
                check = QCheckBox(option, box)
                check.setChecked(option in chosen)
                box_layout.addWidget(check)
            return box
        edit_line = QLineEdit(parent)
        edit_line.setText(value)
        edit_line.setMaxLength(field.max_len)
        return edit_line

    def values(self) -> dict[str, str]:
        """What the user typed, as the slip service expects it (dates ISO, units by id)."""
        out: dict[str, str] = {}
        for field in self._form.kind.fields:
            if field.is_input:
                out[field.name] = read(self.widgets[field.name])
        return out

    def mark_invalid(self, names: Iterable[str]) -> None:
        bad = set(names)
        for name, widget in self.widgets.items():
            # an id selector, so the border does not spread to a group's check boxes
            rule = f"#{widget.objectName()} {{ {INVALID_STYLE} }}"
            widget.setStyleSheet(rule if name in bad else "")

    def set_values(self, values: Mapping[str, str]) -> None:
        """Fill typed fields (tests and re-opening a draft)."""
        for name, value in values.items():
            widget = self.widgets.get(name)
            if widget is not None:
                write(widget, value)


def read(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QDateEdit):
        if widget.date() == widget.minimumDate():
            return ""
        return str(widget.date().toString("yyyy-MM-dd"))
    if isinstance(widget, QComboBox):
        return str(widget.currentData() or "")
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QLabel):
        return widget.text()
    checks = widget.findChildren(QCheckBox)
    return CHECKLIST_SEPARATOR.join(c.text() for c in checks if c.isChecked())


def write(widget: QWidget, value: str) -> None:
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)
    elif isinstance(widget, QDateEdit):
        widget.setDate(QDate.fromString(value, "yyyy-MM-dd") if value else widget.minimumDate())
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(0, widget.findData(value)))
    elif isinstance(widget, QLineEdit):
        widget.setText(value)
    else:
        chosen = set(value.split(CHECKLIST_SEPARATOR))
        for check in widget.findChildren(QCheckBox):
            check.setChecked(check.text() in chosen)
