"""One way for changes to reach the screens (issue 9 part 2), and background work outside views.

Rooms and slips changes were dropped (the 调解室 screen was connected to nothing); the sync
timer, the rooms' expiry timer and the overdue scan lived inside widgets.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from desktop.controllers import BackgroundJobs, ChangeBridge, SyncController
from desktop.main_window import MainWindow
from desktop.settings import Settings
from services.api import Workbench
from services.context import ServiceContext
from services.domain.dto import Changes, PartyInput, WalkInInput
from services.reception.registration import register_walk_in
from services.rooms.dto import BookingInput, RoomInput
from services.rooms.service import RoomService
from services.setup.township import make_context, open_store, set_up_township
from tests.desktop.shell import demo_window
from tests.views.test_slips_view import FakeSlips, info
from tests.views.test_sync_view import FakeSyncService
from ui.tasks import ImmediateTaskRunner
from views.slips.issue_dialog import IssueSlipDialog

NOW = dt.datetime(2026, 11, 20, 10, 0)  # a Friday
MON = dt.date(2026, 11, 23)


def _context(tmp_path: Path) -> tuple[ServiceContext, str]:
    ctx = make_context(open_store(tmp_path / "t.db"))
    set_up_township(ctx, "青山镇", "620123101000")
    ctx.now = lambda: NOW
    form = WalkInInput(parties=(PartyInput(name="张三", phone="13812345678"),),
                       summary="与邻居因宅基地边界发生争执", category_code="0202",
                       disposition="accepted")  # fmt: skip
    return ctx, register_walk_in(ctx, form).case_id


def _book(rooms: RoomService, case_id: str, start: dt.datetime) -> str:
    room = rooms.add_room(RoomInput("第一调解室", open_rule="always")).id
    form = BookingInput(room, start, start + dt.timedelta(hours=1), case_id=case_id)
    return rooms.book(form).booking.id


def test_a_rooms_booking_and_a_slip_issue_reach_app_events_changed(
    qtbot: QtBot, tmp_path: Path
) -> None:
    ctx, case_id = _context(tmp_path)
    rooms = RoomService(ctx)
    booking_id = _book(rooms, case_id, dt.datetime.combine(MON, dt.time(9)))
    services = Workbench(ctx, rooms=rooms)
    window = MainWindow(Settings())
    qtbot.add_widget(window)
    window.attach(services, ImmediateTaskRunner(), rooms=rooms, slips=FakeSlips([info(1)]))
    view = window.rooms_view
    assert view is not None
    view.go_to(MON)
    view.select_booking(booking_id)
    view.confirm = lambda _text: True
    heard: list[Changes] = []
    window.events.changed.connect(heard.append)
    view.cancel_btn.click()  # the real RoomService.cancel, through the screen
    assert Changes(frozenset({case_id}), bookings=True) in heard
    heard.clear()
    dialog = window.issue_slip("c1", "supervision")
    assert isinstance(dialog, IssueSlipDialog)
    dialog._on_issue_clicked()
    assert Changes(frozenset({"c1"})) in heard


def test_background_jobs_run_with_no_view_constructed(qtbot: QtBot, tmp_path: Path) -> None:
    ctx, case_id = _context(tmp_path)
    rooms = RoomService(ctx)
    booking_id = _book(rooms, case_id, dt.datetime.combine(MON, dt.time(9)))
    ctx.now = lambda: dt.datetime.combine(MON + dt.timedelta(days=1), dt.time(8))  # day over
    scans: list[dict[str, int]] = []

    def scan() -> dict[str, int]:
        scans.append(Workbench(ctx).run_overdue_scan())
        return scans[-1]

    bridge = ChangeBridge(ctx.feed)
    jobs = BackgroundJobs(ImmediateTaskRunner(), scan, rooms.expire_overdue)
    with qtbot.wait_signal(bridge.changed, timeout=1000) as blocker:
        jobs.start()
    assert len(scans) == 1 and jobs.scan_timer.isActive() and jobs.rooms_timer.isActive()
    assert blocker.args == [Changes(frozenset({case_id}), bookings=True)]  # missed: 过期未到
    assert [b.id for b in rooms.follow_ups()] == [booking_id]
    sync = FakeSyncService()
    controller = SyncController(sync, ImmediateTaskRunner())
    with qtbot.wait_signal(controller.synced, timeout=1000):
        controller.start(first_ms=0)
    assert sync.calls == ["sync"] and controller.timer.isActive()  # the next one is scheduled
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    assert not [w for w in app.allWidgets() if type(w).__module__.startswith("views.")]
    jobs.stop()
    controller.stop()
    bridge.close()


DEBOUNCE_MS = 1000
# A screen's own display timers (a debounce, a clock of what it shows) are fine; a repeating
# timer that changes data or talks to the hub belongs to desktop.controllers.
DISPLAY_TIMERS = {
    ("ReceptionView", 60_000),  # 今日调解: drops sessions already over as the clock passes them
}


def test_no_view_runs_a_repeating_timer_for_background_work(qtbot: QtBot, tmp_path: Path) -> None:
    window = demo_window(tmp_path, cases=20)  # the size other shell tests use: made once
    qtbot.add_widget(window)
    found = []
    for page in window.pages.values():
        for timer in page.findChildren(QTimer):
            if timer.isSingleShot() and timer.interval() <= DEBOUNCE_MS:
                continue  # a debounce of typing
            owner = timer.parent()
            found.append((type(owner).__name__ if isinstance(owner, QWidget) else "?",
                          timer.interval()))  # fmt: skip
    assert set(found) <= DISPLAY_TIMERS, found
    assert window.jobs.scan_timer.isActive() and window.jobs.rooms_timer.isActive()


def test_the_automatic_backup_runs_at_start_and_its_failure_reaches_the_status_bar(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Issue 11 #4: the day's backup is tried at start and every hour off the GUI thread; a
    folder that cannot be written is said in Chinese, never silently skipped."""
    from desktop.app import _backup_job
    from services.backup.service import list_backups

    ctx, _case = _context(tmp_path)
    db = ctx.store.path
    assert db is not None
    jobs = BackgroundJobs(ImmediateTaskRunner(), lambda: None)
    jobs.add_backup(_backup_job(db, Settings(backup_folder=str(tmp_path / "备份 文件夹"))))
    assert jobs.backup_timer.isActive()
    assert len(list_backups(tmp_path / "备份 文件夹")) == 1
    jobs.run_backup()  # an hour later: not due again the same day
    assert len(list_backups(tmp_path / "备份 文件夹")) == 1
    blocked = tmp_path / "a file"
    blocked.write_text("x")
    said: list[str] = []
    jobs.failed.connect(said.append)
    jobs.add_backup(_backup_job(db, Settings(backup_folder=str(blocked / "sub"))))
    assert said and "自动备份失败" in said[0]
    jobs.stop()
    ctx.store.dispose()


def test_the_wal_is_checkpointed_every_two_seconds_on_a_worker_of_its_own(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Registration p95: the commit that passed 1,000 WAL pages checkpointed inline (100-400 ms
    with FULL sync on a busy disk). The app defers that to a job on the ``io`` worker."""
    from typing import Any

    ran: list[str] = []

    class Recording(ImmediateTaskRunner):
        def run(self, fn: Any, on_done: Any = None, on_error: Any = None, *,
                pool: str = "db") -> None:  # fmt: skip
            ran.append(pool)
            super().run(fn, on_done, on_error, pool=pool)

    ctx, _case = _context(tmp_path)
    ctx.store.defer_checkpoints()
    jobs = BackgroundJobs(Recording(), lambda: None)
    done: list[tuple[int, int, int]] = []
    jobs.add_checkpoint(lambda: done.append(ctx.store.checkpoint()))
    assert jobs.checkpoint_timer.isActive() and jobs.checkpoint_timer.interval() == 2000
    party = PartyInput(name="张三", phone="13812345678")
    form = WalkInInput(parties=(party,), summary="邻里纠纷", category_code="0202",
                       disposition="accepted")  # fmt: skip
    register_walk_in(ctx, form)
    jobs.run_checkpoint()
    assert ran == ["io"] and done[0][0] == 0 and done[0][1] == done[0][2] > 0  # all copied
    jobs.stop()
    ctx.store.dispose()
