"""The shell on a real store: navigation, status bar, settings, and the full case loop."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from desktop.main_window import SCREENS, MainWindow
from desktop.settings import Settings, load_settings, save_settings
from services.api import Workbench
from services.setup.township import (
    add_org,
    add_user,
    make_context,
    open_store,
    set_up_township,
)
from tests.memory_keyring import MEMORY_KEYRING
from ui.tasks import ImmediateTaskRunner

NOW = dt.datetime(2026, 11, 20, 10, 0)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> tuple[MainWindow, Workbench]:
    ctx = make_context(open_store(tmp_path / "t.db"))
    info = set_up_township(ctx, "青山镇", "620123101000")

    def seed(session: object) -> str:
        add_org(session, kind="unit", name="青山司法所", parent_id=info.id, unit_type="司法所")  # type: ignore[arg-type]
        add_org(session, kind="village", name="青山村", parent_id=info.id, code="620123101201")  # type: ignore[arg-type]
        return add_user(session, username="jd", display_name="王接待", role="receptionist",  # type: ignore[arg-type]
                        org_id=info.id).id  # fmt: skip

    ctx.user_id = ctx.store.run_write(seed)
    ctx.now = lambda: NOW
    services = Workbench(ctx)
    win = MainWindow.build(services, ImmediateTaskRunner(), Settings())
    qtbot.add_widget(win)
    return win, services


def test_navigation_and_status_bar(window: tuple[MainWindow, Workbench]) -> None:
    win, _ = window
    assert [win.nav.item(i).text() for i in range(win.nav.count())] == [n for _, n in SCREENS]
    win.show_screen("rooms")
    page = win.stack.currentWidget()
    assert page is not None
    labels = page.findChildren(QLabel)
    assert any("调解室" in label.text() and "尚未开放" in label.text() for label in labels)
    assert "王接待" in win.user_label.text()
    assert "620123101000" in win.township_label.text()
    assert "待同步" in win.fresh_label.text()


def test_full_loop_through_the_widgets(window: tuple[MainWindow, Workbench]) -> None:
    """register → 受理 → 交办 → 签收 → 反馈 → 审核 → 评价 → 办结 → 归档 → 回访."""
    win, services = window
    form = win.reception.form
    form.name.setText("张三")
    form.id_number.setText("11010519491231002X")
    form.phone.setText("13812345678")
    form.respondent.setText("李四")
    form.summary.setPlainText("与邻居李四因宅基地边界发生争执")
    form.category.setText("0202")
    form.disposition.setCurrentIndex(form.disposition.findData("accepted"))
    win.reception.save()
    assert "620123101000-2026-000001" in win.reception.result.text()
    win.reception.open_button.click()
    assert win.current_screen() == "case"
    case_file = win.case_file
    assert case_file.case is not None and case_file.case.state == "accepted"

    def act(action: str, **fields: str) -> None:
        button = case_file.action_button(action)
        state = case_file.case.state if case_file.case is not None else None
        assert button is not None, f"{action} not offered in {state}"
        button.click()
        dialog = case_file.dialog
        assert dialog is not None
        for key, value in fields.items():
            widget = dialog.inputs[key]
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(widget.findText(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                assert isinstance(widget, QLineEdit), type(widget)
                widget.setText(value)
        dialog.buttons.accepted.emit()
        assert not dialog.isVisible(), dialog.general_error.text()

    act("assign", unit_id="青山司法所")
    assert case_file.case.state == "assigned" and "签收期限" in case_file.clocks.text()
    act("sign", signer="司法所王所长")
    act("feedback", result="双方已达成调解协议")
    act("approve")
    act("evaluate", evaluation="满意")
    act("close")
    act("archive")
    act("revisit", outcome="已解决", note="电话回访，双方无异议")
    assert case_file.case.state == "finished"
    assert case_file.timeline.topLevelItemCount() == 10  # register, accept + 8 actions
    win.show_screen("ledger")
    win.ledger.refresh()
    assert win.ledger.model.rowCount() == 1
    assert win.ledger.model.row_at(0).state == "finished"


def test_corrupt_settings_fall_back_with_a_notice(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json", encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.settings == Settings()
    assert "已恢复默认设置" in loaded.notice
    assert (tmp_path / "settings.corrupt").exists()
    save_settings(path, Settings(last_screen="ledger"))
    assert load_settings(path).settings.last_screen == "ledger"


def test_geometry_and_last_screen_remembered(
    qtbot: QtBot, window: tuple[MainWindow, Workbench]
) -> None:  # noqa: E501
    win, services = window
    saved: list[Settings] = []
    win._save = saved.append
    win.show_screen("ledger")
    win.close()
    assert saved and saved[0].last_screen == "ledger" and saved[0].geometry
    again = MainWindow.build(services, ImmediateTaskRunner(), saved[0])
    qtbot.add_widget(again)
    assert again.current_screen() == "ledger"


def test_importing_next_years_schedule_ends_provisional_deadlines(
    window: tuple[MainWindow, Workbench],
) -> None:
    """A county case accepted late in 2026 runs into 2027, which the package does not cover."""
    win, services = window
    services.ctx.now = lambda: dt.datetime(2026, 12, 28, 9, 0)
    form = win.reception.form
    form.name.setText("张三")
    form.phone.setText("13812345678")
    form.summary.setPlainText("征地补偿纠纷")
    form.category.setText("1102")
    form.level.setCurrentIndex(form.level.findData("county"))
    win.reception.save()
    case_id = win.reception._last.case_id  # type: ignore[union-attr]
    before = services.get_case(case_id)
    assert before.clocks[0].provisional and "2027" in before.notices[0]
    settings = win.settings_view
    assert "2027 年：尚未导入" in settings.years.text()
    settings.schedule.setPlainText("日期,类型,名称\n2027-01-01,休,元旦\n2027-01-04,休,测试假日")
    settings.complete.setChecked(True)
    settings._on_import_clicked()
    assert "已导入 2 天" in settings.message.text()
    assert "2027 年：已导入官方安排" in settings.years.text()
    after = services.get_case(case_id)
    assert not after.clocks[0].provisional and after.notices == ()
    assert after.clocks[0].due_at > before.clocks[0].due_at  # 1/4 is now a day off


def test_bad_schedule_line_is_named(window: tuple[MainWindow, Workbench]) -> None:
    win, _ = window
    win.settings_view.schedule.setPlainText("2027-13-01,休,元旦")
    win.settings_view._on_import_clicked()
    assert "第1行日期无法识别" in win.settings_view.error.text()


def test_several_parties_with_roles(window: tuple[MainWindow, Workbench]) -> None:
    win, services = window
    form = win.reception.form
    form.name.setText("张三")
    form.phone.setText("13812345678")
    form.respondent.setText("李四")
    form.summary.setPlainText("五户村民因灌溉用水与上游发生纠纷")
    form.category.setText("0904")
    form.head_count.setValue(5)
    form.add_party_row("representative", "王五", phone="12345")
    win.reception.save()
    assert "第1行" in form.extra_error.text() and "电话" in form.extra_error.text()
    assert win.reception._last is None  # nothing saved
    phone_cell = form.extra.item(0, 3)
    assert phone_cell is not None
    phone_cell.setText("13912345678")
    form.add_party_row("third_party", "赵六", visitor=False)
    win.reception.save()
    result = win.reception._last
    assert result is not None and result.is_collective
    case = services.get_case(result.case_id)
    roles = sorted((p.role, p.person.name) for p in case.parties)
    assert roles == [("applicant", "张三"), ("representative", "王五"),
                     ("respondent", "李四"), ("third_party", "赵六")]  # fmt: skip


def test_startup_imports_no_reportlab_or_pyqtgraph() -> None:
    import subprocess
    import sys

    # httpx (11 MB) only once a hub is set up: a stand-alone PC never loads it (issue 15 #6)
    code = ("import sys, desktop.app, desktop.main_window, services.api, "
            "services.sync.service; print(sorted(m for m in ('reportlab', 'pyqtgraph', 'pypinyin',"
            " 'alembic', 'openpyxl', 'httpx') if m in sys.modules))")  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow  # a subprocess start or a whole-app walk: see CONTRIBUTING
def test_screenshot_mode_writes_a_png(tmp_path: Path) -> None:
    import subprocess
    import sys

    ctx = make_context(open_store(tmp_path / "t.db"))
    set_up_township(ctx, "青山镇", "620123101000")
    ctx.store.dispose()
    png = tmp_path / "shots" / "ledger.png"
    result = subprocess.run(
        [sys.executable, "main.py", "--db", str(tmp_path / "t.db"), "--screenshot", str(png),
         "--view", "ledger", "--size", "1024x700"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parents[2], timeout=120,
        env={**os.environ, "PYTHON_KEYRING_BACKEND": MEMORY_KEYRING},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_first_run_wizard_validates(qtbot: QtBot) -> None:
    from desktop.wizard import FirstRunWizard

    wizard = FirstRunWizard()
    qtbot.add_widget(wizard)
    wizard.name.setText("青山镇")
    wizard.code.setText("620123000000")  # a county code, not a township
    wizard.admin_name.setText("管理员")
    wizard.password.setText("123")
    wizard._on_accepted()
    assert wizard.result() != FirstRunWizard.DialogCode.Accepted
    assert "乡镇" in wizard.errors["code"].text()
    assert "8位" in wizard.errors["password"].text()
    wizard.password.setText("12345678")
    wizard._on_accepted()
    assert "字母和数字" in wizard.errors["password"].text()
    wizard.code.setText("620123101000")
    wizard.password.setText("secret12")
    wizard._on_accepted()
    assert wizard.result() == FirstRunWizard.DialogCode.Accepted


def test_a_voided_or_printed_slip_reaches_every_screen(
    qtbot: QtBot, window: tuple[MainWindow, Workbench]
) -> None:
    """slips_changed was emitted by the 文书 screen but connected to nothing."""
    from services.domain.dto import Changes
    from tests.views.test_slips_view import FakeSlips, info

    _, services = window
    win = MainWindow.build(services, ImmediateTaskRunner(), Settings(), slips=FakeSlips([info(1)]))
    qtbot.add_widget(win)
    assert win.slips_view is not None
    changes = Changes(frozenset({"case-1"}))
    with qtbot.wait_signal(win.events.changed, timeout=1000) as blocker:
        win.slips_view.slips_changed.emit(changes)
    assert blocker.args == [changes]
