"""GB/T 9704 details of slips and letters: 发文字号, QR code and its quiet zone, codes kept whole,
room for the seal, colour bands without colour, the PDF's date, labels, the case code once."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib import colors

from reports import slip_layout as gbt
from reports.fonts import resolve
from reports.slip_builder import LABEL_W, PAD, band_pattern
from reports.slip_flowables import QR_QUIET, band_ink, contrast, qr_runs
from reports.slips import SlipPdfRenderer
from services.slips.dto import IssueResult, RenderOptions, SlipDocument
from services.slips.kinds import load_catalogue
from services.slips.service import SlipService
from tests.reports.conftest import TEST_FONTS, IssuedSet
from tests.reports.pdfcheck import MM, layout_problems, qr_box, squash

CODE = "620123101000-2026-000123"


def _lines(pdf: bytes) -> list[list[dict[str, Any]]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [page.extract_text_lines() for page in doc.pages]


def test_letter_number_above_the_title_without_prefix(shared: IssuedSet) -> None:
    for kind in ("reminder_letter", "supervision_letter"):
        result = shared.results[kind]
        doc = shared.slips.document(result.slip.id)
        lines = _lines(result.rendered.pdf)[0]
        number = next(ln for ln in lines if squash(str(ln["text"])) == squash(doc.number))
        at = next(i for i, ln in enumerate(lines)
                  if squash(doc.title).startswith(squash(str(ln["text"]))))  # fmt: skip
        assert float(number["bottom"]) < float(lines[at]["top"]), kind
        assert float(number["x1"]) == pytest.approx(gbt.RIGHT_X, abs=2)
        head = squash(" ".join(str(ln["text"]) for ln in lines[: at + 1]))
        assert "编号：" not in head, kind


def test_letter_qr_code_sits_in_the_colophon(shared: IssuedSet) -> None:
    for kind in ("reminder_letter", "supervision_letter"):
        result = shared.results[kind]
        doc = shared.slips.document(result.slip.id)
        with pdfplumber.open(io.BytesIO(result.rendered.pdf)) as pdf:
            page = pdf.pages[-1]
            box = qr_box(page)
            assert box is not None, kind
            lines = page.extract_text_lines()
            assert box[3] <= gbt.TOP + gbt.AREA_H + 1, kind
            assert any(squash(ln["text"]).endswith("印发") for ln in lines), kind
            dated = [ln for ln in lines if squash(ln["text"]) == squash(doc.date_text)]
            assert not dated or box[1] > dated[-1]["bottom"], kind  # below the signature
        first = _lines(result.rendered.pdf)[0]
        addressee = next(ln for ln in first if squash(ln["text"]) == f"{doc.addressee}：")
        with pdfplumber.open(io.BytesIO(result.rendered.pdf)) as pdf:
            top_box = qr_box(pdf.pages[0])
        assert top_box is None or top_box[1] > addressee["bottom"], kind


def _within(obj: dict[str, float], box: tuple[float, float, float, float]) -> bool:
    return box[0] <= obj["x0"] and obj["x1"] <= box[2] and box[1] <= obj["top"] \
        and obj["bottom"] <= box[3]  # fmt: skip


def _quiet_zone_clear(pdf: bytes, value: str) -> list[str]:
    count, _ = qr_runs(value)
    bad = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            box = qr_box(page)
            if box is None:
                continue
            module = (box[2] - box[0]) / count
            zone = (box[0] - QR_QUIET * module + 0.3, box[1] - QR_QUIET * module + 0.3,
                    box[2] + QR_QUIET * module - 0.3, box[3] + QR_QUIET * module - 0.3)  # fmt: skip
            inside = (box[0] - 0.3, box[1] - 0.3, box[2] + 0.3, box[3] + 0.3)
            things = [*page.chars, *(e for e in page.edges if not _within(e, inside))]
            for t in things:
                if t["x1"] > zone[0] and t["x0"] < zone[2] and t["bottom"] > zone[1] \
                        and t["top"] < zone[3]:  # fmt: skip
                    bad.append(str(t.get("text", t.get("object_type"))))
    return bad


def test_qr_quiet_zone_is_four_modules(shared: IssuedSet) -> None:
    for kind, result in shared.results.items():
        assert _quiet_zone_clear(result.rendered.pdf, result.slip.case_code) == [], kind


@pytest.mark.parametrize("shift", range(0, 28, 3))
def test_case_codes_never_break_mid_code(renderer: SlipPdfRenderer, shift: int) -> None:
    text = "甲" * shift + f"（案件编号：{CODE}，金额1234567.89元）" + "乙" * 40
    doc = SlipDocument(kind="supervision_letter", title="关于督促办理矛盾纠纷事项的督办函",
                       layout="letter", issuer="青山镇综治中心", number="青综治督函〔2026〕3号",
                       case_code=CODE, date_text="2026年11月22日", addressee="青山司法所",
                       paragraphs=(text,), rows=(), notes=(text,))  # fmt: skip
    form = dataclasses.replace(doc, layout="form", paragraphs=(), rows=())
    for d in (doc, form):
        lines = [squash(str(ln["text"])) for page in _lines(renderer(d, RenderOptions()).pdf)
                 for ln in page]  # fmt: skip
        pieces = [ln for ln in lines if "620123" in ln or "000123" in ln]
        assert pieces and all(CODE in ln for ln in pieces if "2026-" in ln), (shift, pieces)
        assert any("1234567.89" in ln for ln in lines), shift


def test_supervision_leaves_room_for_a_42_mm_seal(shared: IssuedSet) -> None:
    """The seal's top may touch the text above; 42 mm further down the 回执 may begin."""
    with pdfplumber.open(io.BytesIO(shared.results["supervision"].rendered.pdf)) as pdf:
        pages = [p.extract_text_lines() for p in pdf.pages]
    at = next((n, i) for n, lines in enumerate(pages) for i, ln in enumerate(lines)
              if ln["text"].endswith("（盖章）"))  # fmt: skip
    cut = next((n, ln) for n, lines in enumerate(pages) for ln in lines
               if "沿此线剪下" in ln["text"])  # fmt: skip
    assert cut[0] >= at[0]
    if cut[0] == at[0]:
        lines = pages[at[0]]
        seal_line = lines[at[1]]
        above = [ln for ln in lines[: at[1]] if ln["bottom"] < seal_line["top"]
                 and not ln["text"].startswith("签发人")]  # fmt: skip
        assert cut[1]["top"] - above[-1]["bottom"] >= 42 * MM


def test_bands_read_on_grey_and_differ_without_colour() -> None:
    grades = [g for k in load_catalogue().kinds for g in k.grades]
    for g in grades:
        fill = colors.HexColor(g.colour)
        assert contrast(fill, band_ink(fill)) >= 4.5, g.label
    patterns = {g.code: band_pattern(g.colour) for g in grades}
    assert patterns["red"] == "solid" and patterns["yellow"] == "frame"
    assert patterns["orange"] == "hatch"


def test_red_band_prints_white_text_on_solid_red(shared: IssuedSet) -> None:
    with pdfplumber.open(io.BytesIO(shared.results["supervision"].rendered.pdf)) as pdf:
        page = pdf.pages[0]
        band = next(r for r in page.rects if r["width"] > 150 * MM and r["height"] > 8 * MM)
        label = [
            c
            for c in page.chars
            if c["top"] >= band["top"] - 0.5 and c["bottom"] <= band["bottom"] + 0.5
        ]
        assert squash("".join(c["text"] for c in label)) == "红色督办"
        assert all(tuple(c["non_stroking_color"]) in ((1,), (1, 1, 1)) for c in label)


def test_pdf_date_is_the_documents(shared: IssuedSet) -> None:
    for kind, result in shared.results.items():
        info = PdfReader(io.BytesIO(result.rendered.pdf)).metadata
        assert info is not None and info.creation_date is not None
        assert info.creation_date.date().isoformat() == "2026-11-20", kind


def test_case_code_printed_once_above_the_stub(shared: IssuedSet) -> None:
    for kind, result in shared.results.items():
        doc = shared.slips.document(result.slip.id)
        text = "".join(squash(str(ln["text"])) for page in _lines(result.rendered.pdf)
                       for ln in page)  # fmt: skip
        main = text.split("沿此线剪下")[0].split("扫描二维码")[0]
        main = main.removesuffix(f"案件编号：{doc.case_code}")  # the letter's 版记
        assert main.count(doc.case_code) == 1, kind


def test_labels_break_evenly() -> None:
    fonts = resolve(TEST_FONTS)
    width = LABEL_W - 2 * PAD
    labels = {f.label for k in load_catalogue().kinds for f in k.fields}
    labels |= {r for k in load_catalogue().kinds for r in k.stub_rows}
    labels |= {"当事人（甲方）", "纠纷主要事实、争议事项", "经调解，自愿达成如下协议"}
    for label in labels:
        lines = gbt.balanced(fonts, label, "hei", gbt.TABLE_PT, width).split("\n")
        assert all(gbt.text_width(fonts, ln, "hei", gbt.TABLE_PT) <= width + 0.01 for ln in lines)
        assert len(lines) == 1 or min(len(ln) for ln in lines) >= 2, (label, lines)


def test_risk_warning_is_marked_with_secrecy_urgency_and_copy_number(
    issued: dict[str, IssueResult], slips: SlipService
) -> None:
    slip_id = issued["risk_warning"].slip.id  # orange: 加急
    lines = [squash(str(ln["text"])) for ln in _lines(issued["risk_warning"].rendered.pdf)[0]]
    assert lines[0] == "工作秘密加急"
    assert "000001" not in lines  # the hashed original has no 份号
    first = slips.print_job(slip_id).rendered.pdf
    with pdfplumber.open(io.BytesIO(first)) as pdf:
        top = pdf.pages[0].extract_text_lines()[0]
    assert squash(top["text"]) == "000001工作秘密加急"
    assert top["x0"] == pytest.approx(gbt.LEFT, abs=1)
    slips.record_print(slip_id)
    again = [squash(str(ln["text"])) for ln in _lines(slips.print_job(slip_id).rendered.pdf)[0]]
    assert "000002工作秘密加急" in again  # under the 补打 stamp
    assert layout_problems(first) == []
    plain = issued["assignment"]
    assert "工作秘密" not in "".join(squash(str(ln["text"])) for ln in
                                  _lines(plain.rendered.pdf)[0])  # fmt: skip
