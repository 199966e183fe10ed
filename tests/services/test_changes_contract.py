"""One way for changes to reach the screens (issue 9 #2): every public call of the services the
desktop uses is a read, returns what it changed (a DTO with ``changes``), or is listed below with
the reason it returns none. A new call must take one of these places, so a mutation can no longer
drop its ``Changes`` unnoticed (as rooms and slips once did)."""

from __future__ import annotations

import dataclasses
import inspect
import typing

import pytest

from services.api import Workbench
from services.domain.dto import Changes
from services.rooms.service import RoomService
from services.slips.service import SlipService
from services.sync.service import SyncService

READS: dict[type, set[str]] = {
    Workbench: {
        "calendar_years", "code_renames", "current_user_id", "device_info", "find_case",
        "find_people", "get_case", "ledger_count", "ledger_page", "may_reveal", "now", "search",
        "status", "townships", "units", "users", "villages", "visit_defaults",
        "warm_up",  # a registration rehearsed and rolled back
    },
    RoomService: {
        "agreement_document", "attention", "bookings_between", "bookings_hit", "case_mediation",
        "centre_contact", "closed_days", "follow_ups", "mediator_form", "mediators",
        "notice_document", "propose_for_case", "recheck_provisional", "reminder_days",
        "reminders", "room_form", "rooms", "series_form", "session_form", "session_history",
        "sessions", "today_panel",
    },
    SlipService: {"document", "draft", "form", "get", "kinds", "original", "print_job", "search",
                  "warm_up"},
    SyncService: {"add_listener", "close", "conflicts", "hub_devices", "outbox_items", "parked",
                  "status"},
}  # fmt: skip

# Calls that write but return no Changes, and why no open screen needs to hear of it.
WITHOUT_CHANGES: dict[type, dict[str, str]] = {
    Workbench: {
        "reveal_person": "an audit entry only (查看完整号码)",
        "iter_ledger": "an audit entry only (the export)",
        "run_overdue_scan": "background work: publishes its Changes on ctx.feed",
        "import_schedule": "publishes on ctx.feed (calendar_changed refresh, every screen)",
    },
    RoomService: {
        "reveal_phone": "an audit entry only",
        "rebuild_holds": "derived held spans; every booking write keeps its own",
        "agreement_print": "numbers the document to print; no screen lists room documents",
        "notice_print": "numbers the document to print; no screen lists room documents",
        "record_document_print": "the print log; the next print job reads it afresh",
        "record_document_export": "an audit entry only (另存为PDF)",
    },
    SlipService: {"record_export": "an audit entry only (另存为PDF)"},
    SyncService: {
        "sync_now": "publishes what the pull brought on ctx.feed",
        "full_resync": "publishes what the pull brought on ctx.feed",
        "requeue": "the outbox only; the 同步 screen refreshes its own lists",
    },
}


def _public(cls: type) -> set[str]:
    return {n for n, _ in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")}


def _carries_changes(cls: type, name: str) -> bool:
    returned = typing.get_type_hints(getattr(cls, name)).get("return")
    if returned is Changes:
        return True
    fields = dataclasses.fields(returned) if dataclasses.is_dataclass(returned) else ()
    return any(f.name == "changes" and f.type in (Changes, "Changes") for f in fields)


@pytest.mark.parametrize("cls", list(READS), ids=lambda c: c.__name__)
def test_every_call_is_a_read_or_returns_its_changes(cls: type) -> None:
    reads, excused = READS[cls], WITHOUT_CHANGES[cls]
    public = _public(cls)
    assert not (reads | set(excused)) - public, "listed calls that no longer exist"
    mutations = public - reads - set(excused)
    silent = sorted(n for n in mutations if not _carries_changes(cls, n))
    assert not silent, f"{cls.__name__}: these write but return no Changes: {silent}"
    assert not any(_carries_changes(cls, n) for n in excused), (
        "excused calls that return Changes now: move them out of WITHOUT_CHANGES"
    )
