"""The case file lists its bookings, session records and agreements (issue 16 #2), with links."""

from __future__ import annotations

import datetime as dt

from pytestqt.qtbot import QtBot

from services.rooms.dto import AgreementInfo, BookingInfo, CaseMediation, SessionInfo
from tests.views.fakes import FakeWorkbench
from ui.tasks import ImmediateTaskRunner
from views.cases.case_file import CaseFileView

START = dt.datetime(2026, 11, 23, 9, 0)


def _file(case_id: str) -> CaseMediation:
    b = BookingInfo("b1", "r1", "第一调解室", case_id, "C-1", "C-1 宅基地纠纷", START,
                    START + dt.timedelta(hours=1), "finished", ("m1",), ("王调解",), ("p1",),
                    ("张三",))  # fmt: skip
    voided = SessionInfo("s1", case_id, 1, START, "王调解", "面对面", "达成", None, (), "b1", True)
    live = SessionInfo("s2", case_id, 2, START, "王调解", "面对面", "达成", None, (), "b1")
    agreement = AgreementInfo("a1", "（2026）人调协字第1号", "s2", False, START.date())
    return CaseMediation(case_id, (b,), (voided, live), (agreement,))


def test_case_file_lists_bookings_sessions_agreements(qtbot: QtBot) -> None:
    asked: list[str] = []

    def mediation(case_id: str) -> CaseMediation:
        asked.append(case_id)
        return _file(case_id)

    view = CaseFileView(FakeWorkbench(), ImmediateTaskRunner(), mediation=mediation)
    qtbot.add_widget(view)
    view.open_case("case-1")
    assert asked == ["case-1"]
    items = [view.mediation.topLevelItem(i) for i in range(view.mediation.topLevelItemCount())]
    rows = [[item.text(c) for c in range(3)] for item in items if item is not None]
    assert rows[0][0] == "预约" and "第一调解室 已结束 王调解" in rows[0][2]
    assert rows[1][0] == "第1次调解" and "已作废" in rows[1][2]
    assert rows[2][0] == "第2次调解" and rows[2][2].startswith("达成")
    assert rows[3] == ["调解协议书", "2026-11-23", "（2026）人调协字第1号"]
    with qtbot.wait_signal(view.booking_opened) as blocker:
        view.mediation.itemActivated.emit(view.mediation.topLevelItem(3), 0)
    assert blocker.args == ["b1", START]  # the agreement opens its session's booking
