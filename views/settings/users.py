"""User management (用户管理) for administrators, and the idle screen-lock minutes.

The services refuse anyone without ``users.manage``; the panel then says so instead of its table.
"""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Signal,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.forms import ErrorLabel
from ui.i18n import QT_TRANSLATE_NOOP, vocab
from ui.rows_model import RowsModel
from ui.tasks import TaskRunner
from views.messages import error_text

Index = QModelIndex | QPersistentModelIndex


def refusal_text(exc: BaseException) -> str:
    """A service's refusal in the interface language (see :func:`views.messages.error_text`)."""
    return error_text(exc)


class UsersApi(Protocol):
    """``services.auth.service.AuthService`` as the panel uses it."""

    def users(self) -> tuple[Any, ...]: ...

    def role_choices(self) -> tuple[tuple[str, str], ...]: ...

    def add_user(self, username: str, display_name: str, role: str, password: str) -> Any: ...

    def update_user(self, user_id: str, *, display_name: str, role: str, active: bool) -> Any: ...

    def reset_password(self, user_id: str, password: str) -> None: ...

    def unlock(self, user_id: str) -> None: ...


class LockApi(Protocol):
    def lock_minutes(self) -> int: ...

    def set_lock_minutes(self, minutes: int) -> None: ...


class UsersModel(RowsModel):
    """Rows of ``UserRow``: 用户名、姓名、角色、状态."""

    HEADERS = (
        QT_TRANSLATE_NOOP("UsersModel", "用户名"),
        QT_TRANSLATE_NOOP("UsersModel", "姓名"),
        QT_TRANSLATE_NOOP("UsersModel", "角色"),
        QT_TRANSLATE_NOOP("UsersModel", "状态"),
    )

    def cell(self, row: Any, column: int) -> str:
        if column == 3:
            if not row.active:
                return self.tr("已停用")
            if row.locked:
                return self.tr("已锁定")
            return self.tr("正常") if row.has_password else self.tr("本机未设密码")
        return str((row.username, row.display_name, vocab(row.role_label))[column])


class UserDialog(QDialog):
    """新增用户 / 修改用户."""

    def __init__(self, roles: tuple[tuple[str, str], ...], user: Any = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("修改用户") if user else self.tr("新增用户"))
        form = QFormLayout(self)
        self.username, self.display_name = QLineEdit(self), QLineEdit(self)
        self.role = QComboBox(self)
        for code, label in roles:
            self.role.addItem(vocab(label), code)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.active = QCheckBox(self.tr("启用"), self)
        self.active.setChecked(True)
        form.addRow(self.tr("用户名"), self.username)
        form.addRow(self.tr("姓名"), self.display_name)
        form.addRow(self.tr("角色"), self.role)
        if user is None:
            form.addRow(self.tr("初始密码"), self.password)
        else:
            self.username.setText(user.username)
            self.username.setEnabled(False)
            self.display_name.setText(user.display_name)
            self.role.setCurrentIndex(max(0, self.role.findData(user.role)))
            self.active.setChecked(user.active)
            form.addRow("", self.active)
        self.error = ErrorLabel(self)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)


class UsersPanel(QGroupBox):
    """用户管理 and 锁屏时间.

    Signals:
        changed(): users were added or changed.
    """

    changed = Signal()

    def __init__(self, api: UsersApi, runner: TaskRunner, lock: LockApi | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._api, self._runner, self._lock = api, runner, lock
        self.dialog: UserDialog | None = None
        self._setup_ui()
        self._connect_signals()

    def _setup_ui(self) -> None:
        self.setTitle(self.tr("用户管理（系统管理员）"))
        box = QVBoxLayout(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        box.addWidget(self.note)
        self.model = UsersModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setMaximumHeight(180)
        self.table.horizontalHeader().setStretchLastSection(True)  # no grey strip at the right
        box.addWidget(self.table)
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("新增用户"), self)
        self.edit_button = QPushButton(self.tr("修改"), self)
        self.reset_button = QPushButton(self.tr("重设密码"), self)
        self.unlock_button = QPushButton(self.tr("解锁"), self)
        for button in (self.add_button, self.edit_button, self.reset_button, self.unlock_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(QLabel(self.tr("无操作自动锁屏（分钟，0 为不锁）"), self))
        self.lock_minutes = QSpinBox(self)
        self.lock_minutes.setRange(0, 240)
        row.addWidget(self.lock_minutes)
        box.addLayout(row)
        self.error = ErrorLabel(self)
        box.addWidget(self.error)
        if self._lock is not None:
            self.lock_minutes.setValue(self._lock.lock_minutes())
        self.lock_minutes.setEnabled(self._lock is not None)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._on_add_clicked)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.unlock_button.clicked.connect(self._on_unlock_clicked)
        self.lock_minutes.valueChanged.connect(self._on_lock_minutes_changed)

    def reload(self) -> None:
        self._runner.run(self._api.users, self._show, self._refused)

    def _show(self, rows: tuple[Any, ...]) -> None:
        self.model.set_rows(rows)
        self.note.setText(self.tr("修改用户、重设密码和解锁均记入审计日志；密码只保存在本机。"))
        self._set_admin(True)

    def _refused(self, exc: BaseException) -> None:
        self.model.set_rows(())
        self.note.setText(refusal_text(exc))
        self._set_admin(False)

    def _set_admin(self, admin: bool) -> None:
        self.table.setVisible(admin)
        for button in (self.add_button, self.edit_button, self.reset_button, self.unlock_button,
                       self.lock_minutes):  # fmt: skip
            button.setEnabled(admin and (button is not self.lock_minutes or bool(self._lock)))

    def selected(self) -> Any:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def _run(self, fn: Any) -> None:
        self.error.show_error("")
        self._runner.run(fn, lambda _r: self._done(), self._failed)

    def _done(self) -> None:
        if self.dialog is not None:
            self.dialog.accept()
            self.dialog = None
        self.reload()
        self.changed.emit()

    def _failed(self, exc: BaseException) -> None:
        (self.dialog.error if self.dialog is not None else self.error).show_error(error_text(exc))

    def _on_add_clicked(self) -> None:
        dialog = UserDialog(self._api.role_choices(), None, self)
        self.dialog = dialog
        dialog.buttons.accepted.connect(lambda: self._run(lambda: self._api.add_user(
            dialog.username.text(), dialog.display_name.text(),
            dialog.role.currentData(), dialog.password.text())))  # fmt: skip
        dialog.open()

    def _on_edit_clicked(self) -> None:
        user = self.selected()
        if user is None:
            self.error.show_error(self.tr("请先选择一个用户"))
            return
        dialog = UserDialog(self._api.role_choices(), user, self)
        self.dialog = dialog
        dialog.buttons.accepted.connect(lambda: self._run(lambda: self._api.update_user(
            user.id, display_name=dialog.display_name.text(), role=dialog.role.currentData(),
            active=dialog.active.isChecked())))  # fmt: skip
        dialog.open()

    def _on_reset_clicked(self) -> None:
        user = self.selected()
        if user is None:
            self.error.show_error(self.tr("请先选择一个用户"))
            return
        password, ok = QInputDialog.getText(
            self, self.tr("重设密码"), self.tr("%1 的新密码（至少8位，含字母和数字）")
            .replace("%1", user.display_name), QLineEdit.EchoMode.Password)  # fmt: skip
        if ok:
            self.dialog = None
            self._run(lambda: self._api.reset_password(user.id, password))

    def _on_unlock_clicked(self) -> None:
        user = self.selected()
        if user is not None:
            self.dialog = None
            self._run(lambda: self._api.unlock(user.id))

    def _on_lock_minutes_changed(self, minutes: int) -> None:
        if self._lock is not None:
            self._lock.set_lock_minutes(minutes)
