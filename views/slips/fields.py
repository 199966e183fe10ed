"""Form widgets for a slip kind's fields (文书字段): values in, typed values out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from services.slips.dto import SlipField, SlipForm
from ui.dates import DateEdit

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
            edit.setTabChangesFocus(True)  # Tab and Ctrl+Tab move on, never type a tab
            return edit
        if field.input == "date":  # typed as 20261208, 12-08, 12月8日…; today unless given
            date = DateEdit(parent, allow_empty=not field.required,
                            empty_text=self.tr("如 20261208、12-08、12月8日"))  # fmt: skip
            day = _iso(value)
            if day is not None:
                date.set_date(day)
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
        if field.input == "units":  # 协办单位: several units from the organisation tree
            box = QFrame(parent)
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(0, 0, 0, 0)
            chosen = set(value.split(CHECKLIST_SEPARATOR))
            for data, text in self._form.units:
                check = QCheckBox(text, box)
                check.setProperty("unit_id", data)
                check.setChecked(data in chosen)
                box_layout.addWidget(check)
            return box
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


def _iso(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def read(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, DateEdit):
        day = widget.date()
        return day.isoformat() if day is not None else ""
    if isinstance(widget, QComboBox):
        return str(widget.currentData() or "")
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QLabel):
        return widget.text()
    checks = widget.findChildren(QCheckBox)
    return CHECKLIST_SEPARATOR.join(_choice_value(c) for c in checks if c.isChecked())


def _choice_value(check: QCheckBox) -> str:
    """A unit check box stands for its unit's id, a checklist box for its text."""
    unit_id = check.property("unit_id")
    return str(unit_id) if unit_id else check.text()


def write(widget: QWidget, value: str) -> None:
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)
    elif isinstance(widget, DateEdit):
        widget.set_date(_iso(value))
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(0, widget.findData(value)))
    elif isinstance(widget, QLineEdit):
        widget.setText(value)
    else:
        chosen = set(value.split(CHECKLIST_SEPARATOR))
        for check in widget.findChildren(QCheckBox):
            check.setChecked(_choice_value(check) in chosen)
