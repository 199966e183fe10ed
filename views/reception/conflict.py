"""The dialog shown when a typed ID number belongs to someone of another name (证件号码与姓名不符).

Both people side by side (the registered name and the typed one, the ID number masked); the clerk
corrects the number (修改号码) or, when the person changed their name, confirms it with a reason
(确认更名), which the service records on the person.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.domain.dto import IdentityConflict
from ui.i18n import message

FIX = "fix"
RENAME = "rename"


class IdentityConflictDialog(QDialog):
    """Shows one :class:`IdentityConflict`; after ``exec()``, ``choice`` is ``FIX``, ``RENAME``
    (with ``reason``) or ``None`` (cancelled)."""

    def __init__(self, conflict: IdentityConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.choice: str | None = None
        self.reason = ""
        self._setup_ui()
        self._connect_signals()
        self._update_buttons()

    def _setup_ui(self) -> None:
        c = self.conflict
        self.setWindowTitle(self.tr("证件号码与登记人员不符"))
        layout = QVBoxLayout(self)
        self.message = QLabel(message(c.message), self)
        self.message.setWordWrap(True)
        self.message.setMinimumWidth(420)
        layout.addWidget(self.message)
        facts = QFormLayout()
        self.stored = QLabel(c.stored_name, self)
        self.typed = QLabel(c.typed_name, self)
        self.number = QLabel(c.id_number_masked or self.tr("（未填写）"), self)
        for label in (self.stored, self.typed):
            label.setStyleSheet("font-size: 14pt; font-weight: bold;")
        facts.addRow(self.tr("已登记姓名："), self.stored)
        facts.addRow(self.tr("本次填写姓名："), self.typed)
        facts.addRow(self.tr("证件号码："), self.number)
        layout.addLayout(facts)
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setPlaceholderText(self.tr("更名原因，如：已在派出所办理姓名变更"))
        self.reason_edit.setMaxLength(200)
        self.reason_caption = QLabel(self.tr("确认更名须填写原因："), self)
        layout.addWidget(self.reason_caption)
        layout.addWidget(self.reason_edit)
        if not c.can_rename:
            self.reason_caption.hide()
            self.reason_edit.hide()
        buttons = QHBoxLayout()
        self.fix_button = QPushButton(self.tr("修改号码"), self)
        self.rename_button = QPushButton(self.tr("确认更名"), self)
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.rename_button.setVisible(c.can_rename)
        self.fix_button.setDefault(True)
        buttons.addStretch(1)
        for button in (self.fix_button, self.rename_button, self.cancel_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        self.fix_button.clicked.connect(self._on_fix_clicked)
        self.rename_button.clicked.connect(self._on_rename_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.reason_edit.textChanged.connect(self._update_buttons)

    def _update_buttons(self) -> None:
        self.rename_button.setEnabled(bool(self.reason_edit.text().strip()))

    def _on_fix_clicked(self) -> None:
        self.choice = FIX
        self.accept()

    def _on_rename_clicked(self) -> None:
        reason = self.reason_edit.text().strip()
        if not reason:
            self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.choice, self.reason = RENAME, reason
        self.accept()
