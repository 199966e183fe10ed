"""Words a user should see: 未配置县级平台 instead of a red refusal; 待同步 counted at once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.main_window import MainWindow
from tests.desktop.shell import demo_window


@pytest.fixture
def shell(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    window = demo_window(tmp_path)
    qtbot.add_widget(window)
    return window


def _pending(window: MainWindow) -> int:
    found = re.search(r"待同步 (\d+) 条", window.fresh_label.text())
    assert found, window.fresh_label.text()
    return int(found.group(1))


def test_no_hub_configured_is_said_plainly_with_how(shell: MainWindow) -> None:
    """Was 同步被拒绝，需要处理 in red with no hub configured."""
    view = shell.sync_view
    assert view is not None
    view.sync_now()
    state = view._labels["state"]
    assert state.text() == "未配置县级平台"
    assert "b00020" not in state.styleSheet()
    assert "设置 → 县级平台连接" in view._message.text()
    assert "未配置县级平台" in shell.fresh_label.text()
    assert "同步出错" not in shell.fresh_label.text()


def test_the_pending_count_follows_each_registration(shell: MainWindow) -> None:
    """The status bar's 待同步 count was refreshed only every 300 s."""
    view = shell.sync_view
    assert view is not None
    view.refresh()
    before = _pending(shell)
    form = shell.reception.form
    form.name.setText("李四")
    form.phone.setText("13812345678")
    form.respondent.setText("王五")
    form.summary.setPlainText("与邻居王五因宅基地边界发生争执")
    form.category.setText("0202")
    shell.reception.save()
    errors = {k: form.error_text(k) for k in ("summary", "parties[0].name", "category_code")}
    assert shell.reception._last is not None, errors
    assert _pending(shell) > before
