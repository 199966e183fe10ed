"""专报 in GB/T 9704 layout: 抄送 sits in the 版记 at the foot of the last page, below the date,
between a thick rule above and a thin one, with 印发机关 and 印发日期 above the closing thick rule
(§7.4); not in the body after 特此报告 (where it was printed before)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pdfplumber

from reports.special import render_special
from services.statistics.report_dto import SpecialReport
from tests.reports.pdfcheck import MM, chars_crossing_rules, overlapping_chars

REPORT = SpecialReport(
    title="关于张三反映宅基地纠纷的专报",
    issuer="青山镇综治中心",
    addressee="县综治中心",
    case_code="620123101000-2026-000006",
    date_text="2026年12月4日",
    paragraphs=("2026年11月18日，南湾村发生一起邻里纠纷，现将有关情况报告如下。",)
    + tuple(f"（{i}）情况说明第{i}段，双方情绪激动，正在稳控化解。" for i in range(1, 12))
    + ("特此报告。",),
    copy_to="镇党委、政府主要负责同志，分管负责同志",
)


def _where(pages: Sequence[Any], text: str) -> tuple[int, float]:
    """(page index, top) of the first word that is exactly ``text``."""
    for i, page in enumerate(pages):
        for w in page.extract_words():
            if w["text"] == text:
                return i, float(w["top"])
    raise AssertionError(text)


def test_copy_to_is_in_the_colophon_at_the_foot_of_the_last_page() -> None:
    pdf = render_special(REPORT).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        pages = doc.pages
        assert all("抄送" not in p.extract_text() for p in pages[:-1])
        last = pages[-1]
        where = _where(pages, "抄送：镇党委、政府主要负责同志，分管负责同志。")
        assert where[0] == len(pages) - 1 and where > _where(pages, "2026年12月4日")  # after it
        copy_top = where[1]
        assert copy_top > last.height - 35 * MM - 30 * MM  # in the last lines of the 版心
        assert "2026年12月4日印发" in last.extract_text().replace(" ", "")
        rules = sorted(
            (e["top"], e["bottom"] - e["top"], e["x1"] - e["x0"])
            for e in last.edges
            if e["orientation"] == "h" and e["top"] > copy_top - 10 * MM
        )
        widths = {round(w / MM) for _, _, w in rules}
        assert widths == {156}  # as wide as the 版心
        tops = sorted({round(t) for t, _, _ in rules})
        assert len(tops) == 3 and tops[0] < copy_top < tops[1]  # 抄送 between the first two
        for page in pages:
            assert overlapping_chars(page) == [] and chars_crossing_rules(page) == []
