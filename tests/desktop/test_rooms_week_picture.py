"""Proof for issue 16 #7: the week view with 40 bookings in 4 rooms, an evening (19:00) and an
early (07:15) session, on the whole shell at 1366×728 (a 1366×768 screen less the taskbar).

Every block is readable (time, title, party and mediator, not "…"), every room is named, the
calendar fits without a sideways scroll, the hours hold every booking. ``ZZ_PROOF_DIR`` keeps the
picture (the report's PNG); otherwise it goes to the test's temporary folder.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QScrollArea
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from services.domain.errors import ServiceError
from services.rooms.dto import (
    BookingConflictError,
    BookingInfo,
    BookingInput,
    MediatorInput,
    RoomInput,
)
from services.rooms.service import RoomService
from services.store.models import Case
from tests.desktop.shell import demo_window
from views.rooms.calendar import CalendarGrid

TIMES = ((9, 0, 60), (10, 30, 60), (14, 0, 90), (15, 45, 60))


class _Booker:
    """Books for the next open case with a free mediator (demo cases may be closed or busy)."""

    def __init__(self, svc: RoomService, cases: list[str], mediators: list[str]) -> None:
        self.svc, self.cases, self.mediators, self.n = svc, cases, mediators, 0

    def book(self, room_id: str, start: dt.datetime, minutes: int) -> None:
        for _attempt in range(12):
            self.n += 1
            mediator = self.mediators[self.n % len(self.mediators)]
            form = BookingInput(room_id, start, start + dt.timedelta(minutes=minutes),
                                case_id=self.cases[self.n % len(self.cases)],
                                mediator_ids=(mediator,))  # fmt: skip
            try:
                self.svc.book(form)
            except BookingConflictError as exc:
                if any(c.kind == "room" for c in exc.collisions):
                    return  # the demo's own booking holds this slot: it is shown too
                continue
            except ServiceError:
                continue
            return
        raise AssertionError(f"nothing free at {start}")


def _fill_week(svc: RoomService, monday: dt.date) -> None:
    """40 bookings Monday–Friday in 4 rooms (each for a case, with a mediator), 2 per room a day,
    plus a 19:00 and a 07:15 session in the evening room."""
    rooms = list(svc.rooms())
    while len(rooms) < 4:
        rooms.append(svc.add_room(RoomInput("夜间调解室", open_rule="always", open_from=dt.time(7),
                                            open_to=dt.time(21))))  # fmt: skip
    mediators = [m.id for m in svc.mediators()]
    mediators += [svc.add_mediator(MediatorInput(n)).id for n in ("赵明", "孙丽", "周建华", "吴芳")]
    with svc.ctx.store.read() as session:
        cases = list(session.scalars(select(Case.id).where(Case.closed_at.is_(None))))
    booker = _Booker(svc, cases, mediators)
    for d in range(5):
        for ri, room in enumerate(rooms):
            for k in range(2):
                h, m, minutes = TIMES[(k * 2 + ri + d) % 4]
                start = dt.datetime.combine(monday + dt.timedelta(days=d), dt.time(h, m))
                booker.book(room.id, start, minutes)
    wednesday = monday + dt.timedelta(days=2)
    booker.book(rooms[3].id, dt.datetime.combine(wednesday, dt.time(19)), 90)
    booker.book(rooms[3].id, dt.datetime.combine(wednesday, dt.time(7, 15)), 45)


def _readable(grid: CalendarGrid, b: BookingInfo) -> None:
    lines = grid.block_lines(b)
    text = "\n".join(lines)
    assert f"{b.start:%H:%M}" in text, (b.title, lines)
    title = b.title.removeprefix(b.case_code).strip()  # "<case code> <case title>"
    assert title[:4] in text, (b.title, lines)
    assert all(p in text for p in b.party_names[:1]), (b.party_names, lines)
    assert all(m in text for m in b.mediator_names), (b.mediator_names, lines)


def test_week_of_40_bookings_in_4_rooms_is_readable_at_1366(qtbot: QtBot, tmp_path: Path) -> None:
    china = QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    before = QLocale()
    QLocale.setDefault(china)  # as ui.i18n installs it for the Chinese interface
    try:
        _week_picture(qtbot, tmp_path)
    finally:
        QLocale.setDefault(before)


def _week_picture(qtbot: QtBot, tmp_path: Path) -> None:
    window = demo_window(tmp_path, cases=60)
    qtbot.add_widget(window)
    svc = window._rooms
    assert svc is not None and window.rooms_view is not None
    today = svc.ctx.now().date()
    monday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=7)
    _fill_week(svc, monday)
    window.show()
    window.setGeometry(0, 0, 1366, 728)
    window.show_screen("rooms")
    view = window.rooms_view
    view.anchor = monday
    view.set_mode("week")
    for _ in range(5):
        QApplication.processEvents()
    folder = Path(os.environ.get("ZZ_PROOF_DIR") or tmp_path)
    assert window.grab().save(str(folder / "rooms-week-1366x728.png"))
    grid = view.calendar
    viewport = grid.parentWidget()
    scroll = viewport.parentWidget() if viewport is not None else None
    assert isinstance(scroll, QScrollArea)
    assert scroll.horizontalScrollBar().maximum() == 0, (grid.width(), scroll.width())
    shown = [b for b in grid.bookings if b.start.date() >= monday and b.status == "booked"]
    assert len(shown) >= 42
    for b in shown:
        r = grid.rect_of(b.id)
        assert not r.isNull() and r.left() >= 0 and r.right() <= grid.width(), b.title
        _readable(grid, b)
    assert [n for n, _r in grid.room_label_rects()] == grid.room_label_texts()  # never cut
    assert len(grid.room_label_texts()) == 4
    evening = [b for b in shown if b.start.hour in (7, 19)]
    assert len(evening) == 2
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
    QApplication.processEvents()
    for b in evening:  # the evening room's row is reached by scrolling down (never sideways)
        corner = grid.rect_of(b.id).toRect().topLeft()
        assert scroll.viewport().rect().contains(grid.mapTo(scroll.viewport(), corner))
    assert window.grab().save(str(folder / "rooms-week-1366x728-scrolled.png"))
    view.anchor = evening[0].start.date()
    view.set_mode("day")
    QApplication.processEvents()
    assert scroll.horizontalScrollBar().maximum() == 0
    assert (grid.hour_from, grid.hour_to) == (7, 21)
    assert window.grab().save(str(folder / "rooms-day-1366x728.png"))
