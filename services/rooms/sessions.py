"""Correcting (更正) and voiding (作废) session records, their history, and a case's mediation file.

A correction needs a reason and keeps the record's previous values in ``mediation_session_change``;
only a director (中心主任) voids a record. Changing the outcome of the record that gave the case's
mediation result revises that result too (:func:`services.rooms.casework.revise_result`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.errors import ConflictError, NotFoundError, ValidationError
from services.domain.textutil import clean_text
from services.rooms import casework
from services.rooms.dto import (
    AgreementInfo,
    CaseMediation,
    RecordPermissionError,
    SessionChange,
    SessionInfo,
    SessionInput,
)
from services.rooms.info import booking_infos
from services.rooms.records import check_session_form, session_info
from services.store.models import (
    AppUser,
    MediationAgreement,
    MediationSession,
    MediationSessionChange,
    Mediator,
    RoomBooking,
)

VOIDERS = ("director",)
VOID_PERMISSION = "rooms.void_record"
MAX_REASON = 500
_FIELDS = ("started_at", "ended_at", "place", "presiding_id", "co_mediator_ids", "recorder",
           "attendees", "mode", "process_text", "outcome", "next_session_at")  # fmt: skip


def _snapshot(row: MediationSession) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(row, name)
        out[name] = value.isoformat() if isinstance(value, dt.datetime) else value
    return out


def _get(session: Session, session_id: str) -> MediationSession:
    row = session.get(MediationSession, session_id)
    if row is None:
        raise NotFoundError("session.not_found", "调解记录不存在")
    return row


def _reason(reason: str) -> str:
    return clean_text(reason, "reason", "理由", max_len=MAX_REASON, required=True)


def _change(session: Session, ctx: ServiceContext, row: MediationSession, kind: str,
            reason: str, before: dict[str, Any]) -> None:  # fmt: skip
    session.add(MediationSessionChange(session_id=row.id, kind=kind, reason=reason,
                                       before=before, after=_snapshot(row),
                                       changed_at=ctx.now(), changed_by=ctx.user_id))  # fmt: skip


def correct_session(
    ctx: ServiceContext, session_id: str, form: SessionInput, reason: str
) -> SessionInfo:
    """Correct a record (更正); the previous values and the reason stay in its history."""
    ctx.require("rooms.record")
    why = _reason(reason)
    check_session_form(form)

    def work(session: Session) -> SessionInfo:
        row = _get(session, session_id)
        if row.voided_at is not None:
            raise ConflictError("session.voided", "已作废的调解记录不能更正")
        if session.get(Mediator, form.presiding_id) is None:
            raise ValidationError("presiding_id", "session.presiding", "请选择主持调解员")
        if form.started_at > ctx.now():
            raise ValidationError("started_at", "session.not_started",
                                  "调解开始后才能登记调解记录")  # fmt: skip
        agreed = session.scalar(select(MediationAgreement.id)
                                .where(MediationAgreement.session_id == row.id))  # fmt: skip
        if agreed and form.outcome != "达成":
            raise ConflictError("session.has_agreement", "这次调解已制作调解协议书，不能改为未达成")
        before = _snapshot(row)
        old_outcome = row.outcome
        row.started_at, row.ended_at = form.started_at, form.ended_at
        row.place = form.place or row.place
        row.presiding_id, row.co_mediator_ids = form.presiding_id, list(form.co_mediator_ids)
        row.recorder, row.attendees = form.recorder, list(form.attendees)
        row.mode, row.process_text, row.outcome = form.mode, form.process_text, form.outcome
        row.next_session_at = form.next_session_at
        row.revision += 1
        session.flush()
        if form.outcome != old_outcome:
            casework.revise_result(session, ctx, row.case_id, row.id, form.outcome, why)
        _change(session, ctx, row, "correct", why, before)
        return session_info(session, row)

    return ctx.store.run_write(work)


def void_session(ctx: ServiceContext, session_id: str, reason: str) -> SessionInfo:
    """A director voids a record (作废); the case's result it gave is withdrawn (调解中)."""
    why = _reason(reason)

    def work(session: Session) -> SessionInfo:
        ctx.require(VOID_PERMISSION)
        if ctx.principal is None and ctx.user_id is not None:  # no sign-in: the role on file
            user = session.get(AppUser, ctx.user_id)
            if user is None or not user.active or user.role not in VOIDERS:
                raise RecordPermissionError(VOID_PERMISSION, "只有中心主任可以作废调解记录")
        row = _get(session, session_id)
        if row.voided_at is not None:
            raise ConflictError("session.voided", "这条调解记录已经作废")
        if session.scalar(select(MediationAgreement.id)
                          .where(MediationAgreement.session_id == row.id)):  # fmt: skip
            raise ConflictError("session.has_agreement", "这次调解已制作调解协议书，不能作废记录")
        before = _snapshot(row)
        row.voided_at, row.voided_by, row.void_reason = ctx.now(), ctx.user_id, why
        row.revision += 1
        session.flush()
        casework.revise_result(session, ctx, row.case_id, row.id, None, why)
        _change(session, ctx, row, "void", why, before)
        return session_info(session, row)

    return ctx.store.run_write(work)


def session_history(ctx: ServiceContext, session_id: str) -> tuple[SessionChange, ...]:
    """Corrections and the void of a record, oldest first, with who made them."""
    Change = MediationSessionChange  # noqa: N806
    with ctx.store.read() as session:
        _get(session, session_id)
        rows = list(session.scalars(select(Change).where(Change.session_id == session_id)
                                    .order_by(Change.changed_at, Change.id)))  # fmt: skip
        users = {
            u.id: u.display_name
            for u in session.scalars(
                select(AppUser).where(AppUser.id.in_([r.changed_by for r in rows if r.changed_by]))
            )
        }
        return tuple(SessionChange(r.kind, r.reason, dict(r.before), dict(r.after), r.changed_at,
                                   users.get(r.changed_by or "", ""))
                     for r in rows)  # fmt: skip


def session_form(ctx: ServiceContext, session_id: str) -> SessionInput:
    """A record as its correction form shows it."""
    with ctx.store.read() as session:
        r = _get(session, session_id)
        return SessionInput(r.case_id, r.started_at, r.presiding_id, r.mode, r.outcome,
                            r.process_text, r.ended_at, r.booking_id, tuple(r.co_mediator_ids),
                            r.recorder, tuple(r.attendees), r.place,
                            r.next_session_at)  # fmt: skip


def case_mediation(ctx: ServiceContext, case_id: str) -> CaseMediation:
    """The case file's mediation part (调解): bookings, session records, agreements."""
    with ctx.store.read() as session:
        bookings = session.scalars(select(RoomBooking).where(RoomBooking.case_id == case_id)
                                   .order_by(RoomBooking.start_at))  # fmt: skip
        sessions = session.scalars(select(MediationSession)
                                   .where(MediationSession.case_id == case_id)
                                   .order_by(MediationSession.seq))  # fmt: skip
        agreements = session.scalars(select(MediationAgreement)
                                     .where(MediationAgreement.case_id == case_id)
                                     .order_by(MediationAgreement.created_at))  # fmt: skip
        return CaseMediation(
            case_id,
            booking_infos(session, list(bookings)),
            tuple(session_info(session, s) for s in sessions),
            tuple(AgreementInfo(a.id, a.number, a.session_id, a.form == "oral", a.agreed_on)
                  for a in agreements),
        )  # fmt: skip
