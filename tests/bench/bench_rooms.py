"""Mediation-room benchmarks (issue 6): the conflict check and the week view.

Usage: ``python -m tests.bench.bench_rooms [--quick] [--bookings N]``.

* Conflict check of one new booking (room, two mediators, two parties) against 100,000 existing
  bookings, through ``services.rooms.rules.check_conflicts`` in a read session (budget ≤ 5 ms),
  beside the very SQL it sent replayed through a raw ``sqlite3`` connection.
* Booking one session through ``RoomService.book`` (validation, conflict check, insert, held
  spans, outbox), beside the bare INSERTs it made (no budget; informative).
* The week view drawn with 300 bookings (``CalendarGrid.grab()``, budget ≤ 100 ms), beside bare
  QPainter drawing the same 300 rectangles and texts into a QImage.
* Start-up of the rooms at 10,000 and 100,000 bookings (issue 16 #8): open the store, the first
  screen's reads and the overdue pass, beside what start-up did before (rebuilding every held
  span), which grew with the booking history.
* A week of 280 bookings loaded through ``RoomService.bookings_between`` (budget ≤ 20 ms),
  beside the very SQL it sent replayed through ``sqlite3``; the statement count is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import sys
import tempfile
from pathlib import Path

from services.domain.ids import uuid7
from services.rooms.dto import BookingInfo, BookingInput, MediatorInput, RoomInfo, RoomInput
from services.rooms.rules import check_conflicts
from services.rooms.service import RoomService
from services.setup.township import make_context, open_store, set_up_township
from services.store.engine import Store
from services.store.models import RoomBooking
from tests.bench.run import Bench, Recorder, raw_connection, replayer, report

CONFLICT_BUDGET_MS = 5.0
WEEK_LOAD_BUDGET_MS = 20.0
WEEK_BUDGET_MS = 100.0
START = dt.datetime(2020, 1, 6, 8, 0)
ROOMS = 5
FMT = "%Y-%m-%d %H:%M:%S.%f"  # SQLAlchemy's SQLite DateTime storage format


def _fill(path: Path, rooms: list[str], mediators: list[str], n: int, seed: int = 6) -> None:
    """Insert ``n`` one-hour bookings (8 a day per room) with their held spans, in bulk."""
    rng = random.Random(seed)
    conn = raw_connection(path)
    conn.execute("BEGIN")
    bookings, spans = [], []
    for i in range(n):
        day, rest = divmod(i, ROOMS * 8)
        room_i, slot = divmod(rest, 8)
        start = START + dt.timedelta(days=day, hours=slot)
        end = start + dt.timedelta(hours=1)
        bid = uuid7()
        med = mediators[rng.randrange(len(mediators))]
        people = [f"p{rng.randrange(20000)}", f"p{rng.randrange(20000)}"]
        bookings.append((bid, rooms[room_i], f"调解{i}", start.strftime(FMT), end.strftime(FMT),
                         json.dumps([med]), json.dumps(people), start.strftime(FMT)))  # fmt: skip
        for res in (f"room:{rooms[room_i]}", f"mediator:{med}", *(f"person:{p}" for p in people)):
            spans.append((uuid7(), bid, res, start.strftime(FMT), end.strftime(FMT)))
    conn.executemany(
        "INSERT INTO room_booking (id, room_id, title, start_at, end_at, status, detached,"
        " mediator_ids, person_ids, note, follow_up, created_at, revision)"
        " VALUES (?, ?, ?, ?, ?, 'booked', 0, ?, ?, '', 0, ?, 1)", bookings)  # fmt: skip
    conn.executemany("INSERT INTO booking_resource (id, booking_id, resource, start_at, end_at)"
                     " VALUES (?, ?, ?, ?, ?)", spans)  # fmt: skip
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()


def conflict_figures(bench: Bench, n: int) -> None:
    path = Path(tempfile.mkdtemp()) / "rooms.db"
    store = open_store(path)
    ctx = make_context(store)
    set_up_township(ctx, "青山镇", "620123101000")
    svc = RoomService(ctx)
    rooms = [svc.add_room(RoomInput(f"第{i + 1}调解室", open_rule="always",
                                    open_from=dt.time(0), open_to=dt.time(23, 59))).id
             for i in range(ROOMS)]  # fmt: skip
    mediators = [svc.add_mediator(MediatorInput(f"调解员{i}")).id for i in range(50)]
    _fill(path, rooms, mediators, n)
    days = n // (ROOMS * 8)
    # a new booking in the middle of the history: a free evening hour, so nothing collides
    mid = START + dt.timedelta(days=days // 2, hours=10)
    probe = RoomBooking(id=uuid7(), room_id=rooms[2], start_at=mid,
                        end_at=mid + dt.timedelta(hours=1), status="booked",
                        mediator_ids=mediators[:2],
                        person_ids=["p17", "p4242"])  # fmt: skip

    def check() -> None:
        with store.read() as session:
            check_conflicts(session, probe, svc.buffer)

    rec = Recorder(store.read_engine, store.write_engine)
    calls = rec.record(check)
    raw = raw_connection(path)
    bench.add(f"room conflict check vs {n:,} bookings", check, replayer(raw, calls),
              CONFLICT_BUDGET_MS,
              note="room + 2 mediators + 2 parties, one indexed range query")  # fmt: skip

    ctx.now = lambda: START + dt.timedelta(days=days)  # bookings within the year ahead
    slots = iter(range(10**6))

    def book() -> None:
        k = next(slots)
        day = START + dt.timedelta(days=days + 10 + k // 20, hours=(k % 20) // ROOMS)
        svc.book(BookingInput(rooms[k % ROOMS], day, day + dt.timedelta(minutes=50),
                              title="基准预约", mediator_ids=(mediators[k % 50],)))  # fmt: skip

    raw.execute("CREATE TABLE IF NOT EXISTS bench_bare (id TEXT, a TEXT, b TEXT)")

    def bare() -> None:
        raw.execute("BEGIN IMMEDIATE")
        for _ in range(3):
            raw.execute("INSERT INTO bench_bare VALUES (?, ?, ?)", (uuid7(), "x", "y"))
        raw.execute("COMMIT")

    bench.add("book one session (validate + check + insert + outbox)", book, bare, None,
              note="baseline: three bare INSERTs in one transaction")  # fmt: skip
    week_load_figure(bench, svc, store, raw, START.date() + dt.timedelta(days=days // 2), n)
    startup_figure(bench, path, n, START + dt.timedelta(days=days // 2))
    raw.close()
    store.dispose()


def week_load_figure(bench: Bench, svc: RoomService, store: Store, raw: sqlite3.Connection,
                     day: dt.date, n: int) -> None:  # fmt: skip
    monday = day - dt.timedelta(days=day.weekday())
    sunday = monday + dt.timedelta(days=6)

    def load() -> int:
        return len(svc.bookings_between(monday, sunday))

    rec = Recorder(store.read_engine, store.write_engine)
    rec.active = True
    count = load()
    rec.active = False
    bench.add(f"week load, {count} bookings of {n:,}", load, replayer(raw, list(rec.calls)),
              WEEK_LOAD_BUDGET_MS,
              note=f"{len(rec.calls)} SQL statements (902 for 300 before issue 16)")  # fmt: skip


def startup_figure(bench: Bench, path: Path, n: int, now: dt.datetime) -> None:
    """Open the store and do what the rooms do before the first screen is ready."""

    def start() -> None:
        store = open_store(path)
        ctx = make_context(store)
        ctx.now = lambda: now
        svc = RoomService(ctx)
        svc.rooms()
        svc.bookings_between(now.date(), now.date())
        svc.expire_overdue()
        svc.reminders()
        store.dispose()

    def rebuild_before() -> None:  # what every start ran before issue 16
        store = open_store(path)
        RoomService(make_context(store)).rebuild_holds()
        store.dispose()

    start()  # the first pass expires the generated history once
    bench.add(f"rooms start-up at {n:,} bookings", start, rebuild_before, None,
              note="baseline: the full rebuild of held spans every start did before")  # fmt: skip


def week_figure(bench: Bench) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QApplication

    from views.rooms.calendar import CalendarGrid

    app = QApplication.instance() or QApplication(sys.argv)
    monday = dt.date(2026, 11, 23)
    rooms = tuple(RoomInfo(f"r{i}", f"第{i + 1}调解室", "普通", 6, (), "always", "free",
                           dt.time(8), dt.time(18)) for i in range(ROOMS))  # fmt: skip
    items = []
    for i in range(300):
        day, rest = divmod(i, 43)
        room, slot = divmod(rest, 9)
        start = dt.datetime.combine(monday + dt.timedelta(days=day % 7), dt.time(8)) + dt.timedelta(
            minutes=60 * slot + 5 * (i % 3)
        )
        items.append(BookingInfo(f"b{i}", f"r{room % ROOMS}", "", None, "", f"纠纷{i}", start,
                                 start + dt.timedelta(minutes=50), "booked", (), (), (),
                                 ("张三", "李四")))  # fmt: skip
    grid = CalendarGrid()
    grid.resize(1366, 40 + 10 * 56 + 1)
    grid.set_data("week", monday, rooms, tuple(items))
    assert len(grid.bookings) == 300

    def draw() -> None:
        grid.grab()

    rects = [grid.rect_of(b.id) for b in items]

    def bare() -> None:
        img = QImage(grid.size(), QImage.Format.Format_ARGB32_Premultiplied)
        p = QPainter(img)
        p.fillRect(img.rect(), QColor("#ffffff"))
        for r, b in zip(rects, items, strict=True):
            p.fillRect(r, QColor("#2f6fb3"))
            text = f"{b.start:%H:%M}\n张三、李四"
            p.drawText(QRectF(r), int(Qt.AlignmentFlag.AlignLeft), text)
        p.end()

    bench.add(
        "week view drawn, 300 bookings",
        draw,
        bare,
        WEEK_BUDGET_MS,
        note="CalendarGrid.grab() at 1366 px; baseline: bare QPainter rects, text",
    )
    del app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--bookings", type=int, default=0, help="one size (default 10k and 100k)")
    args = parser.parse_args(argv)
    sizes = [args.bookings] if args.bookings else [10_000, 100_000]
    bench = Bench(Path("rooms.db"), {"n_cases": 0, "version": f"rooms-{max(sizes)}"},
                  args.quick)  # fmt: skip
    for n in sizes:
        conflict_figures(bench, n)
    week_figure(bench)
    report(bench)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
