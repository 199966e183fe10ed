"""The 同步 screen with a typed fake sync service and the immediate task runner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontDatabase
from pytestqt.qtbot import QtBot

from desktop.controllers import SyncController, wire_sync_view
from services.domain.dto import Changes
from services.domain.errors import OfflineError
from services.sync.dto import ConflictItem, OutboxItem, ParkedItem, SyncReport, SyncStatus
from ui.tasks import ImmediateTaskRunner
from views.sync.view import SyncView

AT = dt.datetime(2026, 11, 22, 9, 30)
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


class FakeSyncService:
    """Canned answers; records the calls the screen makes."""

    def __init__(self) -> None:
        self.failures = 0
        self.calls: list[str] = []
        self.fail_with: Exception | None = None
        self.state = "ok"
        self.quarantined = [
            OutboxItem(
                "q-1",
                "case_event",
                "案件流转记录",
                "ev-1",
                "insert",
                AT,
                "quarantined",
                "该记录不属于本乡镇，无权写入",
                403,
            )
        ]
        self.conflict_items = [
            ConflictItem(
                "c-1",
                "field",
                "person",
                "人员",
                "p-1",
                "phone",
                "13900000002",
                "13900000001",
                "pc-a2",
                "pc-a1",
                "同一字段在两台设备上被同时修改",
                AT,
                "open",
                None,
                None,
            ),
            ConflictItem(
                "event:e-9",
                "event",
                "case_event",
                "案件流转记录",
                "e-9",
                "",
                None,
                {"action": "close", "label": "办结"},
                "",
                "",
                "案件当前状态为“已作废”，不能执行“办结”操作",
                AT,
                "open",
                "case-1",
                "620123101000-2026-000007",
            ),
        ]

    def status(self) -> SyncStatus:
        return SyncStatus(
            self.state,
            AT,
            AT,
            pending=3,
            quarantined=len(self.quarantined),
            conflicts=len(self.conflict_items),
            parked=1,
            message="无法连接县级平台，稍后将自动重试" if self.state == "offline" else "",
            scope="township",
            clock_skew_ms=9 * 60_000,
        )

    def sync_now(self) -> SyncReport:
        self.calls.append("sync")
        if self.fail_with is not None:
            self.state = "offline"
            raise self.fail_with
        return SyncReport(2, 0, 0, 5, 0, 0, 0, 0, 0, self.status())

    def full_resync(self) -> SyncReport:
        self.calls.append("full")
        return self.sync_now()

    def outbox_items(self, status: str = "pending", limit: int = 500) -> tuple[OutboxItem, ...]:
        if status == "quarantined":
            return tuple(self.quarantined)
        return tuple(
            OutboxItem(
                f"p-{i}", "case_file", "案件", f"case-{i}", "update", AT, "pending", "", None
            )
            for i in range(3)
        )

    def conflicts(self, *, include_settled: bool = False) -> tuple[ConflictItem, ...]:
        return tuple(self.conflict_items)

    def parked(self) -> tuple[ParkedItem, ...]:
        return (ParkedItem("slip_print", "sp-1", "关联记录尚未同步（slip sp-0）", AT),)

    def requeue(self, change_id: str) -> str:
        self.calls.append(f"requeue:{change_id}")
        self.quarantined = []
        return "new"

    def settle_conflict(self, conflict_id: str, *, use_lost_value: bool = False) -> Changes:
        self.calls.append(f"settle:{conflict_id}:{use_lost_value}")
        self.conflict_items = [c for c in self.conflict_items if c.id != conflict_id]
        return Changes()


@pytest.fixture
def view(qtbot: QtBot) -> tuple[SyncView, FakeSyncService]:
    service = FakeSyncService()
    widget = SyncView(service, ImmediateTaskRunner())
    qtbot.add_widget(widget)
    controller = SyncController(service, ImmediateTaskRunner(), parent=widget)
    wire_sync_view(widget, controller)
    widget.controller = controller  # type: ignore[attr-defined]
    return widget, service


def _timer(widget: SyncView) -> QTimer:
    controller: SyncController = widget.controller  # type: ignore[attr-defined]
    return controller.timer


def test_counts_and_lists_are_shown(view: tuple[SyncView, FakeSyncService]) -> None:
    widget, _service = view
    assert widget._labels["pending"].text() == "3"
    assert widget._labels["conflicts"].text() == "2"
    assert widget._labels["quarantined"].text() == "1"
    assert widget._labels["last"].text() == "2026-11-22 09:30"
    assert "时钟" in widget._message.text()  # 9 minutes off: warn
    assert widget._models["pending"].rowCount() == 3
    assert widget._models["conflicts"].rowCount() == 2


def test_sync_button_runs_the_service_and_reports(
    qtbot: QtBot, view: tuple[SyncView, FakeSyncService]
) -> None:
    widget, service = view
    controller: SyncController = widget.controller  # type: ignore[attr-defined]
    with qtbot.wait_signal(controller.synced) as blocker:
        widget._sync_button.click()
    assert service.calls == ["sync"] and blocker.args[0].pulled == 5
    assert widget._sync_button.isEnabled()
    assert _timer(widget).isActive()  # next background sync scheduled (by the controller)


def test_offline_is_a_visible_retrying_state(
    qtbot: QtBot, view: tuple[SyncView, FakeSyncService]
) -> None:
    widget, service = view
    service.fail_with = OfflineError("sync.unreachable", "无法连接县级平台，稍后将自动重试")
    with qtbot.wait_signal(widget.status_changed) as blocker:
        widget.sync_now()
    assert blocker.args[0].state == "offline"
    assert "稍后自动重试" in widget._labels["state"].text()
    assert _timer(widget).isActive() and _timer(widget).interval() <= 30_000


def test_requeue_and_settle(view: tuple[SyncView, FakeSyncService]) -> None:
    widget, service = view
    widget._tabs.setCurrentIndex(2)
    widget._tables["quarantined"].selectRow(0)
    assert widget._requeue_button.isEnabled()
    widget._requeue_button.click()
    assert "requeue:q-1" in service.calls and widget._labels["quarantined"].text() == "0"
    widget._tabs.setCurrentIndex(1)
    widget._tables["conflicts"].selectRow(1)  # an event conflict: only acknowledge it
    assert widget._keep_button.isEnabled() and not widget._restore_button.isEnabled()
    widget._tables["conflicts"].selectRow(0)
    widget._restore_button.click()
    assert "settle:c-1:True" in service.calls


def test_render_to_png(view: tuple[SyncView, FakeSyncService], tmp_path: Path) -> None:
    widget, _service = view
    if FONT.exists():
        QFontDatabase.addApplicationFont(str(FONT))
    widget._tabs.setCurrentIndex(1)
    widget.resize(900, 560)
    widget.show()
    out = Path(__import__("os").environ.get("SYNC_VIEW_PNG", str(tmp_path / "sync_view.png")))
    assert widget.grab().save(str(out))
    assert out.stat().st_size > 0
