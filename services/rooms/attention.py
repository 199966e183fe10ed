"""Bookings a person must settle before anyone is reminded (待处理): clashes that arrived by sync,
bookings the room's current rules refuse (a closure, changed hours), and bookings on an official
holiday once the year's schedule is known.

Computed from the database on every read, so a rule change, a pulled clash or a schedule that
arrives (``schedule.refresh_after_calendar_change``) shows here at the next reload with nothing
to rebuild.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.errors import ValidationError
from services.domain.messages import msg, when
from services.domain.workcalendar import WorkCalendar
from services.rooms.dto import AttentionItem
from services.rooms.info import INFO_COLUMNS, booking_infos
from services.rooms.rules import check_room_open
from services.store.holds import CLASH_KIND, LIVE, clash_pair, still_clash
from services.store.models import MediationRoom, RoomBooking, SyncConflict

HORIZON = dt.timedelta(days=400)  # future bookings looked at (a series runs at most a year)


def _clashes(session: Session, ids: set[str] | None) -> dict[str, tuple[str, str, str]]:
    """booking id -> (conflict id, other booking id, reason) of open clashes still in force."""
    out: dict[str, tuple[str, str, str]] = {}
    query = select(SyncConflict).where(SyncConflict.kind == CLASH_KIND,
                                       SyncConflict.status == "open")  # fmt: skip
    for c in session.scalars(query):
        pair = clash_pair(c)
        if pair is None or (ids is not None and not ids & set(pair)):
            continue
        if not still_clash(session.get(RoomBooking, pair[0]), session.get(RoomBooking, pair[1])):
            continue
        out.setdefault(pair[0], (c.id, pair[1], c.reason))
        out.setdefault(pair[1], (c.id, pair[0], c.reason))
    return out


def _rule_reason(room: MediationRoom | None, calendar: WorkCalendar, row: Any) -> tuple[str, str]:
    """("closed", why) when the room's rules now refuse it, ("holiday", why) on a holiday."""
    if room is not None:
        try:
            check_room_open(room, calendar, row.start_at, row.end_at)
        except ValidationError as exc:
            return "closed", exc.message
    info = calendar.day_info(row.start_at.date())
    if info.known and not info.is_workday and info.name:
        return "holiday", msg("{date}是{holiday}假期，请确认当事人和调解员能够到场",
                             date=when(row.start_at, "%m月%d日"), holiday=info.name)  # fmt: skip
    return "", ""


def flags(ctx: ServiceContext, session: Session, rows: Sequence[Any]) -> dict[str, str]:
    """booking id -> why it needs a person first, for the rows given (the reminders' marks)."""
    out: dict[str, str] = {}
    for it in _items(ctx, session, rows):
        out[it.booking.id] = it.reason
        if it.other is not None:
            out[it.other.id] = it.reason
    return out


def _items(ctx: ServiceContext, session: Session, rows: Sequence[Any]) -> list[AttentionItem]:
    if not rows:
        return []
    calendar = ctx.calendar(session)
    rooms = {r.id: r for r in session.scalars(select(MediationRoom))}
    clashes = _clashes(session, {r.id for r in rows})
    others = [c[1] for c in clashes.values()]
    query = select(*INFO_COLUMNS).where(RoomBooking.id.in_(others))
    other_rows = session.connection().execute(query).all() if others else []
    other_info = {b.id: b for b in booking_infos(session, other_rows)}
    out: list[AttentionItem] = []
    seen: set[str] = set()
    for row, info in zip(rows, booking_infos(session, rows), strict=True):
        if row.id in clashes:  # one item per clash, naming both sides
            cid, other, reason = clashes[row.id]
            if cid not in seen:
                seen.add(cid)
                out.append(AttentionItem("clash", info, reason, other_info.get(other), cid))
            continue
        kind, reason = _rule_reason(rooms.get(row.room_id), calendar, row)
        if kind:
            out.append(AttentionItem(kind, info, reason))
    return out


def attention(ctx: ServiceContext) -> tuple[AttentionItem, ...]:
    """Future live bookings that need a person: move or cancel them, and call the parties."""
    now = ctx.now()
    with ctx.store.read() as session:
        query = select(*INFO_COLUMNS).where(RoomBooking.status.in_(LIVE),
                                            RoomBooking.end_at > now,
                                            RoomBooking.start_at < now + HORIZON)  # fmt: skip
        rows = session.connection().execute(query.order_by(RoomBooking.start_at)).all()
        return tuple(_items(ctx, session, rows))
