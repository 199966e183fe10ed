"""查看完整号码: which party, which number, and why (the reason goes to the audit log)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from services.domain.dto import PartyView

FIELDS = (("id_number", "证件号码"), ("phone", "联系电话"))


class RevealDialog(QDialog):
    """Asks for the party, the field and a reason; ``choice()`` once accepted."""

    def __init__(self, parties: tuple[PartyView, ...], fields: tuple[str, ...],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("查看完整号码"))
        form = QFormLayout(self)
        self.party = QComboBox(self)
        for p in parties:
            self.party.addItem(p.person.name, p.person.id)
        self.field = QComboBox(self)
        labels = {"id_number": self.tr("证件号码"), "phone": self.tr("联系电话")}
        for code, _label in FIELDS:
            if code in fields:
                self.field.addItem(labels[code], code)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("例如：电话通知当事人到场"))
        self.hint = QLabel(self.tr("查看完整号码会连同理由记入审计日志。"), self)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #C62828;")
        form.addRow(self.tr("当事人"), self.party)
        form.addRow(self.tr("号码"), self.field)
        form.addRow(self.tr("查看理由(&R)"), self.reason)
        form.addRow(self.hint)
        form.addRow(self.error)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.reason.setFocus()

    def _on_ok(self) -> None:
        if not self.reason.text().strip():
            self.error.setText(self.tr("请填写查看理由"))
            self.reason.setFocus()
            return
        self.accept()

    def choice(self) -> tuple[str, str, str]:
        """(person id, field, reason)."""
        return (str(self.party.currentData()), str(self.field.currentData()),
                self.reason.text())  # fmt: skip
