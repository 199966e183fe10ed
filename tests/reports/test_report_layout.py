"""Report PDFs as printed: no figure broken across lines ("100.00%" in a narrow column, a case
code), nothing outside the 版心 (a chart's legend ran off the right edge), a county's many
townships and a template's many figures in readable tables."""

from __future__ import annotations

import io
import re

import pdfplumber

from reports import slip_layout as gbt
from reports.periodic import render_report_pdf
from services.statistics.report_dto import (
    FigureLine,
    ReportChart,
    ReportDocument,
    ReportSection,
    ReportTable,
)

PERCENT = re.compile(r"[+-]?\d+\.\d{2}%")
CODE = "620123101000-2026-000001"
NAMES = ("劳动人事争议", "合同及相关纠纷", "土地及资源权属纠纷", "婚恋家庭纠纷", "邻里纠纷")
SCREENING = ReportTable(
    "class_screening",
    "矛盾纠纷排查调处情况表（按纠纷类别）",
    (
        "纠纷类别",
        "排查数",
        "调处数",
        "调处率",
        "成功数",
        "成功率",
        "年累计排查",
        "年累计调处",
        "年调处率",
        "年成功数",
        "年成功率",
    ),  # fmt: skip
    tuple(
        (n, "1", "1", "100.00%", "1", "100.00%", "12", "11", "91.67%", "10", "90.91%")
        for n in NAMES
    ),  # fmt: skip
    total=True,
)
CASES = ReportTable(
    "overdue_list",
    "已超期案件",
    ("案件编号", "事由", "承办单位", "办理期限", "颜色", "状态", "超期"),
    tuple(
        (
            CODE,
            "张三反映宅基地边界纠纷要求调解处理" * 2,
            "青山司法所",
            "2026-10-21",
            "红",
            "承办中",
            "29天",
        )
        for _ in range(3)
    ),  # fmt: skip
)
LINE = ReportChart(
    "daily",
    "每日新增与办结",
    "line",
    tuple(str(d) for d in range(1, 31)),
    (("新增", tuple(d % 3 for d in range(30))), ("办结", tuple(d % 2 for d in range(30)))),
)
COLUMNS = tuple(
    FigureLine(f"f{i}", label, "0")
    for i, label in enumerate(("登记件数", "新受理（立案）", "办结", "化解成功", "在办",
                               "超期在办", "本年累计立案", "本年累计办结", "年度办结率",
                               "化解成功率", "办结率", "按期办结率", "满意率", "调解场次"))
)  # fmt: skip
TOWNSHIPS = tuple(
    (f"第{i}乡镇", tuple("100.00%" if "率" in c.label else str(i * 10) for c in COLUMNS))
    for i in range(1, 13)
)
DOC = ReportDocument(
    kind="monthly",
    title="某县综治中心矛盾纠纷排查调处工作月报",
    issuer="某县综治中心",
    period_label="2026年11月",
    cutoff_text="数据截止：2026年12月01日 00:00",
    sections=(ReportSection("一、情况", tables=(SCREENING, CASES), charts=(LINE,)),),
    footnotes=("注：测试。",),
    columns=COLUMNS,
    township_rows=TOWNSHIPS,
    township_chart=ReportChart(
        "townships",
        "乡镇对比：新受理、办结、超期在办",
        "bar",
        tuple(name for name, _ in TOWNSHIPS),
        (("新受理", (5,) * 12), ("办结", (3,) * 12), ("超期在办", (1,) * 12)),
    ),
)


def _expected_percents() -> int:
    cells = [c for t in (SCREENING, CASES) for row in t.rows for c in row]
    cells += [v for _, values in TOWNSHIPS for v in values]
    return sum(1 for c in cells if PERCENT.fullmatch(c))


def test_figures_stay_whole_and_everything_stays_inside_the_type_area() -> None:
    pdf = render_report_pdf(DOC)
    words: list[str] = []
    outside: list[str] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            words += [w["text"] for w in page.extract_words(keep_blank_chars=False)]
            for c in page.chars:
                if c["x0"] < gbt.LEFT - 1 or c["x1"] > gbt.LEFT + gbt.AREA_W + 1:
                    outside.append(c["text"])
    assert sum(1 for w in words if PERCENT.fullmatch(w)) == _expected_percents()
    assert sum(1 for w in words if w == CODE) == len(CASES.rows)
    assert outside == []  # the legend's names ran past the right edge
    for name in ("新增", "办结", "新受理", "超期在办"):
        assert name in words
