"""Issue 14 proof for the rooms' documents: the 人民调解协议书 and the 调解通知书 with the shortest
and the longest values their forms accept and many parties issue without error; on the PDF's
boxes no text overlaps, crosses a rule or leaves the type area; the seal and signatures share
their page with agreement text; the fonts are embedded (subset TrueType)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import cast

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from reports.agreement import agreement_slip, notice_slip, render_print_job
from reports.slips import SlipPdfRenderer
from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.domain.errors import ValidationErrors
from services.reception.registration import MAX_SUMMARY, register_walk_in
from services.rooms.dto import (
    AgreementInput,
    BookingInput,
    CentreContact,
    MediatorInput,
    RoomInput,
    RoomPrintJob,
    SessionInput,
)
from services.rooms.records import MAX_COMMITTEE, MAX_FACTS, MAX_PERFORMANCE, MAX_TERM, MAX_TERMS
from services.rooms.service import RoomService
from services.rooms.setup import MAX_MEDIATOR_NAME, MAX_ROOM_NAME
from tests.reports.conftest import TEST_FONTS
from tests.reports.pdfcheck import layout_problems, signature_alone, squash
from tests.reports.test_slip_limits import PARTIES, _parties, filler
from tests.reports.test_slip_pdf import _outside_area
from tests.services.conftest import Orgs, id_numbers, township_copy, walk_in_forms
from tests.services.rooms.conftest import MON, at

RENDER = SlipPdfRenderer(TEST_FONTS)


def _jobs(svc: RoomService, ctx: ServiceContext, walk_in: Callable[..., WalkInInput],
          new_id: Callable[[], str], long: bool) -> list[RoomPrintJob]:  # fmt: skip
    """The agreement and every party's notice of one case, at one extreme."""
    if long:
        form = walk_in(parties=_parties(new_id, PARTIES), summary=filler(MAX_SUMMARY),
                       title=filler(60), head_count=PARTIES)  # fmt: skip
        mediators = [svc.add_mediator(MediatorInput(filler(MAX_MEDIATOR_NAME))).id
                     for _ in range(5)]  # fmt: skip
        room = svc.add_room(RoomInput(filler(MAX_ROOM_NAME))).id
        svc.set_centre_contact(CentreContact(filler(200), "0931-12345678" + "9" * 27))
        agreement = AgreementInput("", filler(MAX_FACTS),
                                   tuple(filler(MAX_TERM) for _ in range(MAX_TERMS)),
                                   performance=filler(MAX_PERFORMANCE),
                                   committee=filler(MAX_COMMITTEE))  # fmt: skip
    else:
        form = walk_in()
        mediators = [svc.add_mediator(MediatorInput("王")).id]
        room = svc.add_room(RoomInput("甲")).id
        agreement = AgreementInput("", "无", ("无",))
    case = register_walk_in(ctx, form).case_id
    ctx.now = lambda: at(MON, "12:00")
    day = MON + dt.timedelta(days=1)
    b = svc.book(BookingInput(room, at(day, "09:00"), at(day, "10:00"), case_id=case,
                              mediator_ids=tuple(mediators))).booking  # fmt: skip
    s = svc.record_session(SessionInput(case_id=case, started_at=at(MON, "09:00"),
                                        presiding_id=mediators[0], mode="面对面",
                                        outcome="达成", recorder="赵记录"))  # fmt: skip
    doc = svc.record_agreement(AgreementInput(s.id, *[getattr(agreement, f) for f in (
        "facts", "terms", "performance", "form", "committee")]))  # fmt: skip
    jobs = [svc.agreement_print(doc.id)]
    jobs += [svc.notice_print(b.id, pid) for pid in b.person_ids]
    assert len(jobs) == 1 + (PARTIES if long else 1)
    return jobs


@pytest.fixture(scope="module", params=["shortest", "longest"])
def rendered(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    township_template: tuple[Path, Orgs],
) -> Iterator[list[tuple[RoomPrintJob, bytes]]]:
    """Issued and rendered once per extreme for the module: the tests only read the PDFs
    (the longest set took 3-4 s to set up for each of five tests)."""
    path = tmp_path_factory.mktemp(f"documents-{request.param}") / "store.db"
    with township_copy(township_template, path) as (ctx, _orgs):
        jobs = _jobs(RoomService(ctx), ctx, walk_in_forms(), id_numbers(),
                     request.param == "longest")  # fmt: skip
        # the agreement and the first and last party's notice (the others differ only in the name)
        picked = [jobs[0], jobs[1], jobs[-1]] if len(jobs) > 2 else jobs
        yield [(j, render_print_job(j, allow_missing_glyphs=True, renderer=RENDER).pdf)
               for j in picked]  # fmt: skip


def test_room_documents_issue_and_lay_out_at_both_extremes(
    rendered: list[tuple[RoomPrintJob, bytes]],
) -> None:
    for job, pdf in rendered:
        assert layout_problems(pdf) == [], job.name
        assert _outside_area(pdf, letter=False) == [], job.name


def test_room_documents_signature_block_never_alone(
    rendered: list[tuple[RoomPrintJob, bytes]],
) -> None:
    for job, pdf in rendered:
        doc = agreement_slip(job.agreement) if job.agreement else notice_slip(job.notice)  # type: ignore[arg-type]
        assert not signature_alone(pdf, doc), job.name


def test_signing_pages_say_so_when_the_lines_cannot_share_a_page_with_the_text(
    rendered: list[tuple[RoomPrintJob, bytes]],
) -> None:
    """12 parties sign on pages of their own: the text ends with （以下无正文） and every such
    page opens with （本页无正文，为…签署页）; with few parties nothing of the kind prints."""
    import pdfplumber

    for job, pdf in rendered:
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            pages = [squash(p.extract_text() or "") for p in doc.pages]
        mark = squash(f"（本页无正文，为{job.number}人民调解协议书签署页）")
        signing = [i for i, text in enumerate(pages) if "（签名盖章或按指印）" in text]
        if job.agreement is None or len(job.agreement.parties) < 5:
            assert not any("无正文" in text for text in pages), job.name
            continue
        assert "（以下无正文）" in pages[signing[0] - 1] and len(signing) >= 1
        assert all(pages[i].startswith(mark) for i in signing), [pages[i][:40] for i in signing]
        assert "（盖章）" in pages[-1] or "盖章" in pages[-1]


def test_room_documents_fonts_embedded(rendered: list[tuple[RoomPrintJob, bytes]]) -> None:
    for job, pdf in rendered:
        for page in PdfReader(io.BytesIO(pdf)).pages:
            resources = cast(DictionaryObject, page["/Resources"])
            for ref in cast(DictionaryObject, resources["/Font"]).values():
                font = ref.get_object()
                assert re.fullmatch(r"/[A-Z]{6}\+.+", str(font["/BaseFont"])), job.name
                assert "/FontFile2" in font["/FontDescriptor"], job.name


def test_agreement_longer_than_the_form_allows_is_refused(
    svc: RoomService, case: str, mediator: str, ctx: ServiceContext
) -> None:
    """The agreement's text had no limit at all (and skipped the one text validator)."""
    ctx.now = lambda: at(MON, "12:00")
    s = svc.record_session(SessionInput(case_id=case, started_at=at(MON, "09:00"),
                                        presiding_id=mediator, mode="面对面",
                                        outcome="达成"))  # fmt: skip
    too_long = AgreementInput(s.id, filler(MAX_FACTS + 1),
                              tuple("条" for _ in range(MAX_TERMS + 1)),
                              performance=filler(MAX_PERFORMANCE + 1))  # fmt: skip
    with pytest.raises(ValidationErrors) as errs:
        svc.record_agreement(too_long)
    assert set(errs.value.fields) == {"facts", "terms", "performance"}
    with pytest.raises(ValidationErrors) as errs:
        svc.record_agreement(AgreementInput(s.id, "事实\x00", (filler(MAX_TERM + 1),)))
    assert set(errs.value.fields) == {"facts", "terms"}


def test_every_party_has_a_role_of_its_own(
    rendered: list[tuple[RoomPrintJob, bytes]],
) -> None:
    """Roles ran 甲…辛 and started again: the ninth party was a second 甲方."""
    agreement = rendered[0][0].agreement
    assert agreement is not None
    roles = [p.role for p in agreement.parties]
    assert len(set(roles)) == len(roles), roles
    assert roles[:2] == ["甲方", "乙方"][: len(roles)]
