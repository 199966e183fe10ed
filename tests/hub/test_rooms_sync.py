"""Double bookings made on two PCs (issue 16 #3): after sync each PC holds the other's time and
shows the clash on the sync screen's conflict list, for a person to settle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select

from services.domain.dto import Changes
from services.rooms.dto import BookingConflictError, BookingInput, MediatorInput, RoomInput
from services.rooms.service import RoomService
from services.setup.township import set_up_township
from services.store.models import BookingResource
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc


def _held(pc: Pc) -> int:
    with pc.ctx.store.read() as s:
        return int(s.scalar(select(func.count()).select_from(BookingResource)) or 0)


def test_a_double_booking_from_another_pc_is_a_visible_conflict(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    a1 = pcs("a1", hub.token("青山镇调解室", TOWNSHIP_A).token)
    a2 = pcs("a2", hub.token("青山镇接待", TOWNSHIP_A).token)
    set_up_township(a1.ctx, TOWNSHIP_A[1], TOWNSHIP_A[0])
    r1, r2 = RoomService(a1.ctx), RoomService(a2.ctx)
    room = r1.add_room(RoomInput("第一调解室", open_rule="always", open_from=dt.time(0),
                                 open_to=dt.time(23, 59))).id  # fmt: skip
    mediator = r1.add_mediator(MediatorInput("王调解")).id
    a1.sync.sync_now()
    a2.sync.sync_now()
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=3), dt.time(10))
    end = start + dt.timedelta(hours=1)
    # both PCs offline at the same time: each books the room and the mediator for 10:00
    r1.book(BookingInput(room, start, end, title="宅基地纠纷", mediator_ids=(mediator,)))
    r2.book(BookingInput(room, start + dt.timedelta(minutes=30), end, title="噪音纠纷",
                         mediator_ids=(mediator,)))  # fmt: skip
    a1.sync.sync_now()
    heard: list[Changes] = []
    a2.ctx.feed.subscribe(heard.append)  # the desktop's ChangeBridge listens here
    a2.sync.sync_now()
    assert any(c.bookings for c in heard)  # the pulled booking reaches the 调解室 screen
    a1.sync.sync_now()
    for pc, svc in ((a1, r1), (a2, r2)):
        # the pulled booking holds its time here too (rebuilt inside the pull, not at start)
        assert _held(pc) == 4
        with_sync = pc.sync.conflicts()
        (c,) = [x for x in with_sync if x.kind == "booking"]
        assert "第一调解室" in c.reason and "王调解" in c.reason
        assert "宅基地纠纷" in c.reason and "噪音纠纷" in c.reason
        assert pc.sync.status().conflicts >= 1
        try:  # and the clash is refused for anything new in that hour
            svc.book(BookingInput(room, start, end, title="第三件"))
            raise AssertionError("a third booking got in")
        except BookingConflictError:
            pass
    (c,) = [x for x in a2.sync.conflicts() if x.kind == "booking"]
    a2.sync.settle_conflict(c.id)
    assert [x for x in a2.sync.conflicts() if x.kind == "booking"] == []


def _clash(hub: InProcessHub, pcs: Callable[..., Pc]) -> tuple[Pc, Pc, RoomService, RoomService]:
    a1 = pcs("a1", hub.token("青山镇调解室", TOWNSHIP_A).token)
    a2 = pcs("a2", hub.token("青山镇接待", TOWNSHIP_A).token)
    set_up_township(a1.ctx, TOWNSHIP_A[1], TOWNSHIP_A[0])
    r1, r2 = RoomService(a1.ctx), RoomService(a2.ctx)
    room = r1.add_room(RoomInput("第一调解室", open_rule="always", open_from=dt.time(0),
                                 open_to=dt.time(23, 59))).id  # fmt: skip
    mediator = r1.add_mediator(MediatorInput("王调解")).id
    a1.sync.sync_now()
    a2.sync.sync_now()
    start = dt.datetime.combine(dt.date.today() + dt.timedelta(days=3), dt.time(10))
    end = start + dt.timedelta(hours=1)
    r1.book(BookingInput(room, start, end, title="宅基地纠纷", mediator_ids=(mediator,)))
    r2.book(BookingInput(room, start + dt.timedelta(minutes=30), end, title="噪音纠纷",
                         mediator_ids=(mediator,)))  # fmt: skip
    for pc in (a1, a2, a1):
        pc.sync.sync_now()
    return a1, a2, r1, r2


def test_a_clash_from_sync_is_marked_in_the_reminders_and_settled_by_cancelling_one(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    """Issue 16 #3: both sets of parties were reminded blindly; nothing offered a way out."""
    a1, a2, r1, r2 = _clash(hub, pcs)
    day = dt.date.today() + dt.timedelta(days=3)
    for svc in (r1, r2):
        items = svc.reminders(day)
        assert len(items) == 2 and all("两台电脑同时预约" in it.attention for it in items)
        (item,) = svc.attention()  # one line per clash, naming both sides
        assert item.kind == "clash" and item.other is not None and item.conflict_id
        assert {item.booking.title, item.other.title} == {"宅基地纠纷", "噪音纠纷"}
    noise = next(b for b in r2.bookings_between(day, day) if b.title == "噪音纠纷")
    r2.cancel(noise.id)  # the one click: cancel one of the two
    assert r2.attention() == () and [x for x in a2.sync.conflicts() if x.kind == "booking"] == []
    assert all(it.attention == "" for it in r2.reminders(day))
    a2.sync.sync_now()
    a1.sync.sync_now()  # the cancellation reaches the first PC: its clash closes too
    assert r1.attention() == () and [x for x in a1.sync.conflicts() if x.kind == "booking"] == []
    assert [it.booking.title for it in r1.reminders(day)] == ["宅基地纠纷"]
