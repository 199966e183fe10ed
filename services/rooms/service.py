"""Mediation rooms (调解室): rooms, mediators, bookings tied to cases, statuses and reminders.

Every mutating call is one unit of work: validation, the conflict check and the write happen in
one transaction, so a refused booking leaves nothing behind. Session records and agreements are
in :mod:`services.rooms.records`; weekly series in :mod:`services.rooms.series`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.audit.log import tag
from services.cases.events import get_case_row
from services.context import ServiceContext
from services.domain.dto import Changes
from services.domain.errors import NotFoundError, TransitionError, ValidationError
from services.domain.messages import msg
from services.domain.textutil import clean_text
from services.rooms import attention as room_attention
from services.rooms import casework, rulecheck
from services.rooms import documents as room_documents
from services.rooms import records as room_records
from services.rooms import reminders as room_reminders
from services.rooms import sessions as room_sessions
from services.rooms import setup as room_setup
from services.rooms.dto import (
    STATUS_LABELS,
    AgreementDocument,
    AgreementInput,
    AttentionItem,
    BookingInfo,
    BookingInput,
    BookingProposal,
    BookingResult,
    BookingsResult,
    CaseMediation,
    CentreContact,
    MediatorInfo,
    MediatorInput,
    NoticeDocument,
    ReminderItem,
    ReminderParty,
    RoomInfo,
    RoomInput,
    RoomPrintJob,
    SeriesInput,
    SeriesResult,
    SessionChange,
    SessionInfo,
    SessionInput,
)
from services.rooms.info import (
    TEXT_COLUMNS,
    booking_info,
    booking_infos,
    get_all,
    info_rows,
    room_info,
    validate_booking,
)
from services.rooms.rules import (
    check_times,
    hold,
    rebuild_all,
    require_room,
)
from services.rooms.series import cancel_series_from, save_series
from services.store.holds import settle_resolved
from services.store.models import (
    CaseParty,
    MediationRoom,
    MediationSession,
    Mediator,
    Person,
    RoomBooking,
)

# Allowed status changes (状态流转); no_show prompts a follow-up call (回访电话).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "booked": ("in_use", "finished", "cancelled", "no_show"),
    "in_use": ("finished",),
    "finished": (),
    "cancelled": (),
    "no_show": (),
}
CHECK_IN_EARLY = dt.timedelta(minutes=30)
ROOMS_CHANGED = Changes(bookings=True)  # a room or mediator added or changed: the calendar


def booking_changes(case_ids: Iterable[str | None]) -> Changes:
    """What a booking write changed: the calendar and reminders, and the cases booked for."""
    return Changes(case_ids=frozenset(c for c in case_ids if c), bookings=True)


def _series_changed(result: SeriesResult) -> SeriesResult:
    return replace(result, changes=booking_changes(b.case_id for b in result.bookings))


def _session_changed(info: SessionInfo) -> SessionInfo:
    return replace(info, changes=booking_changes([info.case_id]))


MAX_TITLE = 200
MAX_NOTE = 500


class RoomService:
    """Scheduling of mediation rooms for cases (调解室预约).

    Args:
        ctx: the service context (clock, calendar, store).
        buffer: the gap kept free between two sessions of the same room, mediator or party.
    """

    def __init__(self, ctx: ServiceContext, buffer: dt.timedelta = dt.timedelta(0)) -> None:
        self.ctx = ctx
        self.buffer = buffer

    # --- rooms and mediators ---------------------------------------------------------------

    def add_room(self, form: RoomInput) -> RoomInfo:
        self.ctx.require("rooms.manage")
        name = room_setup.check_room(form)

        def work(session: Session) -> RoomInfo:
            count = len(list(session.scalars(select(MediationRoom.id))))
            room = MediationRoom(
                township_id=self.ctx.township_id, name=name,
                room_type=form.room_type, capacity=form.capacity,
                equipment=list(form.equipment), open_rule=form.open_rule,
                weekdays=list(form.weekdays), slot_mode=form.slot_mode,
                open_from=f"{form.open_from:%H:%M}", open_to=f"{form.open_to:%H:%M}",
                closures=[d.isoformat() for d in form.closures], sort_order=count,
            )  # fmt: skip
            session.add(room)
            session.flush()
            return replace(room_info(room), changes=ROOMS_CHANGED)

        return self.ctx.store.run_write(work)

    def rooms(self) -> tuple[RoomInfo, ...]:
        with self.ctx.store.read() as session:
            query = select(MediationRoom).where(MediationRoom.active)
            rows = session.scalars(query.order_by(MediationRoom.sort_order, MediationRoom.name))
            return tuple(room_info(r) for r in rows)

    def add_mediator(self, form: MediatorInput) -> MediatorInfo:
        self.ctx.require("rooms.manage")
        name = room_setup.check_mediator_name(form.name)
        if any(not 1 <= d <= 7 for d in form.weekdays):
            raise ValidationError("weekdays", "mediator.weekdays", "值班星期无效")

        def work(session: Session) -> MediatorInfo:
            m = Mediator(township_id=self.ctx.township_id, name=name, kind=form.kind,
                         phone=form.phone or None, specialties=list(form.specialties),
                         weekdays=list(form.weekdays))  # fmt: skip
            session.add(m)
            session.flush()
            return MediatorInfo(m.id, m.name, m.kind, tuple(m.specialties), tuple(m.weekdays),
                                ROOMS_CHANGED)  # fmt: skip

        return self.ctx.store.run_write(work)

    def mediators(self) -> tuple[MediatorInfo, ...]:
        with self.ctx.store.read() as session:
            rows = session.scalars(select(Mediator).where(Mediator.active).order_by(Mediator.name))
            return tuple(MediatorInfo(m.id, m.name, m.kind, tuple(m.specialties),
                                      tuple(m.weekdays)) for m in rows)  # fmt: skip

    def room_form(self, room_id: str) -> RoomInput:
        """A room with its weekdays and closure dates (闭馆日期), for the edit form."""
        return room_setup.room_form(self.ctx, room_id)

    def bookings_hit(self, room_id: str, form: RoomInput) -> tuple[BookingInfo, ...]:
        """Future bookings the rules in ``form`` would refuse: to move or cancel, and call."""
        return rulecheck.bookings_hit(self.ctx, room_id, form)

    def attention(self) -> tuple[AttentionItem, ...]:
        """待处理: clashes from sync, bookings a rule change or a holiday now hits."""
        return room_attention.attention(self.ctx)

    def recheck_provisional(self) -> tuple[BookingInfo, ...]:
        """Future bookings on official holidays (run after a year's schedule is imported)."""
        return rulecheck.recheck_provisional(self.ctx)

    def edit_room(self, room_id: str, form: RoomInput) -> RoomInfo:
        """修改调解室: name, capacity, equipment, opening rule, hours, closure dates."""
        self.ctx.require("rooms.manage")
        return replace(room_setup.edit_room(self.ctx, room_id, form), changes=ROOMS_CHANGED)

    def mediator_form(self, mediator_id: str) -> MediatorInput:
        return room_setup.mediator_form(self.ctx, mediator_id)

    def edit_mediator(self, mediator_id: str, form: MediatorInput) -> MediatorInfo:
        """修改调解员: specialties, duty weekdays, phone."""
        self.ctx.require("rooms.manage")
        info = room_setup.edit_mediator(self.ctx, mediator_id, form)
        return replace(info, changes=ROOMS_CHANGED)

    def closed_days(self, first: dt.date, last: dt.date) -> tuple[tuple[str, dt.date], ...]:
        """(room id, day) pairs when a room is closed all day, for shading the calendar."""
        return room_setup.closed_days(self.ctx, first, last)

    # --- booking -----------------------------------------------------------------------------

    def propose_for_case(self, case_id: str) -> BookingProposal:
        """Booking from the case file: the parties, and mediators whose specialty fits."""
        with self.ctx.store.read() as session:
            case = get_case_row(session, case_id)
            people = self._case_people(session, case_id)
            code = case.category_code
            fits = [m.id for m in session.scalars(select(Mediator).where(Mediator.active))
                    if any(code.startswith(s) or s.startswith(code[:2]) and len(s) == 2
                           for s in m.specialties or [])]  # fmt: skip
            return BookingProposal(case.id, case.code, f"{case.code} {case.title}",
                                   tuple(p.id for p in people), tuple(p.name for p in people),
                                   tuple(fits[:1]), case.due_at)  # fmt: skip

    @staticmethod
    def _case_people(session: Session, case_id: str) -> list[Person]:
        rows = session.execute(select(Person).join(CaseParty, CaseParty.person_id == Person.id)
                               .where(CaseParty.case_id == case_id)
                               .order_by(CaseParty.sort_order))  # fmt: skip
        return [r[0] for r in rows]

    def _validate(self, session: Session, b: RoomBooking) -> list[str]:
        return validate_booking(session, self.ctx, b, self.buffer)

    def book(self, form: BookingInput) -> BookingResult:
        """Book a room; refused with the names of what it collides with."""
        self.ctx.require("rooms.book")

        title = clean_text(form.title, "title", "预约事由", max_len=MAX_TITLE)
        note = clean_text(form.note, "note", "备注", max_len=MAX_NOTE)

        def work(session: Session) -> BookingResult:
            # before the flush: a year-9999 slip is told as such, not as an out-of-range date
            check_times(form.start, form.end, self.ctx.now())
            person_ids = list(form.person_ids or ())
            require_room(session, form.room_id)
            if form.case_id:
                case = get_case_row(session, form.case_id)
                if form.person_ids is None:
                    person_ids = [p.id for p in self._case_people(session, form.case_id)]
                text = title or f"{case.code} {case.title}"
            else:
                text = title
            if not text:
                raise ValidationError("title", "booking.title", "请填写预约事由")
            b = RoomBooking(township_id=self.ctx.township_id, room_id=form.room_id,
                            case_id=form.case_id, title=text[:MAX_TITLE],
                            start_at=form.start, end_at=form.end, status="booked",
                            mediator_ids=list(dict.fromkeys(form.mediator_ids)),
                            person_ids=list(dict.fromkeys(person_ids)), note=note,
                            created_at=self.ctx.now(), created_by=self.ctx.user_id)  # fmt: skip
            session.add(b)
            session.flush()
            warnings = self._validate(session, b)
            hold(session, b)
            if b.case_id:
                names = [m.name for m in get_all(session, Mediator, b.mediator_ids or [])]
                warnings += casework.start_mediation(session, self.ctx, b.case_id, names)
            return BookingResult(booking_info(session, b), tuple(warnings), self._changes(b))

        return self.ctx.store.run_write(work)

    def move(self, booking_id: str, start: dt.datetime, end: dt.datetime,
             room_id: str | None = None) -> BookingResult:  # fmt: skip
        """Move or resize (drag in the calendar); an occurrence of a series becomes an exception."""
        self.ctx.require("rooms.book")

        def work(session: Session) -> BookingResult:
            b = self._get(session, booking_id)
            if b.status != "booked":
                raise TransitionError(b.status, "move",
                                      msg("{status}的预约不能再调整时间",
                                          status=STATUS_LABELS[b.status]))  # fmt: skip
            check_times(start, end, self.ctx.now())  # before the flush, as in book
            b.start_at, b.end_at = start, end
            if room_id:
                b.room_id = require_room(session, room_id).id
            if b.series_id:
                b.detached = True
            b.revision += 1
            session.flush()
            warnings = self._validate(session, b)
            hold(session, b)
            settle_resolved(session, [b.id], self.ctx.now(), self.ctx.user_id)
            return BookingResult(booking_info(session, b), tuple(warnings), self._changes(b))

        return self.ctx.store.run_write(work)

    def _get(self, session: Session, booking_id: str) -> RoomBooking:
        b = session.get(RoomBooking, booking_id)
        if b is None:
            raise NotFoundError("booking.not_found", "预约不存在或已被删除")
        return b

    @staticmethod
    def _changes(b: RoomBooking) -> Changes:
        return booking_changes([b.case_id])

    # --- statuses ------------------------------------------------------------------------------

    def _transition(self, booking_id: str, to: str) -> BookingResult:
        self.ctx.require("rooms.book")

        def work(session: Session) -> BookingResult:
            b = self._get(session, booking_id)
            now = self.ctx.now()
            if to not in TRANSITIONS[b.status]:
                raise TransitionError(
                    b.status,
                    to,
                    msg(
                        "预约当前为“{status}”，不能改为“{to}”",
                        status=STATUS_LABELS[b.status],
                        to=STATUS_LABELS[to],
                    ),
                )
            if to == "cancelled" and b.end_at <= now:
                raise TransitionError(b.status, to, "已经过去的预约不能取消")
            if to == "in_use" and not (b.start_at - CHECK_IN_EARLY <= now < b.end_at):
                raise TransitionError(b.status, to, "只能在预约开始前30分钟内至结束前签到使用")
            if to == "finished" and b.status == "booked" and now < b.start_at:
                raise TransitionError(b.status, to, "预约时间未到，不能标记为已结束")
            if to == "no_show" and now < b.start_at:
                raise TransitionError(b.status, to, "预约时间未到，不能标记为过期未到")
            b.status = to
            b.revision += 1
            if to == "cancelled":
                b.cancelled_at = now
                if b.series_id:
                    b.detached = True
            if to == "no_show":
                b.follow_up = True
            hold(session, b)
            settle_resolved(session, [b.id], now, self.ctx.user_id)  # a clash cancelled away
            return BookingResult(booking_info(session, b), (), self._changes(b))

        return self.ctx.store.run_write(work)

    def check_in(self, booking_id: str) -> BookingResult:
        """签到使用 (使用中)."""
        return self._transition(booking_id, "in_use")

    def finish(self, booking_id: str) -> BookingResult:
        return self._transition(booking_id, "finished")

    def cancel(self, booking_id: str) -> BookingResult:
        return self._transition(booking_id, "cancelled")

    def mark_no_show(self, booking_id: str) -> BookingResult:
        """过期未到: the parties did not come; a follow-up call is due."""
        return self._transition(booking_id, "no_show")

    def follow_up_done(self, booking_id: str) -> BookingResult:
        def work(session: Session) -> BookingResult:
            b = self._get(session, booking_id)
            b.follow_up = False
            return BookingResult(booking_info(session, b), (), self._changes(b))

        return self.ctx.store.run_write(work)

    def expire_overdue(self) -> BookingsResult:
        """After its day, a session with parties that nobody recorded or checked in for becomes
        过期未到 (a call-back is due); the rest of the day's bookings end as 已结束: sessions
        checked in or recorded, and slots without parties (律师值班) with nobody to call.
        Runs on start and on a timer (desktop.controllers); today's sessions are left alone until
        the day is over. What it changed is also published on ``ctx.feed`` (nobody clicked).
        """

        def work(session: Session) -> BookingsResult:
            today = dt.datetime.combine(self.ctx.now().date(), dt.time())
            rows = list(session.scalars(select(RoomBooking).where(
                RoomBooking.status.in_(("booked", "in_use")), RoomBooking.start_at < today,
                RoomBooking.end_at <= today)))  # fmt: skip  # (status, start_at) index range
            recorded = set(session.scalars(select(MediationSession.booking_id).where(
                MediationSession.booking_id.in_([b.id for b in rows]),
                MediationSession.voided_at.is_(None))))  # fmt: skip
            out = []
            for b in rows:
                missed = b.status == "booked" and bool(b.person_ids) and b.id not in recorded
                b.status = "no_show" if missed else "finished"
                b.follow_up = b.follow_up or missed
                b.revision += 1
                if missed:
                    out.append(booking_info(session, b))
            changes = booking_changes([b.case_id for b in rows]) if rows else Changes()
            return BookingsResult(tuple(out), changes)

        result = self.ctx.store.run_write(work)
        self.ctx.feed.publish(result.changes)
        return result

    def rebuild_holds(self) -> int:
        """Recompute the held spans of every booking (call after a sync pull and on start)."""
        return self.ctx.store.run_write(rebuild_all)

    # --- reading -----------------------------------------------------------------------------

    def bookings_between(self, first: dt.date, last: dt.date,
                         include_cancelled: bool = False) -> tuple[BookingInfo, ...]:  # fmt: skip
        """Bookings starting on days ``first``..``last`` (inclusive), by start time."""
        lo = dt.datetime.combine(first, dt.time())
        hi = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
        with self.ctx.store.read() as session:
            query = select(*TEXT_COLUMNS).where(RoomBooking.start_at >= lo,
                                                RoomBooking.start_at < hi)  # fmt: skip
            if not include_cancelled:
                query = query.where(RoomBooking.status != "cancelled")
            return booking_infos(session, info_rows(session, query.order_by(RoomBooking.start_at)))

    def today_panel(self, limit: int = 5) -> tuple[BookingInfo, ...]:
        """The reception screen's "today": the next sessions not yet over."""
        now = self.ctx.now()
        items = self.bookings_between(now.date(), now.date())
        return tuple(b for b in items if b.end > now and b.status in ("booked", "in_use"))[:limit]

    def follow_ups(self) -> tuple[BookingInfo, ...]:
        """No-shows that still need a follow-up call (过期未到，待回访)."""
        with self.ctx.store.read() as session:
            rows = session.scalars(select(RoomBooking).where(RoomBooking.follow_up)
                                   .order_by(RoomBooking.start_at))  # fmt: skip
            return booking_infos(session, list(rows))

    def reminders(self, day: dt.date | None = None) -> tuple[ReminderItem, ...]:
        """Sessions to call about, phones masked, with the last call made to each party:
        ``day``'s (any day, e.g. to print its notices), or by default tomorrow through the next
        working day (Friday: Saturday to Monday; before a holiday: through it).

        Computed from the database each time, so nothing depends on the app having been open.
        """
        return room_reminders.reminders(self.ctx, day, day)

    def reminder_days(self) -> tuple[dt.date, ...]:
        """The days the default reminder list covers."""
        with self.ctx.store.read() as session:
            return room_reminders.reminder_days(self.ctx, session)

    def record_call(self, booking_id: str, person_id: str, result: str = "已通知",
                    note: str = "") -> ReminderParty:  # fmt: skip
        """提醒电话: who called the party about the booking, when, and what came of it."""
        self.ctx.require("rooms.book")
        party = room_reminders.record_call(self.ctx, booking_id, person_id, result, note)
        return replace(party, changes=Changes(bookings=True))

    def centre_contact(self) -> CentreContact:
        return room_reminders.centre_contact(self.ctx)

    def set_centre_contact(self, contact: CentreContact) -> CentreContact:
        """The centre's address and phone printed on notices."""
        self.ctx.require("rooms.manage")
        saved = room_reminders.set_centre_contact(self.ctx, contact)
        return replace(saved, changes=Changes(bookings=True))

    def reveal_phone(self, person_id: str, reason: str = "电话提醒当事人") -> str:
        """The full phone number, when the clerk chooses to reveal it for a call (audited)."""
        self.ctx.require("person.reveal_phone")

        def work(session: Session) -> str:
            person = session.get(Person, person_id)
            if person is None:
                raise NotFoundError("person.not_found", "当事人不存在")
            tag(session, "unmask", entity="person", entity_id=person.id, field="phone",
                reason=reason[:200])  # fmt: skip
            return person.phone or ""

        return self.ctx.store.run_write(work)

    # --- series, records, agreement (see room_series / room_records) -------------------------

    def add_series(self, form: SeriesInput) -> SeriesResult:
        """A weekly series; an occurrence that collides or falls on a closed day is skipped."""
        self.ctx.require("rooms.book")
        return _series_changed(save_series(self.ctx, self.buffer, None, form))

    def cancel_series_from(self, booking_id: str) -> BookingsResult:
        """取消此后的全部: this occurrence and the rest of its series."""
        self.ctx.require("rooms.book")
        cancelled = cancel_series_from(self.ctx, booking_id)
        return BookingsResult(cancelled, booking_changes([b.case_id for b in cancelled]))

    def edit_series(self, series_id: str, form: SeriesInput) -> SeriesResult:
        """Edit a series; occurrences moved or cancelled on their own are kept as they are."""
        self.ctx.require("rooms.book")
        return _series_changed(save_series(self.ctx, self.buffer, series_id, form))

    def series_form(self, series_id: str) -> SeriesInput:
        return room_setup.series_form(self.ctx, series_id)

    def record_session(self, form: SessionInput) -> SessionInfo:
        self.ctx.require("rooms.record")
        return _session_changed(room_records.record_session(self.ctx, form))

    def sessions(self, case_id: str) -> tuple[SessionInfo, ...]:
        return room_records.sessions_of(self.ctx, case_id)

    def correct_session(self, session_id: str, form: SessionInput, reason: str) -> SessionInfo:
        """更正调解记录 with a reason; the previous values stay in its history."""
        return _session_changed(room_sessions.correct_session(self.ctx, session_id, form, reason))

    def void_session(self, session_id: str, reason: str) -> SessionInfo:
        """作废调解记录 (directors only)."""
        return _session_changed(room_sessions.void_session(self.ctx, session_id, reason))

    def session_history(self, session_id: str) -> tuple[SessionChange, ...]:
        return room_sessions.session_history(self.ctx, session_id)

    def session_form(self, session_id: str) -> SessionInput:
        return room_sessions.session_form(self.ctx, session_id)

    def case_mediation(self, case_id: str) -> CaseMediation:
        """The case file's bookings, session records and agreements."""
        return room_sessions.case_mediation(self.ctx, case_id)

    def record_agreement(self, form: AgreementInput) -> AgreementDocument:
        """Only after a session with outcome 达成; an oral agreement is recorded as oral."""
        self.ctx.require("rooms.record")
        return room_records.record_agreement(self.ctx, form)

    def agreement_document(self, agreement_id: str) -> AgreementDocument:
        return room_records.agreement_document(self.ctx, agreement_id)

    def notice_document(self, booking_id: str, person_id: str) -> NoticeDocument:
        """The notice as it would print now (not numbered: see :meth:`notice_print`)."""
        return room_records.notice_document(self.ctx, booking_id, person_id)

    def agreement_print(self, agreement_id: str) -> RoomPrintJob:
        """The agreement as issued; from the second print on marked 补打."""
        return room_records.agreement_print(self.ctx, agreement_id)

    def notice_print(self, booking_id: str, person_id: str) -> RoomPrintJob:
        """The party's notice, numbered from the number block the first time it is issued."""
        self.ctx.require("rooms.book")
        return room_records.notice_print(self.ctx, booking_id, person_id)

    def record_document_print(self, document_id: str, copies: int = 1) -> int:
        """Log a finished print of a notice or agreement; returns how many prints so far."""
        return room_documents.record_print(self.ctx, document_id, copies)

    def record_document_export(self, document_id: str) -> None:
        """Log a notice or agreement saved as a PDF file (an export, in the audit log)."""
        room_documents.record_export(self.ctx, document_id)
