"""The booking dialog: never a default time already past; a far date needs a confirmation."""

from __future__ import annotations

import datetime as dt

from views.rooms.dialogs import default_start

DAY = dt.date(2026, 12, 4)


def test_the_default_start_is_nine_when_the_morning_is_ahead() -> None:
    assert default_start(DAY, dt.datetime(2026, 12, 4, 8, 10)) == dt.datetime(2026, 12, 4, 9)
    assert default_start(dt.date(2026, 12, 7), dt.datetime(2026, 12, 4, 15)) == dt.datetime(
        2026, 12, 7, 9
    )


def test_the_default_start_is_the_next_half_hour_when_nine_has_passed() -> None:
    """The booking dialog defaulted to 09:00 at 15:10: a time already past."""
    assert default_start(DAY, dt.datetime(2026, 12, 4, 15, 10)) == dt.datetime(2026, 12, 4, 15, 30)
    assert default_start(DAY, dt.datetime(2026, 12, 4, 15, 30)) == dt.datetime(2026, 12, 4, 16)


def test_after_hours_the_default_is_tomorrow_morning() -> None:
    assert default_start(DAY, dt.datetime(2026, 12, 4, 17, 20)) == dt.datetime(2026, 12, 5, 9)
