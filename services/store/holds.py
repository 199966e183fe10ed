"""Held spans (占用) of room bookings, kept beside each booking, and clashes that arrive by sync.

``booking_resource`` is derived from ``room_booking`` on this PC: every write of a booking rewrites
its spans in the same transaction, and a sync pull does the same for the bookings it brought, so
nothing is rebuilt at start-up. Two PCs that booked the same room, mediator or party offline
produce a clash that the pull records as a ``sync_conflict`` of kind ``booking`` for a person to
settle (改期或取消其中一个).

Lives in the store because both the rooms capability and the sync pull maintain it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from services.domain.ids import uuid7
from services.store.models import (
    BookingResource,
    MediationRoom,
    Mediator,
    Person,
    RoomBooking,
    SyncConflict,
)

# Longest booking; bounds the range scan so the index on (resource, start_at) does the work.
MAX_SPAN = dt.timedelta(hours=12)
CLASH_KIND = "booking"
LIVE = ("booked", "in_use")
_RES = BookingResource.__table__
_BK = RoomBooking.__table__
_LABELS = {"room": "调解室", "mediator": "调解员", "person": "当事人"}


def resources(room_id: str, mediator_ids: Sequence[str], person_ids: Sequence[str]) -> list[str]:
    out = [f"room:{room_id}"]
    out += [f"mediator:{m}" for m in mediator_ids or []]
    out += [f"person:{p}" for p in person_ids or []]
    return out


def overlapping(
    session: Session, keys: Sequence[str], start: dt.datetime, end: dt.datetime,
    exclude: str | None = None,
) -> list[tuple[str, str, dt.datetime, dt.datetime]]:  # fmt: skip
    """Held spans of ``keys`` overlapping [start, end); touching edges do not overlap.

    One range query on ``ix_booking_resource_span``: the lower bound on ``start_at`` (no booking
    is longer than :data:`MAX_SPAN`) keeps the scan to the neighbourhood.
    """
    query = (
        select(_RES.c.resource, _RES.c.booking_id, _RES.c.start_at, _RES.c.end_at)
        .where(_RES.c.resource.in_(list(keys)))
        .where(_RES.c.start_at > start - MAX_SPAN, _RES.c.start_at < end, _RES.c.end_at > start)
    )
    if exclude is not None:
        query = query.where(_RES.c.booking_id != exclude)
    return [(r[0], r[1], r[2], r[3]) for r in session.execute(query)]


def rehold(session: Session, booking_ids: Sequence[str]) -> list[dict[str, Any]]:
    """Rewrite the spans of these bookings from ``room_booking``; returns the live bookings."""
    ids = list(booking_ids)
    live: list[dict[str, Any]] = []
    for part in range(0, len(ids), 400):
        chunk = ids[part : part + 400]
        session.execute(delete(BookingResource).where(BookingResource.booking_id.in_(chunk)))
        query = select(_BK).where(_BK.c.id.in_(chunk), _BK.c.status != "cancelled")
        rows = session.execute(query).mappings()
        live += [dict(r) for r in rows]
    spans = [{"id": uuid7(), "booking_id": b["id"], "resource": key, "start_at": b["start_at"],
              "end_at": b["end_at"]}
             for b in live for key in resources(b["room_id"], b["mediator_ids"],
                                                b["person_ids"])]  # fmt: skip
    if spans:
        session.execute(insert(BookingResource), spans)
    return live


def _name(session: Session, key: str) -> str:
    kind, _, ident = key.partition(":")
    model = {"room": MediationRoom, "mediator": Mediator, "person": Person}[kind]
    obj = session.get(model, ident)
    return f"{_LABELS[kind]}“{getattr(obj, 'name', ident)}”"


def rehold_pulled(session: Session, booking_ids: Sequence[str], now: dt.datetime) -> int:
    """After a pull: rewrite the pulled bookings' spans and record each clash with a booking
    already here as a conflict to settle; returns the number of new conflicts."""
    new = 0
    for b in rehold(session, booking_ids):
        if b["status"] not in ("booked", "in_use"):
            continue
        keys = resources(b["room_id"], b["mediator_ids"], b["person_ids"])
        hits = overlapping(session, keys, b["start_at"], b["end_at"], exclude=b["id"])
        by_booking: dict[str, list[str]] = {}
        for key, other, _s, _e in hits:
            by_booking.setdefault(other, []).append(key)
        for other_id, keys_hit in sorted(by_booking.items()):
            new += _record(session, b, other_id, keys_hit, now)
    settle_resolved(session, booking_ids, now)  # moved or cancelled on the other PC
    return new


def _record(session: Session, pulled: dict[str, Any], other_id: str, keys: list[str],
            now: dt.datetime) -> int:  # fmt: skip
    other = session.execute(select(_BK).where(_BK.c.id == other_id)).mappings().first()
    if other is None or other["status"] not in ("booked", "in_use"):
        return 0
    cid = "booking:" + ":".join(sorted((str(pulled["id"]), other_id)))
    if session.get(SyncConflict, cid) is not None:
        return 0
    what = "、".join(_name(session, k) for k in sorted(keys))

    def side(b: Any) -> dict[str, str]:
        return {"booking_id": str(b["id"]), "title": str(b["title"]),
                "start": b["start_at"].isoformat(), "end": b["end_at"].isoformat()}  # fmt: skip

    reason = (f"两台电脑同时预约：{what}在{pulled['start_at']:%m月%d日 %H:%M}–"
              f"{pulled['end_at']:%H:%M}「{pulled['title']}」与{other['start_at']:%H:%M}–"
              f"{other['end_at']:%H:%M}「{other['title']}」重叠，"
              "请在调解室改期或取消其中一个")  # fmt: skip
    session.add(SyncConflict(
        id=cid, kind=CLASH_KIND, entity="room_booking", entity_id=str(pulled["id"]), field="",
        case_id=pulled["case_id"], township_id=pulled["township_id"], base_value=None,
        kept_value=side(other), lost_value=side(pulled), reason=reason, detected_at=now,
        status="open"))  # fmt: skip
    return 1


def clash_pair(conflict: SyncConflict) -> tuple[str, str] | None:
    """The two booking ids of a clash conflict (kept side first)."""
    kept, lost = conflict.kept_value or {}, conflict.lost_value or {}
    a, b = kept.get("booking_id"), lost.get("booking_id")
    return (str(a), str(b)) if a and b else None


def still_clash(a: RoomBooking | None, b: RoomBooking | None) -> bool:
    """Both live, overlapping in time, and sharing a room, mediator or party."""
    if a is None or b is None or a.status not in LIVE or b.status not in LIVE:
        return False
    if not (a.start_at < b.end_at and b.start_at < a.end_at):
        return False
    keys = set(resources(a.room_id, a.mediator_ids or [], a.person_ids or []))
    return bool(keys & set(resources(b.room_id, b.mediator_ids or [], b.person_ids or [])))


def settle_resolved(session: Session, booking_ids: Sequence[str], now: dt.datetime,
                    by: str | None = None) -> int:  # fmt: skip
    """Close the open clashes of these bookings that no longer clash (one of the two was moved
    or cancelled, here or on the other PC); returns how many were closed."""
    ids = set(booking_ids)
    closed = 0
    query = select(SyncConflict).where(SyncConflict.kind == CLASH_KIND,
                                       SyncConflict.status == "open")  # fmt: skip
    for c in session.scalars(query):
        pair = clash_pair(c)
        if pair is None or not ids & set(pair):
            continue
        if still_clash(session.get(RoomBooking, pair[0]), session.get(RoomBooking, pair[1])):
            continue
        c.status, c.settled_at, c.settled_by = "settled", now, by
        c.settled_value = {"resolved": "改期或取消后不再冲突"}
        closed += 1
    return closed
