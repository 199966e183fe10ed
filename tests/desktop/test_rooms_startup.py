"""Start-up does not rebuild the rooms' held spans (issue 16 #8): it grew with the booking history
(0.9 s small, 1.7 s at 10k, 11 s at 100k bookings). The pull rewrites the spans of the bookings it
brings, inside its own transaction (tests/hub/test_rooms_sync.py); bench_rooms times start-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

import services.rooms.rules as rules
import services.rooms.service as room_service
from tests.desktop.shell import demo_window


def test_the_shell_starts_without_rebuilding_every_held_span(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def rebuild_all(session: Session) -> int:
        calls.append("rebuild_all")
        return 0

    monkeypatch.setattr(rules, "rebuild_all", rebuild_all)
    monkeypatch.setattr(room_service, "rebuild_all", rebuild_all)
    window = demo_window(tmp_path)
    qtbot.add_widget(window)
    window.show()
    window.show_screen("rooms")
    assert window.rooms_view is not None and window.rooms_view.calendar.rooms
    assert calls == []
