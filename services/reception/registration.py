"""Walk-in registration (接待登记): validate the form, match people, open or attach a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from services import numbering
from services.audit.log import note_inserts
from services.cases import search
from services.cases.detail import case_detail
from services.cases.events import get_case_row, record, replay_case
from services.context import ServiceContext
from services.domain.bounds import MAX_AMOUNT_CENTS, MAX_HEAD_COUNT, MAX_PEOPLE_COUNT
from services.domain.dto import (
    Changes,
    PartyInput,
    PersonCandidate,
    RegistrationResult,
    WalkInInput,
)
from services.domain.errors import (
    ServiceError,
    ValidationError,
    ValidationErrors,
)
from services.domain.identity import (
    IdNumberInfo,
    id_type_mismatch,
    mask_phone,
    mismatch_message,
    normalise_name,
    parse_document_number,
    parse_phone,
    to_halfwidth,
)
from services.domain.ids import uuid7
from services.domain.messages import msg
from services.domain.textutil import clean_text, warm_pinyin
from services.domain.workflow import LEVELS, Action, CaseProjection
from services.people.matching import match_persons, visit_counts
from services.people.resolve import HOW_LABELS, NEW, TypedParty, resolve_people
from services.reference.data import Reference
from services.store import coreinsert, outbox, prepared
from services.store.models import Base, Case, CaseParty, OrgUnit, Person, Visit, VisitPerson

COLLECTIVE_THRESHOLD = 5  # 集体访: five or more people (信访 practice)
MAX_SUMMARY = 1000
MAX_DESCRIPTION = 5000
MAX_ADDRESS = 200  # person.address
MAX_NOTE = 500  # visit.note
MAX_REASON = 200  # a change of name's reason
MAX_AMOUNT = Decimal(MAX_AMOUNT_CENTS) / 100  # yuan; the hub refuses more (services.domain.bounds)
PARTY_ROLES = ("applicant", "respondent", "representative", "third_party", "agent")
# id_types whose numbers have the 18-character ID format; other types keep the number as typed.
FORMATTED_ID_TYPES = ("111", "hk_macau_permit", "taiwan_permit", "foreign_permanent")
REFERRALS = {
    "referred_litigation": "诉讼",
    "referred_arbitration": "仲裁",
    "referred_reconsideration": "行政复议",
    "referred_petition": "信访",
    "referred_12345": "12345热线",
}
DISPOSITIONS = ("answered", "accepted", "mediation_booked", *REFERRALS)


_Err = Callable[[str, str, str], None]


def _collect(errors: list[ValidationError], fn: Callable[[], object]) -> object:
    try:
        return fn()
    except ValidationErrors as many:
        errors.extend(many.errors)
    except ValidationError as exc:
        errors.append(exc)
    return None


def _validate_party(
    i: int, p: PartyInput, errors: list[ValidationError], id_types: frozenset[str]
) -> TypedParty | None:
    prefix = f"parties[{i}]."
    before = len(errors)

    def err(field: str, code: str, msg: str) -> None:
        errors.append(ValidationError(prefix + field, code, msg))

    name = _collect(errors, lambda: normalise_name(p.name, field=prefix + "name"))
    id_info = None
    other_id = None
    if p.id_type not in id_types:
        err("id_type", "id_type.unknown", "证件类型无效")
    elif p.id_number.strip():
        if p.id_type in FORMATTED_ID_TYPES:
            shown = id_type_mismatch(p.id_type, p.id_number)  # a 港澳 permit typed as 身份证
            if shown is not None:
                err("id_type", "id_type.mismatch", mismatch_message(p.id_type, shown))
            else:
                id_info = _collect(errors, lambda: parse_document_number(
                    p.id_type, p.id_number, field=prefix + "id_number"))  # fmt: skip
        elif p.id_type != "none":  # passport etc.: kept as typed (normalised), never dropped
            other_id = "".join(to_halfwidth(p.id_number).split()).upper()
            if not (5 <= len(other_id) <= 20 and other_id.isascii() and other_id.isalnum()):
                err("id_number", "id_number.other", "证件号码应为5至20位字母或数字")
    phone = None
    if p.phone.strip():
        info = _collect(errors, lambda: parse_phone(p.phone, field=prefix + "phone"))
        phone = getattr(info, "number", None)
    elif p.is_visitor and i == 0 and not p.person_id:  # a known person keeps the phone on file
        err("phone", "phone.required", "请填写来访人联系电话")
    address = _collect(
        errors, lambda: clean_text(p.address, prefix + "address", "住址", max_len=MAX_ADDRESS)
    )
    reason = _collect(errors, lambda: clean_text(p.rename_reason, prefix + "rename_reason",
                                                 "更名原因", max_len=MAX_REASON))  # fmt: skip
    if p.role not in PARTY_ROLES:
        err("role", "party.role", "当事人角色无效")
    if len(errors) > before:
        return None
    assert isinstance(name, str) and isinstance(address, str) and isinstance(reason, str)
    return TypedParty(
        index=i, name=name, id_type=p.id_type,
        id_info=id_info if isinstance(id_info, IdNumberInfo) else None, other_id=other_id,
        phone=phone, address=address, person_id=p.person_id, rename_reason=reason,
    )  # fmt: skip


def _validate(
    session: Session, ctx: ServiceContext, form: WalkInInput
) -> tuple[list[TypedParty], str, str, Decimal | None]:
    errors: list[ValidationError] = []
    ref = ctx.reference

    def err(field: str, code: str, msg: str) -> None:
        errors.append(ValidationError(field, code, msg))

    visitors = [p for p in form.parties if p.is_visitor]
    if not visitors:
        err("parties", "parties.no_visitor", "请至少填写一名来访人")
    parties = [
        party
        for i, p in enumerate(form.parties)
        if (party := _validate_party(i, p, errors, ref.codes("id_types")))
    ]
    summary = _check_texts(form, errors)
    _check_codes(ref, form, err)
    _check_counts(form, len(visitors), err)
    amount = _amount(form.amount, err)
    if form.occurred_at is not None and form.occurred_at > ctx.now() + dt.timedelta(minutes=5):
        err("occurred_at", "occurred_at.future", "事发时间不能晚于现在")
    if form.disposition == "answered" and not form.answer.strip():
        err("answer", "answer.required", "当场答复须填写答复内容")
    _check_links(session, form, err)
    if errors:
        raise ValidationErrors(errors)
    assert isinstance(summary, str)
    title = form.title.strip() or _title_from(summary)
    return parties, summary, title, amount


def _check_texts(form: WalkInInput, errors: list[ValidationError]) -> object:
    """The free-text fields (length, control characters); returns the cleaned summary."""
    summary = _collect(
        errors,
        lambda: clean_text(
            form.summary, "summary", "诉求简述", max_len=MAX_SUMMARY, required=True
        ),  # fmt: skip
    )
    _collect(
        errors,
        lambda: clean_text(form.description, "description", "详细情况", max_len=MAX_DESCRIPTION),
    )
    _collect(errors, lambda: clean_text(form.title, "title", "标题", max_len=60))
    _collect(errors, lambda: clean_text(form.risk_basis, "risk_basis", "定色依据", max_len=500))
    _collect(errors, lambda: clean_text(form.answer, "answer", "答复内容", max_len=2000))
    _collect(errors, lambda: clean_text(form.note, "note", "备注", max_len=MAX_NOTE))
    _collect(errors, lambda: clean_text(form.occurred_place, "occurred_place", "事发地点",
                                        max_len=200))  # fmt: skip
    return summary


def _check_codes(ref: Reference, form: WalkInInput, err: _Err) -> None:
    """Coded choices: category, channel, disposition, risk colour (with its basis), level."""
    try:
        ref.category(form.category_code)
    except KeyError:
        err("category_code", "category.unknown", "请选择纠纷类别")
    if form.channel not in {c.code for c in ref.channels}:
        err("channel", "channel.unknown", "请选择来访方式")
    if form.disposition not in DISPOSITIONS:
        err("disposition", "disposition.unknown", "请选择处理方式")
    if form.risk_colour not in ("green", "yellow", "orange", "red"):
        err("risk_colour", "risk_colour.unknown", "请选择风险颜色")
    elif form.risk_colour != "green" and not form.risk_basis.strip():
        err("risk_basis", "risk_basis.required", "黄色及以上风险须填写定色依据")
    if form.handling_level not in LEVELS:
        err("handling_level", "handling_level.unknown", "请选择办理层级")


def _check_counts(form: WalkInInput, visitors: int, err: _Err) -> None:
    if not 1 <= form.head_count <= MAX_HEAD_COUNT:
        err("head_count", "head_count.range", "来访人数须在1至100000之间")
    elif form.head_count < visitors:
        err(
            "head_count",
            "head_count.too_small",
            msg("来访人数不能少于已登记的来访人（{count}人）", count=visitors),
        )
    if form.people_count is not None and not 1 <= form.people_count <= MAX_PEOPLE_COUNT:
        err("people_count", "people_count.range", "涉及人数须在1至1000000之间")


def _orgs_query() -> Select[tuple[str]]:
    org = OrgUnit.__table__.c
    return select(org.id).where(org.id.in_([bindparam("village_id"), bindparam("grid_id")]))


def _check_links(session: Session, form: WalkInInput, err: _Err) -> None:
    """The village, grid and case the form points at exist (the village and grid in one query)."""
    wanted = {key: getattr(form, key) for key in ("village_id", "grid_id")}
    found: set[str] = set()
    if any(org_id is not None for org_id in wanted.values()):  # one shape, compiled once
        rows = prepared.run(session, "registration_orgs", _orgs_query, wanted)
        found = {row[0] for row in rows}
    for key, org_id in wanted.items():
        if org_id is not None and org_id not in found:
            err(key, f"{key}.unknown", "所选村（社区）或网格不存在")
    if form.attach_to_case_id is not None and session.get(Case, form.attach_to_case_id) is None:
        err("attach_to_case_id", "case.not_found", "要关联的案件不存在")


def _amount(value: Decimal | None, err: _Err) -> Decimal | None:
    if value is None:
        return None
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        err("amount", "amount.invalid", "涉及金额格式不正确")
        return None
    if amount.is_finite() and 0 <= amount < MAX_AMOUNT:
        # checked again in 分: 999999999999.995 rounds up to the limit itself
        amount = amount.quantize(Decimal("0.01"))
    if not amount.is_finite() or amount < 0 or amount >= MAX_AMOUNT:
        err("amount", "amount.range", "涉及金额须为0至一万亿元之间的数")
        return None
    return amount


def _title_from(summary: str) -> str:
    first = summary.splitlines()[0]
    for stop in "。；，,;":
        first = first.split(stop)[0]
    return first[:30]


def _open_case(
    session: Session, ctx: ServiceContext, form: WalkInInput, title: str, summary: str,
    amount: Decimal | None, now: dt.datetime,
) -> Case:  # fmt: skip
    if not ctx.township_id or not ctx.township_code:
        raise ServiceError("township.not_configured", "尚未设置本乡镇，请先完成初始设置")
    case_id = uuid7()
    with session.no_autoflush:  # the new people go in the one flush with the case, not before
        code = numbering.next_case_code(session, ctx.township_code, ctx.hub_now())
    case = Case(
        id=case_id,
        code=code,
        township_id=ctx.township_id,
        village_id=form.village_id,
        grid_id=form.grid_id,
        title=title,
        summary=summary,
        description=form.description.strip(),
        category_code=form.category_code,
        risk_colour=form.risk_colour,
        risk_basis=form.risk_basis.strip(),
        handling_level=form.handling_level,
        channel=form.channel,
        amount_cents=None if amount is None else int(amount * 100),
        people_count=form.people_count or max(form.head_count, 1),
        occurred_at=form.occurred_at,
        occurred_place=form.occurred_place.strip(),
        registered_at=now,
        registered_by=ctx.user_id,
        state="registered",
        event_count=0,
    )
    return case  # written with Core with the parties and the visit (_write_new)


def _disposition_events(form: WalkInInput) -> list[tuple[Action, dict[str, object]]]:
    if form.disposition == "answered":
        return [(Action.ANSWER, {"answer": form.answer})]
    if form.disposition in REFERRALS:
        where = REFERRALS[form.disposition]
        return [(Action.REJECT, {"reason": f"引导至{where}", "advised_channel": where})]
    return [(Action.ACCEPT, {})]


def register_walk_in(ctx: ServiceContext, form: WalkInInput) -> RegistrationResult:
    """Save a walk-in in one transaction: people, visit, case (new or existing) and its events.

    pypinyin is loaded before the write lock is taken (0.3 s on first use), not inside it.
    """
    warm_pinyin()
    return ctx.store.run_write(lambda session: register_in(session, ctx, form))


def register_in(session: Session, ctx: ServiceContext, form: WalkInInput) -> RegistrationResult:
    """The body of :func:`register_walk_in`, inside the caller's unit of work."""
    ctx.require("case.register")
    now = ctx.now()
    parties, summary, title, amount = _validate(session, ctx, form)
    resolved = resolve_people(session, parties, now, ctx.user_id)
    people = [(r.person, form.parties[p.index]) for r, p in zip(resolved, parties, strict=True)]
    previous = visit_counts(session, [r.person.id for r in resolved if r.how != NEW])
    is_repeat = form.attach_to_case_id is not None or any(previous.values())
    repeat_reasons = tuple(dict.fromkeys(
        HOW_LABELS[r.how] for r in resolved if previous.get(r.person.id) and r.how in HOW_LABELS
    ))  # fmt: skip
    case, new_case = _case_for(session, ctx, form, title, summary, amount, now)
    rows: list[Base] = []  # the new rows after the case, written with Core in this order
    visit = _add_visit(session, ctx, form, case, people, rows, is_repeat=is_repeat, now=now,
                       new_case=new_case)  # fmt: skip
    notices = [n for r in resolved for n in r.notices]
    for r in resolved:
        for person_event in r.events:
            person_event.case_id = case.id
    if new_case:
        proj: CaseProjection | None = record(session, ctx, case, None, Action.REGISTER, {
            "category_code": form.category_code, "risk_colour": form.risk_colour,
            "risk_basis": form.risk_basis.strip(), "handling_level": form.handling_level,
            "channel": form.channel, "head_count": form.head_count,
        }, now, rows.append)  # fmt: skip
        for action, payload in _disposition_events(form):
            proj = record(session, ctx, case, proj, action, payload, now, rows.append)
    else:
        proj = replay_case(session, case.id).projection
        notices.append(msg("已作为重复来访关联到原案件"))
    _write_new(session, case if new_case else None, rows, [p for p, _ in people])
    if new_case and case.due_provisional:
        notices.append(_provisional_notice(session, ctx, case.id))
    if new_case:  # the parties are exactly the people of this form, in order
        unique = {person.id: person.name for person, _ in people}
        search.index_case(session, case.id, names=list(unique.values()), new=True)
    else:
        search.index_case(session, case.id)
    _reindex_renamed(session, [r.person.id for r in resolved if r.renamed], case.id)
    if visit.is_collective:
        notices.append(msg("来访{count}人，已标记为集体访", count=form.head_count))
    if is_repeat and new_case:
        notices.append(msg("来访人此前来访过（{reasons}），请核对是否为同一事项",
                           reasons=repeat_reasons) if repeat_reasons
                       else msg("来访人此前来访过，请核对是否为同一事项"))  # fmt: skip
    return RegistrationResult(
        visit_id=visit.id, case_id=case.id, case_code=case.code,
        state=proj.state.value if proj else case.state, is_new_case=new_case,
        is_collective=visit.is_collective, is_repeat=is_repeat,
        person_ids=tuple(p.id for p, _ in people), notices=tuple(notices),
        changes=Changes(frozenset({case.id}), visits=True, people=True),
        repeat_reasons=repeat_reasons,
    )  # fmt: skip


def _case_for(
    session: Session, ctx: ServiceContext, form: WalkInInput, title: str, summary: str,
    amount: Decimal | None, now: dt.datetime,
) -> tuple[Case, bool]:  # fmt: skip
    """The case this visit is about (the one attached to, or a new one) and whether it is new."""
    if form.attach_to_case_id is not None:
        return get_case_row(session, form.attach_to_case_id), False
    return _open_case(session, ctx, form, title, summary, amount, now), True


def _write_new(session: Session, case: Case | None, rows: list[Base], people: list[Person]) -> None:
    """The new people, the new case (if any) and ``rows`` written with Core; what else the people
    need (a changed record, a change of name's event) with one flush. The outbox rows in one
    statement, in the order the one flush of them all wrote them: the new people, the case,
    then ``rows`` (a changed person's rows come before the case).

    The case goes in before the flush: the people's events (a change of name) name it."""
    fresh = list({id(p): p for p in people if p in session.new}.values())  # not yet flushed
    for person in fresh:
        session.expunge(person)
    new = [case, *rows] if case is not None else rows
    with outbox.batched(session):
        coreinsert.insert_new(session, fresh)
        if case is not None:
            coreinsert.insert_new(session, [case], capture=False)
        session.flush()  # changed people, their events
        coreinsert.insert_new(session, rows, capture=False)
        outbox.capture_inserts(session, new)
    note_inserts(session, [*fresh, *new])


def _add_visit(
    session: Session, ctx: ServiceContext, form: WalkInInput, case: Case,
    people: list[tuple[Person, PartyInput]], rows: list[Base], *, is_repeat: bool,
    now: dt.datetime, new_case: bool,
) -> Visit:  # fmt: skip
    """The parties the case does not have yet, the visit and its visitors, added to ``rows``."""
    known: set[str] = set()
    if not new_case:
        query = select(CaseParty.person_id).where(CaseParty.case_id == case.id)
        known = set(session.scalars(query))
    for order, (person, party) in enumerate(people):
        if person.id not in known:
            known.add(person.id)
            rows.append(CaseParty(id=uuid7(), case_id=case.id, person_id=person.id,
                                  role=party.role, sort_order=order))  # fmt: skip
    visit = Visit(
        id=uuid7(), township_id=case.township_id, case_id=case.id, received_at=now,
        received_by=ctx.user_id, channel=form.channel, head_count=form.head_count,
        is_collective=form.head_count >= COLLECTIVE_THRESHOLD, is_repeat=is_repeat,
        disposition=form.disposition, note=clean_text(form.note, "note", "备注", max_len=MAX_NOTE),
    )  # fmt: skip
    rows.append(visit)
    seen_visitors: set[str] = set()
    for person, party in people:
        if party.is_visitor and person.id not in seen_visitors:  # same person typed twice
            seen_visitors.add(person.id)
            rows.append(VisitPerson(id=uuid7(), visit_id=visit.id, person_id=person.id,
                                    role=party.role))  # fmt: skip
    return visit


def _reindex_renamed(session: Session, person_ids: list[str], done: str) -> None:
    """The other cases of a renamed person are found under the new name too."""
    if not person_ids:
        return
    case_ids = session.scalars(
        select(CaseParty.case_id).where(CaseParty.person_id.in_(person_ids)).distinct()
    )
    for case_id in [c for c in case_ids if c != done]:
        search.index_case(session, case_id)


def _provisional_notice(session: Session, ctx: ServiceContext, case_id: str) -> str:
    detail = case_detail(session, ctx, case_id)
    return detail.notices[0] if detail.notices else msg("本案期限为临时计算")


def visit_defaults(ctx: ServiceContext, person_id: str) -> tuple[str, str]:
    """What a repeat visitor need not be asked again: (masked phone on file, category of their
    latest case), "" where there is none."""
    with ctx.store.read() as session:
        person = session.get(Person, person_id)
        phone = mask_phone(person.phone) if person is not None and person.phone else ""
        category = session.scalars(
            select(Case.category_code).join(CaseParty, CaseParty.case_id == Case.id)
            .where(CaseParty.person_id == person_id)
            .order_by(Case.registered_at.desc()).limit(1)
        ).first()  # fmt: skip
        return phone, category or ""


def find_people(
    ctx: ServiceContext, *, id_number: str = "", phone: str = "", name: str = "", limit: int = 8
) -> tuple[PersonCandidate, ...]:
    """Candidates for the side panel while the clerk types."""
    with ctx.store.read() as session:
        return match_persons(session, id_number=id_number, phone=phone, name=name, limit=limit)
