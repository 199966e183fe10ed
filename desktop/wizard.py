"""First-run wizard (初始设置): this PC's township and its first administrator."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from services.domain.errors import ValidationError
from services.domain.identity import validate_township_code
from ui.forms import ErrorLabel, mark_invalid
from views.messages import error_text


class FirstRunWizard(QDialog):
    """Asks for the township (name, 12-digit code) and the first administrator."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("初始设置"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("首次使用，请填写本乡镇（街道）信息和管理员账号。"), self))
        form = QFormLayout()
        self.name = QLineEdit(self)
        self.code = QLineEdit(self)
        self.code.setPlaceholderText(self.tr("12位统计用区划代码，如 620123101000"))
        self.code.setMaxLength(12)
        self.admin = QLineEdit(self)
        self.admin.setText("admin")
        self.admin_name = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors: dict[str, ErrorLabel] = {}
        for key, label, widget in (("name", self.tr("乡镇（街道）名称"), self.name),
                                   ("code", self.tr("区划代码"), self.code),
                                   ("admin", self.tr("管理员用户名"), self.admin),
                                   ("admin_name", self.tr("管理员姓名"), self.admin_name),
                                   ("password", self.tr("密码（至少8位，含字母和数字）"),
                                    self.password)):  # fmt: skip
            holder = QWidget(self)
            box = QVBoxLayout(holder)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(widget)
            self.errors[key] = ErrorLabel(holder)
            box.addWidget(self.errors[key])
            form.addRow(label, holder)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fail(self, key: str, message: str) -> None:
        self.errors[key].show_error(message)
        widget = {"name": self.name, "code": self.code, "admin": self.admin,
                  "admin_name": self.admin_name, "password": self.password}[key]  # fmt: skip
        mark_invalid(widget, True)

    def _on_accepted(self) -> None:
        ok = True
        for label in self.errors.values():
            label.show_error("")
        for w in (self.name, self.code, self.admin, self.admin_name, self.password):
            mark_invalid(w, False)
        if not self.name.text().strip():
            self._fail("name", self.tr("请填写乡镇（街道）名称"))
            ok = False
        try:
            validate_township_code(self.code.text())
        except ValidationError as exc:
            self._fail("code", error_text(exc))
            ok = False
        if not self.admin.text().strip():
            self._fail("admin", self.tr("请填写管理员用户名"))
            ok = False
        if not self.admin_name.text().strip():
            self._fail("admin_name", self.tr("请填写管理员姓名"))
            ok = False
        password = self.password.text()
        if len(password) < 8 or password.isdigit() or password.isalpha():
            self._fail("password", self.tr("密码至少8位，须同时包含字母和数字"))
            ok = False
        if ok:
            self.accept()
