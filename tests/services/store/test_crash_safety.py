"""Crash safety (issue 11 part 5): a process killed with SIGKILL at any moment of a burst of
slips or room bookings leaves a sound file, every acknowledged slip or booking, and no slip number
handed out twice (the next slip after the crash gets a fresh number too)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.reception.registration import register_walk_in
from services.rooms.dto import RoomInput
from services.rooms.service import RoomService
from services.store import sealed
from tests.killed import REPO, kill_when

PRELUDE = """
import datetime as dt, hashlib, sys
sys.path.insert(0, {repo!r})
from services.store import sealed
from services.setup.township import make_context
from services.store.engine import Store

sealed.install(sealed.KeySet.from_json({keys!r}))
store = Store({path!r})
ctx = make_context(store)
ctx.now = lambda: dt.datetime(2026, 11, 20, 10, 0)
"""

SLIPS = """
from services.slips.dto import IssueRequest, RenderedPdf
from services.slips.service import SlipService

def render(doc, options):
    data = doc.number.encode()
    return RenderedPdf(data, hashlib.sha256(data).hexdigest(), 1)

slips = SlipService(ctx, render)
request = IssueRequest({case_id!r}, "acceptance", {{"handler": "王接待"}})
print("ready", flush=True)
while True:
    print(slips.issue(request).slip.number, flush=True)
"""

BOOKINGS = """
from services.rooms.dto import BookingInput
from services.rooms.service import RoomService

rooms = RoomService(ctx)
day = dt.datetime(2026, 11, 23, 9, 0)
print("ready", flush=True)
i = 0
while True:
    start = day + dt.timedelta(days=i // 8, hours=i % 8)
    i += 1
    result = rooms.book(BookingInput({room_id!r}, start, start + dt.timedelta(minutes=50),
                                     title="调解", case_id={case_id!r}))
    print(result.booking.id, flush=True)
"""


def _burst(script: str, wanted: int) -> tuple[list[str], str]:
    """Run ``script`` until it acknowledged ``wanted`` items, SIGKILL it, return what it said."""
    killed = kill_when(script, lambda said: len(said) > wanted)
    assert killed.said[:1] == ["ready"], killed.stderr[-2000:]
    acknowledged = killed.said[1:]
    assert len(acknowledged) >= wanted, killed.stderr[-2000:]
    return acknowledged, killed.stderr


def _sound(db: Path) -> sa.Engine:
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert c.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    return engine


def _keys() -> str:
    keys = sealed.installed()
    assert keys is not None
    return keys.to_json()


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_acknowledged_slips_survive_sigkill_and_no_number_is_reused(
    ctx: ServiceContext, db_path: Path, walk_in: Callable[..., WalkInInput], seed: int
) -> None:
    case_id = register_walk_in(ctx, walk_in()).case_id
    ctx.store.dispose()
    wanted = random.Random(seed).randrange(5, 40)  # a different moment each run
    script = PRELUDE.format(repo=str(REPO), keys=_keys(), path=str(db_path)) + SLIPS.format(
        case_id=case_id
    )
    acknowledged, _err = _burst(script, wanted)
    number_re = re.compile(r".+〔2026〕(\d+)号")
    acknowledged = [a for a in acknowledged if number_re.fullmatch(a)]
    engine = _sound(db_path)
    try:
        with engine.connect() as c:
            rows = c.exec_driver_sql("SELECT number, seq, case_id FROM slip").all()
            whole = c.exec_driver_sql(
                "SELECT count(*) FROM slip s WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE "
                "o.entity = 'slip' AND o.entity_id = s.id AND o.op = 'insert')"
            ).scalar()
    finally:
        engine.dispose()
    numbers = [r[0] for r in rows]
    assert set(acknowledged) <= set(numbers)
    assert len(numbers) == len(set(numbers)), "a slip number was stored twice"
    assert sorted(r[1] for r in rows) == list(range(1, len(rows) + 1))
    assert whole == 0  # every stored slip has its outbox row: nothing half-saved
    # the first slip after the crash takes the next number, never one already used
    from services.setup.township import make_context, open_store
    from services.slips.dto import IssueRequest, RenderedPdf
    from services.slips.service import SlipService

    store = open_store(db_path)
    try:
        again = make_context(store)
        again.now = ctx.now
        slips = SlipService(again, lambda doc, _o: RenderedPdf(b"x", "0" * 64, 1))
        fresh = slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"})).slip
    finally:
        store.dispose()
    assert fresh.number not in numbers
    match = number_re.fullmatch(fresh.number)
    assert match is not None and int(match.group(1)) == len(rows) + 1


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_acknowledged_bookings_survive_sigkill(
    ctx: ServiceContext, db_path: Path, walk_in: Callable[..., WalkInInput], seed: int
) -> None:
    case_id = register_walk_in(ctx, walk_in()).case_id
    room_id = RoomService(ctx).add_room(RoomInput("第一调解室", open_rule="always")).id
    ctx.store.dispose()
    wanted = random.Random(seed).randrange(5, 40)
    script = PRELUDE.format(repo=str(REPO), keys=_keys(), path=str(db_path)) + BOOKINGS.format(
        room_id=room_id, case_id=case_id
    )
    acknowledged, _err = _burst(script, wanted)
    uuid_re = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    acknowledged = [a for a in acknowledged if uuid_re.fullmatch(a)]
    engine = _sound(db_path)
    try:
        with engine.connect() as c:
            ids = set(c.exec_driver_sql("SELECT id FROM room_booking").scalars())
            overlapping = c.exec_driver_sql(
                "SELECT count(*) FROM room_booking a JOIN room_booking b ON a.id < b.id AND "
                "a.room_id = b.room_id AND a.start_at < b.end_at AND b.start_at < a.end_at"
            ).scalar()
            orphans = c.exec_driver_sql(
                "SELECT count(*) FROM room_booking r WHERE NOT EXISTS (SELECT 1 FROM outbox o "
                "WHERE o.entity = 'room_booking' AND o.entity_id = r.id AND o.op = 'insert')"
            ).scalar()
    finally:
        engine.dispose()
    assert set(acknowledged) <= ids
    assert overlapping == 0 and orphans == 0
