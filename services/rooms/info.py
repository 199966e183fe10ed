"""Rows of the rooms' tables as DTOs, and the checks every booking passes (预约校验)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Executable, String, select, type_coerce
from sqlalchemy.orm import Session

from services.cases.events import get_case_row
from services.context import ServiceContext
from services.domain.errors import ValidationError
from services.domain.messages import msg, when
from services.rooms.dto import BookingInfo, RoomInfo
from services.rooms.rules import (
    _hm,
    check_conflicts,
    check_mediators_on_duty,
    check_room_open,
    check_times,
    day_warnings,
)
from services.store.models import Case, MediationRoom, Mediator, Person, RoomBooking

T = TypeVar("T")


def room_info(r: MediationRoom) -> RoomInfo:
    return RoomInfo(r.id, r.name, r.room_type, r.capacity, tuple(r.equipment or ()), r.open_rule,
                    r.slot_mode, _hm(r.open_from), _hm(r.open_to))  # fmt: skip


def booking_info(session: Session, b: RoomBooking) -> BookingInfo:
    """The DTO of one booking, with names resolved."""
    room = session.get(MediationRoom, b.room_id)
    names = {m.id: m.name for m in get_all(session, Mediator, b.mediator_ids or [])}
    people = {p.id: p.name for p in get_all(session, Person, b.person_ids or [])}
    code = get_case_row(session, b.case_id).code if b.case_id else ""
    return BookingInfo(
        b.id, b.room_id, room.name if room else "", b.case_id, code, b.title, b.start_at,
        b.end_at, b.status, tuple(b.mediator_ids or ()),
        tuple(names.get(m, "") for m in b.mediator_ids or []), tuple(b.person_ids or ()),
        tuple(people.get(p, "") for p in b.person_ids or []), b.series_id, b.detached,
        b.follow_up, b.note,
    )  # fmt: skip


# The columns a BookingInfo needs: loaded as plain rows, not ORM objects (the week view's 300).
INFO_COLUMNS = (RoomBooking.id, RoomBooking.room_id, RoomBooking.case_id, RoomBooking.title,
                RoomBooking.start_at, RoomBooking.end_at, RoomBooking.status,
                RoomBooking.mediator_ids, RoomBooking.person_ids, RoomBooking.series_id,
                RoomBooking.detached, RoomBooking.follow_up, RoomBooking.note)  # fmt: skip


class InfoRow(NamedTuple):
    """A booking's :data:`INFO_COLUMNS`, decoded by :func:`info_rows`."""

    id: str
    room_id: str
    case_id: str | None
    title: str
    start_at: dt.datetime
    end_at: dt.datetime
    status: str
    mediator_ids: tuple[str, ...]
    person_ids: tuple[str, ...]
    series_id: str | None
    detached: bool
    follow_up: bool
    note: str


# The same columns with the times and id lists as stored text: SQLAlchemy's DateTime regex and
# JSON processors cost more than the week's whole query (issue 16 #8: a week of 300 in <= 20 ms).
_AS_TEXT = ("start_at", "end_at", "mediator_ids", "person_ids")
TEXT_COLUMNS = tuple(type_coerce(c, String).label(c.key) if c.key in _AS_TEXT else c
                     for c in INFO_COLUMNS)  # fmt: skip


def info_rows(session: Session, query: Executable) -> list[InfoRow]:
    """Run ``query`` (a select of :data:`TEXT_COLUMNS`) and decode its rows: ISO times through
    ``datetime.fromisoformat``, each distinct id list parsed once."""
    lists: dict[str | None, tuple[str, ...]] = {None: ()}

    def ids(text: str | None) -> tuple[str, ...]:
        found = lists.get(text)
        if found is None:
            found = lists[text] = tuple(json.loads(text) or ())  # type: ignore[arg-type]
        return found

    when = dt.datetime.fromisoformat
    return [InfoRow(i, room, case, title, when(start), when(end), status, ids(meds),
                    ids(people), series, bool(detached), bool(follow), note or "")
            for (i, room, case, title, start, end, status, meds, people, series, detached,
                 follow, note) in session.connection().execute(query)]  # fmt: skip


def _names(session: Session, column: Any, key: Any, ids: Collection[str]) -> dict[str, str]:
    wanted = sorted(ids)
    out: dict[str, str] = {}
    conn = session.connection()  # plain Core rows: no ORM bookkeeping for a lookup table
    for part in range(0, len(wanted), 500):
        query = select(key, column).where(key.in_(wanted[part : part + 500]))
        out.update({str(i): str(n) for i, n in conn.execute(query)})
    return out


def booking_infos(session: Session, rows: Sequence[Any]) -> tuple[BookingInfo, ...]:
    """DTOs of many bookings (ORM rows, rows of :data:`INFO_COLUMNS` or :class:`InfoRow`) in a
    fixed number of statements, whatever their count: rooms and mediators (small tables, read
    whole), people, case codes."""
    if not rows:
        return ()
    conn = session.connection()
    rooms = {str(i): str(n) for i, n in conn.execute(select(MediationRoom.id, MediationRoom.name))}
    names = {str(i): str(n) for i, n in conn.execute(select(Mediator.id, Mediator.name))}
    people = _names(session, Person.name, Person.id,
                    {p for b in rows for p in b.person_ids or ()})  # fmt: skip
    codes = _names(session, Case.code, Case.id, {b.case_id for b in rows if b.case_id})
    out = []
    for b in rows:
        meds, persons, case_id = tuple(b.mediator_ids or ()), tuple(b.person_ids or ()), b.case_id
        out.append(BookingInfo(
            b.id, b.room_id, rooms.get(b.room_id, ""), case_id,
            codes.get(case_id, "") if case_id else "", b.title, b.start_at, b.end_at,
            b.status, meds, tuple([names.get(m, "") for m in meds]), persons,
            tuple([people.get(p, "") for p in persons]), b.series_id, b.detached, b.follow_up,
            b.note))  # fmt: skip
    return tuple(out)


def get_all(session: Session, model: type[T], ids: Collection[str]) -> list[T]:
    if not ids:
        return []
    key = model.id  # type: ignore[attr-defined]
    wanted = sorted(ids)
    out: list[T] = []
    for part in range(0, len(wanted), 500):
        out += session.scalars(select(model).where(key.in_(wanted[part : part + 500])))
    return out


def validate_booking(
    session: Session, ctx: ServiceContext, b: RoomBooking, buffer: dt.timedelta
) -> list[str]:
    """Refuse closed times and collisions; return warnings (after the case deadline)."""
    check_times(b.start_at, b.end_at, ctx.now())
    room = session.get(MediationRoom, b.room_id)
    if room is None or not room.active:
        raise ValidationError("room_id", "booking.room", "请选择调解室")
    check_room_open(room, ctx.calendar(session), b.start_at, b.end_at)
    check_mediators_on_duty(get_all(session, Mediator, b.mediator_ids or []),
                            b.start_at.date())  # fmt: skip
    check_conflicts(session, b, buffer)
    warnings: list[str] = []
    people = len(b.person_ids or []) + len(b.mediator_ids or [])
    if people > room.capacity:
        warnings.append(msg("参加人数（{count}人）超过调解室“{room}”的容纳人数（{capacity}人），"
                            "请换大一些的调解室", count=people, room=room.name,
                            capacity=room.capacity))  # fmt: skip
    warnings += day_warnings(ctx.calendar(session), b.start_at.date())
    if b.case_id:
        case = get_case_row(session, b.case_id)
        if case.due_at is not None and b.end_at > case.due_at:
            warnings.append(msg("本次调解在案件办理期限（{due}）之后，请注意时限或申请延期",
                                due=when(case.due_at, "%Y年%m月%d日 %H:%M")))  # fmt: skip
    return warnings
