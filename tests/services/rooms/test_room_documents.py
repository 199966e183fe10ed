"""Issue 14 #6: the rooms' numbered documents (人民调解协议书, 调解通知书).

The agreement could never be printed a second time ("这次调解已经登记了调解协议"); its number
came from counting rows and the notice's from a UUID fragment; their dates used Chinese numerals
while the slips use Arabic ones (GB/T 9704-2012).
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pdfplumber
import pytest
from sqlalchemy import select

from reports.agreement import render_print_job
from reports.slips import SlipPdfRenderer
from services.context import ServiceContext
from services.numbering import add_block
from services.rooms.documents import AGREEMENT, NOTICE, document_series
from services.rooms.dto import AgreementInput, BookingInput, SessionInput
from services.rooms.service import RoomService
from services.store.models import Person, RoomDocument
from tests.reports.conftest import TEST_FONTS
from tests.services.conftest import TOWNSHIP_CODE
from tests.services.rooms.conftest import MON, at

RENDER = SlipPdfRenderer(TEST_FONTS)


def _agreement(svc: RoomService, case: str, mediator: str, ctx: ServiceContext) -> str:
    ctx.now = lambda: at(MON, "12:00")
    s = svc.record_session(SessionInput(case_id=case, started_at=at(MON, "09:00"),
                                        presiding_id=mediator, mode="面对面", outcome="达成",
                                        process_text="双方陈述。", recorder="赵记录"))  # fmt: skip
    form = AgreementInput(s.id, "宅基地边界争议", ("张三于2026年12月31日前拆除越界围墙。",))
    return svc.record_agreement(form).id


def _lines(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [line for page in doc.pages for line in (page.extract_text() or "").splitlines()]


def test_agreement_prints_again_marked_reprint_and_otherwise_the_same(
    svc: RoomService, case: str, mediator: str, ctx: ServiceContext
) -> None:
    agreement_id = _agreement(svc, case, mediator, ctx)
    first = svc.agreement_print(agreement_id)
    assert not first.reprint and first.agreement is not None
    original = render_print_job(first, renderer=RENDER)
    assert render_print_job(svc.agreement_print(agreement_id), renderer=RENDER).sha256 == (
        original.sha256
    )  # not printed yet: still the original, byte for byte
    assert svc.record_document_print(first.document_id) == 1
    with ctx.store.write() as session:  # a party's record edited after the agreement
        for p in session.query(Person).all():
            p.name = p.name + "改"
    ctx.now = lambda: at(MON + dt.timedelta(days=3), "10:00")
    second = svc.agreement_print(agreement_id)
    assert second.reprint and second.reprint_note.startswith("补打")
    assert "2026年11月23日" in second.reprint_note and "2026年11月26日" in second.reprint_note
    assert second.agreement == first.agreement and second.number == first.number
    again = render_print_job(second, renderer=RENDER)
    marks = [line for line in _lines(again.pdf) if "补" in line]
    assert marks and [line for line in _lines(again.pdf) if line not in marks] == _lines(
        original.pdf
    ), marks  # the same document, with the 补打 mark only
    assert "张三改" not in "".join(_lines(again.pdf))
    assert svc.record_document_print(second.document_id) == 2


def test_agreement_and_notice_numbers_come_from_number_blocks(
    svc: RoomService, case: str, mediator: str, room: str, ctx: ServiceContext
) -> None:
    with ctx.store.write() as session:  # a block leased from the county hub
        add_block(session, document_series(AGREEMENT, TOWNSHIP_CODE, 2026), 501, 600,
                  source="hub", now=ctx.now())  # fmt: skip
    b = svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), case_id=case,
                              mediator_ids=(mediator,))).booking  # fmt: skip
    agreement = svc.agreement_print(_agreement(svc, case, mediator, ctx))
    assert agreement.number == "（2026）青人调协字第501号"
    notice = svc.notice_print(b.id, b.person_ids[0])
    assert notice.number == "（2026）青人调通字第1号" and notice.notice is not None
    assert notice.notice.number == notice.number and b.id[-6:].upper() not in notice.number
    other = svc.notice_print(b.id, b.person_ids[1])
    assert other.number == "（2026）青人调通字第2号"
    assert document_series(NOTICE, TOWNSHIP_CODE, 2026) == f"room_notice:{TOWNSHIP_CODE}:2026"


def test_notice_reprints_while_unchanged_and_is_reissued_once_the_booking_moved(
    svc: RoomService, case: str, mediator: str, room: str, ctx: ServiceContext
) -> None:
    later = MON + dt.timedelta(days=14)
    b = svc.book(BookingInput(room, at(later, "09:00"), at(later, "10:00"), case_id=case,
                              mediator_ids=(mediator,))).booking  # fmt: skip
    pid = b.person_ids[0]
    first = svc.notice_print(b.id, pid)
    assert first.notice is not None and first.notice.date_text == "2026年11月20日"
    assert first.notice.when_text == "2026年12月7日（星期一）09:00–10:00"
    svc.record_document_print(first.document_id)
    ctx.now = lambda: at(MON, "08:00")
    again = svc.notice_print(b.id, pid)
    assert again.reprint and again.number == first.number and again.notice == first.notice
    svc.move(b.id, at(later, "14:00"), at(later, "15:00"))
    moved = svc.notice_print(b.id, pid)
    assert not moved.reprint and moved.number != first.number
    assert moved.notice is not None and "14:00" in moved.notice.when_text
    assert moved.notice.date_text == "2026年11月23日"


@pytest.mark.parametrize("layout", ["agreement", "notice"])
def test_room_documents_print_arabic_dates_like_the_slips(
    layout: str, svc: RoomService, case: str, mediator: str, room: str, ctx: ServiceContext
) -> None:
    if layout == "agreement":
        job = svc.agreement_print(_agreement(svc, case, mediator, ctx))
    else:
        b = svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"),
                                  case_id=case)).booking  # fmt: skip
        job = svc.notice_print(b.id, b.person_ids[0])
    text = "".join(_lines(render_print_job(job, renderer=RENDER).pdf))
    assert "〇" not in text and "二〇" not in text
    assert ("2026年11月23日" if layout == "agreement" else "2026年11月20日") in text


def test_notice_with_a_character_no_font_has_prints_its_code_once_confirmed(
    svc: RoomService, case: str, room: str, ctx: ServiceContext
) -> None:
    from dataclasses import replace

    from services.slips.dto import MissingGlyphsError

    b = svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), case_id=case)).booking
    job = svc.notice_print(b.id, b.person_ids[0])
    assert job.notice is not None
    rare = replace(job, notice=replace(job.notice, addressee="张" + chr(0x3FFF0)))
    with pytest.raises(MissingGlyphsError):
        render_print_job(rare, renderer=RENDER)
    text = "".join(_lines(render_print_job(rare, allow_missing_glyphs=True, renderer=RENDER).pdf))
    assert "U+3FFF0" in text


def test_room_documents_never_print_sealed_personal_data(
    svc: RoomService, case: str, mediator: str, room: str, ctx: ServiceContext
) -> None:
    """The agreement's snapshot keeps the parties' phones sealed; the paper (first print and 补打)
    shows the number itself, and neither document ever prints a sealed token."""
    sealed = re.compile(r"⟦|\be1\.[0-9a-f]{8}\.")
    agreement_id = _agreement(svc, case, mediator, ctx)
    first = svc.agreement_print(agreement_id)
    with ctx.store.read() as session:
        stored = str(session.scalars(select(RoomDocument.content)).all())
    assert "13812345678" not in stored and sealed.search(stored)  # sealed in the file
    svc.record_document_print(first.document_id)
    later = MON + dt.timedelta(days=14)
    b = svc.book(BookingInput(room, at(later, "09:00"), at(later, "10:00"), case_id=case,
                              mediator_ids=(mediator,))).booking  # fmt: skip
    jobs = [first, svc.agreement_print(agreement_id), svc.notice_print(b.id, b.person_ids[0])]
    texts = ["".join(_lines(render_print_job(job, renderer=RENDER).pdf)) for job in jobs]
    assert "13812345678" in texts[0] and "13812345678" in texts[1]
    for text in texts:
        assert not sealed.search(text), text


def test_a_room_document_saved_as_pdf_is_an_audited_export(
    svc: RoomService, case: str, mediator: str, room: str, ctx: ServiceContext
) -> None:
    """另存为PDF of a 人民调解协议书 writes the parties' phones in full to a file: like the slips'
    (issue 11 #3), it is recorded with the signed-in user, the document and what it showed."""
    from services.store.models import AuditLog

    b = svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), case_id=case)).booking
    notice = svc.notice_print(b.id, b.person_ids[0])
    agreement = svc.agreement_print(_agreement(svc, case, mediator, ctx))
    svc.record_document_export(agreement.document_id)
    svc.record_document_export(notice.document_id)
    with ctx.store.read() as session:
        entries = session.scalars(
            select(AuditLog).where(AuditLog.action == "export").order_by(AuditLog.device_seq)
        ).all()
        assert [(e.entity, e.entity_id, e.detail["what"]) for e in entries] == [
            ("room_document", agreement.document_id, "agreement"),
            ("room_document", notice.document_id, "notice"),
        ]
        assert entries[0].detail["number"] == agreement.number and entries[0].case_id == case
        assert entries[0].detail["unmasked"] == ["phone"] and entries[1].detail["unmasked"] == []
        assert {e.user_id for e in entries} == {ctx.user_id}
