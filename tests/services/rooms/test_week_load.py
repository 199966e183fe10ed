"""A week of bookings loads in a bounded number of SQL statements (issue 16 #8): 902 statements
for 300 bookings before; the count no longer grows with the bookings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from services.context import ServiceContext
from services.rooms.dto import BookingInput, MediatorInput, RoomInput
from services.rooms.service import RoomService
from tests.services.rooms.conftest import MON, at


@contextmanager
def counting(ctx: ServiceContext) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: object, _cur: object, statement: str, *_a: object) -> None:
        seen.append(statement)

    engines = {id(e): e for e in (ctx.store.read_engine, ctx.store.write_engine)}
    for e in engines.values():
        event.listen(e, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        for e in engines.values():
            event.remove(e, "before_cursor_execute", note)


def _fill(svc: RoomService, case: str, n: int) -> None:
    rooms = [svc.add_room(RoomInput(f"第{i}调解室", open_rule="always", open_from=dt.time(7),
                                    open_to=dt.time(21))).id for i in range(4)]  # fmt: skip
    mediators = [svc.add_mediator(MediatorInput(f"调解员{i}")).id for i in range(4)]
    for i in range(n):
        day = MON + dt.timedelta(days=i % 7)
        start = at(day, f"{8 + (i // 28) % 12:02d}:00")
        svc.book(BookingInput(rooms[(i // 7) % 4], start, start + dt.timedelta(minutes=50),
                              case_id=case if i % 2 else None, title=f"纠纷{i}",
                              person_ids=() if i % 2 else None,
                              mediator_ids=(mediators[i % 4],)))  # fmt: skip


def _statements(svc: RoomService, ctx: ServiceContext) -> int:
    with counting(ctx) as seen:
        week = svc.bookings_between(MON, MON + dt.timedelta(days=6))
    assert week
    return len(seen)


def test_week_load_statements_do_not_grow_with_bookings(
    svc: RoomService, case: str, ctx: ServiceContext
) -> None:
    _fill(svc, case, 8)
    few = _statements(svc, ctx)
    room = svc.rooms()[0].id
    for h in range(13, 20):  # 7 more bookings, all days
        for d in range(7):
            start = at(MON + dt.timedelta(days=d), f"{h:02d}:00")
            svc.book(BookingInput(room, start, start + dt.timedelta(minutes=30), title="加约"))
    many = _statements(svc, ctx)
    assert many == few <= 6


def test_week_load_reads_what_one_booking_reads(
    svc: RoomService, case: str, ctx: ServiceContext
) -> None:
    """The week's rows are decoded from stored text (times, id lists) for speed: every field
    equals what the ORM path (booking_info) gives, cancelled and party-less bookings too."""
    from services.rooms.info import booking_info
    from services.store.models import RoomBooking

    _fill(svc, case, 10)
    first = svc.bookings_between(MON, MON)[0]
    svc.cancel(first.id)
    room = svc.rooms()[0].id
    svc.book(BookingInput(room, at(MON, "20:00"), at(MON, "20:30"), case_id=case, note="带证"))
    week = svc.bookings_between(MON, MON + dt.timedelta(days=6), include_cancelled=True)
    assert len(week) == 11 and {b.status for b in week} == {"booked", "cancelled"}
    assert any(not b.person_ids for b in week) and any(b.party_names for b in week)
    with ctx.store.read() as session:
        rows = [session.get(RoomBooking, b.id) for b in week]
        one_by_one = [booking_info(session, r) for r in rows if r is not None]
    assert list(week) == one_by_one
    assert all(isinstance(b.start, dt.datetime) and b.start.tzinfo is None for b in week)
