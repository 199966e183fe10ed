"""Menu commands that are not a screen's own button (查找案件, 新来访登记, 用户手册…)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

# desktop.main_window.MainWindow; not imported, since it imports this module (no cycles).
MainWindow = Any
MANUAL = Path(__file__).resolve().parents[1] / "docs" / "用户手册.md"


def _tr(text: str) -> str:
    return QCoreApplication.translate("commands", text)


def find_case(window: MainWindow) -> None:
    """查找案件 (Ctrl+F): the ledger's search box."""
    if window.attached:
        window.show_screen("ledger")
        window.ledger.search.setFocus()
        window.ledger.search.selectAll()


def new_visit(window: MainWindow) -> None:
    """新来访登记 (F2): the first field of the reception form."""
    if window.attached:
        window.show_screen("reception")
        window.reception.form.channel.setFocus()


def pick_person(window: MainWindow) -> None:
    """选择匹配的人员 (F3 in the form)."""
    if window.attached:
        window.show_screen("reception")
        window.reception.candidates.focus_list()


def attach_repeat(window: MainWindow) -> None:
    """作为重复来访关联 (F4 in the form): the first open case of the matched person."""
    if window.attached:
        window.show_screen("reception")
        first = window.reception.candidates.first_open_case()
        if first is not None:
            window.reception.candidates.case_chosen.emit(*first)


def refresh_screen(window: MainWindow) -> None:
    """刷新 (F5): reload the current screen and the status bar."""
    page = window.pages.get(window.current_screen())
    refresh = getattr(page, "refresh", None)
    if callable(refresh):
        refresh()
    if window.attached:
        window.refresh_status()


def show_shortcuts(window: MainWindow) -> None:
    window.show_shortcuts()


def open_manual(window: MainWindow) -> None:
    """用户手册: the guide shipped beside the program."""
    if not (MANUAL.exists() and QDesktopServices.openUrl(QUrl.fromLocalFile(str(MANUAL)))):
        text = QCoreApplication.translate(
            "commands", "用户手册位于程序目录下的 docs 文件夹（用户手册.md）。"
        )
        QMessageBox.information(window, QCoreApplication.translate("commands", "用户手册"), text)


def about(window: MainWindow) -> None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        number = version("zongzhi-workbench")
    except PackageNotFoundError:
        number = "—"
    QMessageBox.about(
        window,
        QCoreApplication.translate("commands", "关于"),
        QCoreApplication.translate("commands", "综治中心工作台 %1").replace("%1", number),
    )


def audit_log(window: MainWindow) -> None:
    """审计日志… (文件): 设置 scrolled to the audit log, its filters focused and its list read
    (a role without the right is told so there); the panel sits at the foot of 设置."""
    panel = window.settings_view.audit_panel if window.attached else None
    if panel is None:
        return
    window.show_screen("settings")
    panel.bring_into_view()


def restore_backup(window: MainWindow) -> None:
    """从备份恢复… (文件): the backups, checked and restored at a restart (desktop.restore)."""
    if not window.attached:
        return
    if not window.allows("backup.manage"):
        window.statusBar().showMessage(
            QCoreApplication.translate("commands", "当前用户无权从备份恢复数据"), 10_000
        )
        return
    window.open_restore_dialog()


def switch_user(window: MainWindow) -> None:
    if window.session is not None:
        window.session.switch_user()


def change_password(window: MainWindow) -> None:
    if window.session is not None:
        window.session.change_password()


def lock(window: MainWindow) -> None:
    """锁定 (Ctrl+L): the sign-in dialog over the window; typed input stays underneath."""
    if window.session is not None:
        window.session.lock()
