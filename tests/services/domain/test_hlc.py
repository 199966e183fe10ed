"""The hybrid logical clock's reading of the county hub's time (services.domain.hlc)."""

from __future__ import annotations

from services.domain.hlc import JUMP_MS, HybridClock


def test_the_hub_offset_follows_a_jump_of_the_wall_clock_but_not_noise() -> None:
    """Learned while this PC was 400 days fast, the offset is -400 days; when the user sets the
    clock right (the wall jumps back, the steady clock runs on), the hub's time read is still the
    hub's: the offset is then 0. A step under JUMP_MS (time-service slewing) changes nothing."""
    day = 86_400_000
    wall, steady = [1_800_000_000_000 + 400 * day], [5_000]
    clock = HybridClock("pc", wall=lambda: wall[0], steady=lambda: steady[0])
    clock.offset_ms = -400 * day
    hub = wall[0] - 400 * day
    wall[0] += 60_000
    steady[0] += 60_000
    assert clock.wall_ms() == hub + 60_000
    wall[0] -= 400 * day  # set right
    assert clock.offset_ms == 0 and clock.wall_ms() == hub + 60_000
    clock.offset_ms = 3_000  # learned afresh at the next sync: anchored there
    assert clock.offset_ms == 3_000
    wall[0] += JUMP_MS - 1  # a step under JUMP_MS: noise, the learned offset stands
    assert clock.offset_ms == 3_000
    wall[0] += 1
    assert clock.offset_ms == 3_000 - JUMP_MS
