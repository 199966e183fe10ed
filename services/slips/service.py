"""Issuing slips (签发文书) as case actions, the slip register (文书台账), voiding and reprints.

Issuing is one unit of work: check the form, take the number, record the case action the kind
stands for (交办单 → 交办), snapshot the issued text and store the PDF's SHA-256. The PDF itself is
not stored: the snapshot is the record and re-renders byte for byte (reportlab invariant mode,
same fonts), which any PC can check against the stored hash; reprints carry 补打.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from services.audit.log import tag
from services.cases.events import get_case_row, perform_in, replay_case
from services.context import ServiceContext
from services.domain.dto import Changes
from services.domain.errors import ConflictError, NotFoundError, ServiceError, ValidationError
from services.domain.ids import uuid7
from services.domain.messages import msg
from services.domain.textutil import clean_text
from services.domain.workflow import Action
from services.numbering import next_number
from services.slips.dto import (
    IssueRequest,
    IssueResult,
    PrintJob,
    RenderedPdf,
    RenderOptions,
    SlipCatalogue,
    SlipDocument,
    SlipForm,
    SlipInfo,
    SlipKind,
    SlipPermissionError,
    SlipQuery,
    SlipRenderer,
)
from services.slips.facts import (
    PENDING_NUMBER,
    build_document,
    check_values,
    date_text,
    field_facts,
    reveal,
    reveal_document,
    slip_number,
    unit_choices,
    unmasked_in,
)
from services.slips.kinds import load_catalogue
from services.store.models import AppUser, Case, CaseEvent, OrgUnit, Slip, SlipPrint

MAX_VOID_REASON = 200


def _slip_changes(case_id: str) -> Changes:
    """A slip issued, printed or voided: the 文书 register and the case's timeline."""
    return Changes(frozenset({case_id}), slips=True)


def slip_series(township_code: str, kind: str, year: int) -> str:
    """Number series of one slip kind for one township and year (``services.numbering``)."""
    return f"slip:{township_code}:{kind}:{year}"


class SlipService:
    """Slips for one PC: typed, synchronous calls; each call is one unit of work.

    Args:
        ctx: the service context (store, device, user, clock).
        renderer: ``reports.slips.render_slip`` (injected: services never import reportlab).
        catalogue: the slip kinds; default the shipped ones.
    """

    def __init__(
        self, ctx: ServiceContext, renderer: SlipRenderer, catalogue: SlipCatalogue | None = None
    ) -> None:
        self._ctx = ctx
        # What a kind prints in full is sealed in the snapshot and opened only for the printer.
        self._render: SlipRenderer = lambda doc, options: renderer(reveal_document(doc), options)
        self.catalogue = catalogue or load_catalogue()

    # --- issuing ---------------------------------------------------------------------

    def kinds(self) -> tuple[SlipKind, ...]:
        return self.catalogue.kinds

    def form(self, case_id: str, kind: str) -> SlipForm:
        """What the issue form shows: case values, input defaults and the units to choose from."""
        spec = self.catalogue.kind(kind)
        with self._ctx.store.read() as session:
            case = get_case_row(session, case_id)
            values = field_facts(session, self._ctx, case, spec)
            values = {name: reveal(value) for name, value in values.items()}
            for f in spec.fields:
                if f.is_input:
                    values[f.name] = f.default
            units = unit_choices(session)
            return SlipForm(spec, case.id, case.code, case.title, values, units)

    def draft(self, request: IssueRequest) -> RenderedPdf:
        """Preview before issuing: no number, marked 草稿; fields not yet valid print blank."""
        with self._ctx.store.read() as session:
            doc = self._document(session, request, PENDING_NUMBER, strict=False)[0]
        return self._render(doc, RenderOptions(draft=True, allow_missing_glyphs=True))

    def issue(self, request: IssueRequest) -> IssueResult:
        """Issue a slip and record its case action in one transaction.

        Raises:
            ValidationErrors: required fields empty or invalid (each one named).
            TransitionError: the case's state does not allow the action the slip records.
            MissingGlyphsError: no font has some characters and the user has not accepted it.
            SlipPermissionError: the user's role may not issue this kind.
        """
        return self._ctx.store.run_write(lambda session: self._issue(session, request))

    def _issue(self, session: Session, request: IssueRequest) -> IssueResult:
        ctx, now = self._ctx, self._ctx.now()
        kind = self.catalogue.kind(request.kind)
        self._check_role(session, kind)
        case = get_case_row(session, request.case_id)
        township = session.get(OrgUnit, case.township_id)
        if township is None or not township.code:
            raise NotFoundError("slip.township", "案件所属乡镇缺少区划代码，不能编号")
        doc, kind, payload, case = self._document(session, request, PENDING_NUMBER)
        seq = next_number(session, slip_series(township.code, kind.code, now.year), now=now)
        number = slip_number(self.catalogue, kind, township.name, township.code, now.year, seq)
        doc = _with_number(doc, number)
        slip_id = uuid7()
        event_id = self._record_action(session, kind, request.grade, payload, case, now,
                                       {"slip_id": slip_id, "slip_number": number})  # fmt: skip
        options = RenderOptions(allow_missing_glyphs=request.allow_missing_glyphs)
        rendered = self._render(doc, options)
        row = Slip(
            id=slip_id, township_id=township.id, case_id=case.id, case_code=case.code,
            kind=kind.code, grade=request.grade if kind.grades else None, year=now.year, seq=seq,
            number=number, addressee=doc.addressee[:200], issued_at=now, issued_by=ctx.user_id,
            device_id=ctx.device_id, event_id=event_id, content=doc.to_json(),
            sha256=rendered.sha256, status="issued", void_reason="",
        )  # fmt: skip
        session.add(row)
        session.flush()
        return IssueResult(self._info(row, 0), rendered, _slip_changes(case.id))

    def _document(
        self, session: Session, request: IssueRequest, number: str, *, strict: bool = True
    ) -> tuple[SlipDocument, SlipKind, dict[str, Any], Case]:
        kind = self.catalogue.kind(request.kind)
        if kind.grades and kind.grade(request.grade) is None and not strict:
            request = replace(request, grade=kind.grades[0].code)
        if kind.grades and kind.grade(request.grade) is None:
            labels = tuple(g.label for g in kind.grades)
            raise ValidationError(
                "grade", "slip.grade", msg("请选择颜色等级（{grades}）", grades=labels)
            )
        case = get_case_row(session, request.case_id)
        facts = field_facts(session, self._ctx, case, kind)
        today = self._ctx.now().date()
        checked = check_values(session, kind, facts, request.values, today, strict=strict)
        township = session.get(OrgUnit, case.township_id)
        doc = build_document(
            self.catalogue, kind, request.grade, checked.display, number=number,
            case_code=case.code, township_name=township.name if township else "",
            day=self._ctx.now().date(),
        )  # fmt: skip
        return doc, kind, checked.payload, case

    def _record_action(
        self, session: Session, kind: SlipKind, grade: str | None, payload: dict[str, Any],
        case: Case, now: dt.datetime, extra: dict[str, str],
    ) -> str | None:  # fmt: skip
        """Record the kind's case action; return its event id (None when nothing is recorded)."""
        if kind.action is None:
            return None
        projection = replay_case(session, case.id).projection
        if projection is not None and projection.state.value in kind.action.skip_states:
            return None  # the step is already on record; the slip documents it
        constants = {k: (grade or "") if v == "$grade" else v for k, v in kind.action.constants}
        perform_in(session, self._ctx, case.id, Action(kind.action.name),
                   {**payload, **constants, **extra}, now, projection=projection)  # fmt: skip
        return session.scalars(
            select(CaseEvent.id).where(CaseEvent.case_id == case.id)
            .order_by(CaseEvent.seq.desc()).limit(1)
        ).first()  # fmt: skip

    def _check_role(self, session: Session, kind: SlipKind) -> None:
        """The kind's ``roles`` (slip kind data) must include the signed-in user's role."""
        principal = self._ctx.principal
        if principal is not None:
            role: str | None = principal.role
        elif self._ctx.requires_sign_in:
            raise SlipPermissionError("auth.required", "请先登录")
        elif self._ctx.user_id is None:  # a system context (tests, demo seeding, tools)
            return
        else:
            user = session.get(AppUser, self._ctx.user_id)
            role = user.role if user is not None and user.active else None
        if role not in kind.roles:
            raise SlipPermissionError(
                "slip.role", msg("当前用户无权签发或作废“{kind}”", kind=kind.title)
            )

    # --- register ----------------------------------------------------------------------

    def search(self, query: SlipQuery) -> tuple[SlipInfo, ...]:
        """Slips matching ``query``, newest first (文书台账)."""
        prints = (
            select(SlipPrint.slip_id, func.count().label("n"))
            .group_by(SlipPrint.slip_id)
            .subquery()
        )
        stmt = select(Slip, func.coalesce(prints.c.n, 0)).outerjoin(
            prints, prints.c.slip_id == Slip.id
        )
        text = query.text.strip()
        if text:
            like = f"%{text}%"
            stmt = stmt.where(
                or_(Slip.number.like(like), Slip.case_code.like(like), Slip.addressee.like(like))
            )
        if query.kind:
            stmt = stmt.where(Slip.kind == query.kind)
        if query.case_id:
            stmt = stmt.where(Slip.case_id == query.case_id)
        if query.date_from:
            stmt = stmt.where(Slip.issued_at >= dt.datetime.combine(query.date_from, dt.time()))
        if query.date_to:
            end = dt.datetime.combine(query.date_to + dt.timedelta(days=1), dt.time())
            stmt = stmt.where(Slip.issued_at < end)
        if not query.include_voided:
            stmt = stmt.where(Slip.status == "issued")
        stmt = stmt.order_by(Slip.issued_at.desc(), Slip.number.desc())
        with self._ctx.store.read() as session:
            rows = session.execute(stmt.limit(query.limit).offset(query.offset)).all()
            return tuple(self._info(slip, int(n)) for slip, n in rows)

    def get(self, slip_id: str) -> SlipInfo:
        with self._ctx.store.read() as session:
            return self._info(*self._row(session, slip_id))

    def document(self, slip_id: str) -> SlipDocument:
        """The issued content (快照) of a slip as it prints: personal data its kind prints in
        full opened (the stored snapshot keeps it sealed; never hand the sealed marks out)."""
        return reveal_document(self._snapshot(slip_id))

    def _snapshot(self, slip_id: str) -> SlipDocument:
        with self._ctx.store.read() as session:
            slip, _ = self._row(session, slip_id)
            return SlipDocument.from_json(slip.content)

    def original(self, slip_id: str) -> RenderedPdf:
        """The slip as issued, re-rendered from its snapshot; compare ``sha256`` with the stored."""
        info = self.get(slip_id)
        doc = self._snapshot(slip_id)
        void = f"已作废：{info.void_reason}" if info.voided else ""
        return self._render(doc, RenderOptions(allow_missing_glyphs=True, void_note=void))

    def print_job(self, slip_id: str, *, watermark: str = "") -> PrintJob:
        """Render for printing: the first print is the original, later ones are marked 补打."""
        info = self.get(slip_id)
        if info.voided:
            raise ConflictError(
                "slip.voided", msg("文书 {number} 已作废，不能打印", number=info.number)
            )
        reprint = info.print_count > 0
        note = ""
        if reprint:
            today = self._ctx.now().date()
            note = f"补打：原件签发于{date_text(info.issued_at.date())}，补打于{date_text(today)}"
        options = RenderOptions(watermark=watermark, reprint_note=note, allow_missing_glyphs=True,
                                copy_number=info.print_count + 1)  # fmt: skip
        return PrintJob(info, self._render(self._snapshot(slip_id), options), reprint)

    def record_print(self, slip_id: str, copies: int = 1) -> SlipInfo:
        """Log a finished print (called after the printer accepted the job)."""
        if copies < 1:
            raise ValidationError("copies", "slip.copies", "份数至少为1")
        self._ctx.require("slip.print")

        def work(session: Session) -> SlipInfo:
            slip, count = self._row(session, slip_id)
            session.add(SlipPrint(id=uuid7(), slip_id=slip.id, printed_at=self._ctx.now(),
                                  printed_by=self._ctx.user_id, device_id=self._ctx.device_id,
                                  copies=copies, reprint=count > 0))  # fmt: skip
            tag(session, "print", case_id=slip.case_id, entity="slip", entity_id=slip.id,
                number=slip.number, copies=copies, reprint=count > 0,
                unmasked=list(self._unmasked(slip.kind)))  # fmt: skip
            session.flush()
            return replace(self._info(slip, count + 1), changes=_slip_changes(slip.case_id))

        return self._ctx.store.run_write(work)

    def record_export(self, slip_id: str) -> None:
        """Log a slip written to a file (另存为PDF): an export, with what it showed in full."""
        self._ctx.require("slip.print")

        def work(session: Session) -> None:
            slip, _count = self._row(session, slip_id)
            shown = list(self._unmasked(slip.kind))
            tag(session, "export", case_id=slip.case_id, entity="slip", entity_id=slip.id,
                what="slip", number=slip.number, unmasked=shown)  # fmt: skip

        self._ctx.store.run_write(work)

    def _unmasked(self, kind: str) -> tuple[str, ...]:
        """The personal data a print of this kind shows in full (recorded with the print)."""
        try:
            return unmasked_in(self.catalogue.kind(kind))
        except ServiceError:
            return ()

    def void(self, slip_id: str, reason: str) -> SlipInfo:
        """Void a slip (作废): it keeps its number, never reused, and the reason is recorded."""
        text = clean_text(reason, "reason", "作废理由", max_len=MAX_VOID_REASON, required=True)
        self._ctx.require("slip.void")

        def work(session: Session) -> SlipInfo:
            slip, count = self._row(session, slip_id)
            self._check_role(session, self.catalogue.kind(slip.kind))
            if slip.status == "voided":
                raise ConflictError(
                    "slip.already_voided", msg("文书 {number} 已作废", number=slip.number)
                )
            slip.status, slip.void_reason = "voided", text
            slip.voided_at, slip.voided_by = self._ctx.now(), self._ctx.user_id
            tag(session, "void_slip", case_id=slip.case_id, entity="slip", entity_id=slip.id,
                number=slip.number)  # fmt: skip
            session.flush()
            return replace(self._info(slip, count), changes=_slip_changes(slip.case_id))

        return self._ctx.store.run_write(work)

    def warm_up(self) -> None:
        """Load the fonts once (slow the first time), so the first real slip is fast."""
        doc = SlipDocument(kind="warm_up", title="预热", layout="form", issuer="综治中心",
                           number="", case_code="", date_text="", qr=True)  # fmt: skip
        self._render(doc, RenderOptions(allow_missing_glyphs=True))

    # --- helpers -------------------------------------------------------------------------

    def _row(self, session: Session, slip_id: str) -> tuple[Slip, int]:
        slip = session.get(Slip, slip_id)
        if slip is None:
            raise NotFoundError("slip.not_found", "找不到该文书")
        count = session.scalar(
            select(func.count()).select_from(SlipPrint).where(SlipPrint.slip_id == slip_id)
        )
        return slip, int(count or 0)

    def _info(self, slip: Slip, print_count: int) -> SlipInfo:
        try:
            kind = self.catalogue.kind(slip.kind)
            title, grade = kind.title, kind.grade(slip.grade)
        except ServiceError:  # a kind the county has since removed: the snapshot still says
            title, grade = str(slip.content.get("title", slip.kind)), None
        return SlipInfo(
            id=slip.id, number=slip.number, kind=slip.kind, kind_title=title,
            grade_label=grade.label if grade else "", case_id=slip.case_id,
            case_code=slip.case_code, addressee=slip.addressee, issued_at=slip.issued_at,
            issued_by=slip.issued_by, status=slip.status, void_reason=slip.void_reason,
            voided_at=slip.voided_at, print_count=print_count, sha256=slip.sha256,
        )  # fmt: skip


def _with_number(doc: SlipDocument, number: str) -> SlipDocument:
    """The document with its number filled in (body templates may quote it too)."""
    paragraphs = tuple(p.replace(PENDING_NUMBER, number) for p in doc.paragraphs)
    return replace(doc, number=number, paragraphs=paragraphs)
