"""The story (flowables) of one slip: header, rows or paragraphs, signature block, stub, 版记.

Long text splits across pages (a table row continues on the next page with “（续）”); the
signature block travels with the last lines of the text before it, never alone on a page
(GB/T 9704-2012 §7.3.5); the signature block leaves room for a 42 mm seal.
"""

from __future__ import annotations

import functools
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from reports import slip_layout as gbt
from reports.fonts import FontSet
from reports.slip_closing import closing, signing_page_mark
from reports.slip_flowables import (
    SEAL_MM,
    AtBottom,
    Band,
    Bold,
    CutLine,
    KeepTail,
    Qr,
    RowsTable,
    flattened,
)
from reports.slip_rows import chunks, pieces
from services.slips.dto import SlipDocument

QR_SIZE = 22 * mm  # symbol plus its 4-module quiet zone
LABEL_W = 38.5 * mm  # seven 4号 characters
PAD = 5  # table cell padding, pt
KEEP_LINES = 2  # lines of text kept with the signature block
SIGN_GAP = 12 * mm  # between signature lines: room to sign and press a fingerprint
SIGN_SPACE = 32 * mm  # the line signed on, at least
NAME_CHARS = 7  # a printed name's cell on a line to sign, in 4号 characters
NAME_SIZES = (gbt.TABLE_PT, 12, 10.5)  # 4号, 小4号, 5号: a long name is set smaller
LINE = 0.6  # table rules, pt
RULE_THICK, RULE_THIN = 0.35 * mm, 0.25 * mm  # 版记 rules (GB/T 9704 §7.4.1)


_BARE = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
         ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
         ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]  # fmt: skip


def band_pattern(colour: str) -> str:
    """Solid for dark grades (红), hatched for middle (橙), framed for light ones (黄)."""
    c = colors.HexColor(colour)
    grey = 0.299 * c.red + 0.587 * c.green + 0.114 * c.blue
    return "solid" if grey < 0.4 else "hatch" if grey < 0.55 else "frame"


def tail_split(
    para: Paragraph, width: float, keep: int = KEEP_LINES
) -> tuple[Flowable | None, Flowable]:
    """Split a paragraph into (head, last ``keep`` lines); head is None for a short one."""
    para.wrap(width, 1e9)
    lines = len(para.blPara.lines)
    if lines <= keep + 1:
        return None, para
    leading = para.style.leading
    parts = para.split(width, (lines - keep) * leading + leading * 0.25)
    if len(parts) != 2:
        return None, para
    return parts[0], parts[1]


class Builder:
    """Turns one snapshot into flowables with the resolved fonts."""

    def __init__(self, fonts: FontSet, doc: SlipDocument) -> None:
        self.fonts, self.doc = fonts, doc
        f = fonts.role_fonts
        self.title = ParagraphStyle("title", fontName=f["xiaobiaosong"], fontSize=gbt.TITLE_PT,
                                    leading=gbt.TITLE_PT * 1.45, alignment=TA_CENTER,
                                    wordWrap="CJK")  # fmt: skip
        self.issuer = ParagraphStyle("issuer", fontName=f["hei"], fontSize=gbt.BODY_PT,
                                     leading=gbt.BODY_PT * 1.5, alignment=TA_CENTER)  # fmt: skip
        self.body = ParagraphStyle("body", fontName=f["fangsong"], fontSize=gbt.BODY_PT,
                                   leading=gbt.BODY_LEADING, firstLineIndent=2 * gbt.BODY_PT,
                                   rightIndent=gbt.BODY_PT, wordWrap="CJK",
                                   alignment=TA_LEFT)  # fmt: skip
        self.plain = ParagraphStyle("plain", parent=self.body, firstLineIndent=0)
        self.cell = ParagraphStyle("cell", fontName=f["fangsong"], fontSize=gbt.TABLE_PT,
                                   leading=gbt.TABLE_PT * 1.25, rightIndent=gbt.TABLE_PT - PAD,
                                   wordWrap="CJK")  # fmt: skip
        self.meta_l = ParagraphStyle("meta", parent=self.cell, rightIndent=0)
        self.meta_r = ParagraphStyle("meta_r", parent=self.meta_l, alignment=TA_RIGHT)
        self.label = ParagraphStyle("label", parent=self.cell, fontName=f["hei"],
                                    alignment=TA_CENTER, rightIndent=0)  # fmt: skip
        self.note = ParagraphStyle("note", parent=self.cell, firstLineIndent=2 * gbt.TABLE_PT,
                                   rightIndent=gbt.TABLE_PT)  # fmt: skip
        self.marks = ParagraphStyle("marks", parent=self.plain, fontName=f["hei"], rightIndent=0,
                                    leading=gbt.BODY_PT * 1.4)  # fmt: skip
        self.value_w = gbt.AREA_W - LABEL_W - 2 * PAD
        self.bare = TableStyle([*_BARE, ("FONTNAME", (0, 0), (-1, -1), f["fangsong"])])

    # --- paragraphs ------------------------------------------------------------------------

    def para(self, text: str, style: ParagraphStyle, width: float | None = None) -> Paragraph:
        """A paragraph; with ``width`` its codes (案件编号, 文号) are never broken mid-code."""
        role = _role(self.fonts, style)
        if width is not None:
            text = gbt.keep_codes(self.fonts, text, role, style, width)
        return Paragraph(gbt.markup(self.fonts, text, role), style)

    def label_para(self, text: str, width: float = LABEL_W - 2 * PAD) -> Paragraph:
        return self.para(gbt.balanced(self.fonts, text, "hei", self.label.fontSize, width),
                         self.label)  # fmt: skip

    # --- header ----------------------------------------------------------------------------

    def header(self) -> list[Flowable]:
        doc, out = self.doc, []
        out += self.marks_lines()
        if doc.grade_colour:
            out += [Band(self.fonts, doc.grade_label, doc.grade_colour,
                         band_pattern(doc.grade_colour)), Spacer(1, 3 * mm)]  # fmt: skip
        if doc.layout == "letter":
            # 信函格式: 发文字号 at the right edge under the red lines, above the title (§10.1)
            if doc.number:
                out += [self.para(doc.number, ParagraphStyle("no", parent=self.meta_r,
                                                             fontSize=gbt.BODY_PT,
                                                             leading=gbt.BODY_PT * 1.5)),
                        Spacer(1, gbt.BODY_LEADING / 2)]  # fmt: skip
            return out + [self.title_para()]
        return out + [self.title_block(), Spacer(1, 2 * mm), *self.meta()]

    def marks_lines(self) -> list[Flowable]:
        """份号, 密级 and 紧急程度 at the top left (GB/T 9704 §7.2: 3号, 黑体 for the marks).

        The 份号 is drawn when printed (``PageMarks.copy_number``); its place is kept free. A
        letter gives each its own line; a table-form slip puts them on one to keep its 回执.
        """
        doc = self.doc
        marks = [m for m in (doc.secrecy, doc.urgency) if m]
        number = [Spacer(1, self.marks.leading)] if doc.copy_numbered else []
        if doc.layout == "letter":
            return number + [self.para(m, self.marks) for m in marks]
        if not marks:
            return number
        indent = 4 * gbt.BODY_PT if doc.copy_numbered else 0  # beside the 份号
        style = ParagraphStyle("marks_in", parent=self.marks, leftIndent=indent)
        return [self.para("　".join(marks), style)]

    def title_para(self) -> Flowable:
        """The title in 小标宋; a regular 宋体 standing in for it is drawn bold."""
        title = self.para(self.doc.title, self.title)
        if "xiaobiaosong" in self.fonts.emboldened:
            return Bold(title, gbt.TITLE_PT)
        return title

    def _case_code_elsewhere(self) -> bool:
        code = self.doc.case_code
        return any(code in r.value for r in self.doc.rows) or any(
            code in p for p in self.doc.paragraphs
        )

    def title_block(self) -> Flowable:
        """Issuer and title, centred, with the case code's QR code at the right edge."""
        doc = self.doc
        titles = [self.para(doc.issuer, self.issuer)] if doc.layout == "form" else []
        titles.append(self.title_para())
        if not (doc.qr and doc.case_code):
            return Table([[titles]], colWidths=[gbt.AREA_W], style=self.bare)
        qr = Qr(doc.case_code, QR_SIZE)
        widths = [QR_SIZE, gbt.AREA_W - 2 * QR_SIZE, QR_SIZE]
        return Table([[Spacer(1, 1), titles, qr]], colWidths=widths, style=self.bare)

    def meta(self) -> list[Flowable]:
        """编号 (and the case code unless a row or the text prints it)."""
        doc = self.doc
        lines = [f"编号：{doc.number}"] if doc.number else []
        if doc.case_code and not self._case_code_elsewhere():
            lines.append(f"案件编号：{doc.case_code}")
        return [self.para(t, self.meta_l, gbt.AREA_W) for t in lines]

    # --- tables ------------------------------------------------------------------------------

    def _style(self, table: Table, open_top: bool = False, open_bottom: bool = False,
               starts: list[int] | None = None) -> Table:  # fmt: skip
        """Grid lines; an open edge continues the cell of the neighbouring table; ``starts``:
        the rows that begin a field (the others continue the cell above, without a rule)."""
        rows = len(table._cellvalues)
        cmds = [("LINEBEFORE", (0, 0), (-1, -1), LINE, colors.black),
                ("LINEAFTER", (-1, 0), (-1, -1), LINE, colors.black),
                ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("VALIGN", (1, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5)]  # fmt: skip
        for row in range(rows) if starts is None else starts:
            if row or not open_top:
                cmds.append(("LINEABOVE", (0, row), (-1, row), LINE, colors.black))
        if not open_bottom:
            cmds.append(("LINEBELOW", (0, -1), (-1, -1), LINE, colors.black))
        table.setStyle(TableStyle(cmds))
        return table

    def _continued(self, label: Paragraph) -> Paragraph:
        return self.label_para(label.getPlainText() + "（续）")

    def _field_rows(self, label: Flowable, paras: list[Paragraph]) -> list[list[Any]]:
        """One field as table rows of a few lines each (the label on the first)."""
        cells = chunks(pieces(paras, self.value_w))
        return [[label if i == 0 else "", cell] for i, cell in enumerate(cells)]

    def rows_table(self) -> RowsTable | None:
        """The rows table (None without rows)."""
        if not self.doc.rows:
            return None
        data: list[list[Any]] = []
        starts: list[int] = []
        for r in self.doc.rows:
            starts.append(len(data))
            paras = [self.para(part, self.cell, self.value_w) for part in r.value.split("\n")]
            data += self._field_rows(self.label_para(r.label), paras)
        widths = [LABEL_W, gbt.AREA_W - LABEL_W]

        def restyle(table: Table, rows: list[int]) -> Table:
            return self._style(table, starts=rows)

        table = RowsTable(data, self._continued, starts, restyle, colWidths=widths)
        restyle(table, starts)
        return table

    def blank_table(self, labels: tuple[str, ...]) -> Table:
        """Labels with blank cells to fill by hand, two to a row (签收单位 ____ 签收人 ____).

        A row is at least 10 mm high and grows with a label that wraps.
        """
        cells = [self.label_para(label) for label in labels]
        if len(cells) % 2:
            cells.append(self.para("", self.label))
        room = Spacer(1, 10 * mm - 7)
        data = [[cells[i], room, cells[i + 1], room] for i in range(0, len(cells), 2)]
        table = Table(data, colWidths=[LABEL_W, gbt.AREA_W / 2 - LABEL_W] * 2)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), LINE, colors.black),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                                   ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))  # fmt: skip
        return table

    # --- signature, stub, 版记 -----------------------------------------------------------------

    def signature(self, form: bool) -> list[Flowable]:
        """签发人 on the left; the issuer centred over the date (右空四字) on the right, in the
        lower half of a 42 mm square left free for the seal (印章 下压署名和成文日期)."""
        doc = self.doc
        size = gbt.TABLE_PT if form else gbt.BODY_PT
        style = ParagraphStyle("sign", parent=self.plain, fontSize=size, leading=size * 1.6,
                               rightIndent=0, firstLineIndent=0, alignment=TA_CENTER)  # fmt: skip
        issuer = doc.issuer + ("（盖章）" if form else "")
        date_w = gbt.text_width(self.fonts, doc.date_text, "fangsong", size)
        issuer_w = gbt.text_width(self.fonts, issuer, "fangsong", size)
        block_w = min(gbt.AREA_W * 0.6, max(8 * size + date_w, issuer_w, SEAL_MM * mm))
        seal = SEAL_MM * mm
        lines_h = 2 * size * 1.6
        above = seal / 2 - lines_h / 2 + 2 * mm  # the seal's centre sits just above the lines
        right = [Spacer(1, above), self.para(issuer, style), self.para(doc.date_text, style),
                 Spacer(1, seal - above - lines_h)]  # fmt: skip
        left_style = ParagraphStyle("sign_l", parent=style, alignment=TA_LEFT)
        left = [self.para(f"{s.label}：{s.value}", left_style) for s in doc.signature]
        table = Table([[left, right]], colWidths=[gbt.AREA_W - block_w, block_w])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (0, 0), "MIDDLE"),
                                   ("VALIGN", (1, 0), (1, 0), "TOP"),
                                   ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
        return [Spacer(1, 2 * mm), table]

    def sign_lines(self) -> list[list[Flowable]]:
        """One row per person signing by hand: 当事人（甲方）, the name, （签名盖章或按指印） and a
        line to sign on; rows at least 12 mm apart (room to sign and press a finger). Columns
        line up from row to row; a long name is set smaller, then wrapped, in its own cell."""
        lines = self.doc.sign_lines
        if not lines:
            return []
        size = gbt.TABLE_PT
        width = functools.partial(gbt.text_width, self.fonts, role="fangsong", size=size)
        label_w = max(width(ln.label) for ln in lines) + 1
        hint_w = max(width(ln.hint) for ln in lines) + 1
        names = [width(ln.name) for ln in lines]
        name_w = min(max([4 * size, *names]) + 2 * PAD, NAME_CHARS * size + 2 * PAD,
                     gbt.AREA_W - label_w - hint_w - SIGN_SPACE)  # fmt: skip
        widths = [label_w, name_w, hint_w, gbt.AREA_W - label_w - name_w - hint_w]
        style = ParagraphStyle("sign_line", parent=self.cell, rightIndent=0, spaceBefore=0)
        hint = ParagraphStyle("sign_hint", parent=style, alignment=TA_RIGHT)
        out = []
        for line in lines:
            name = self.name_para(line.name, name_w - 2 * PAD)
            cells = [self.para(line.label, style), name, self.para(line.hint, hint),
                     Spacer(1, SIGN_GAP)]  # fmt: skip
            table = Table([cells], colWidths=widths)
            table.setStyle(
                TableStyle(
                    [
                        *_BARE,
                        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                        ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                        ("BOTTOMPADDING", (0, 0), (2, 0), 2),
                        ("LEFTPADDING", (1, 0), (1, 0), PAD),
                        ("RIGHTPADDING", (1, 0), (1, 0), PAD),
                        (
                            "BOTTOMPADDING",
                            (1, 0),
                            (1, 0),
                            2 + self._baseline_lift(name.style.fontSize),
                        ),
                        ("LINEBELOW", (3, 0), (3, 0), LINE, colors.black),
                    ]
                )
            )
            out.append([table])
        return out

    def _baseline_lift(self, size: float) -> float:
        """How much higher a smaller name sits so its last line shares the label's baseline
        (a paragraph's last baseline is ``leading - ascent`` above its foot)."""
        face = pdfmetrics.getFont(self.cell.fontName).face
        ascent = face.ascent / 1000
        return float((gbt.TABLE_PT - size) * (1.25 - ascent))

    def name_para(self, name: str, width: float) -> Paragraph:
        """A printed name on one line in 4号, 小4号 or 5号, else wrapped in 5号 within ``width``."""
        for size in NAME_SIZES:
            if gbt.text_width(self.fonts, name, "fangsong", size) <= width:
                break
        style = ParagraphStyle(f"name_{size}", parent=self.cell, fontSize=size,
                               leading=size * 1.25, rightIndent=0)  # fmt: skip
        return self.para(name, style, width)

    def stub(self) -> list[Flowable]:
        doc = self.doc
        if not doc.stub_title:
            return []
        number = f"编号：{doc.number}"
        left_w = min(
            gbt.AREA_W / 2, gbt.text_width(self.fonts, number, "fangsong", gbt.TABLE_PT) + 4
        )
        head = Table([[self.para(number, self.meta_l),
                       self.para(f"案件编号：{doc.case_code}", self.meta_r)]],
                     colWidths=[left_w, gbt.AREA_W - left_w])  # fmt: skip
        head.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                  ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName)]))  # fmt: skip
        return [AtBottom([CutLine(self.fonts, doc.stub_title), Spacer(1, 2 * mm), head,
                          Spacer(1, 2 * mm), self.blank_table(doc.stub_rows)])]  # fmt: skip

    def colophon(self) -> list[Flowable]:
        """版记 of a letter at the foot of its last page: the case code's QR code, then the
        印发机关 and 印发日期 between a thick rule above and below (GB/T 9704 §7.4)."""
        doc = self.doc
        if not (doc.qr and doc.case_code):
            return []
        style = ParagraphStyle("colophon", parent=self.cell, rightIndent=0)
        right = ParagraphStyle("colophon_r", parent=style, alignment=TA_RIGHT)
        qr = Qr(doc.case_code, 20 * mm)
        code = self.para(f"案件编号：{doc.case_code}\n扫描二维码可查询办理进度", style)
        issued = [self.para(f"　{doc.issuer}", style), self.para(f"{doc.date_text}印发　", right)]
        width = gbt.AREA_W
        table = Table(
            [[qr, code, Spacer(1, 1)], [Spacer(1, 1), issued[0], issued[1]]],
            colWidths=[20 * mm + 2 * mm, (width - 22 * mm) / 2, (width - 22 * mm) / 2],
        )
        table.setStyle(
            TableStyle(
                [
                    ("SPAN", (1, 0), (2, 0)),
                    ("SPAN", (0, 0), (0, 1)),
                    ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("LINEABOVE", (0, 0), (-1, 0), RULE_THICK, colors.black),
                    ("LINEABOVE", (1, 1), (-1, 1), RULE_THIN, colors.black),
                    ("LINEBELOW", (0, -1), (-1, -1), RULE_THICK, colors.black),
                ]
            )
        )
        return [AtBottom([table])]

    def copy_colophon(self) -> list[Flowable]:
        """版记 with 抄送 at the foot of the last page (GB/T 9704 §7.4): 抄送 in 4号仿宋, 左右各空
        一字, a wrapped line aligned under the first character after the colon, between a thick
        rule above and a thin one below; then 印发机关 (左空一字) and 印发日期 (右空一字) above a
        thick rule, the rules as wide as the 版心."""
        doc = self.doc
        size = gbt.TABLE_PT
        head = "抄送："
        head_w = gbt.text_width(self.fonts, head, "fangsong", size)
        copy = ParagraphStyle("copy_to", parent=self.cell, fontSize=size, leading=size * 1.5,
                              leftIndent=size + head_w, firstLineIndent=-head_w,
                              rightIndent=size)  # fmt: skip
        left = ParagraphStyle("issued_l", parent=copy, leftIndent=size, firstLineIndent=0)
        right = ParagraphStyle("issued_r", parent=left, leftIndent=0, alignment=TA_RIGHT)
        text = doc.copy_to.rstrip("。") + "。"
        rows = [
            [self.para(f"{head}{text}", copy, gbt.AREA_W), ""],
            [self.para(doc.issuer, left), self.para(f"{doc.date_text}印发　", right)],
        ]
        table = Table(rows, colWidths=[gbt.AREA_W / 2] * 2)
        table.setStyle(TableStyle([("SPAN", (0, 0), (1, 0)),
                                   ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 2),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                                   ("LINEABOVE", (0, 0), (-1, 0), RULE_THICK, colors.black),
                                   ("LINEABOVE", (0, 1), (-1, 1), RULE_THIN, colors.black),
                                   ("LINEBELOW", (0, -1), (-1, -1), RULE_THICK,
                                    colors.black)]))  # fmt: skip
        return [AtBottom([table])]

    # --- stories -----------------------------------------------------------------------------

    def _closing(self, tail: list[Flowable], notes_style: ParagraphStyle, form: bool,
                 reserve: float = 0.0) -> list[Flowable]:  # fmt: skip
        """The tail of the text, notes, lines to sign and the signature block, kept together
        (or on 签署页 when the lines to sign cannot share a page with the text)."""
        doc = self.doc
        notes = [self.para(n, notes_style, _width(notes_style)) for n in doc.notes]
        gap = [Spacer(1, 3 * mm)] if form and (notes or doc.sign_lines) else []
        return closing(tail + gap + notes, self.sign_lines(), self.signature(form),
                       lambda text: self.para(text, notes_style, gbt.AREA_W),
                       self.signing_mark, reserve)  # fmt: skip

    def signing_mark(self) -> Paragraph:
        """（本页无正文，为…签署页） on one line: set smaller when the number is long."""
        return self.name_para(signing_page_mark(self.doc.number, self.doc.title), gbt.AREA_W)

    def _end(self, table: Flowable | None, tail: list[Flowable], pinned: list[Flowable],
             form: bool) -> list[Flowable]:  # fmt: skip
        """The closing kept with the last lines of ``table`` (or ``tail``), and the 回执 or
        版记 ``pinned`` (AtBottom flowables) at the foot of the page carrying it."""
        tail_h = KEEP_LINES * self.cell.leading + 2 + 3.5 + 1
        end = self._closing(tail, self.note, form=form, reserve=tail_h if table else 0.0)
        content = [f for pin in pinned for f in flattened(pin)]
        if len(end) == 1:
            return [KeepTail(table, end, content, tail_h)]
        return [KeepTail(table, end[:1], [], tail_h), *end[1:], *pinned]

    def form(self) -> list[Flowable]:
        out = self.header() + [Spacer(1, 2 * mm)]
        return out + self._end(self.rows_table(), [], self.stub(), form=True)

    def prose(self) -> list[Flowable]:
        doc = self.doc
        out = self.header() + [Spacer(1, gbt.BODY_LEADING / 2)]
        if doc.addressee:
            out.append(self.para(f"{doc.addressee}：", self.plain, _width(self.plain)))
        paras = [self.para(p, self.body, _width(self.body)) for p in doc.paragraphs]
        tail: list[Flowable] = []
        if paras:
            head, last = tail_split(paras[-1], _width(self.body))
            out += paras[:-1] + ([head] if head is not None else [])
            tail = [last]
        if doc.copy_to:
            pinned = self.copy_colophon()
        else:
            pinned = self.colophon() if doc.layout == "letter" else self.stub()
        return out + self._end(None, tail, pinned, form=False)


def _width(style: ParagraphStyle) -> float:
    return float(gbt.AREA_W)


def _role(fonts: FontSet, style: ParagraphStyle) -> str:
    name = str(style.fontName)
    return next((r for r, f in fonts.role_fonts.items() if f == name), "fangsong")
