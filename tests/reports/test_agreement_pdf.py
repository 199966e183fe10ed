"""The agreement and the notice print through the slip engine with every required part."""

from __future__ import annotations

import io
from dataclasses import replace

import pdfplumber
import pytest

from reports.agreement import agreement_slip, render_agreement, render_notice
from reports.slips import SlipPdfRenderer
from services.rooms.dto import AgreementDocument, AgreementParty, NoticeDocument
from tests.reports.conftest import TEST_FONTS

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


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "".join((p.extract_text() or "") for p in doc.pages)
    return text.replace(" ", "").replace("\n", "")


def test_agreement_has_every_part(renderer: SlipPdfRenderer) -> None:
    text = _text(render_agreement(DOC, renderer=renderer).pdf)
    for part in ("人民调解协议书", "当事人（甲方）", "当事人（乙方）", "纠纷主要事实", "争议事项",
                 "经调解，自愿", "达成如下协议", "1.张三于", "2.李四", "履行方式",
                 "本协议一式3份", "人民调解员（签名）", "记录人（签名）",
                 "青山镇人民调解委员会（盖章）", "二〇二六年十一月二十三日"):  # fmt: skip
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
