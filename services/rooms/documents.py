"""Numbered room documents: the 人民调解协议书 and the 调解通知书 (numbers, snapshots, reprints).

Both are numbered from number blocks (``services.numbering``), one series per kind, township and
year, like the slips; the number is never reused. What is issued is kept as a snapshot
(``RoomDocument.content``), so a second print renders exactly the same document, marked 补打.
A notice is issued again (new number) only when what it says has changed (the booking moved).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.audit.log import tag
from services.context import ServiceContext
from services.domain.docdate import document_date
from services.domain.errors import NotFoundError, ValidationError
from services.domain.ids import uuid7
from services.numbering import next_number
from services.rooms.dto import AgreementDocument, AgreementParty, NoticeDocument, RoomPrintJob
from services.store.models import OrgUnit, RoomDocument, RoomDocumentPrint
from services.store.sealed import seal, unseal

AGREEMENT = "agreement"
NOTICE = "notice"
NUMBER_FORMATS = {
    AGREEMENT: "（{year}）{agency}人调协字第{seq}号",  # research/domain.md: （年份）X人调字第N号
    NOTICE: "（{year}）{agency}人调通字第{seq}号",
}


def document_series(kind: str, township_code: str, year: int) -> str:
    """Number series of one room document kind for one township and year."""
    return f"room_{kind}:{township_code}:{year}"


def township(session: Session, ctx: ServiceContext) -> OrgUnit:
    town = session.get(OrgUnit, ctx.township_id) if ctx.township_id else None
    if town is None or not town.code:
        raise NotFoundError("room_document.township", "本机所属乡镇缺少区划代码，不能编号")
    return town


def _code(town: OrgUnit) -> str:
    return town.code or ""


def take_number(session: Session, ctx: ServiceContext, kind: str, now: dt.datetime
                ) -> tuple[OrgUnit, int, str]:  # fmt: skip
    """The next number of ``kind`` (inside the caller's write transaction)."""
    town = township(session, ctx)
    seq = next_number(session, document_series(kind, _code(town), now.year), now=now)
    number = NUMBER_FORMATS[kind].format(year=now.year, agency=town.name[:1], seq=seq)
    return town, seq, number


def to_json(doc: AgreementDocument | NoticeDocument) -> dict[str, Any]:
    """The snapshot stored in ``RoomDocument.content`` (tuples as lists; not the ``changes``
    of the call that made it)."""
    raw = asdict(doc)
    raw.pop("changes", None)
    data: dict[str, Any] = json.loads(json.dumps(raw, ensure_ascii=False))
    for party in data.get("parties", ()):  # 联系方式 in full on the paper, sealed in the file
        party["phone"] = seal(party.get("phone") or None, "phone") or ""
    return data


def agreement_from_json(data: dict[str, Any]) -> AgreementDocument:
    parties = tuple(AgreementParty(**{**p, "phone": unseal(p.get("phone") or None, "phone") or ""})
                    for p in data["parties"])  # fmt: skip
    return AgreementDocument(**{**data, "parties": parties, "terms": tuple(data["terms"]),
                                "mediators": tuple(data["mediators"])})  # fmt: skip


def notice_from_json(data: dict[str, Any]) -> NoticeDocument:
    return NoticeDocument(**{**data, "mediators": tuple(data["mediators"])})


def add_document(
    session: Session, ctx: ServiceContext, kind: str, numbered: tuple[OrgUnit, int, str],
    content: AgreementDocument | NoticeDocument, **links: str | None,
) -> RoomDocument:  # fmt: skip
    """Record an issued document (``links``: case_id, booking_id, person_id, agreement_id)."""
    town, seq, number = numbered
    now = ctx.now()
    row = RoomDocument(id=uuid7(), township_id=town.id, kind=kind, year=now.year, seq=seq,
                       number=number, content=to_json(content), issued_at=now,
                       issued_by=ctx.user_id, device_id=ctx.device_id, **links)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def print_count(session: Session, document_id: str) -> int:
    n = session.scalar(select(func.count()).select_from(RoomDocumentPrint)
                       .where(RoomDocumentPrint.document_id == document_id))  # fmt: skip
    return int(n or 0)


def print_job(session: Session, ctx: ServiceContext, row: RoomDocument) -> RoomPrintJob:
    """The document as issued; from the second print on, with the 补打 note."""
    note = ""
    if print_count(session, row.id):
        note = (f"补打：原件印发于{document_date(row.issued_at.date())}，"
                f"补打于{document_date(ctx.now().date())}")  # fmt: skip
    if row.kind == AGREEMENT:
        return RoomPrintJob(row.id, row.number, note, agreement=agreement_from_json(row.content))
    return RoomPrintJob(row.id, row.number, note, notice=notice_from_json(row.content))


def latest_notice(session: Session, booking_id: str, person_id: str) -> RoomDocument | None:
    return session.scalars(
        select(RoomDocument).where(RoomDocument.kind == NOTICE,
                                   RoomDocument.booking_id == booking_id,
                                   RoomDocument.person_id == person_id)
        .order_by(RoomDocument.issued_at.desc(), RoomDocument.seq.desc()).limit(1)
    ).first()  # fmt: skip


def issue_notice(session: Session, ctx: ServiceContext, fresh: NoticeDocument,
                 links: dict[str, str | None]) -> RoomDocument:  # fmt: skip
    """The notice as last issued when it still says the same; else a newly numbered one."""
    last = latest_notice(session, str(links["booking_id"]), str(links["person_id"]))
    if last is not None:
        was = notice_from_json(last.content)
        if replace(was, number="", date_text="") == replace(fresh, number="", date_text=""):
            return last
    numbered = take_number(session, ctx, NOTICE, ctx.now())
    doc = replace(fresh, number=numbered[2], date_text=document_date(ctx.now().date()))
    return add_document(session, ctx, NOTICE, numbered, doc, **links)


def record_print(ctx: ServiceContext, document_id: str, copies: int = 1) -> int:
    """Log a finished print (after the printer took the job); returns the prints so far."""
    if copies < 1:
        raise ValidationError("copies", "room_document.copies", "份数至少为1")

    def work(session: Session) -> int:
        row = session.get(RoomDocument, document_id)
        if row is None:
            raise NotFoundError("room_document.not_found", "找不到该文书")
        count = print_count(session, row.id)
        session.add(RoomDocumentPrint(id=uuid7(), township_id=row.township_id,
                                      document_id=row.id, printed_at=ctx.now(),
                                      printed_by=ctx.user_id, device_id=ctx.device_id,
                                      copies=copies, reprint=count > 0))  # fmt: skip
        tag(session, "print", case_id=row.case_id, entity="room_document", entity_id=row.id,
            number=row.number, copies=copies, reprint=count > 0)  # fmt: skip
        session.flush()
        return count + 1

    return ctx.store.run_write(work)


def record_export(ctx: ServiceContext, document_id: str) -> None:
    """Log a document written to a file (另存为PDF): an export, with what it showed in full (an
    agreement prints the parties' phones as they are, a notice shows no party's number)."""

    def work(session: Session) -> None:
        row = session.get(RoomDocument, document_id)
        if row is None:
            raise NotFoundError("room_document.not_found", "找不到该文书")
        parties = row.content.get("parties", ()) if row.kind == AGREEMENT else ()
        shown = ["phone"] if any(p.get("phone") for p in parties) else []
        tag(session, "export", case_id=row.case_id, entity="room_document", entity_id=row.id,
            what=row.kind, number=row.number, unmasked=shown)  # fmt: skip

    ctx.store.run_write(work)
