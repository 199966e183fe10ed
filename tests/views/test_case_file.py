"""Case file: header, clocks, allowed actions as buttons, action forms with inline errors."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QComboBox, QPushButton
from pytestqt.qtbot import QtBot

from services.domain.dto import TimelineEntry
from services.domain.workflow import ACTION_LABELS, Action
from tests.views.fakes import NOW, FakeWorkbench
from ui.tasks import ImmediateTaskRunner
from views.cases.case_file import CaseFileView


def _button(view: CaseFileView, action: str) -> QPushButton:
    button = view.action_button(action)
    assert button is not None, action
    return button


@pytest.fixture
def case_file(qtbot: QtBot) -> tuple[CaseFileView, FakeWorkbench]:
    services = FakeWorkbench()
    view = CaseFileView(services, ImmediateTaskRunner())
    qtbot.add_widget(view)
    view.open_case("case-1")
    return view, services


def test_header_masks_people_and_shows_clocks(
    case_file: tuple[CaseFileView, FakeWorkbench],
) -> None:
    view, _ = case_file
    assert view.code.text() == "620123101000-2026-000001"
    assert "110105********002X" in view.parties.text()
    assert "138****5678" in view.parties.text()
    assert "剩余5个工作日" in view.clocks.text()
    assert view.timeline.topLevelItemCount() == 1


def test_buttons_are_the_allowed_actions(case_file: tuple[CaseFileView, FakeWorkbench]) -> None:
    view, services = case_file
    assert view.action_button("accept") is not None
    assert view.action_button("reject") is not None
    assert view.action_button("sign") is None  # not allowed before 交办
    assert set(services.case.allowed_actions) >= {"accept", "reject", "answer"}


def test_action_form_submits_and_view_refreshes(
    qtbot: QtBot, case_file: tuple[CaseFileView, FakeWorkbench]
) -> None:  # noqa: E501
    view, services = case_file
    with qtbot.wait_signal(view.changed) as blocker:
        _button(view, "accept").click()
        assert view.dialog is not None
        view.dialog.buttons.accepted.emit()
    assert services.performed[-1][1] == "accept"
    assert blocker.args[0].case_ids == frozenset({"case-1"})
    assert view.case is not None and view.case.state == "accepted"
    assert view.action_button("assign") is not None


def test_refused_action_keeps_the_form_open_with_the_reason(
    case_file: tuple[CaseFileView, FakeWorkbench],
) -> None:  # noqa: E501
    view, services = case_file
    _button(view, "accept").click()
    assert view.dialog is not None
    view.dialog.buttons.accepted.emit()
    dialog = view.start_action("assign")
    assert dialog is not None
    dialog.buttons.accepted.emit()  # no unit chosen
    assert dialog.isVisible()
    assert dialog._errors["unit_id"].text() == "请选择承办单位"
    unit = dialog.inputs["unit_id"]
    assert isinstance(unit, QComboBox)
    unit.setCurrentIndex(unit.findData("u1"))
    dialog.buttons.accepted.emit()
    assert services.performed[-1][1:] == ("assign", {"unit_id": "u1"})
    assert not dialog.isVisible()


def test_timeline_shows_chinese_names_not_codes(qtbot: QtBot) -> None:
    """Issue 15: the 流转记录 showed "green", "yellow；…" for coded values."""
    from dataclasses import replace

    from services.domain.dto import TimelineEntry

    services = FakeWorkbench()
    at = services.case.registered_at
    services.case = replace(services.case, timeline=(
        TimelineEntry("e1", "assess", "研判", at, "王接待", {"risk_colour": "yellow",
                      "risk_basis": "情绪激动", "handling_level": "township"}),
        TimelineEntry("e2", "supervise", "督办", at, None, {"level": "red", "opinion": "请抓紧"}),
        TimelineEntry("e3", "decide_extension", "延期审批", at, None, {"approved": False}),
        TimelineEntry("e4", "close", "办结", at, None, {"closure_type": "evaluation_timeout"}),
        TimelineEntry("e5", "feedback", "反馈", at, None, {"result": "已协调退还押金"}),
    ))  # fmt: skip
    view = CaseFileView(services, ImmediateTaskRunner())
    qtbot.add_widget(view)
    view.open_case("case-1")
    top = [view.timeline.topLevelItem(i) for i in range(view.timeline.topLevelItemCount())]
    details = [item.text(3) for item in top if item is not None]
    assert details == [
        "黄色；情绪激动；乡镇(街道)",
        "红色督办；请抓紧",
        "不同意",
        "评价超时办结",
        "已协调退还押金",
    ]


def test_full_number_asks_a_reason_and_a_clerk_gets_phones_only(
    case_file: tuple[CaseFileView, FakeWorkbench],
) -> None:
    view, services = case_file
    assert view.reveal_button.isEnabled()
    view.reveal_button.click()
    dialog = view.reveal_dialog
    assert dialog is not None
    assert [dialog.field.itemData(i) for i in range(dialog.field.count())] == ["phone"]
    dialog.buttons.accepted.emit()  # no reason: refused in the dialog
    assert dialog.isVisible() and "理由" in dialog.error.text() and services.revealed == []
    dialog.reason.setText("电话通知当事人到场")
    dialog.buttons.accepted.emit()
    assert services.revealed == [("p1", "phone", "电话通知当事人到场")]
    assert "13812345678" in view.revealed.text()
    assert "13812345678" not in view.parties.text()  # the list stays masked


def test_no_reveal_button_without_the_permission(qtbot: QtBot) -> None:
    services = FakeWorkbench()
    services.reveal_fields = ()
    view = CaseFileView(services, ImmediateTaskRunner())
    qtbot.add_widget(view)
    view.open_case("case-1")
    assert not view.reveal_button.isEnabled()


def test_an_event_counted_without_its_date_says_so_in_the_timeline(
    case_file: tuple[CaseFileView, FakeWorkbench],
) -> None:
    """A 交办 replayed without an out-of-range due date (services.domain.workflow.Replay.partly)
    is shown as counted, with why, not as a conflict left out."""
    view, services = case_file
    why = "日期超出1900—2199年的范围：9999-12-31，未计入，期限按规则计算"
    assign = TimelineEntry("e2", "assign", ACTION_LABELS[Action.ASSIGN], NOW, "刘主任",
                           {"unit_name": "青山司法所"}, "", why)  # fmt: skip
    services.case = replace(services.case, timeline=(*services.case.timeline, assign))
    view.open_case("case-1")
    item = view.timeline.topLevelItem(1)
    assert item is not None
    text = item.text(3)
    assert text.startswith("【部分未计入】" + why) and "冲突" not in text
