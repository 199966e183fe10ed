"""The agreement and the notice print through the slip engine with every required part."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import pdfplumber
import pytest

from reports import slip_layout as gbt
from reports.agreement import agreement_slip, render_agreement, render_notice
from reports.slip_builder import LABEL_W
from reports.slips import SlipPdfRenderer
from services.rooms.dto import AgreementDocument, AgreementParty, NoticeDocument
from services.slips.dto import SignLine, SlipDocument
from tests.reports.conftest import TEST_FONTS
from tests.reports.pdfcheck import MM, layout_problems, signature_alone

DOC = AgreementDocument(
    id="a1", number="（2026）人调协字第1号", case_code="620123101000-2026-000001",
    committee="青山镇人民调解委员会", oral=False,
    parties=(AgreementParty("甲方", "张三", "男", "46", "13812345678", "东沟村三组"),
             AgreementParty("乙方", "李四", "女", "39", "13987654321", "东沟村四组")),
    facts="双方因宅基地边界围墙位置发生争议。",
    terms=("张三于2026年12月31日前拆除越界围墙。", "李四承担拆除费用的一半。"),
    performance="2026年12月31日前一次履行完毕。", copies=3, mediators=("王调解",),
    recorder="赵记录", date_text="二〇二六年十一月二十三日",
)  # fmt: skip


@pytest.fixture
def renderer() -> SlipPdfRenderer:
    return SlipPdfRenderer(TEST_FONTS)


def _text(pdf: bytes, right_of: float = 0) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = [p.filter(lambda o: o.get("x0", right_of) >= right_of) for p in doc.pages]
        text = "".join((p.extract_text() or "") for p in pages)
    return text.replace(" ", "").replace("\n", "")


def _labels(pdf: bytes) -> str:
    """Text of the label column only (labels wrap beside values that wrap differently)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = [p.filter(lambda o: o.get("x1", 0) <= gbt.LEFT + LABEL_W) for p in doc.pages]
        text = "".join((p.extract_text() or "") for p in pages)
    return text.replace(" ", "").replace("\n", "")


def test_agreement_has_every_part(renderer: SlipPdfRenderer) -> None:
    pdf = render_agreement(DOC, renderer=renderer).pdf
    text, labels = _text(pdf), _labels(pdf)
    for part in ("当事人（甲方）", "当事人（乙方）", "纠纷主要事实、争议事项",
                 "经调解，自愿达成如下协议", "履行方式、时限"):  # fmt: skip
        assert part in labels, part
    for part in ("人民调解协议书", "1.张三于", "2.李四", "本协议一式3份",
                 "人民调解员王调解（签名）", "记录人赵记录（签名）", "青山镇人民调解委员会（盖章）",
                 "二〇二六年十一月二十三日"):  # fmt: skip
        assert part in text, part


def test_oral_agreement_prints_as_register(renderer: SlipPdfRenderer) -> None:
    text = _text(render_agreement(replace(DOC, oral=True), renderer=renderer).pdf)
    assert "人民调解口头协议登记表" in text and "一式" not in text


def test_notice_per_party(renderer: SlipPdfRenderer) -> None:
    notice = NoticeDocument("N1", DOC.case_code, DOC.committee, "张三", "宅基地纠纷",
                            "第一调解室", "2026年11月23日（星期一）09:00–10:00", ("王调解",),
                            "二〇二六年十一月二十日")  # fmt: skip
    text = _text(render_notice(notice, renderer=renderer).pdf)
    assert "调解通知书" in text and "张三：" in text and "第一调解室" in text


def test_agreement_slip_copies_line() -> None:
    slip = agreement_slip(DOC)
    assert slip.layout == "form" and slip.issuer == "青山镇人民调解委员会"
    assert [line.label for line in slip.rows][:2] == ["当事人（甲方）", "当事人（乙方）"]


def _agreement(parties: int, terms: int) -> AgreementDocument:
    people = tuple(AgreementParty(f"{'甲乙丙丁戊己庚辛'[i % 8]}方", f"当事人{i + 1}", "男", "40",
                                  "13812345678", "东沟村三组") for i in range(parties))  # fmt: skip
    clauses = tuple(f"第{i + 1}项：张三于2026年12月31日前拆除越界围墙，费用由双方各半承担。"
                    for i in range(terms))  # fmt: skip
    return replace(DOC, parties=people, terms=clauses, copies=parties + 1)


# 3 and 8 parties in `make test`; 1, 2 and 5 (2.4-4.8 s each, 15 layouts) under slow.
SLOW = pytest.mark.slow


@pytest.mark.parametrize(
    "parties",
    [pytest.param(1, marks=SLOW), pytest.param(2, marks=SLOW), 3, pytest.param(5, marks=SLOW), 8],
)
def test_agreement_seal_and_signatures_keep_with_the_text(
    renderer: SlipPdfRenderer, parties: int
) -> None:
    for terms in range(1, 16):  # walks the end of the text across a page break
        doc = _agreement(parties, terms)
        pdf = render_agreement(doc, renderer=renderer).pdf
        assert not signature_alone(pdf, agreement_slip(doc)), (parties, terms)
        assert layout_problems(pdf) == [], (parties, terms)


def test_agreement_signature_lines_leave_room_to_sign(renderer: SlipPdfRenderer) -> None:
    pdf = render_agreement(_agreement(3, 2), renderer=renderer).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        tops = [ln["top"] for p in doc.pages for ln in p.extract_text_lines()
                if "（签名" in ln["text"]]  # fmt: skip
    assert len(tops) == 5
    gaps = [b - a for a, b in zip(tops, tops[1:], strict=False)]
    assert min(gaps) >= 12 * MM - 0.5, gaps


def test_many_long_terms_never_print_pages_of_empty_rows(renderer: SlipPdfRenderer) -> None:
    """20 terms of 300 characters ran to 14 pages, four of them grids of empty rows (reportlab
    re-split the rest of a long cell wrongly); every page now carries text, terms in order."""
    clause = (
        "张三于2026年12月31日前拆除越界围墙并恢复原状，费用由双方各半承担，逾期按日支付违约金；"
    )
    terms = tuple((f"第{i}项" + clause * 10)[:300] for i in range(1, 21))
    doc = replace(DOC, terms=terms)
    pdf = render_agreement(doc, renderer=renderer).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as d:
        pages = [(p.extract_text() or "").replace("\n", "") for p in d.pages]
    assert all(len(text) > 200 for text in pages[:-1]), [len(t) for t in pages]
    text = "".join(pages)
    found = [text.find(f"{i}. 第{i}项") for i in range(1, 21)]
    assert -1 not in found and found == sorted(found)
    assert sum("（续）" in t for t in pages) >= 3  # each continued page names its field
    assert layout_problems(pdf) == [] and not signature_alone(pdf, agreement_slip(doc))


LONG_NAMES = (
    "Alexander Maximilian Rodriguez",
    "𠮷祥" * 15,
    "欧阳娜娜" * 7 + "欧阳",
    "AlexanderMaximilianRodriguezXY",
    "王",
)  # 30 characters: the longest a name takes
SIGN_HINT = "（签名盖章或按指印）"


def _long_names(parties: int) -> AgreementDocument:
    people = tuple(AgreementParty(f"{'甲乙丙丁戊己庚辛壬癸'[i]}方", LONG_NAMES[i % 5], "男", "40",
                                  "13812345678", "东沟村三组") for i in range(parties))  # fmt: skip
    return replace(DOC, parties=people, number="（2026）青人调协字第1234567号",
                   mediators=("欧阳" * 15, "王调解", LONG_NAMES[0], "李", "𠮷祥" * 15),
                   recorder="买买提·艾力" * 5)  # fmt: skip


def _sign_rows(pdf: bytes) -> list[tuple[str, str, str]]:
    """(label, name, hint) of every line to sign; the name is what prints between the label
    and the hint, in that row (a wrapped name runs over lines above the label's)."""
    rows = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            above = 0.0
            for line in page.extract_text_lines():
                chars = sorted((c for c in line["chars"] if c["text"].strip()),
                               key=lambda c: c["x0"])  # fmt: skip
                text = "".join(c["text"] for c in chars)
                found = re.match(r"(当事人（.方）|人民调解员|记录人).*(（签名.*）)$", text)
                if not found:
                    if chars and chars[0]["x0"] < gbt.LEFT + 60:  # text, not a wrapped name
                        above = line["bottom"]
                    continue
                label, hint = found.group(1), found.group(2)
                x0, x1 = chars[len(label) - 1]["x1"], chars[-len(hint)]["x0"]
                name = [c for c in page.chars if c["text"].strip() and above < c["top"]
                        and c["top"] < line["bottom"] and c["x0"] >= x0 - 0.1
                        and c["x1"] <= x1 + 0.1]  # fmt: skip
                name.sort(key=lambda c: (-round(c["matrix"][5]), c["x0"]))  # baseline, x
                rows.append((label, "".join(c["text"] for c in name), hint))
                above = line["bottom"]
    return rows


@pytest.mark.parametrize("parties", [3, 10])
def test_signature_lines_name_each_party_on_one_line(
    renderer: SlipPdfRenderer, parties: int
) -> None:
    """One line to sign per party, with the party's name in a cell of its own (shrunk or
    wrapped there at the longest names): the lines without names were one 当事人（甲方） after
    another, and a role repeated after the eighth party."""
    doc = _long_names(parties)
    pdf = render_agreement(doc, renderer=renderer).pdf
    rows = _sign_rows(pdf)
    people = [(f"当事人（{p.role}）", p.name, SIGN_HINT) for p in doc.parties]
    people += [("人民调解员", name, "（签名）") for name in doc.mediators]
    people += [("记录人", doc.recorder, "（签名）")]
    assert rows == [(label, name.replace(" ", ""), hint) for label, name, hint in people]
    assert layout_problems(pdf) == [] and not signature_alone(pdf, agreement_slip(doc))


def test_signing_page_mark_stays_on_one_line(renderer: SlipPdfRenderer) -> None:
    doc = _long_names(10)
    pdf = render_agreement(doc, renderer=renderer).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as d:
        lines = [ln["text"].replace(" ", "") for p in d.pages for ln in p.extract_text_lines()]
    marks = [ln for ln in lines if ln.startswith("（本页无正文")]
    assert marks and all(ln.endswith("签署页）") for ln in marks), marks


def test_lines_to_sign_survive_the_snapshot_and_read_the_old_form() -> None:
    slip = agreement_slip(DOC)
    assert SlipDocument.from_json(slip.to_json()) == slip
    line = "人民调解员（签名）：＿＿＿＿"  # a line of text, as stored before SignLine
    old = {**slip.to_json(), "sign_lines": [line]}
    assert SlipDocument.from_json(old).sign_lines == (SignLine(line, "", ""),)
