"""Slip PDFs (文书) with reportlab: table-form slips, notices and GB/T 9704 letters.

``render_slip(document, options) -> RenderedPdf`` is what the slip service is given. Output is
deterministic (reportlab invariant mode), so a snapshot re-renders to the same bytes and hash.
"""

from __future__ import annotations

import functools
import hashlib
import io
import itertools
import threading
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as paragraph_module

from reports import slip_layout as gbt
from reports.fonts import FontConfig, FontSet, resolve
from services.slips.dto import MissingGlyphsError, RenderedPdf, RenderOptions, SlipDocument

_RENDER_LOCK = threading.Lock()  # reportlab keeps per-document font state on shared fonts
QR_SIZE = 22 * mm
LABEL_W = 36 * mm
PAD = 5  # table cell padding, pt

# WORKAROUND: reportlab's CJK line breaker knows the Japanese punctuation that may not start a
# line, but not the full-width Chinese ，；：！？》” (reportlab/lib/textsplit.py). Such a mark
# now hangs at the end of the line instead of starting the next; paragraphs keep one character
# of right indent, so a hanging mark still ends inside the type area.
_CHINESE_CANNOT_START = "，；：！？》”’…"
paragraph_module.ALL_CANNOT_START += _CHINESE_CANNOT_START  # multi-fragment paragraphs
textsplit.ALL_CANNOT_START += _CHINESE_CANNOT_START  # single-fragment paragraphs


@functools.lru_cache(maxsize=256)
def qr_runs(value: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """QR modules of ``value`` as (module count, dark runs (row, first column, length)).

    The matrix comes from reportlab's QR widget; drawing its ~600 rectangles as one path instead
    of a shape tree is 10× faster, and case codes repeat, so the matrix is cached.
    """
    widget = QrCodeWidget(value, barBorder=0)
    widget.qr.make()
    runs = []
    for r, row in enumerate(widget.qr.modules):
        c = 0
        for dark, group in itertools.groupby(bool(m) for m in row):
            n = len(list(group))
            if dark:
                runs.append((r, c, n))
            c += n
    return int(widget.qr.getModuleCount()), tuple(runs)


class _Qr(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """QR code of the case code (一案一码), drawn at a fixed size (no bounds computation)."""

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value, self.size = value, size

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count, runs = qr_runs(self.value)
        box = self.size / count
        path = self.canv.beginPath()
        for r, c, n in runs:
            path.rect(c * box, self.size - (r + 1) * box, n * box, box)
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


class _Band(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Colour band of a graded slip (红色/橙色/黄色), full type-area width."""

    def __init__(self, fonts: FontSet, label: str, colour: str) -> None:
        super().__init__()
        self.fonts, self.label, self.colour = fonts, label, colour

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self.width = avail_w
        return avail_w, 10 * mm

    def draw(self) -> None:
        self.canv.setFillColor(colors.HexColor(self.colour))
        self.canv.rect(0, 0, self.width, 10 * mm, stroke=0, fill=1)
        self.canv.setFillColor(colors.white)
        gbt.draw_text(
            self.canv, self.fonts, self.width / 2, 3 * mm, self.label, "hei", 16, "centre"
        )


class _CutLine(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Dashed cut line with the tear-off part's name (回执联，沿线剪下)."""

    def __init__(self, fonts: FontSet, label: str) -> None:
        super().__init__()
        self.fonts, self.label = fonts, f"{label}（沿此线剪下）"

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self.width = avail_w
        return avail_w, 8 * mm

    def draw(self) -> None:
        text_w = gbt.text_width(self.fonts, self.label, "hei", 12) + 6 * mm
        y = 4 * mm
        self.canv.setDash(4, 3)
        self.canv.setLineWidth(0.7)
        self.canv.line(0, y, (self.width - text_w) / 2, y)
        self.canv.line((self.width + text_w) / 2, y, self.width, y)
        gbt.draw_text(self.canv, self.fonts, self.width / 2, y - 1.5 * mm, self.label, "hei", 12,
                    "centre")  # fmt: skip


class _AtBottom(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Flowables pinned to the bottom of the frame (the tear-off 回执 at the foot of the page).

    It takes the rest of the frame when its content fits there; otherwise it asks for its own
    height, so platypus moves it to the next page, where it sits at the foot again.
    """

    def __init__(self, content: list[Flowable]) -> None:
        super().__init__()
        self.content = content
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self._sizes = [f.wrap(avail_w, avail_h) for f in self.content]
        self.need = sum(h for _, h in self._sizes)
        self.width = avail_w
        self.height = max(self.need, avail_h - 0.01)
        return avail_w, self.height

    def split(self, avail_w: float, avail_h: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        y = self.need
        for flowable, (_, h) in zip(self.content, self._sizes, strict=True):
            y -= h
            flowable.drawOn(self.canv, 0, y)


class _Builder:
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
                                   leading=gbt.TABLE_PT * 1.3, rightIndent=gbt.TABLE_PT - PAD,
                                   wordWrap="CJK")  # fmt: skip
        self.meta_l = ParagraphStyle("meta", parent=self.cell, rightIndent=0)
        self.meta_r = ParagraphStyle("meta_r", parent=self.meta_l, alignment=TA_RIGHT)
        self.label = ParagraphStyle("label", parent=self.cell, fontName=f["hei"],
                                    alignment=TA_CENTER, rightIndent=0)  # fmt: skip
        self.note = ParagraphStyle("note", parent=self.cell, firstLineIndent=2 * gbt.TABLE_PT,
                                   rightIndent=gbt.TABLE_PT)  # fmt: skip
        self.right = ParagraphStyle("right", parent=self.plain, alignment=TA_RIGHT,
                                    rightIndent=4 * gbt.BODY_PT)  # fmt: skip

    def para(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(gbt.markup(self.fonts, text, _role(self.fonts, style)), style)

    def header(self) -> list[Flowable]:
        doc, out = self.doc, []
        if doc.grade_colour:
            out += [_Band(self.fonts, doc.grade_label, doc.grade_colour), Spacer(1, 3 * mm)]
        if doc.layout == "form":
            out.append(self.para(doc.issuer, self.issuer))
        out += [self.para(doc.title, self.title), Spacer(1, 2 * mm), self.meta()]
        return out

    def meta(self) -> Flowable:
        """Number and case code beside the QR code of the case code (一案一码).

        Letters put the number at the right edge of the type area (GB/T 9704 信函格式: 发文字号
        顶格居版心右边缘) and the QR code on the left; slips the other way round.
        """
        doc = self.doc
        lines = [f"编号：{doc.number}"] if doc.number else []
        if doc.case_code:
            lines.append(f"案件编号：{doc.case_code}")
        letter = doc.layout == "letter"
        text = [self.para(t, self.meta_r if letter else self.meta_l) for t in lines]
        qr: Flowable = _Qr(doc.case_code, QR_SIZE) if doc.qr and doc.case_code else Spacer(1, 1)
        row, widths = [text, qr], [gbt.AREA_W - QR_SIZE, QR_SIZE]
        if letter:
            row, widths = row[::-1], widths[::-1]
        table = Table([row], colWidths=widths)
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                   ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))  # fmt: skip
        return table

    def _grid(self, table: Table) -> Table:
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                                   ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), PAD),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
                                   ("TOPPADDING", (0, 0), (-1, -1), 3),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))  # fmt: skip
        return table

    def rows_table(self, rows: list[tuple[str, str]]) -> Table:
        data = [[self.para(a, self.label), self.para(b, self.cell)] for a, b in rows]
        return self._grid(Table(data, colWidths=[LABEL_W, gbt.AREA_W - LABEL_W]))

    def signature(self, form: bool) -> list[Flowable]:
        """签发人 on the left, the issuer centred over the date (成文日期右空四字) on the right."""
        doc = self.doc
        size = gbt.TABLE_PT if form else gbt.BODY_PT
        style = ParagraphStyle("sign", parent=self.plain, fontSize=size, leading=size * 1.6,
                               rightIndent=0, alignment=TA_CENTER)  # fmt: skip
        issuer = doc.issuer + ("（盖章）" if form else "")
        date_w = gbt.text_width(self.fonts, doc.date_text, "fangsong", size)
        issuer_w = gbt.text_width(self.fonts, issuer, "fangsong", size)
        # a cell centred on the date, which ends four characters from the right edge
        block_w = min(gbt.AREA_W * 0.6, max(8 * size + date_w, issuer_w))
        right = [Spacer(1, 0 if form else gbt.BODY_LEADING), self.para(issuer, style),
                 self.para(doc.date_text, style)]  # fmt: skip
        left = [self.para(f"{s.label}：{s.value}", ParagraphStyle("sign_l", parent=style,
                                                                  alignment=TA_LEFT))
                for s in doc.signature]  # fmt: skip
        table = Table([[left, right]], colWidths=[gbt.AREA_W - block_w, block_w])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                   ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
        return [Spacer(1, 3 * mm if form else gbt.BODY_LEADING), table]

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
        head.setStyle(
            TableStyle(
                [
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                ]
            )
        )
        return [_AtBottom([_CutLine(self.fonts, doc.stub_title), Spacer(1, 2 * mm), head,
                           Spacer(1, 2 * mm), self.blank_table(doc.stub_rows)])]  # fmt: skip

    def blank_table(self, labels: tuple[str, ...]) -> Table:
        """Labels with blank cells to fill by hand, two to a row (签收单位 ____ 签收人 ____)."""
        cells = [self.para(label, self.label) for label in labels]
        if len(cells) % 2:
            cells.append(self.para("", self.label))
        data = [[cells[i], "", cells[i + 1], ""] for i in range(0, len(cells), 2)]
        return self._grid(Table(data, colWidths=[LABEL_W, gbt.AREA_W / 2 - LABEL_W] * 2,
                                rowHeights=[10 * mm] * len(data)))  # fmt: skip

    def form(self) -> list[Flowable]:
        doc = self.doc
        out = self.header() + [Spacer(1, 2 * mm)]
        if doc.rows:
            out.append(self.rows_table([(r.label, r.value) for r in doc.rows]))
        out += [Spacer(1, 3 * mm)] + [self.para(n, self.note) for n in doc.notes]
        out += self.signature(form=True)
        return out + self.stub()

    def prose(self) -> list[Flowable]:
        doc = self.doc
        out = self.header() + [Spacer(1, gbt.BODY_LEADING / 2)]
        if doc.addressee:
            out.append(self.para(f"{doc.addressee}：", self.plain))
        out += [self.para(p, self.body) for p in doc.paragraphs]
        out += [self.para(n, self.note) for n in doc.notes]
        return out + self.signature(form=False) + self.stub()


def _role(fonts: FontSet, style: ParagraphStyle) -> str:
    name = str(style.fontName)
    return next((r for r, f in fonts.role_fonts.items() if f == name), "fangsong")


class SlipPdfRenderer:
    """Renders slip snapshots to PDF bytes with one font configuration.

    Args:
        config: where fonts come from (default: system fonts, then the bundled one).
    """

    def __init__(self, config: FontConfig | None = None) -> None:
        self.config = config or FontConfig()

    def fonts(self) -> FontSet:
        return resolve(self.config)

    def missing_glyphs(self, doc: SlipDocument, options: RenderOptions) -> tuple[str, ...]:
        texts = (*doc.texts(), options.watermark, options.reprint_note, options.void_note)
        return self.fonts().missing(texts)

    def __call__(self, doc: SlipDocument, options: RenderOptions) -> RenderedPdf:
        fonts = self.fonts()
        missing = self.missing_glyphs(doc, options)
        if missing and not options.allow_missing_glyphs:
            raise MissingGlyphsError(missing)
        builder = _Builder(fonts, doc)
        story = builder.form() if doc.layout == "form" else builder.prose()
        marks = gbt.PageMarks(letter=doc.layout == "letter", watermark=options.watermark,
                            reprint_note=options.reprint_note, void_note=options.void_note,
                            draft=options.draft)  # fmt: skip
        buf = io.BytesIO()
        with _RENDER_LOCK:
            template = _document(buf, doc, fonts)
            canvasmaker = gbt.numbered_canvas(fonts, marks)
            template.build(story, canvasmaker=canvasmaker)
            pages = int(getattr(template.canv, "pages_rendered", 1))
        pdf = buf.getvalue()
        return RenderedPdf(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), pages=pages,
                           warnings=tuple(fonts.warnings), missing_glyphs=missing)  # fmt: skip


def _document(buf: io.BytesIO, doc: SlipDocument, fonts: FontSet) -> BaseDocTemplate:
    area = Frame(gbt.LEFT, gbt.BOTTOM, gbt.AREA_W, gbt.AREA_H, 0, 0, 0, 0, id="area")
    templates = [PageTemplate("area", [area])]
    if doc.layout == "letter":
        height = gbt.LETTER_FRAME_TOP - gbt.BOTTOM
        first = Frame(gbt.LEFT, gbt.BOTTOM, gbt.AREA_W, height, 0, 0, 0, 0, id="first")

        def head(canv: Any, _doc: Any) -> None:
            gbt.letter_head(canv, fonts, doc.issuer)

        templates.insert(
            0, PageTemplate("letter", [first], onPage=head, autoNextPageTemplate="area")
        )
    template = BaseDocTemplate(
        buf, pagesize=(gbt.PAGE_W, gbt.PAGE_H), pageTemplates=templates, invariant=1,
        initialFontName=fonts.role_fonts["fangsong"], initialFontSize=gbt.BODY_PT,
        title=f"{doc.title} {doc.number}".strip(), author=doc.issuer, creator="综治中心工作台",
        subject=doc.case_code, leftMargin=gbt.LEFT, rightMargin=gbt.PAGE_W - gbt.RIGHT_X,
        topMargin=gbt.TOP, bottomMargin=gbt.BOTTOM,
    )  # fmt: skip
    return template


_default = SlipPdfRenderer()


def render_slip(doc: SlipDocument, options: RenderOptions) -> RenderedPdf:
    """Render with the process-wide font configuration (see :func:`configure`)."""
    return _default(doc, options)


def configure(config: FontConfig) -> None:
    """Set the process-wide font configuration (from the settings screen)."""
    global _default
    _default = SlipPdfRenderer(config)
