"""日报/周报/月报 PDFs from a ``ReportDocument`` (A4, GB/T 9704 margins, embedded CJK fonts).

Output is deterministic (reportlab invariant mode): the same document gives the same bytes.
"""

from __future__ import annotations

import io
import threading

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from reports import slip_layout as gbt
from reports.charts import draw_chart
from reports.fonts import FontConfig, FontSet, resolve
from services.statistics.report_dto import ReportDocument, ReportSection, ReportTable

_LOCK = threading.Lock()
TABLE_PT = 9  # 小五号: wide statistics tables
TEXT_PT = 12  # 小四号
TOP = 25 * mm  # statistics tables use a shorter 天头 than 公文 so a 日报 fits one page
CHART_H = 150
CELL_PAD = 3  # pt, left and right inside a table cell


class _Styles:
    def __init__(self, fonts: FontSet) -> None:
        f = fonts.role_fonts
        self.fonts = fonts
        self.title = ParagraphStyle(
            "t",
            fontName=f["xiaobiaosong"],
            fontSize=18,
            leading=26,
            alignment=TA_CENTER,
            wordWrap="CJK",
        )
        self.sub = ParagraphStyle(
            "s", fontName=f["fangsong"], fontSize=TEXT_PT, leading=18, alignment=TA_CENTER
        )
        self.head = ParagraphStyle(
            "h", fontName=f["hei"], fontSize=TEXT_PT + 1, leading=20, spaceBefore=6, spaceAfter=2
        )
        self.text = ParagraphStyle(
            "x",
            fontName=f["fangsong"],
            fontSize=TEXT_PT,
            leading=17,
            wordWrap="CJK",
            alignment=TA_LEFT,
        )
        self.cell = ParagraphStyle(
            "c", fontName=f["fangsong"], fontSize=TABLE_PT, leading=TABLE_PT * 1.25, wordWrap="CJK"
        )
        self.cell_head = ParagraphStyle(
            "ch", parent=self.cell, fontName=f["hei"], alignment=TA_CENTER
        )
        self.note = ParagraphStyle("n", parent=self.cell, fontSize=8, leading=11)

    def para(self, text: str, style: ParagraphStyle) -> Paragraph:
        role = next(
            (r for r, n in self.fonts.role_fonts.items() if n == style.fontName), "fangsong"
        )
        return Paragraph(gbt.markup(self.fonts, text, role), style)


def _grid(
    data: list[list[Flowable]],
    widths: list[float],
    font: str,
    header_rows: int = 1,
    total: bool = False,
) -> Table:
    table = Table(data, colWidths=widths, repeatRows=header_rows)
    style = [
        # A cell's own font, even when it holds only Paragraphs: reportlab sets it on the canvas,
        # and its default (Helvetica) would be named in the PDF without being embedded.
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.9, 0.9, 0.9)),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
    ]
    if total:
        style.append(("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.95, 0.95, 0.95)))
    table.setStyle(TableStyle(style))
    return table


def column_widths(
    fonts: FontSet, columns: tuple[str, ...], rows: tuple[tuple[str, ...], ...]
) -> list[float]:
    """Widths that keep every figure on one line (100.00%, case codes) and let text wrap.

    Each column wants its widest cell unbroken (a heading may take two lines). When the wants
    exceed the 版心, the widest columns (names, 事由) give way down to a common cap, found by
    bisection, so the narrow numeric ones keep their width; what is left over is shared out.
    """
    pad = 2 * CELL_PAD + 1.5

    def width(text: str, role: str) -> float:
        return gbt.text_width(fonts, text, role, TABLE_PT) + pad

    want = []
    for i, head in enumerate(columns):
        cells = (width(row[i], "fangsong") for row in rows if i < len(row) and row[i])
        want.append(max(max(cells, default=0.0), width(head, "hei") / 2 + pad / 2, 7 * mm))
    if sum(want) <= gbt.AREA_W:
        extra = (gbt.AREA_W - sum(want)) / len(want)
        return [w + extra for w in want]
    low, high = 0.0, max(want)
    for _ in range(40):
        cap = (low + high) / 2
        if sum(min(w, cap) for w in want) > gbt.AREA_W:
            high = cap
        else:
            low = cap
    capped = [min(w, low) for w in want]
    extra = (gbt.AREA_W - sum(capped)) / len(capped)
    return [w + extra for w in capped]


def _table(st: _Styles, table: ReportTable) -> list[Flowable]:
    out: list[Flowable] = [st.para(table.title, st.cell_head)]
    if not table.rows:
        return [*out, st.para(f"{table.empty_text}。", st.text)]
    widths = column_widths(st.fonts, table.columns, table.rows)
    data = [[st.para(c, st.cell_head) for c in table.columns]]
    data += [[st.para(c, st.cell) for c in row] for row in table.rows]
    return [*out, Spacer(1, 1 * mm), _grid(data, widths, st.cell.fontName, total=table.total)]


def _figures(st: _Styles, section: ReportSection) -> list[Flowable]:
    if not section.figures:
        return []
    per_row = 4
    cells = [st.para(f"{f.label}：{f.value}", st.cell) for f in section.figures]
    while len(cells) % per_row:
        cells.append(st.para("", st.cell))
    data = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    table = Table(data, colWidths=[gbt.AREA_W / per_row] * per_row)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), st.cell.fontName),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.black),
                ("INNERGRID", (0, 0), (-1, -1), 0.25, colors.grey),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [table]


TOWNSHIPS_PER_TABLE = 7


def _township_tables(st: _Styles, doc: ReportDocument) -> list[Flowable]:
    """乡镇对比: one row per figure and one column per township (a county's dozen townships do
    not fit across, nor do a template's dozen figures), several tables when they are many."""
    out: list[Flowable] = []
    rows = doc.township_rows
    for start in range(0, len(rows), TOWNSHIPS_PER_TABLE):
        part = rows[start : start + TOWNSHIPS_PER_TABLE]
        head = ("指标", *(name for name, _ in part))
        body = tuple(
            (c.label, *(values[i] for _, values in part)) for i, c in enumerate(doc.columns)
        )
        data = [[st.para(h, st.cell_head) for h in head]]
        data += [[st.para(v, st.cell) for v in row] for row in body]
        out += [
            Spacer(1, 1 * mm),
            _grid(data, column_widths(st.fonts, head, body), st.cell.fontName),
        ]
    return out


def _story(st: _Styles, doc: ReportDocument) -> list[Flowable]:
    out: list[Flowable] = [
        st.para(doc.title, st.title),
        st.para(f"（{doc.period_label}）", st.sub),
        st.para(f"填报单位：{doc.issuer}　　{doc.cutoff_text}", st.sub),
        Spacer(1, 2 * mm),
    ]
    if doc.zero_report:
        out.append(st.para(doc.zero_report, st.head))
    font = st.fonts.role_fonts["fangsong"]
    for section in doc.sections:
        block: list[Flowable] = [st.para(section.title, st.head), *_figures(st, section)]
        block += [st.para(p, st.text) for p in section.paragraphs]
        out.append(KeepTogether(block))
        for table in section.tables:
            out += [Spacer(1, 1.5 * mm), *_table(st, table)]
        for chart in section.charts:
            out += [Spacer(1, 2 * mm), draw_chart(chart, font, gbt.AREA_W, CHART_H)]
    if doc.township_rows:
        out += [st.para("乡镇对比", st.head), *_township_tables(st, doc)]
    if doc.township_chart is not None:
        out += [Spacer(1, 2 * mm), draw_chart(doc.township_chart, font, gbt.AREA_W, CHART_H)]
    if doc.signatures:
        sig = "　　　　".join(f"{s}＿＿＿＿" for s in doc.signatures)
        out += [Spacer(1, 4 * mm), st.para(sig, st.text)]
    out.append(Spacer(1, 2 * mm))
    out += [st.para(n, st.note) for n in doc.footnotes]
    return out


def render_report_pdf(doc: ReportDocument, config: FontConfig | None = None) -> bytes:
    """The report as PDF bytes (deterministic for the same document and fonts)."""
    fonts = resolve(config)
    st = _Styles(fonts)
    buf = io.BytesIO()
    bottom = 20 * mm
    frame = Frame(gbt.LEFT, bottom, gbt.AREA_W, gbt.PAGE_H - TOP - bottom, 0, 0, 0, 0)

    def page_no(canv: object, template: BaseDocTemplate) -> None:
        gbt.draw_text(
            canv, fonts, gbt.PAGE_W / 2, 12 * mm, f"— {template.page} —", "song", 10, "centre"
        )

    with _LOCK:
        template = BaseDocTemplate(
            buf,
            pagesize=(gbt.PAGE_W, gbt.PAGE_H),
            invariant=1,
            pageTemplates=[PageTemplate("p", [frame], onPage=page_no)],
            title=f"{doc.title}（{doc.period_label}）",
            author=doc.issuer,
            creator="综治中心工作台",
            initialFontName=fonts.role_fonts["fangsong"],
        )
        template.build(_story(st, doc))
    return buf.getvalue()
