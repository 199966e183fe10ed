"""Every kind with the shortest and the longest values a field accepts, many parties.

Issuing never fails; on the PDF's boxes no two characters overlap, no text crosses a cell
border, nothing lies on the QR code, text stays in the type area, the signature block shares its
page with text of the body (GB/T 9704 §7.3.5) and fonts are embedded.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import cast

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from reports import slip_layout as gbt
from reports.slips import SlipPdfRenderer
from services.cases.actions import perform
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import MAX_SUMMARY, register_walk_in
from services.setup.township import open_store
from services.slips.dto import IssueRequest, IssueResult, SlipKind
from services.slips.facts import CHECKLIST_SEPARATOR
from services.slips.service import SlipService
from tests.reports.conftest import DUE, SAMPLES, TEST_FONTS
from tests.reports.pdfcheck import MM, layout_problems, parsed, signature_alone
from tests.reports.test_slip_pdf import _outside_area
from tests.services.conftest import Orgs, id_numbers, township_context, walk_in_forms

FILLER = ("经核查，承办单位于2026年11月20日与当事人联系，案件编号620123101000-2026-000123，"
          "涉及金额1234567.89元，群众反映强烈（详见附件）；")  # fmt: skip
PARTIES = 12


def filler(n: int) -> str:
    return (FILLER * (n // len(FILLER) + 1))[:n]


def longest(kind: SlipKind, unit_id: str, every_unit: tuple[str, ...] = ()) -> dict[str, str]:
    """Every input field at its longest: max_len text, every checklist option, every unit."""
    out = {}
    for f in kind.fields:
        if not f.is_input:
            continue
        if f.input in ("text", "multiline"):
            out[f.name] = filler(f.max_len)
        elif f.input == "date":
            out[f.name] = DUE
        elif f.input == "unit":
            out[f.name] = unit_id
        elif f.input == "units":
            out[f.name] = CHECKLIST_SEPARATOR.join(every_unit)
        elif f.input == "choice":
            out[f.name] = max(f.options, key=len)
        else:
            out[f.name] = "\n".join(f.options)
    return out


def shortest(kind: SlipKind, unit_id: str) -> dict[str, str]:
    """Only the required fields, one character each."""
    out = {}
    for f in kind.fields:
        if not f.is_input:
            continue
        if f.input in ("text", "multiline"):
            out[f.name] = "无" if f.required else ""
        elif f.input == "date":
            out[f.name] = DUE
        elif f.input == "unit":
            out[f.name] = unit_id
        elif f.input in ("choice", "checklist"):
            out[f.name] = f.options[0] if f.required else ""
    return out


def _parties(make_id: Callable[[], str], n: int) -> tuple[PartyInput, ...]:
    names = ["Alexander Maximilian Rodriguez", "𠮷祥", "欧阳娜娜", "买买提·艾力"]
    return tuple(
        PartyInput(name=names[i % len(names)], role="applicant" if i == 0 else "respondent",
                   is_visitor=i == 0, id_number=make_id(), phone=f"1381234{i:04d}",
                   address=filler(60))
        for i in range(n)
    )  # fmt: skip


def issue_every_kind(
    context: ServiceContext, tree: Orgs, service: SlipService,
    form: Callable[..., WalkInInput], make_id: Callable[[], str], *, long: bool,
) -> Iterator[tuple[str, IssueResult]]:  # fmt: skip
    extra = {}
    if long:
        extra = {
            "parties": _parties(make_id, PARTIES),
            "summary": filler(MAX_SUMMARY),
            "title": filler(60),
            "occurred_place": filler(200),
            "people_count": 1000000,
        }
    main = register_walk_in(context, form(**extra)).case_id
    other = register_walk_in(context, form(**extra)).case_id
    referred = register_walk_in(context, form(disposition="referred_litigation", **extra)).case_id
    for kind in SAMPLES:
        spec = service.catalogue.kind(kind)
        case_id = {"report_up": other, "rejection": referred}.get(kind, main)
        if kind == "feedback":
            perform(context, main, "sign", {"signer": "张所长"})
        grade = spec.grades[0].code if spec.grades else None
        values = (longest(spec, tree.unit_id, tuple(tree.villages.values())) if long
                  else shortest(spec, tree.unit_id))  # fmt: skip
        request = IssueRequest(case_id, kind, values, grade=grade,
                               allow_missing_glyphs=True)  # fmt: skip
        yield kind, service.issue(request)


@dataclass(frozen=True)
class Extremes:
    """Every kind issued at one extreme, and the slip service over the store holding them."""

    slips: SlipService
    results: dict[str, IssueResult]


@pytest.fixture(scope="module", params=["shortest", "longest"])
def extremes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Extremes]:
    """Issued once per extreme for this module (the tests below only read the slips): building
    a set took 1-6 s and each of the four tests built its own."""
    store = open_store(tmp_path_factory.mktemp(request.param) / "store.db")
    try:
        ctx, orgs = township_context(store)
        slips = SlipService(ctx, SlipPdfRenderer(TEST_FONTS))
        long = request.param == "longest"
        issued = issue_every_kind(ctx, orgs, slips, walk_in_forms(), id_numbers(), long=long)
        yield Extremes(slips, dict(issued))
    finally:
        store.dispose()


def test_every_kind_issues_at_both_extremes(extremes: Extremes) -> None:
    assert set(extremes.results) == set(SAMPLES)
    for kind, result in extremes.results.items():
        assert result.rendered.pages >= 1, kind


def test_no_overlap_no_overflow(extremes: Extremes) -> None:
    for kind, result in extremes.results.items():
        assert layout_problems(result.rendered.pdf) == [], kind
        letter = extremes.slips.document(result.slip.id).layout == "letter"
        assert _outside_area(result.rendered.pdf, letter) == [], kind


def test_signature_block_never_alone(extremes: Extremes) -> None:
    for kind, result in extremes.results.items():
        doc = extremes.slips.document(result.slip.id)
        assert not signature_alone(result.rendered.pdf, doc), kind


def test_fonts_embedded_at_both_extremes(extremes: Extremes) -> None:
    for kind, result in extremes.results.items():
        reader = PdfReader(io.BytesIO(result.rendered.pdf))
        for page in reader.pages:
            resources = cast(DictionaryObject, page["/Resources"])
            for ref in cast(DictionaryObject, resources["/Font"]).values():
                font = ref.get_object()
                assert re.fullmatch(r"/[A-Z]{6}\+.+", str(font["/BaseFont"])), kind
                assert "/FontFile2" in font["/FontDescriptor"], kind


def _page_facts(pdf: bytes) -> list[tuple[float, bool, bool]]:
    """Per page: (lowest text above the page number, in mm from the type area's foot; the
    page carries the cut-off 回执; text other than the 回执 and page number is on it)."""
    out = []
    foot = gbt.PAGE_H - gbt.BOTTOM
    for page in parsed(pdf).pages:
        chars = [c for c in page.chars if c["text"].strip() and c["top"] < foot + 1]
        cut = [c["top"] for c in page.chars if c["text"] == "剪"]
        above = [c for c in chars if not cut or c["bottom"] < min(cut) - 5]
        lowest = max((c["bottom"] for c in above), default=0.0)
        out.append(((foot - lowest) / MM, bool(cut), bool(above)))
    return out


def test_long_rows_split_on_the_page_they_start_and_the_stub_never_stands_alone(
    ctx: ServiceContext, orgs: Orgs, slips: SlipService,
    walk_in: Callable[..., WalkInInput], new_id: Callable[[], str],
) -> None:  # fmt: skip
    """At the longest values a row of 事由摘要 moved whole to page 2 (page 1 left a quarter
    empty) and the 交办单's 回执联 printed alone on a fourth page. Pages are filled to within a
    few lines of the foot, except the last two (the closing, its last lines of text and the 回执
    may not fit under the page before it); a page with the 回执 carries the slip's end (its
    last lines and the signature block)."""
    results = dict(issue_every_kind(ctx, orgs, slips, walk_in, new_id, long=True))
    for kind, result in results.items():
        facts = _page_facts(result.rendered.pdf)
        for number, (gap, _stub, _text) in enumerate(facts[:-2], start=1):
            assert gap < 22, (kind, number, round(gap))
        assert all(text for _gap, stub, text in facts if stub), (kind, facts)
    assert results["assignment"].rendered.pages == 4  # pages 1 and 2 checked above
