"""Slip PDFs (文书) with reportlab: table-form slips, notices and GB/T 9704 letters.

``render_slip(document, options) -> RenderedPdf`` is what the slip service is given. Output is
deterministic (reportlab invariant mode), so a snapshot re-renders to the same bytes and hash.
The story is built by ``reports.slip_builder``; page geometry lives in ``reports.slip_layout``.
"""

from __future__ import annotations

import hashlib
import io
import logging
import threading
from typing import Any

from reportlab.lib import textsplit
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate
from reportlab.platypus import paragraph as paragraph_module
from reportlab.platypus.doctemplate import LayoutError

from reports import slip_layout as gbt
from reports.fonts import FontConfig, FontSet, resolve
from reports.slip_builder import QR_SIZE, Builder
from reports.slip_flowables import qr_runs
from services.domain.errors import ServiceError
from services.slips.dto import MissingGlyphsError, RenderedPdf, RenderOptions, SlipDocument

__all__ = ["QR_SIZE", "SlipLayoutError", "SlipPdfRenderer", "configure", "qr_runs", "render_slip"]

log = logging.getLogger(__name__)
_RENDER_LOCK = threading.Lock()  # reportlab keeps per-document font state on shared fonts

# WORKAROUND: reportlab's CJK line breaker knows the Japanese punctuation that may not start a
# line, but not the full-width Chinese ，；：！？》” (reportlab/lib/textsplit.py). Such a mark
# now hangs at the end of the line instead of starting the next; paragraphs keep one character
# of right indent, so a hanging mark still ends inside the type area.
_CHINESE_CANNOT_START = "，；：！？》”’…）】〕"
paragraph_module.ALL_CANNOT_START += _CHINESE_CANNOT_START  # multi-fragment paragraphs
textsplit.ALL_CANNOT_START += _CHINESE_CANNOT_START  # single-fragment paragraphs


class SlipLayoutError(ServiceError):
    """The text cannot be laid out on A4 (never expected: long text splits across pages)."""


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
        copy_number = options.copy_number if doc.copy_numbered else 0
        marks = gbt.PageMarks(letter=doc.layout == "letter", watermark=options.watermark,
                            reprint_note=options.reprint_note, void_note=options.void_note,
                            draft=options.draft, date=gbt.pdf_date(doc.date_text),
                            copy_number=copy_number)  # fmt: skip
        buf = io.BytesIO()
        with _RENDER_LOCK:
            builder = Builder(fonts, doc)
            story = builder.form() if doc.layout == "form" else builder.prose()
            template = _document(buf, doc, fonts)
            canvasmaker = gbt.numbered_canvas(fonts, marks)
            try:
                template.build(story, canvasmaker=canvasmaker)
            except LayoutError:
                log.exception("slip %s (%s) could not be laid out", doc.number, doc.kind)
                raise SlipLayoutError(
                    "slip.layout", "文书版面无法排下，请精简过长的内容后重试"
                ) from None
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
