"""Slip PDFs: every field printed, fonts embedded and subset, GB/T 9704 type area, 𠮷, marks."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import cast

import pdfplumber
import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from reports import slip_layout as gbt
from reports.fonts import BUNDLED_DIR, FontConfig, candidates, resolve
from reports.slips import SlipPdfRenderer, qr_runs
from services.slips.dto import (
    IssueResult,
    MissingGlyphsError,
    RenderOptions,
    SlipDocument,
    SlipLine,
)
from services.slips.facts import unmasked_in
from services.slips.service import SlipService
from tests.reports.conftest import EXT_B_FONT, SAMPLES, IssuedSet

MM = 72 / 25.4
TOL = 1 * MM  # GB/T 9704 allows ±1 mm


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def doc_strings(doc: SlipDocument) -> list[str]:
    """What must be on the page: title, number, case code, each row's label and value…"""
    out = [doc.title, doc.number, doc.case_code, doc.date_text, doc.addressee, doc.grade_label]
    out += [t for line in (*doc.rows, *doc.signature) for t in (line.label, line.value)]
    out += [*doc.paragraphs, *doc.notes, *doc.stub_rows]
    return [squash(s) for s in out if s.strip()]


def test_every_kind_prints_every_field(shared: IssuedSet) -> None:
    assert set(shared.results) == set(SAMPLES)
    for kind, result in shared.results.items():
        doc = shared.slips.document(result.slip.id)
        text = squash(pdf_text(result.rendered.pdf))
        for expected in doc_strings(doc):
            assert expected in text, f"{kind}: {expected!r} missing from the PDF"
        for value in SAMPLES[kind][1].values():
            for part in value.split("\n"):
                if not re.fullmatch(r"\d{4}-\d\d-\d\d|[0-9a-f-]{36}", part):
                    assert squash(part) in text, f"{kind}: typed value {part!r} missing"


def test_fonts_are_embedded_and_subset(shared: IssuedSet) -> None:
    for kind, result in shared.results.items():
        reader = PdfReader(io.BytesIO(result.rendered.pdf))
        seen = 0
        for page in reader.pages:
            resources = cast(DictionaryObject, page["/Resources"])
            fonts = cast(DictionaryObject, resources["/Font"])
            for ref in fonts.values():
                font = ref.get_object()
                seen += 1
                assert font["/Subtype"] == "/TrueType", kind
                assert re.fullmatch(r"/[A-Z]{6}\+.+", str(font["/BaseFont"])), kind
                assert "/FontFile2" in font["/FontDescriptor"], f"{kind}: font not embedded"
                assert "/ToUnicode" in font, kind
        assert seen >= 1


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_agrees(shared: IssuedSet, tmp_path: Path) -> None:
    path = tmp_path / "slip.pdf"
    path.write_bytes(shared.results["assignment"].rendered.pdf)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        emb, sub, uni = row.split()[-5:-2]
        assert (emb, sub, uni) == ("yes", "yes", "yes"), row


def _outside_area(pdf: bytes, letter: bool) -> list[str]:
    """Characters whose boxes leave the type area, apart from what GB/T 9704 puts outside it."""
    left, right = gbt.LEFT - TOL, gbt.RIGHT_X + TOL
    top, bottom = gbt.TOP - TOL, gbt.TOP + gbt.AREA_H + TOL  # measured from the top edge
    bad = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, start=1):
            for ch in page.chars:
                if letter and number == 1 and round(ch["size"]) == gbt.LETTER_MARK_PT:
                    continue  # 信函格式: the agency mark sits 30 mm from the top edge
                if ch["top"] > gbt.TOP + gbt.AREA_H and ch["text"] in "—0123456789 ":
                    continue  # page number, 7 mm under the type area
                if not (left <= ch["x0"] and ch["x1"] <= right and top <= ch["top"]
                        and ch["bottom"] <= bottom):  # fmt: skip
                    bad.append(f"p{number} {ch['text']!r} x={ch['x0']:.1f}-{ch['x1']:.1f} "
                               f"y={ch['top']:.1f}-{ch['bottom']:.1f}")  # fmt: skip
    return bad


def test_text_stays_inside_the_type_area(shared: IssuedSet) -> None:
    for kind, result in shared.results.items():
        letter = shared.slips.document(result.slip.id).layout == "letter"
        assert _outside_area(result.rendered.pdf, letter) == [], kind


def long_letter(renderer: SlipPdfRenderer) -> bytes:
    paragraph = (
        "本中心交你单位办理的矛盾纠纷事项，经核查，仍未按期办结，群众反映强烈，请高度重视。" * 6
    )
    doc = SlipDocument(kind="supervision_letter", title="关于督促办理矛盾纠纷事项的督办函",
                       layout="letter", issuer="青山镇综治中心", number="青综治督函〔2026〕3号",
                       case_code="620123101000-2026-000007", date_text="2026年11月22日",
                       addressee="青山司法所", paragraphs=(paragraph,) * 5)  # fmt: skip
    return renderer(doc, RenderOptions()).pdf


def test_multi_page_letter_has_gbt9704_page_numbers(renderer: SlipPdfRenderer) -> None:
    pdf = long_letter(renderer)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) >= 3
        first = squash(doc.pages[0].extract_text())
        assert "—1—" not in first  # 信函格式: no number on the first page
        for number in (2, 3):
            page = doc.pages[number - 1]
            chars = [c for c in page.chars if c["top"] > gbt.TOP + gbt.AREA_H]
            assert squash("".join(c["text"] for c in chars)) == f"—{number}—"
            assert chars[0]["top"] - (gbt.TOP + gbt.AREA_H) == pytest.approx(7 * MM, abs=1.5 * MM)
            assert all(round(c["size"]) == gbt.PAGE_NO_PT for c in chars)
            if number % 2:  # odd: right, one character in from the edge
                assert chars[-1]["x1"] == pytest.approx(gbt.RIGHT_X - gbt.PAGE_NO_PT, abs=1)
            else:  # even: left
                assert chars[0]["x0"] == pytest.approx(gbt.LEFT + gbt.PAGE_NO_PT, abs=1)
    assert _outside_area(pdf, letter=True) == []


def test_single_page_slip_has_no_page_number(shared: IssuedSet) -> None:
    result = shared.results["acceptance"]
    assert result.rendered.pages == 1
    assert "—1—" not in squash(pdf_text(result.rendered.pdf))


def test_rare_character_in_a_name_uses_a_font_that_has_it(
    shared: IssuedSet,
) -> None:
    pdf = shared.results["acceptance"].rendered.pdf
    assert "𠮷祥" in squash(pdf_text(pdf))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        chars = [c for c in doc.pages[0].chars if c["text"] == "𠮷"]
        assert chars, "𠮷 not drawn"
        assert all("HanaMinB" in c["fontname"] for c in chars)
        xiang = next(c for c in doc.pages[0].chars if c["text"] == "祥")
        assert "BousungEG" in xiang["fontname"]  # the bundled AR PL SungtiL GB


def test_no_font_for_a_character_is_reported_before_printing(tmp_path: Path) -> None:
    bare = SlipPdfRenderer(FontConfig(system=False, bundled_dir=str(BUNDLED_DIR)))
    doc = SlipDocument(kind="acceptance", title="受理告知单", layout="form",
                       issuer="青山镇综治中心", number="青综治受〔2026〕1号",
                       case_code="620123101000-2026-000001", date_text="2026年11月22日",
                       rows=(SlipLine("当事人", "𠮷祥"),))  # fmt: skip
    with pytest.raises(MissingGlyphsError) as info:
        bare(doc, RenderOptions())
    assert info.value.chars == ("𠮷",)
    accepted = bare(doc, RenderOptions(allow_missing_glyphs=True))
    assert accepted.missing_glyphs == ("𠮷",)
    assert "［U+20BB7］祥" in squash(pdf_text(accepted.pdf))  # spelled out, never a blank box


def test_unreadable_configured_font_falls_back_with_a_warning(tmp_path: Path) -> None:
    broken = tmp_path / "simfang.ttf"
    broken.write_bytes(b"not a font at all")
    cff = tmp_path / "NotoSerifCJK.otf"
    cff.write_bytes(b"OTTO" + bytes(60))
    config = FontConfig(configured=(("fangsong", str(broken)), ("hei", str(cff))),
                        system=False, fallbacks=(EXT_B_FONT,))  # fmt: skip
    fonts = resolve(config)
    assert any(str(broken) in w for w in fonts.warnings)
    assert any(str(cff) in w and "CFF" in w for w in fonts.warnings)
    assert "gbsn00lp" in fonts.role_fonts["fangsong"]
    doc = SlipDocument(kind="acceptance", title="受理告知单", layout="form",
                       issuer="青山镇综治中心", number="1",
                       case_code="620123101000-2026-000001", date_text="")  # fmt: skip
    result = SlipPdfRenderer(config)(doc, RenderOptions())
    assert result.warnings == tuple(fonts.warnings)
    assert "受理告知单" in pdf_text(result.pdf)


def test_resolution_order_is_configured_system_bundled(tmp_path: Path) -> None:
    fonts = resolve(FontConfig(fallbacks=(EXT_B_FONT,)))
    assert set(fonts.role_fonts) == {"fangsong", "song", "hei", "xiaobiaosong"}
    assert not fonts.warnings
    mine = str(tmp_path / "仿宋_GB2312.ttf")
    order = list(candidates(FontConfig(configured=(("fangsong", mine),)), "fangsong"))
    assert order[0] == (mine, 0, "configured")
    assert order[-2:] == [(str(BUNDLED_DIR / "gbsn00lp.ttf"), 0, "bundled"),
                          (str(BUNDLED_DIR / "wqy-microhei.ttc"), 0, "bundled")]  # fmt: skip
    hei = list(candidates(FontConfig(), "hei"))
    assert hei[-1] == (str(BUNDLED_DIR / "wqy-microhei.ttc"), 0, "bundled")
    if Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc").exists():
        assert ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "system") in hei
        assert all("wqy" not in path for path, _, origin in order if origin == "system")


def test_reissue_renders_the_same_bytes(shared: IssuedSet) -> None:
    for result in shared.results.values():
        again = shared.slips.original(result.slip.id)
        assert again.sha256 == result.slip.sha256 == result.rendered.sha256
        assert again.pdf == result.rendered.pdf


def test_print_marks(issued: dict[str, IssueResult], slips: SlipService) -> None:
    slip_id = issued["assignment"].slip.id
    first = slips.print_job(slip_id, watermark="王接待 2026-11-20 10:00")
    text = squash(pdf_text(first.rendered.pdf))
    assert "王接待2026-11-2010:00" in text and "补打" not in text
    slips.record_print(slip_id)
    again = slips.print_job(slip_id)
    text = squash(pdf_text(again.rendered.pdf))
    assert "补打" in text and "原件签发于2026年11月20日" in text
    assert again.rendered.sha256 != issued["assignment"].slip.sha256
    slips.void(slip_id, "交办单位有误")
    voided = squash(pdf_text(slips.original(slip_id).pdf))
    assert "作废" in voided and "交办单位有误" in voided


def test_graded_slip_has_a_colour_band(shared: IssuedSet) -> None:
    with pdfplumber.open(io.BytesIO(shared.results["supervision"].rendered.pdf)) as doc:
        page = doc.pages[0]
        bands = [r for r in page.rects if r["width"] > 150 * MM and r["height"] > 8 * MM]
        assert bands
        colour = bands[0]["non_stroking_color"]
        assert [round(c, 2) for c in colour] == [0.78, 0.09, 0.11]  # #C8161D
        assert bands[0]["top"] >= gbt.TOP - TOL


def test_qr_code_of_the_case_code(shared: IssuedSet) -> None:
    count, runs = qr_runs(shared.results["assignment"].slip.case_code)
    assert count >= 21 and len(runs) > 50
    with pdfplumber.open(io.BytesIO(shared.results["assignment"].rendered.pdf)) as doc:
        page = doc.pages[0]
        qr = [r for r in page.rects if r["x0"] >= gbt.RIGHT_X - 23 * MM and r["top"] < 90 * MM]
        assert len(qr) == len(runs)
        assert max(r["x1"] for r in qr) <= gbt.RIGHT_X + TOL


def test_masked_by_default(shared: IssuedSet) -> None:
    """IDs 6+4 on every kind; phones 3+4 unless the kind's data prints them in full with a basis
    (the 交办单: the unit must call the party), and then the real number, never ciphertext."""
    printed_parties = 0
    for kind, result in shared.results.items():
        text = squash(pdf_text(result.rendered.pdf))
        assert not re.search(r"620123\d{11}[\dX]", text), kind  # no full ID number
        full = unmasked_in(shared.slips.catalogue.kind(kind))
        assert "id_number" not in full, kind
        if "身份证" not in text:
            continue  # this kind does not print the parties
        printed_parties += 1
        assert re.search(r"620123\*{8}\d{3}[\dX]", text), kind
        if "phone" in full:
            assert "13812345678" in text and "138****5678" not in text, kind
        else:
            assert "138****5678" in text and "13812345678" not in text, kind
    assert printed_parties >= 2  # the receipt's kind and the 交办单 at least


SEALED = re.compile(r"⟦|\be1\.[0-9a-f]{8}\.")


def test_no_print_ever_carries_sealed_personal_data(
    issued: dict[str, IssueResult], slips: SlipService
) -> None:
    """Issued, reprinted (补打) and original re-rendered PDFs, and the document a screen shows:
    the sealed marks of the stored snapshot are opened or masked, never printed."""
    for kind, result in issued.items():
        slips.record_print(result.slip.id)
        reprint = slips.print_job(result.slip.id)
        assert reprint.reprint, kind
        for pdf in (result.rendered.pdf, reprint.rendered.pdf, slips.original(result.slip.id).pdf):
            assert not SEALED.search(pdf_text(pdf)), kind
        shown = slips.document(result.slip.id).to_json()
        assert not SEALED.search(str(shown)), kind
