"""文件 → 从备份恢复… (issue 11 #4): restore had been ``python main.py backup restore`` only, with
the workbench closed. The dialog lists the backups, checks one off the GUI thread, records a
confirmed restore and restarts; the next start restores before the store opens."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop import commands
from desktop.app import _restore_pending
from desktop.main_window import MainWindow
from desktop.restore import RestoreDialog, outcome_text, restart_command
from desktop.session import SessionController
from desktop.settings import Settings
from services.api import Workbench
from services.auth.service import AuthService
from services.backup.pending import pending_path, read_pending
from services.backup.service import take_backup
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.setup.township import add_user, make_context, open_store, set_up_township
from tests.peek import case_codes
from ui.tasks import ImmediateTaskRunner

PASSWORD = "pass1234"
FORM = WalkInInput(
    parties=(PartyInput(name="张三", phone="13812345678"),),
    summary="宅基地边界纠纷",
    category_code="0202",
    disposition="accepted",
)


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[ServiceContext]:
    store = open_store(tmp_path / "t.db")
    ctx = make_context(store)
    info = set_up_township(ctx, "青山镇", "620123101000")
    with store.write() as session:
        for login, name, role in (("jd", "王接待", "receptionist"), ("zr", "刘主任", "director")):
            add_user(session, username=login, display_name=name, role=role, org_id=info.id,
                     password=PASSWORD)  # fmt: skip
    ctx.requires_sign_in = True
    yield ctx
    store.dispose()


def _window(qtbot: QtBot, ctx: ServiceContext, who: str) -> MainWindow:
    auth = AuthService(ctx)
    runner = ImmediateTaskRunner()
    window = MainWindow(Settings())
    qtbot.add_widget(window)
    window.session = SessionController(auth, runner, window, idle_minutes=0)
    window.session.adopt(auth.sign_in(who, PASSWORD))
    window.attach(Workbench(ctx), runner)
    return window


def _cell(dialog: RestoreDialog, row: int, column: int) -> str:
    item = dialog.table.item(row, column)
    assert item is not None
    return item.text()


def _menu_item_enabled(window: MainWindow) -> bool:
    window.menu._update(window.menu.menus["文件"])  # noqa: SLF001 (what aboutToShow does)
    return window.menu.actions["从备份恢复…"].isEnabled()


def test_a_director_restores_a_checked_backup_from_the_file_menu(
    qtbot: QtBot, ctx: ServiceContext, tmp_path: Path
) -> None:
    window = _window(qtbot, ctx, "zr")
    db = tmp_path / "t.db"
    first = window.services.register_walk_in(FORM).case_code
    backup = take_backup(db, tmp_path / "backups", reason="manual")
    later = window.services.register_walk_in(FORM).case_code
    window.show()
    assert _menu_item_enabled(window)
    window.menu.actions["从备份恢复…"].trigger()
    dialog = window.restore_dialog
    assert isinstance(dialog, RestoreDialog) and dialog.isVisible()
    assert dialog.table.rowCount() == 1
    cells = [_cell(dialog, 0, c) for c in range(4)]
    assert cells[1].endswith(("KB", "MB")) and cells[2] and cells[3] == "未检查"
    assert not dialog.restore_button.isEnabled()  # not before a check passed
    dialog.check_button.click()
    assert _cell(dialog, 0, 3) == "通过" and "检查通过" in dialog.status.text()
    assert not dialog.progress.isVisible() and dialog.restore_button.isEnabled()
    asked: list[str] = []

    def ask(_title: str, text: str) -> bool:
        asked.append(text)
        return True

    dialog.ask = ask
    dialog.restore_button.click()
    assert "重新启动" in asked[0] and "不会丢失" in asked[0]
    pending = read_pending(db)
    assert pending is not None and pending.backup == backup.resolve()
    assert window.restart_requested and not window.isVisible()
    assert later in case_codes(db)  # nothing replaced while the workbench ran
    ctx.store.dispose()
    app = QApplication.instance()
    outcome = _restore_pending(app, db)  # the next start, before the store opens
    assert outcome is not None and outcome.ok and not pending_path(db).exists()
    assert case_codes(db) == {first}
    assert outcome.kept is not None and later in case_codes(outcome.kept)
    text = outcome_text(outcome)
    assert "已从备份" in text and outcome.kept.name in text and "重新取回" in text


def test_a_clerk_has_no_restore_and_a_failed_check_or_unsaved_input_stops_it(
    qtbot: QtBot, ctx: ServiceContext, tmp_path: Path
) -> None:
    db = tmp_path / "t.db"
    window = _window(qtbot, ctx, "jd")
    assert not _menu_item_enabled(window)
    commands.restore_backup(window)  # the command itself, as a shortcut would reach it
    assert window.restore_dialog is None and "无权" in window.statusBar().currentMessage()
    window.reception.form.summary.setPlainText("尚未保存的诉求内容")
    assert window.session is not None
    window.session.adopt(AuthService(ctx).sign_in("zr", PASSWORD))
    take_backup(db, tmp_path / "backups", reason="manual")
    dialog = window.open_restore_dialog()
    assert dialog is not None
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    dialog.add_file(bad)
    assert dialog.table.rowCount() == 2 and dialog.selected() is not None
    dialog.check_button.click()
    assert _cell(dialog, 0, 3).startswith("未通过：不是可用的备份文件")
    assert _cell(dialog, 0, 2) == "无法读取" and not dialog.restore_button.isEnabled()
    dialog.table.selectRow(1)
    dialog.check_button.click()
    assert dialog.restore_button.isEnabled()
    told: list[str] = []
    dialog.inform = lambda _title, text: told.append(text)
    dialog.ask = lambda _title, _text: pytest.fail("asked despite unsaved input")
    dialog.restore_button.click()
    assert "接待登记" in told[0] and "尚未保存" in told[0]
    assert not pending_path(db).exists() and not window.restart_requested


def test_the_workbench_starts_again_with_its_own_arguments() -> None:
    program, arguments = restart_command(["main.py", "--demo"])
    assert program == sys.executable
    assert arguments == [str(Path("main.py").resolve()), "--demo"]
