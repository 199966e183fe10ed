"""Signing in on the desktop: the dialog, the idle lock that keeps unsaved input, switching user,
and a clerk who cannot reach a director's action through the window."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.app import _sign_in
from desktop.main_window import MainWindow
from desktop.session import SessionController
from desktop.settings import Settings
from desktop.signin import SignInDialog
from services.api import Workbench
from services.auth.service import AuthService
from services.context import ServiceContext
from services.demo.township import DEMO_PASSWORD, DEMO_USERS
from services.domain.errors import PermissionDeniedError
from services.setup.township import add_org, add_user, make_context, open_store, set_up_township
from ui.tasks import ImmediateTaskRunner

NOW = dt.datetime(2026, 11, 20, 10, 0)
PASSWORD = "pass1234"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[ServiceContext]:
    store = open_store(tmp_path / "t.db")
    ctx = make_context(store)
    ctx.now = lambda: NOW
    info = set_up_township(ctx, "青山镇", "620123101000")
    with store.write() as session:
        add_org(session, kind="unit", name="青山司法所", parent_id=info.id, unit_type="司法所")
        for login, name, role in (("jd", "王接待", "receptionist"), ("zr", "刘主任", "director"),
                                  ("gly", "李管理", "admin")):  # fmt: skip
            add_user(session, username=login, display_name=name, role=role, org_id=info.id,
                     password=PASSWORD)  # fmt: skip
    ctx.requires_sign_in = True
    yield ctx
    store.dispose()


def test_the_sign_in_dialog_is_keyboard_first_and_names_what_went_wrong(
    qtbot: QtBot, ctx: ServiceContext
) -> None:
    dialog = SignInDialog(AuthService(ctx), ImmediateTaskRunner())
    qtbot.add_widget(dialog)
    dialog.show()
    dialog.username.setFocus()
    dialog.username.setText("jd")
    QTest.keyClick(dialog.username, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.password
    dialog.password.setText("wrong")
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() != SignInDialog.DialogCode.Accepted
    assert "用户名或密码错误" in dialog.error.text() and dialog.password.text() == ""
    dialog.password.setText(PASSWORD)
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == SignInDialog.DialogCode.Accepted
    assert dialog.principal.role_label == "接待员" and ctx.principal == dialog.principal


def test_demo_signs_in_as_the_director_and_lists_the_demo_users(
    qtbot: QtBot, tmp_path: Path
) -> None:
    store = open_store(tmp_path / "demo.db")
    ctx = make_context(store)
    info = set_up_township(ctx, "青山镇", "620123101000")
    with store.write() as session:
        for login, name, role in DEMO_USERS:
            add_user(session, username=login, display_name=name, role=role, org_id=info.id,
                     password=DEMO_PASSWORD)  # fmt: skip
    window = MainWindow(Settings())
    qtbot.add_widget(window)
    args = argparse.Namespace(demo=True, screenshot=None)
    assert _sign_in(window, ctx, ImmediateTaskRunner(), args, Settings(), None)
    assert ctx.requires_sign_in and ctx.principal is not None
    assert (ctx.principal.role, ctx.principal.display_name) == ("director", "刘主任")
    controller = window.session
    assert controller is not None
    dialog = controller._dialog()
    qtbot.add_widget(dialog)
    assert (
        "王接待（jiedai1）" in dialog.demo_note.text() and DEMO_PASSWORD in dialog.demo_note.text()
    )
    assert controller.idle.minutes == 10
    store.dispose()


def _window(qtbot: QtBot, ctx: ServiceContext, who: str) -> tuple[MainWindow, SessionController]:
    auth = AuthService(ctx)
    services = Workbench(ctx)
    runner = ImmediateTaskRunner()
    window = MainWindow(Settings())
    qtbot.add_widget(window)
    session = SessionController(auth, runner, window, idle_minutes=1)
    window.session = session
    session.adopt(auth.sign_in(who, PASSWORD))
    window.attach(services, runner)
    return window, session


def test_the_idle_lock_keeps_unsaved_input_and_needs_the_password(
    qtbot: QtBot, ctx: ServiceContext
) -> None:
    window, session = _window(qtbot, ctx, "jd")
    window.reception.form.summary.setPlainText("尚未保存的诉求内容")
    session.idle.idle.emit()  # the idle minutes ran out
    lock = session.lock_dialog
    assert lock is not None and lock.isVisible() and lock.isModal()
    lock.reject()  # Esc does nothing
    assert lock.isVisible()
    lock.password.setText("wrong")
    lock.submit()
    assert lock.isVisible() and "密码不正确" in lock.error.text()
    lock.password.setText(PASSWORD)
    lock.submit()
    assert not lock.isVisible() and session.lock_dialog is None
    assert window.reception.form.summary.toPlainText() == "尚未保存的诉求内容"


def test_switching_user_without_restarting_changes_what_the_services_allow(
    qtbot: QtBot, ctx: ServiceContext
) -> None:
    window, session = _window(qtbot, ctx, "zr")
    assert "刘主任（中心主任）" in window.user_label.text()

    def fill() -> None:
        dialog = session.dialog
        assert dialog is not None
        dialog.username.setText("jd")
        dialog.password.setText(PASSWORD)
        dialog.submit()

    QTimer.singleShot(0, fill)
    assert session.switch_user()
    assert ctx.principal is not None and ctx.principal.username == "jd"
    assert "王接待（接待员）" in window.user_label.text()


def test_a_clerk_finds_no_directors_button_and_the_service_refuses_anyway(
    qtbot: QtBot, ctx: ServiceContext
) -> None:
    """Attack: a receptionist tries 督办 and 作废 through the window, then through the service."""
    window, _session = _window(qtbot, ctx, "jd")
    form = window.reception.form
    form.name.setText("张三")
    form.phone.setText("13812345678")
    form.summary.setPlainText("与邻居因宅基地边界发生争执")
    form.category.setText("0202")
    form.disposition.setCurrentIndex(form.disposition.findData("accepted"))
    window.reception.save()
    window.reception.open_button.click()
    case = window.case_file.case
    assert case is not None and case.state == "accepted"
    for action in ("supervise", "void", "approve", "close"):
        assert window.case_file.action_button(action) is None
    with pytest.raises(PermissionDeniedError, match="无权督办"):
        window.services.perform(case.id, "supervise", {"level": "reminder", "opinion": "快"})
    assert isinstance(window.case_file, QWidget)


def test_an_administrator_manages_users_in_settings_and_a_director_cannot(
    qtbot: QtBot, ctx: ServiceContext
) -> None:
    window, session = _window(qtbot, ctx, "gly")
    panel = window.settings_view.users_panel
    assert panel is not None and panel.model.rowCount() == 3
    panel._on_add_clicked()
    dialog = panel.dialog
    assert dialog is not None
    dialog.username.setText("jd2")
    dialog.display_name.setText("赵接待")
    dialog.role.setCurrentIndex(dialog.role.findData("receptionist"))
    dialog.password.setText("short")
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and "至少8位" in dialog.error.text()
    dialog.password.setText("start123")
    dialog.buttons.accepted.emit()
    assert not dialog.isVisible() and panel.model.rowCount() == 4
    assert AuthService(ctx).sign_in("jd2", "start123").role_label == "接待员"
    session.adopt(AuthService(ctx).sign_in("zr", PASSWORD))  # the director: no user management
    assert panel.model.rowCount() == 0 and "无权管理用户" in panel.note.text()
    assert not panel.add_button.isEnabled()
    users_panel = window.settings_view.users_panel
    assert users_panel is not None
    users_panel.lock_minutes.setValue(0)
    assert window.session is not None and window.session.idle.minutes == 0


def test_the_audit_panel_lists_entries_for_a_director_and_refuses_a_clerk(
    qtbot: QtBot, ctx: ServiceContext, tmp_path: Path
) -> None:
    window, session = _window(qtbot, ctx, "zr")
    panel = window.settings_view.audit_panel
    assert panel is not None
    panel.action.setCurrentIndex(panel.action.findData("sign_in"))
    panel.search()
    assert panel.model.rowCount() == 1 and panel.model.rows[0].user_name == "刘主任"
    shown = panel.model.data(panel.model.index(0, 0), Qt.ItemDataRole.DisplayRole)
    width = panel.table.fontMetrics().horizontalAdvance(shown)
    assert panel.table.columnWidth(0) >= width  # the time reads on one line, not wrapped in two
    panel.export_to(tmp_path / "audit.csv", panel.query())
    assert "登录" in (tmp_path / "audit.csv").read_text(encoding="utf-8-sig")
    panel.date_from.setText("2026-13-01")
    panel.search()
    assert "日期格式" in panel.error.text()
    panel.date_from.clear()
    session.adopt(AuthService(ctx).sign_in("jd", PASSWORD))
    assert panel.model.rowCount() == 0 and "无权查看审计日志" in panel.note.text()


def test_the_audit_log_is_one_menu_item_away_for_a_director(
    qtbot: QtBot, ctx: ServiceContext
) -> None:
    """文件 → 审计日志…: the panel sits at the foot of 设置, below holidays, hub, users and fonts;
    at 1366x728 a director had to find it by scrolling. The item shows it, read and in view."""
    window, session = _window(qtbot, ctx, "zr")
    window.resize(1366, 728)
    window.show()
    qtbot.waitExposed(window)
    panel = window.settings_view.audit_panel
    assert panel is not None
    window.menu.actions["审计日志…"].trigger()
    QTest.qWait(0)
    assert window.current_screen() == "settings"
    assert not panel.table.visibleRegion().isEmpty()  # scrolled into view
    assert panel.model.rowCount() >= 1
    session.adopt(AuthService(ctx).sign_in("jd", PASSWORD))
    window.menu.actions["审计日志…"].trigger()
    assert "无权查看审计日志" in panel.note.text()
