"""Reminders (提醒) on working days, the calls made about them, and the centre's contact.

On Friday the list covers Saturday, Sunday and Monday; before 国庆 it runs through the holiday to
the first working day after it. Every call is recorded with who made it and when (提醒电话).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.errors import NotFoundError
from services.domain.identity import mask_phone
from services.domain.textutil import clean_text
from services.rooms import attention
from services.rooms.dto import CentreContact, ReminderItem, ReminderParty
from services.rooms.info import booking_infos, get_all
from services.store.models import (
    AppUser,
    BookingCall,
    MediationCentre,
    Person,
    RoomBooking,
)

CALL_RESULTS = ("已通知", "未接通", "要求改期", "号码有误")


def reminder_days(ctx: ServiceContext, session: Session) -> tuple[dt.date, ...]:
    """Tomorrow through the next working day (inclusive)."""
    today = ctx.now().date()
    last, _provisional = ctx.calendar(session).add_working_days(today, 1)
    return tuple(today + dt.timedelta(days=i) for i in range(1, (last - today).days + 1))


def _last_calls(session: Session, booking_ids: list[str]) -> dict[tuple[str, str], BookingCall]:
    rows = session.scalars(select(BookingCall).where(BookingCall.booking_id.in_(booking_ids))
                           .order_by(BookingCall.called_at, BookingCall.id))  # fmt: skip
    return {(c.booking_id, c.person_id): c for c in rows}


def reminders(
    ctx: ServiceContext, first: dt.date | None, last: dt.date | None
) -> tuple[ReminderItem, ...]:
    """Booked sessions of ``first``..``last`` (default: :func:`reminder_days`), parties' phones
    masked, each party with the last call made about it."""
    with ctx.store.read() as session:
        if first is None or last is None:
            days = reminder_days(ctx, session)
            first, last = days[0], days[-1]
        lo = dt.datetime.combine(first, dt.time())
        hi = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
        rows = list(session.scalars(select(RoomBooking).where(
            RoomBooking.status == "booked", RoomBooking.start_at >= lo,
            RoomBooking.start_at < hi).order_by(RoomBooking.start_at)))  # fmt: skip
        calls = _last_calls(session, [b.id for b in rows])
        users = {u.id: u.display_name for u in session.scalars(select(AppUser))}
        wanted = sorted({p for b in rows for p in b.person_ids})
        people = {p.id: p for p in get_all(session, Person, wanted)}
        marks = attention.flags(ctx, session, rows)
        out = []
        for b, info in zip(rows, booking_infos(session, rows), strict=True):
            parties = []
            for pid in b.person_ids:
                if pid not in people:
                    continue
                call = calls.get((b.id, pid))
                phone = mask_phone(people[pid].phone or "")  # "": none on file (the screen says so)
                parties.append(ReminderParty(
                    pid, people[pid].name, phone, call.called_at if call else None,
                    users.get(call.called_by or "", "") if call else "",
                    call.result if call else ""))  # fmt: skip
            out.append(ReminderItem(info, tuple(parties), marks.get(b.id, "")))
        return tuple(out)


def record_call(
    ctx: ServiceContext, booking_id: str, person_id: str, result: str, note: str = ""
) -> ReminderParty:
    """Record a reminder call (who called, when, what came of it)."""
    text = clean_text(note, "note", "备注", max_len=200)

    def work(session: Session) -> ReminderParty:
        b = session.get(RoomBooking, booking_id)
        person = session.get(Person, person_id)
        if b is None or person is None or person_id not in (b.person_ids or []):
            raise NotFoundError("call.not_found", "预约或当事人不存在")
        now = ctx.now()
        outcome = result if result in CALL_RESULTS else CALL_RESULTS[0]
        session.add(BookingCall(booking_id=b.id, person_id=person.id, called_at=now,
                                called_by=ctx.user_id, result=outcome, note=text))  # fmt: skip
        user = session.get(AppUser, ctx.user_id) if ctx.user_id else None
        return ReminderParty(person.id, person.name, mask_phone(person.phone or ""), now,
                             user.display_name if user else "", outcome)  # fmt: skip

    return ctx.store.run_write(work)


def centre_contact(ctx: ServiceContext) -> CentreContact:
    with ctx.store.read() as session:
        row = session.get(MediationCentre, ctx.township_id or "")
        return CentreContact(row.address, row.phone) if row else CentreContact("", "")


def set_centre_contact(ctx: ServiceContext, contact: CentreContact) -> CentreContact:
    """The centre's address and phone for the notices (通知书上的地址和联系电话)."""
    address = clean_text(contact.address, "address", "中心地址", max_len=200)
    phone = clean_text(contact.phone, "phone", "联系电话", max_len=40)

    def work(session: Session) -> CentreContact:
        key = ctx.township_id or ""
        row = session.get(MediationCentre, key)
        if row is None:
            row = MediationCentre(id=key)
            session.add(row)
        row.address, row.phone = address, phone
        return CentreContact(address, phone)

    return ctx.store.run_write(work)
