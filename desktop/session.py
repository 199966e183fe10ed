"""Who is signed in on this PC's window (会话): sign-in at start, switch user, lock when idle.

The lock is a modal dialog over the window, so whatever was typed and not yet saved stays in the
forms underneath; only the same user's password (or signing someone else in) removes it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from desktop.signin import AuthApi, ChangePasswordDialog, LockDialog, SignInDialog
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)
ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel,
                      QEvent.Type.MouseMove})  # fmt: skip


class IdleWatcher(QObject):
    """Emits ``idle`` after ``minutes`` without a key press or mouse use anywhere in the app.

    Signals:
        idle(): the time ran out.
    """

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = max(0, int(minutes))
        self._timer.setInterval(self.minutes * 60_000)
        self.restart()

    def restart(self) -> None:
        if self.minutes > 0:
            self._timer.start()
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.minutes > 0:
            self._timer.start()
        return False


class SessionController(QObject):
    """Sign-in, 切换用户, 修改密码 and the idle lock for one window.

    Signals:
        user_changed(object): a new :class:`Principal` signed in (views reload for their role).
    """

    user_changed = Signal(object)

    def __init__(self, auth: Any, runner: TaskRunner, parent: QWidget, *, idle_minutes: int,
                 demo_accounts: Sequence[tuple[str, str]] = (),
                 demo_password: str = "") -> None:  # fmt: skip
        super().__init__(parent)
        self._auth: AuthApi = auth
        self._service = auth
        self.auth = auth  # the AuthService (user management in the settings screen)
        self._runner, self._parent = runner, parent
        self._demo, self._demo_password = tuple(demo_accounts), demo_password
        self.principal: Any = None
        self.lock_dialog: LockDialog | None = None
        self.dialog: SignInDialog | None = None
        self.idle = IdleWatcher(idle_minutes, self)
        self.idle.idle.connect(self.lock)

    def _dialog(self, title: str = "", username: str = "") -> SignInDialog:
        dialog = SignInDialog(self._auth, self._runner, username=username,
                              demo_accounts=self._demo, demo_password=self._demo_password,
                              title=title, parent=self._parent)  # fmt: skip
        self.dialog = dialog
        return dialog

    def sign_in(self, *, title: str = "", username: str = "") -> bool:
        """Show the sign-in dialog; True when somebody signed in."""
        dialog = self._dialog(title, username)
        if dialog.exec() != SignInDialog.DialogCode.Accepted or dialog.principal is None:
            return False
        self._set(dialog.principal)
        return True

    def adopt(self, principal: Any) -> None:
        """A principal signed in by the caller (demo director, the wizard's administrator)."""
        self._set(principal)

    def _set(self, principal: Any) -> None:
        self.principal = principal
        self.idle.restart()
        self.user_changed.emit(principal)

    def switch_user(self) -> bool:
        """切换用户 without restarting; cancelling keeps the current user."""
        return self.sign_in(title=QCoreApplication.translate("SessionController", "切换用户"))

    def change_password(self) -> None:
        ChangePasswordDialog(self._auth, self._runner, self._parent).exec()

    def lock(self) -> None:
        """Cover the window until the user's password is typed again."""
        if self.principal is None or self.lock_dialog is not None:
            return
        check = self._service.check_password
        dialog = LockDialog(self.principal.display_name, check, self._runner,
                            self.switch_user, self._parent)  # fmt: skip
        self.lock_dialog = dialog
        log.info("screen locked after %s idle minutes", self.idle.minutes)
        dialog.finished.connect(self._on_lock_finished)
        dialog.open()

    def _on_lock_finished(self, _result: int) -> None:
        self.lock_dialog = None
        self.idle.restart()
