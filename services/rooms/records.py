"""Session records (人民调解记录), the agreement (人民调解协议书) and notices (调解通知书).

The agreement can be made only from a session whose outcome is 达成; once a case has such a
session no further session is recorded (research/domain.md §2.3). An oral agreement (口头协议)
is recorded as such and prints as the 人民调解口头协议登记表.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.cases.events import get_case_row
from services.context import ServiceContext
from services.domain.docdate import document_date
from services.domain.dto import Changes
from services.domain.errors import (
    ConflictError,
    NotFoundError,
    ValidationError,
    ValidationErrors,
)
from services.domain.messages import msg, when
from services.domain.textutil import clean_text
from services.rooms import casework, documents
from services.rooms.dto import (
    MODES,
    OUTCOMES,
    AgreementDocument,
    AgreementInput,
    AgreementParty,
    NoticeDocument,
    RoomPrintJob,
    SessionInfo,
    SessionInput,
)
from services.store.models import (
    CaseParty,
    MediationAgreement,
    MediationCentre,
    MediationRoom,
    MediationSession,
    Mediator,
    OrgUnit,
    Person,
    RoomBooking,
    RoomDocument,
)

MAX_PROCESS_CHARS = 1000
MAX_FACTS = 1000  # 纠纷主要事实、争议事项, like the registration's 事由摘要
MAX_TERM = 300  # one 协议内容 clause
MAX_TERMS = 20
MAX_PERFORMANCE = 300
MAX_COMMITTEE = 30  # XX镇XX村人民调解委员会: two lines of the header at most
PARTY_ROLES = "甲乙丙丁戊己庚辛壬癸"  # then 第十一方, 第十二方…
NUMERALS = "〇一二三四五六七八九"


def party_role(index: int) -> str:
    """The agreement's name for party ``index`` (from 0): 甲方…癸方, then 第十一方 on."""
    if index < len(PARTY_ROLES):
        return f"{PARTY_ROLES[index]}方"
    n = index + 1
    if n >= 100:
        return f"第{n}方"
    tens, ones = divmod(n, 10)
    text = ("" if tens == 1 else NUMERALS[tens]) + "十" + (NUMERALS[ones] if ones else "")
    return f"第{text}方"


def _session_errors(form: SessionInput) -> list[ValidationError]:
    errors = []
    if form.mode not in MODES:
        errors.append(ValidationError("mode", "session.mode", "请选择调解方式"))
    if form.outcome not in OUTCOMES:
        errors.append(ValidationError("outcome", "session.outcome", "请选择调解结果"))
    if not form.presiding_id:
        errors.append(ValidationError("presiding_id", "session.presiding", "请选择主持调解员"))
    if form.ended_at is not None and form.ended_at <= form.started_at:
        errors.append(ValidationError("ended_at", "session.end", "结束时间必须晚于开始时间"))
    if len(form.process_text) > MAX_PROCESS_CHARS:
        errors.append(
            ValidationError(
                "process_text",
                "session.process_long",
                msg("调解过程不超过{limit}字", limit=MAX_PROCESS_CHARS),
            )
        )
    if form.outcome == "继续调解" and form.next_session_at is None:
        errors.append(ValidationError("next_session_at", "session.next",
                                      "继续调解须填写下次调解时间"))  # fmt: skip
    return errors


def check_session_form(form: SessionInput) -> None:
    errors = _session_errors(form)
    if errors:
        raise ValidationErrors(errors)


def record_session(ctx: ServiceContext, form: SessionInput) -> SessionInfo:
    """Save a session record once the session has started; its booking becomes 已结束 and its
    outcome the case's mediation result."""
    check_session_form(form)

    def work(session: Session) -> SessionInfo:
        case = get_case_row(session, form.case_id)
        reached = session.scalar(select(func.count()).select_from(MediationSession).where(
            MediationSession.case_id == case.id, MediationSession.outcome == "达成",
            MediationSession.voided_at.is_(None)))  # fmt: skip
        if reached:
            raise ConflictError("session.agreed", "该案已达成调解协议，不能再新增调解记录")
        proj = casework.check_recordable(session, case.id)
        presiding = session.get(Mediator, form.presiding_id)
        if presiding is None:
            raise ValidationError("presiding_id", "session.presiding", "请选择主持调解员")
        place = form.place
        started = form.started_at
        booking = session.get(RoomBooking, form.booking_id) if form.booking_id else None
        if form.booking_id and booking is None:
            raise NotFoundError("booking.not_found", "预约不存在")
        if booking is not None:
            started = min(started, booking.start_at)
        if started > ctx.now():
            raise ValidationError("started_at", "session.not_started",
                                  msg("这次调解{start}才开始，调解开始后才能登记调解记录",
                                      start=when(started, "%m月%d日 %H:%M")))  # fmt: skip
        if booking is not None:
            room = session.get(MediationRoom, booking.room_id)
            place = place or (room.name if room else "")
            finish_booking(booking)
        seq = (session.scalar(select(func.max(MediationSession.seq))
                              .where(MediationSession.case_id == case.id)) or 0) + 1  # fmt: skip
        row = MediationSession(
            case_id=case.id, booking_id=form.booking_id, seq=seq, started_at=form.started_at,
            ended_at=form.ended_at, place=place, presiding_id=presiding.id,
            co_mediator_ids=list(form.co_mediator_ids), recorder=form.recorder,
            attendees=list(form.attendees), mode=form.mode, process_text=form.process_text,
            outcome=form.outcome, next_session_at=form.next_session_at,
            recorded_at=ctx.now(), recorded_by=ctx.user_id,
        )  # fmt: skip
        session.add(row)
        session.flush()
        warnings = []
        if case.due_at is not None and form.started_at > case.due_at:
            warnings.append(msg("本次调解晚于案件办理期限（{due}）", due=when(case.due_at)))
        casework.record_result(session, ctx, proj, case.id, row.id, row.outcome, presiding.name)
        return session_info(session, row, tuple(warnings))

    return ctx.store.run_write(work)


def finish_booking(booking: RoomBooking) -> None:
    """A recorded session ends its booking, also one marked 过期未到 before it was recorded."""
    if booking.status in ("booked", "in_use", "no_show"):
        booking.status = "finished"
        booking.follow_up = False
        booking.revision += 1


def session_info(
    session: Session, row: MediationSession, warnings: tuple[str, ...] = ()
) -> SessionInfo:
    m = session.get(Mediator, row.presiding_id)
    return SessionInfo(row.id, row.case_id, row.seq, row.started_at, m.name if m else "",
                       row.mode, row.outcome, row.next_session_at, warnings, row.booking_id,
                       row.voided_at is not None, row.revision)  # fmt: skip


def sessions_of(ctx: ServiceContext, case_id: str) -> tuple[SessionInfo, ...]:
    with ctx.store.read() as session:
        rows = session.scalars(select(MediationSession).where(MediationSession.case_id == case_id)
                               .order_by(MediationSession.seq))  # fmt: skip
        return tuple(session_info(session, r) for r in rows)


def _committee(session: Session, township_id: str | None) -> str:
    org = session.get(OrgUnit, township_id) if township_id else None
    return f"{org.name}人民调解委员会" if org else "人民调解委员会"


def _agreement_form(form: AgreementInput) -> AgreementInput:
    """The form checked through the one text validator (lengths the printed agreement is
    proven to lay out at, tests/services/rooms/test_room_documents_limits.py)."""
    errors: list[ValidationError] = []

    def check(value: str, field: str, label: str, max_len: int, required: bool = False) -> str:
        try:
            return clean_text(value, field, label, max_len=max_len, required=required)
        except ValidationError as exc:
            errors.append(exc)
            return value

    if form.form not in ("written", "oral"):
        errors.append(ValidationError("form", "agreement.form", "请选择书面协议或口头协议"))
    facts = check(form.facts, "facts", "纠纷主要事实、争议事项", MAX_FACTS, required=True)
    terms = tuple(check(t, "terms", "协议内容每一条", MAX_TERM) for t in form.terms if t.strip())
    if not terms:
        errors.append(ValidationError("terms", "agreement.terms", "请至少填写一条协议内容"))
    elif len(terms) > MAX_TERMS:
        text = msg("协议内容不能超过{limit}条（现有{count}条）", limit=MAX_TERMS, count=len(terms))
        errors.append(ValidationError("terms", "agreement.terms_count", text))
    performance = check(form.performance, "performance", "履行方式、时限", MAX_PERFORMANCE)
    committee = check(form.committee, "committee", "调解委员会名称", MAX_COMMITTEE)
    if errors:
        raise ValidationErrors(errors)
    return replace(form, facts=facts, terms=terms, performance=performance, committee=committee)


def record_agreement(ctx: ServiceContext, form: AgreementInput) -> AgreementDocument:
    """Record the agreement; refused unless the session's outcome is 达成."""
    form = _agreement_form(form)

    def work(session: Session) -> AgreementDocument:
        ms = session.get(MediationSession, form.session_id)
        if ms is None:
            raise NotFoundError("session.not_found", "调解记录不存在")
        if ms.outcome != "达成":
            raise ValidationError("session_id", "agreement.not_reached",
                                  "调解结果为“达成”后才能制作调解协议书")  # fmt: skip
        if session.scalar(select(MediationAgreement.id)
                          .where(MediationAgreement.session_id == ms.id)):  # fmt: skip
            raise ConflictError("agreement.exists", "这次调解已经登记了调解协议")
        now = ctx.now()
        numbered = documents.take_number(session, ctx, documents.AGREEMENT, now)
        parties = session.scalar(select(func.count()).select_from(CaseParty)
                                 .where(CaseParty.case_id == ms.case_id)) or 0  # fmt: skip
        row = MediationAgreement(
            case_id=ms.case_id, session_id=ms.id, number=numbered[2],
            form=form.form, facts=form.facts.strip(),
            terms=[t.strip() for t in form.terms if t.strip()],
            performance=form.performance.strip(), copies=parties + 1,
            committee=form.committee.strip() or _committee(session, ctx.township_id),
            agreed_on=ms.started_at.date(), created_at=now, created_by=ctx.user_id,
        )  # fmt: skip
        session.add(row)
        session.flush()
        doc = _document(session, row)
        documents.add_document(session, ctx, documents.AGREEMENT, numbered, doc,
                               case_id=row.case_id, agreement_id=row.id)  # fmt: skip
        return replace(doc, changes=Changes(case_ids=frozenset({ms.case_id}), bookings=True))

    return ctx.store.run_write(work)


def _age(birth: dt.date | None, on: dt.date) -> str:
    if birth is None:
        return ""
    return str(on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day)))


def _document(session: Session, row: MediationAgreement) -> AgreementDocument:
    case = get_case_row(session, row.case_id)
    ms = session.get(MediationSession, row.session_id)
    assert ms is not None
    people = session.execute(select(Person).join(CaseParty, CaseParty.person_id == Person.id)
                             .where(CaseParty.case_id == case.id)
                             .order_by(CaseParty.sort_order))  # fmt: skip
    parties = tuple(
        AgreementParty(party_role(i), p.name, p.gender or "",
                       _age(p.birth_date, row.agreed_on), p.phone or "", p.address or "")
        for i, (p,) in enumerate(people)
    )  # fmt: skip
    ids = [ms.presiding_id, *ms.co_mediator_ids]
    names = {m.id: m.name for m in session.scalars(select(Mediator).where(Mediator.id.in_(ids)))}
    return AgreementDocument(row.id, row.number, case.code, row.committee, row.form == "oral",
                             parties, row.facts, tuple(row.terms), row.performance, row.copies,
                             tuple(names.get(i, "") for i in ids), ms.recorder,
                             document_date(row.agreed_on))  # fmt: skip


def agreement_document(ctx: ServiceContext, agreement_id: str) -> AgreementDocument:
    """The agreement as issued (its snapshot)."""
    with ctx.store.read() as session:
        return _snapshot(session, agreement_id) or _live(session, agreement_id)


def _live(session: Session, agreement_id: str) -> AgreementDocument:
    row = session.get(MediationAgreement, agreement_id)
    if row is None:
        raise NotFoundError("agreement.not_found", "调解协议不存在")
    return _document(session, row)


def _snapshot(session: Session, agreement_id: str) -> AgreementDocument | None:
    row = session.scalars(select(RoomDocument)
                          .where(RoomDocument.agreement_id == agreement_id)).first()  # fmt: skip
    return documents.agreement_from_json(row.content) if row is not None else None


def agreement_print(ctx: ServiceContext, agreement_id: str) -> RoomPrintJob:
    """The agreement to print: as issued, marked 补打 from the second print on. An agreement
    recorded before numbered documents existed is snapshotted now and keeps its number."""

    def work(session: Session) -> RoomPrintJob:
        found = select(RoomDocument).where(RoomDocument.agreement_id == agreement_id)
        row = session.scalars(found).first()
        if row is None:
            doc = _live(session, agreement_id)
            town = documents.township(session, ctx)
            row = documents.add_document(session, ctx, documents.AGREEMENT,
                                         (town, 0, doc.number), doc,
                                         agreement_id=agreement_id)  # fmt: skip
        return documents.print_job(session, ctx, row)

    return ctx.store.run_write(work)


def _notice(session: Session, ctx: ServiceContext, booking_id: str,
            person_id: str) -> tuple[NoticeDocument, RoomBooking]:  # fmt: skip
    """What the 调解通知书 for one party of a booking says today (no number, no date)."""
    b = session.get(RoomBooking, booking_id)
    person = session.get(Person, person_id)
    if b is None or person is None or person_id not in (b.person_ids or []):
        raise NotFoundError("notice.not_found", "预约或当事人不存在")
    room = session.get(MediationRoom, b.room_id)
    case = get_case_row(session, b.case_id) if b.case_id else None
    code = case.code if case else ""
    # the case code prints once, as 案件编号; the matter is named by the case's title
    title = case.title if case else b.title
    names = [m.name for m in session.scalars(select(Mediator).where(
        Mediator.id.in_(b.mediator_ids or [])))]  # fmt: skip
    weekday = "一二三四五六日"[b.start_at.weekday()]
    when = (f"{document_date(b.start_at.date())}（星期{weekday}）"
            f"{b.start_at:%H:%M}–{b.end_at:%H:%M}")  # fmt: skip
    centre = session.get(MediationCentre, ctx.township_id or "")
    doc = NoticeDocument("", code, _committee(session, ctx.township_id), person.name, title,
                         room.name if room else "", when, tuple(names), "",
                         centre.address if centre else "",
                         centre.phone if centre else "")  # fmt: skip
    return doc, b


def notice_document(ctx: ServiceContext, booking_id: str, person_id: str) -> NoticeDocument:
    """The 调解通知书 for one party of a booking as it would print now (not yet numbered)."""
    with ctx.store.read() as session:
        doc, _b = _notice(session, ctx, booking_id, person_id)
        return replace(doc, date_text=document_date(ctx.now().date()))


def notice_print(ctx: ServiceContext, booking_id: str, person_id: str) -> RoomPrintJob:
    """The notice to print: numbered from the block the first time; the same notice (same
    number, same date, marked 补打) while the booking is unchanged; a new one once it moved."""

    def work(session: Session) -> RoomPrintJob:
        fresh, b = _notice(session, ctx, booking_id, person_id)
        row = documents.issue_notice(session, ctx, fresh, {
            "case_id": b.case_id, "booking_id": b.id, "person_id": person_id})  # fmt: skip
        return documents.print_job(session, ctx, row)

    return ctx.store.run_write(work)
