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
from reportlab.lib import colors
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

from reports import slip_layout as L
from reports.fonts import FontConfig, FontSet, resolve
from services.slip_dto import MissingGlyphsError, RenderedPdf, RenderOptions, SlipDocument

_RENDER_LOCK = threading.Lock()  # reportlab keeps per-document font state on shared fonts
QR_SIZE = 24 * mm


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


class _Qr(Flowable):
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


class _Band(Flowable):
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
        L.draw_text(self.canv, self.fonts, self.width / 2, 3 * mm, self.label, "hei", 16, "centre")


class _CutLine(Flowable):
    """Dashed cut line with the tear-off part's name (回执联，沿线剪下)."""

    def __init__(self, fonts: FontSet, label: str) -> None:
        super().__init__()
        self.fonts, self.label = fonts, f"{label}（沿此线剪下）"

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self.width = avail_w
        return avail_w, 8 * mm

    def draw(self) -> None:
        text_w = L.text_width(self.fonts, self.label, "hei", 12) + 6 * mm
        y = 4 * mm
        self.canv.setDash(4, 3)
        self.canv.setLineWidth(0.7)
        self.canv.line(0, y, (self.width - text_w) / 2, y)
        self.canv.line((self.width + text_w) / 2, y, self.width, y)
        L.draw_text(self.canv, self.fonts, self.width / 2, y - 1.5 * mm, self.label, "hei", 12,
                    "centre")  # fmt: skip


class _AtBottom(Flowable):
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
        self.title = ParagraphStyle("title", fontName=f["xiaobiaosong"], fontSize=L.TITLE_PT,
                                    leading=L.TITLE_PT * 1.45, alignment=TA_CENTER,
                                    wordWrap="CJK")  # fmt: skip
        self.issuer = ParagraphStyle("issuer", fontName=f["hei"], fontSize=L.BODY_PT,
                                     leading=L.BODY_PT * 1.5, alignment=TA_CENTER)  # fmt: skip
        self.body = ParagraphStyle("body", fontName=f["fangsong"], fontSize=L.BODY_PT,
                                   leading=L.BODY_LEADING, firstLineIndent=2 * L.BODY_PT,
                                   wordWrap="CJK", alignment=TA_LEFT)  # fmt: skip
        self.plain = ParagraphStyle("plain", parent=self.body, firstLineIndent=0)
        self.cell = ParagraphStyle("cell", fontName=f["fangsong"], fontSize=L.TABLE_PT,
                                   leading=L.TABLE_PT * 1.4, wordWrap="CJK")  # fmt: skip
        self.label = ParagraphStyle("label", parent=self.cell, fontName=f["hei"],
                                    alignment=TA_CENTER)  # fmt: skip
        self.note = ParagraphStyle("note", parent=self.cell, firstLineIndent=2 * L.TABLE_PT)
        self.right = ParagraphStyle("right", parent=self.plain, alignment=TA_RIGHT,
                                    rightIndent=4 * L.BODY_PT)  # fmt: skip

    def para(self, text: str, style: ParagraphStyle) -> Paragraph:
        return Paragraph(L.markup(self.fonts, text, _role(self.fonts, style)), style)

    def header(self) -> list[Flowable]:
        doc, out = self.doc, []
        if doc.grade_colour:
            out += [_Band(self.fonts, doc.grade_label, doc.grade_colour), Spacer(1, 3 * mm)]
        if doc.layout == "form":
            out.append(self.para(doc.issuer, self.issuer))
        out += [self.para(doc.title, self.title), Spacer(1, 2 * mm), self.meta()]
        return out

    def meta(self) -> Flowable:
        """Number, case code and date on the left; the QR code of the case code on the right."""
        doc = self.doc
        lines = [f"编号：{doc.number}"] if doc.number else []
        if doc.case_code:
            lines.append(f"案件编号：{doc.case_code}")
        if doc.layout == "form" and doc.date_text:
            lines.append(f"签发日期：{doc.date_text}")
        left = [self.para(t, self.cell) for t in lines]
        right: Flowable = _Qr(doc.case_code, QR_SIZE) if doc.qr and doc.case_code else Spacer(1, 1)
        table = Table([[left, right]], colWidths=[L.AREA_W - QR_SIZE, QR_SIZE])
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                   ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))  # fmt: skip
        return table

    def rows_table(self, rows: list[tuple[str, str]]) -> Table:
        data = [[self.para(a, self.label), self.para(b, self.cell)] for a, b in rows]
        table = Table(data, colWidths=[32 * mm, L.AREA_W - 32 * mm])
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                                   ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 4),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))  # fmt: skip
        return table

    def signature(self, form: bool) -> list[Flowable]:
        """签发人, then the issuer centred over the date (成文日期右空四字), room for the seal."""
        doc = self.doc
        size = L.TABLE_PT if form else L.BODY_PT
        style = ParagraphStyle("sign", parent=self.right, fontSize=size, leading=size * 1.6,
                               rightIndent=4 * size)  # fmt: skip
        out: list[Flowable] = [Spacer(1, 3 * mm if form else L.BODY_LEADING)]
        for line in doc.signature:
            out.append(self.para(f"{line.label}：{line.value}", style))
        date_w = L.text_width(self.fonts, doc.date_text, "fangsong", size)
        issuer = doc.issuer + ("（盖章）" if form else "")
        issuer_w = L.text_width(self.fonts, issuer, "fangsong", size)
        indent = max(0.0, 4 * size + (date_w - issuer_w) / 2)
        out.append(Spacer(1, 5 * mm if form else L.BODY_LEADING))
        out.append(self.para(issuer, ParagraphStyle("issuer_r", parent=style, rightIndent=indent)))
        out.append(self.para(doc.date_text, style))
        return out

    def stub(self) -> list[Flowable]:
        doc = self.doc
        if not doc.stub_title:
            return []
        head = self.para(f"编号：{doc.number}　　案件编号：{doc.case_code}", self.cell)
        return [_AtBottom([_CutLine(self.fonts, doc.stub_title), Spacer(1, 2 * mm), head,
                           Spacer(1, 2 * mm), self.blank_table(doc.stub_rows)])]  # fmt: skip

    def blank_table(self, labels: tuple[str, ...]) -> Table:
        """Labels with blank cells to fill by hand, two to a row (签收单位 ____ 签收人 ____)."""
        cells = [self.para(label, self.label) for label in labels]
        if len(cells) % 2:
            cells.append(self.para("", self.label))
        data = [[cells[i], "", cells[i + 1], ""] for i in range(0, len(cells), 2)]
        label_w = 30 * mm
        table = Table(data, colWidths=[label_w, L.AREA_W / 2 - label_w] * 2,
                      rowHeights=[10 * mm] * len(data))  # fmt: skip
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                                   ("FONTNAME", (0, 0), (-1, -1), self.cell.fontName),
                                   ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))  # fmt: skip
        return table

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
        out = self.header() + [Spacer(1, L.BODY_LEADING / 2)]
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
        marks = L.PageMarks(letter=doc.layout == "letter", watermark=options.watermark,
                            reprint_note=options.reprint_note, void_note=options.void_note,
                            draft=options.draft)  # fmt: skip
        buf = io.BytesIO()
        with _RENDER_LOCK:
            template = _document(buf, doc, fonts)
            canvasmaker = L.numbered_canvas(fonts, marks)
            template.build(story, canvasmaker=canvasmaker)
            pages = int(getattr(template.canv, "pages_rendered", 1))
        pdf = buf.getvalue()
        return RenderedPdf(pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), pages=pages,
                           warnings=tuple(fonts.warnings), missing_glyphs=missing)  # fmt: skip


def _document(buf: io.BytesIO, doc: SlipDocument, fonts: FontSet) -> BaseDocTemplate:
    area = Frame(L.LEFT, L.BOTTOM, L.AREA_W, L.AREA_H, 0, 0, 0, 0, id="area")
    templates = [PageTemplate("area", [area])]
    if doc.layout == "letter":
        first = Frame(L.LEFT, L.BOTTOM, L.AREA_W, L.LETTER_FRAME_TOP - L.BOTTOM, 0, 0, 0, 0,
                      id="first")  # fmt: skip

        def head(canv: Any, _doc: Any) -> None:
            L.letter_head(canv, fonts, doc.issuer)

        templates.insert(
            0, PageTemplate("letter", [first], onPage=head, autoNextPageTemplate="area")
        )
    template = BaseDocTemplate(
        buf, pagesize=(L.PAGE_W, L.PAGE_H), pageTemplates=templates, invariant=1,
        initialFontName=fonts.role_fonts["fangsong"], initialFontSize=L.BODY_PT,
        title=f"{doc.title} {doc.number}".strip(), author=doc.issuer, creator="综治中心工作台",
        subject=doc.case_code, leftMargin=L.LEFT, rightMargin=L.PAGE_W - L.RIGHT_X,
        topMargin=L.TOP, bottomMargin=L.BOTTOM,
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
