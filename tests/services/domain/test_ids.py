"""UUIDv7 and hybrid logical clock."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from services.domain.hlc import HybridClock, Timestamp
from services.domain.ids import uuid7, uuid7_time_ms


def test_uuid7_version_variant_and_time() -> None:
    before = time.time_ns() // 1_000_000
    value = uuid7()
    after = time.time_ns() // 1_000_000
    parsed = uuid.UUID(value)
    assert parsed.version == 7
    assert parsed.variant == uuid.RFC_4122
    assert before <= uuid7_time_ms(value) <= after + 1


def test_uuid7_strictly_increasing_and_unique() -> None:
    values = [uuid7() for _ in range(20_000)]
    assert values == sorted(values)
    assert len(set(values)) == len(values)


def test_hlc_monotonic_when_wall_clock_goes_back() -> None:
    wall = [1_000]
    clock = HybridClock("pc-a", wall=lambda: wall[0])
    first = clock.now()
    wall[0] = 500  # the PC's clock was set back a day, say
    second = clock.now()
    assert second > first
    assert second.wall_ms == 1_000 and second.counter == 1


def test_hlc_observe_moves_past_remote() -> None:
    clock = HybridClock("pc-a", wall=lambda: 100)
    remote = Timestamp(5_000, 7, "pc-b")
    seen = clock.observe(remote)
    assert seen > remote
    assert clock.now() > seen


@given(
    st.integers(0, 10**13),
    st.integers(0, 99_999),
    st.from_regex(r"[a-z0-9-]{1,20}", fullmatch=True),
)
def test_hlc_encoding_round_trips_and_orders(wall: int, counter: int, device: str) -> None:
    stamp = Timestamp(wall, counter, device)
    assert Timestamp.decode(stamp.encode()) == stamp
    later = Timestamp(wall, counter + 1, device)
    assert stamp.encode() < later.encode()


def test_restarted_pc_with_clock_set_back_keeps_hlc_order(tmp_path: Path) -> None:
    from sqlalchemy import func, select

    from services.setup.township import make_context, open_store, set_up_township
    from services.store.models import Outbox

    store = open_store(tmp_path / "t.db")
    ctx = make_context(store)
    set_up_township(ctx, "青山镇", "620123101000")
    with store.read() as session:
        before = session.scalar(select(func.max(Outbox.hlc)))
    assert before
    store.dispose()
    again = open_store(tmp_path / "t.db")
    later = make_context(again)
    later.clock._wall = lambda: 0  # the PC's clock now reads 1970
    assert later.clock.now().encode() > before
