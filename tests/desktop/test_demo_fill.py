"""The first --demo start (issue 15 #7): the window first, the demo's cases in the background."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from desktop.demo_fill import DemoFiller, DemoStatus
from services.demo.township import DemoJob
from services.domain.dto import Changes
from services.setup.township import make_context, open_store
from services.store.models import Case


def test_cases_arrive_behind_the_window_and_the_screens_hear_of_them(
    qtbot: QtBot, tmp_path: Path
) -> None:
    ctx = make_context(open_store(tmp_path / "demo.db"))
    job = DemoJob(ctx, cases=30)  # the township and users: before the window is usable
    assert ctx.township_id is not None and job.made == 0
    window = QMainWindow()
    qtbot.add_widget(window)
    heard: list[Changes] = []
    ctx.feed.subscribe(heard.append)
    after: list[int] = []
    filler = DemoFiller(job, lambda j: after.append(j.made), window)
    status = DemoStatus(window.statusBar(), job.made, job.total)
    assert "0 / 30" in status.label.text() and not status.label.isHidden()
    filler.progress.connect(status.on_progress)
    filler.finished.connect(status.on_finished)
    shown: list[str] = []
    filler.progress.connect(lambda *_: shown.append(status.label.text()))
    with qtbot.waitSignal(filler.finished, timeout=120_000) as done:
        filler.start()
    assert done.args == [True] and after == [30]
    assert shown and "30 / 30" in shown[-1]
    assert any(c.slips and c.bookings for c in heard)  # the screens reload once it is complete
    with ctx.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 30
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "演示数据已生成")


def test_quitting_half_way_stops_after_a_batch(qtbot: QtBot, tmp_path: Path) -> None:
    ctx = make_context(open_store(tmp_path / "demo.db"))
    job = DemoJob(ctx, cases=200)
    after: list[int] = []
    filler = DemoFiller(job, lambda j: after.append(j.made))
    with qtbot.waitSignal(filler.progress, timeout=60_000):
        filler.start()
    with qtbot.waitSignal(filler.finished, timeout=60_000) as done:
        filler.stop()
    assert done.args == [False] and after == []  # no demo slips/bookings on half a demo
    assert 0 < job.made < 200
    assert DemoJob(ctx, cases=200).made == job.made  # the next start carries on from there
