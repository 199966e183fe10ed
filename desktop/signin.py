"""Sign-in, change-password and lock dialogs (登录、修改密码、锁屏); keyboard-first, in Chinese.

Enter moves from the user name to the password and signs in from the password; Esc cancels.
The services check the password (argon2id, lockout); these dialogs only ask and show the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from services.domain.errors import ServiceError
from ui.forms import ErrorLabel
from ui.tasks import TaskRunner
from views.messages import error_text


class AuthApi(Protocol):
    def sign_in(self, username: str, password: str) -> Any: ...

    def change_password(self, old: str, new: str) -> None: ...


class _EnterHandledDialog(QDialog):
    """The line edits act on Enter themselves; the dialog must not also press a button."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)


def _password_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(128)
    return field


class SignInDialog(_EnterHandledDialog):
    """登录: user name and password; a demo database lists its users and password.

    Signals:
        signed_in(object): the :class:`services.domain.access.Principal` that signed in.
    """

    signed_in = Signal(object)

    def __init__(self, auth: AuthApi, runner: TaskRunner, *, username: str = "",
                 demo_accounts: Sequence[tuple[str, str]] = (), demo_password: str = "",
                 title: str = "", parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._auth, self._runner = auth, runner
        self.principal: Any = None
        self._setup_ui(username, demo_accounts, demo_password, title)
        self._connect_signals()

    def _setup_ui(self, username: str, demo: Sequence[tuple[str, str]], password: str,
                  title: str) -> None:  # fmt: skip
        self.setWindowTitle(title or self.tr("登录 — 综治中心工作台"))
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("请输入用户名和密码"), self)
        heading.setStyleSheet("font-size: 14pt;")
        layout.addWidget(heading)
        form = QFormLayout()
        self.username = QLineEdit(self)
        self.username.setMaxLength(50)
        self.username.setText(username)
        self.password = _password_field(self)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("密码"), self.password)
        layout.addLayout(form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.demo_note = QLabel(self)
        self.demo_note.setWordWrap(True)
        self.demo_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if demo:
            users = "、".join(f"{name}（{login}）" for login, name in demo)
            self.demo_note.setText(self.tr("演示数据：用户 %1，密码均为 %2")
                                   .replace("%1", users).replace("%2", password))  # fmt: skip
        self.demo_note.setVisible(bool(demo))
        layout.addWidget(self.demo_note)
        self.buttons = QDialogButtonBox(self)
        self.ok = self.buttons.addButton(self.tr("登录"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setDefault(False)
        self.ok.setAutoDefault(False)
        layout.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def _connect_signals(self) -> None:
        self.username.returnPressed.connect(self._on_username_return_pressed)
        self.password.returnPressed.connect(self.submit)
        self.ok.clicked.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def _on_username_return_pressed(self) -> None:
        self.password.setFocus()

    def submit(self) -> None:
        name, password = self.username.text().strip(), self.password.text()
        if not name:
            self.error.show_error(self.tr("请填写用户名"))
            self.username.setFocus()
            return
        if not password:
            self.error.show_error(self.tr("请填写密码"))
            self.password.setFocus()
            return
        self.ok.setEnabled(False)
        self._runner.run(lambda: self._auth.sign_in(name, password), self._on_done,
                         self._on_failed)  # fmt: skip

    def _on_done(self, principal: Any) -> None:
        self.principal = principal
        self.signed_in.emit(principal)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.ok.setEnabled(True)
        self.password.clear()
        self.password.setFocus()
        message = error_text(exc) if isinstance(exc, ServiceError) else self.tr("登录失败，请重试")
        self.error.show_error(message)


class ChangePasswordDialog(_EnterHandledDialog):
    """修改密码: the old password, the new one twice."""

    def __init__(self, auth: AuthApi, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auth, self._runner = auth, runner
        self.setWindowTitle(self.tr("修改密码"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.old, self.new, self.again = (_password_field(self) for _ in range(3))
        form.addRow(self.tr("原密码"), self.old)
        form.addRow(self.tr("新密码（至少8位，含字母和数字）"), self.new)
        form.addRow(self.tr("再次输入新密码"), self.again)
        layout.addLayout(form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.old.returnPressed.connect(self.new.setFocus)
        self.new.returnPressed.connect(self.again.setFocus)
        self.again.returnPressed.connect(self.submit)

    def submit(self) -> None:
        if self.new.text() != self.again.text():
            self.error.show_error(self.tr("两次输入的新密码不一致"))
            self.again.clear()
            self.again.setFocus()
            return
        old, new = self.old.text(), self.new.text()
        self._runner.run(lambda: self._auth.change_password(old, new), lambda _r: self.accept(),
                         self._on_failed)  # fmt: skip

    def _on_failed(self, exc: BaseException) -> None:
        self.error.show_error(error_text(exc) if isinstance(exc, ServiceError) else repr(exc))


class LockDialog(_EnterHandledDialog):
    """屏幕已锁定: covers the window after idle minutes; the window's input stays as it was.

    Only the signed-in user's password unlocks (or 切换用户, which signs someone else in).
    """

    def __init__(
        self, display_name: str, check: Callable[[str], bool], runner: TaskRunner,
        switch_user: Callable[[], bool], parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._check, self._runner, self._switch = check, runner, switch_user
        self.setWindowTitle(self.tr("屏幕已锁定"))
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        note = QLabel(self.tr("%1 离开时屏幕已锁定，未保存的内容仍在。请输入密码解锁。")
                      .replace("%1", display_name), self)  # fmt: skip
        note.setWordWrap(True)
        layout.addWidget(note)
        self.password = _password_field(self)
        layout.addWidget(self.password)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        row = QDialogButtonBox(self)
        self.unlock = QPushButton(self.tr("解锁"), self)
        self.switch = QPushButton(self.tr("切换用户"), self)
        row.addButton(self.unlock, QDialogButtonBox.ButtonRole.AcceptRole)
        row.addButton(self.switch, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(row)
        self.password.returnPressed.connect(self.submit)
        self.unlock.clicked.connect(self.submit)
        self.switch.clicked.connect(self._on_switch_clicked)
        self.password.setFocus()

    def reject(self) -> None:  # Esc does not unlock
        return

    def submit(self) -> None:
        password = self.password.text()
        self.password.clear()
        self._runner.run(lambda: self._check(password), self._on_checked, self._on_failed)

    def _on_checked(self, ok: bool) -> None:
        if ok:
            self.accept()
        else:
            self.error.show_error(self.tr("密码不正确（连续输错将锁定账号）"))

    def _on_failed(self, exc: BaseException) -> None:
        self.error.show_error(error_text(exc) if isinstance(exc, ServiceError) else repr(exc))

    def _on_switch_clicked(self) -> None:
        if self._switch():
            self.accept()
