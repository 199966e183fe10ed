"""打印回执 (Ctrl+P in reception) prints the case's receipt, signed by the user at the desk."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from desktop import gallery
from desktop.main_window import MainWindow
from services.slips.dto import IssueRequest, IssueResult
from tests.desktop.shell import demo_window
from views.slips.print_flow import SlipPrintFlow


def test_ctrl_p_prints_the_receipt_with_the_signed_in_user_as_handler(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+P opened the full 签发文书 dialog with 受理人 empty and required."""
    window: MainWindow = demo_window(tmp_path, cases=20)  # 20: one of them in handling
    qtbot.add_widget(window)
    slips = window.slips_api
    assert slips is not None
    requests: list[IssueRequest] = []
    issue = slips.issue

    def spy(request: IssueRequest) -> IssueResult:
        requests.append(request)
        return issue(request)

    printed: list[list[str]] = []

    def fake_print(_flow: SlipPrintFlow, slip_ids: Sequence[str]) -> None:
        printed.append(list(slip_ids))

    monkeypatch.setattr(slips, "issue", spy)
    monkeypatch.setattr(SlipPrintFlow, "print_slips", fake_print)
    opened: list[Any] = []
    monkeypatch.setattr(window, "issue_slip", lambda *a: opened.append(a))
    case_id = gallery.first_case_id(window)
    assert case_id is not None

    window.reception.receipt_requested.emit(case_id)  # what 打印回执 / Ctrl+P sends
    assert not opened, "no issue dialog for a receipt the case can fill"
    assert [r.kind for r in requests] == ["acceptance"]
    assert requests[0].values["handler"] == "刘主任"  # the demo director at the desk
    assert len(printed) == 1

    window.print_receipt(case_id)  # again: the same receipt printed again, not a second one
    assert len(requests) == 1
    assert printed[1] == printed[0]


def test_the_issue_dialog_names_the_signed_in_user_as_handler(qtbot: QtBot, tmp_path: Path) -> None:
    """签发文书 opened with 受理人 empty although someone is signed in at the desk."""
    window: MainWindow = demo_window(tmp_path, cases=20)  # 20: one of them in handling
    qtbot.add_widget(window)
    case_id = gallery.first_case_id(window)
    assert case_id is not None
    dialog = window.issue_slip(case_id, "acceptance")
    assert dialog is not None and dialog.editor is not None
    assert dialog.editor.values()["handler"] == "刘主任"
    assert not dialog.has_unsaved_input()  # a default, not typed input: Esc closes at once
    gallery.close(dialog)
