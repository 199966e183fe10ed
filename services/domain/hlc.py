"""Hybrid logical clock (混合逻辑时钟): orders events across PCs without trusting wall time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, order=True, slots=True)
class Timestamp:
    """One HLC reading: physical milliseconds, a logical counter and the device that made it."""

    wall_ms: int
    counter: int
    device: str

    def encode(self) -> str:
        """Fixed-width text form whose string order equals timestamp order."""
        return f"{self.wall_ms:013d}-{self.counter:010d}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> Timestamp:
        wall, counter, device = text.split("-", 2)
        return cls(int(wall), int(counter), device)


JUMP_MS = 2000  # a wall clock moved by less than this since the offset was learned: noise


def steady_ms() -> int:
    """Milliseconds on a clock no user or time service sets: Linux's boot time (it runs on through
    a suspend, as Windows' monotonic clock does), else the monotonic clock."""
    boot = getattr(time, "CLOCK_BOOTTIME", None)
    if boot is not None:
        return time.clock_gettime_ns(boot) // 1_000_000
    return time.monotonic_ns() // 1_000_000


class HybridClock:
    """HLC per Kulkarni et al. 2014: ``now()`` for local events, ``observe()`` for received ones."""

    def __init__(self, device: str, wall: Callable[[], int] | None = None,
                 steady: Callable[[], int] | None = None) -> None:  # fmt: skip
        self._device = device
        self._wall = wall or (lambda: time.time_ns() // 1_000_000)
        self._steady = steady or steady_ms
        self._last = Timestamp(0, 0, device)
        self._lock = threading.Lock()
        self._offset_ms = 0
        self._anchor: tuple[int, int] | None = None  # (wall, steady) when the offset was learned

    @property
    def offset_ms(self) -> int:
        """The county hub's time minus this PC's (learned at each sync): a PC whose clock is
        wrong still stamps the hub's time, so its changes are neither refused nor dragging.

        Less any jump of this PC's wall clock since it was learned (the user set the clock right,
        or wrong): measured against a clock nobody sets, so the hub's time read between the jump
        and the next sync is still the hub's, not off by the old error (last year's case codes).
        """
        if self._anchor is None:
            return self._offset_ms
        wall0, steady0 = self._anchor
        jump = (self._wall() - wall0) - (self._steady() - steady0)
        return self._offset_ms - jump if abs(jump) >= JUMP_MS else self._offset_ms

    @offset_ms.setter
    def offset_ms(self, value: int) -> None:
        self._offset_ms = value
        self._anchor = (self._wall(), self._steady())

    @property
    def device(self) -> str:
        return self._device

    @property
    def last(self) -> Timestamp:
        return self._last

    def local_ms(self) -> int:
        """This PC's own wall time, uncorrected: what the hub offset is measured against."""
        return self._wall()

    def wall_ms(self) -> int:
        """This PC's wall time corrected by the hub offset."""
        return self._wall() + self.offset_ms

    def rebase(self, floor: Timestamp) -> None:
        """Forget stamps handed out ahead of time (a clock that was fast, now fixed): carry on
        from ``floor`` (the highest stamp the hub accepted), never below it."""
        with self._lock:
            self._last = Timestamp(floor.wall_ms, floor.counter, self._device)

    def now(self) -> Timestamp:
        with self._lock:
            wall = self.wall_ms()
            if wall > self._last.wall_ms:
                self._last = Timestamp(wall, 0, self._device)
            else:
                self._last = Timestamp(self._last.wall_ms, self._last.counter + 1, self._device)
            return self._last

    def observe(self, remote: Timestamp) -> Timestamp:
        """Advance past a timestamp received from another device."""
        with self._lock:
            wall = self.wall_ms()
            top = max(wall, self._last.wall_ms, remote.wall_ms)
            if top == self._last.wall_ms == remote.wall_ms:
                counter = max(self._last.counter, remote.counter) + 1
            elif top == self._last.wall_ms:
                counter = self._last.counter + 1
            elif top == remote.wall_ms:
                counter = remote.counter + 1
            else:
                counter = 0
            self._last = Timestamp(top, counter, self._device)
            return self._last
