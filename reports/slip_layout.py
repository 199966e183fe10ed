"""GB/T 9704-2012 page geometry and what is drawn straight on the canvas.

Page numbers, the letter format's red double lines, print marks (补打, 作废, 草稿, watermark)
and mixed-font strings (per-glyph fallback) are drawn here; ``reports.slips`` lays out the flow.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors, textsplit
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from reports.fonts import FontSet

PAGE_W, PAGE_H = A4
TOP = 37 * mm  # 天头
LEFT = 28 * mm  # 订口
AREA_W = 156 * mm  # 版心
AREA_H = 225 * mm
BOTTOM = PAGE_H - TOP - AREA_H  # 35 mm
RIGHT_X = LEFT + AREA_W

TITLE_PT = 22  # 2号 小标宋
BODY_PT = 16  # 3号 仿宋
TABLE_PT = 14  # 4号: table-form slips (research/domain.md §2.5: 仿宋 3/4号)
PAGE_NO_PT = 14  # 4号 半角宋体
BODY_LEADING = AREA_H / 22  # 22 lines per page (≈ 28.9 pt, Word's "固定值 29 磅")
RED = colors.HexColor("#D7000F")

# 信函格式: mark 30 mm from the top edge; red double lines 170 mm long, one 4 mm under the mark,
# one 20 mm above the bottom edge.
LETTER_MARK_TOP = 30 * mm
LETTER_MARK_PT = 26
LETTER_LINE_W = 170 * mm
LETTER_RULE_Y = PAGE_H - LETTER_MARK_TOP - LETTER_MARK_PT * 0.95 - 4 * mm
LETTER_FRAME_TOP = LETTER_RULE_Y - 6 * mm
MISSING_FORMAT = "［U+{:04X}］"
# a case code, a number or a Latin word: one unit that never breaks across lines
_UNIT = re.compile(r"[A-Za-z0-9]+(?:[-/.:·][A-Za-z0-9]+)*|.", re.DOTALL)
# reportlab keeps a run of up to half a line together: only longer runs are at risk
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/.:·]{7,}")
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")


def markup(fonts: FontSet, text: str, role: str) -> str:
    """Paragraph markup of ``text`` with per-glyph font fallback; missing glyphs spelled out."""
    out: list[str] = []
    primary = fonts.role_fonts[role]
    for font, run in fonts.runs(text, role):
        if font is None:
            out.append(escape("".join(MISSING_FORMAT.format(ord(c)) for c in run)))
        elif font == primary:
            out.append(escape(run))
        else:
            out.append(f'<font face="{font}">{escape(run)}</font>')
    return "".join(out).replace("\n", "<br/>")


def _pieces(fonts: FontSet, text: str, role: str) -> list[tuple[str, str]]:
    primary = fonts.role_fonts[role]
    pieces = []
    for font, run in fonts.runs(text, role):
        if font is None:
            pieces.append((primary, "".join(MISSING_FORMAT.format(ord(c)) for c in run)))
        else:
            pieces.append((font, run))
    return pieces


def text_width(fonts: FontSet, text: str, role: str, size: float) -> float:
    return float(sum(stringWidth(run, font, size) for font, run in _pieces(fonts, text, role)))


def draw_text(
    canv: Canvas, fonts: FontSet, x: float, y: float, text: str, role: str, size: float,
    align: str = "left",
) -> None:  # fmt: skip
    """Draw one line with per-glyph fallback; ``align`` is left, centre or right of ``x``."""
    width = text_width(fonts, text, role, size)
    if align == "centre":
        x -= width / 2
    elif align == "right":
        x -= width
    for font, run in _pieces(fonts, text, role):
        canv.setFont(font, size)
        canv.drawString(x, y, run)
        x += stringWidth(run, font, size)


def _cannot_start(ch: str) -> bool:
    return ch in textsplit.ALL_CANNOT_START


def keep_codes(fonts: FontSet, text: str, role: str, style: ParagraphStyle, width: float) -> str:
    """``text`` with line breaks placed so no code or number is broken across two lines.

    reportlab's CJK line breaker backs off only half a line to keep a Latin run together, so a
    24-character case code starting early in a line is cut mid-code. Lines are filled here
    instead (same widths, same per-glyph fonts); a full-width mark that may not start a line
    takes the unit before it along to the next line.
    """
    if not _CODE.search(text):
        return text
    size = float(style.fontSize)
    inner = width - style.leftIndent - style.rightIndent
    avail = inner - style.firstLineIndent
    if "\n" not in text and text_width(fonts, text, role, size) <= avail:
        return text  # one line: nothing to break
    out: list[str] = []
    for part in text.split("\n"):
        line: list[tuple[str, float]] = []
        units = _UNIT.findall(part)
        i = 0
        while i < len(units):
            unit = units[i]
            w = text_width(fonts, unit, role, size)
            if w > inner and len(unit) > 1:  # longer than a line: it has to break somewhere
                units[i : i + 1] = list(unit)
                continue
            if line and sum(x for _, x in line) + w > avail + 0.01:
                carried = []
                if len(unit) == 1 and _cannot_start(unit) and len(line) > 1:
                    carried = [line.pop()]  # the mark may not start a line: take a unit along
                out.append("".join(u for u, _ in line))
                line, avail = carried, inner
            line.append((unit, w))
            i += 1
        out.append("".join(u for u, _ in line))
        avail = inner
    return "\n".join(out)


def _fits(fonts: FontSet, lines: list[str], role: str, size: float, width: float) -> bool:
    return all(text_width(fonts, c, role, size) <= width + 0.01 for c in lines)


def balanced(fonts: FontSet, text: str, role: str, size: float, width: float) -> str:
    """A short label broken into lines of even length (never one character left alone).

    Two lines split after a mark (、，；) or before an opening bracket when that fits;
    otherwise lines of equal length, a closing mark staying on the line before.
    """
    total = text_width(fonts, text, role, size)
    if total <= width or "\n" in text:
        return text
    cuts = [i + 1 for i, c in enumerate(text) if c in "、，；：/／"]
    cuts += [i for i, c in enumerate(text) if c in "（《" and i > 0]
    fitting = [[text[:i], text[i:]] for i in sorted(set(cuts))]
    fitting = [p for p in fitting if _fits(fonts, p, role, size, width)]
    if fitting:
        best = min(fitting, key=lambda p: abs(len(p[0]) - len(p[1])))
        return "\n".join(best)
    lines = max(2, math.ceil(total / width))
    while lines < len(text):
        per = math.ceil(len(text) / lines)
        chunks = [text[i : i + per] for i in range(0, len(text), per)]
        for i in range(1, len(chunks)):  # a closing mark stays on the line before
            while chunks[i] and _cannot_start(chunks[i][0]):
                chunks[i - 1] += chunks[i][0]
                chunks[i] = chunks[i][1:]
        chunks = [c for c in chunks if c]
        if _fits(fonts, chunks, role, size, width):
            return "\n".join(chunks)
        lines += 1
    return text


def pdf_date(date_text: str) -> Callable[..., str] | None:
    """A date formatter for the PDF's CreationDate: the document's own date, not 2000-01-01.

    Output stays deterministic (the same snapshot gives the same bytes).
    """
    found = _DATE.search(date_text)
    if not found:
        return None
    year, month, day = (int(g) for g in found.groups())

    def formatter(*_args: Any) -> str:
        return f"D:{year:04d}{month:02d}{day:02d}000000+08'00'"

    return formatter


@dataclass(frozen=True, slots=True)
class PageMarks:
    """What every page gets at save time (page numbers need the page count)."""

    letter: bool = False  # 信函格式: no number on the first page
    watermark: str = ""
    reprint_note: str = ""
    void_note: str = ""
    draft: bool = False
    date: Callable[..., str] | None = None  # PDF CreationDate formatter (see pdf_date)
    copy_number: int = 0  # 份号, first line of the type area on page 1 (0: none)


def page_number(canv: Canvas, fonts: FontSet, page: int) -> None:
    """“— 1 —”, 4号 宋体, 7 mm under the type area; odd pages right, even pages left, 空一字."""
    text = f"— {page} —"
    top_of_line = BOTTOM - 7 * mm
    y = top_of_line - PAGE_NO_PT * 0.8
    if page % 2:
        draw_text(canv, fonts, RIGHT_X - PAGE_NO_PT, y, text, "song", PAGE_NO_PT, "right")
    else:
        draw_text(canv, fonts, LEFT + PAGE_NO_PT, y, text, "song", PAGE_NO_PT, "left")


def letter_head(canv: Canvas, fonts: FontSet, issuer: str) -> None:
    """First page of the letter format: red agency mark and the two red double lines."""
    canv.saveState()
    canv.setFillColor(RED)
    canv.setStrokeColor(RED)
    baseline = PAGE_H - LETTER_MARK_TOP - LETTER_MARK_PT * 0.88
    if "xiaobiaosong" in fonts.emboldened:  # a regular 宋体 standing in for 小标宋
        canv.setLineWidth(LETTER_MARK_PT * 0.035)
        canv._code.append("2 Tr")
    draw_text(canv, fonts, PAGE_W / 2, baseline, issuer, "xiaobiaosong", LETTER_MARK_PT, "centre")
    x0 = (PAGE_W - LETTER_LINE_W) / 2
    for y, width in ((LETTER_RULE_Y, 1.6), (LETTER_RULE_Y - 1.2 * mm, 0.5)):  # 上粗下细
        canv.setLineWidth(width)
        canv.line(x0, y, x0 + LETTER_LINE_W, y)
    for y, width in ((20 * mm + 1.2 * mm, 0.5), (20 * mm, 1.6)):  # 上细下粗
        canv.setLineWidth(width)
        canv.line(x0, y, x0 + LETTER_LINE_W, y)
    canv.restoreState()


def _diagonal(canv: Canvas, fonts: FontSet, text: str, size: float, colour: Any,
              alpha: float, rows: int, cols: int) -> None:  # fmt: skip
    canv.saveState()
    canv.setFillColor(colour)
    canv.setFillAlpha(alpha)
    for r in range(rows):
        for c in range(cols):
            canv.saveState()
            canv.translate(PAGE_W * (c + 0.5) / cols, PAGE_H * (r + 0.5) / rows)
            canv.rotate(30)
            draw_text(canv, fonts, 0, 0, text, "hei", size, "centre")
            canv.restoreState()
    canv.restoreState()


def draw_marks(canv: Canvas, fonts: FontSet, marks: PageMarks, page: int = 1) -> None:
    """Print-time marks; none of them is part of the hashed original."""
    if marks.copy_number and page == 1:  # 份号: 6 digits, 3号, top left (GB/T 9704 §7.2.1)
        canv.setFillColor(colors.black)
        top = LETTER_FRAME_TOP if marks.letter else PAGE_H - TOP
        draw_text(canv, fonts, LEFT, top - BODY_PT, f"{marks.copy_number:06d}", "fangsong",
                  BODY_PT)  # fmt: skip
    if marks.draft:
        _diagonal(canv, fonts, "草 稿", 96, colors.grey, 0.18, 2, 1)
    if marks.watermark:
        _diagonal(canv, fonts, marks.watermark, 16, colors.grey, 0.14, 6, 2)
    if marks.void_note:
        _diagonal(canv, fonts, "作 废", 110, RED, 0.35, 1, 1)
        canv.setFillColor(RED)
        draw_text(canv, fonts, LEFT, PAGE_H - 12 * mm, marks.void_note, "hei", 12)
    if marks.reprint_note:
        canv.saveState()
        canv.setStrokeColor(RED)
        canv.setFillColor(RED)
        canv.setLineWidth(1.5)
        box_w, box_h = 24 * mm, 11 * mm
        x, y = RIGHT_X - box_w, PAGE_H - 10 * mm - box_h
        canv.roundRect(x, y, box_w, box_h, 2 * mm)
        draw_text(canv, fonts, x + box_w / 2, y + 3 * mm, "补 打", "hei", 18, "centre")
        draw_text(canv, fonts, RIGHT_X, y - 5 * mm, marks.reprint_note, "hei", 9, "right")
        canv.restoreState()


def numbered_canvas(fonts: FontSet, marks: PageMarks) -> Callable[..., Canvas]:
    """A canvas class that adds page numbers (multi-page only) and marks when the PDF is saved."""

    class _Canvas(Canvas):  # type: ignore[misc]  # reportlab ships no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._states: list[dict[str, Any]] = []
            if marks.date is not None:
                self._doc.setDateFormatter(marks.date)

        def showPage(self) -> None:
            self._states.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._states)
            for page, state in enumerate(self._states, start=1):
                self.__dict__.update(state)
                if total > 1 and not (marks.letter and page == 1):
                    page_number(self, fonts, page)
                draw_marks(self, fonts, marks, page)
                Canvas.showPage(self)
            self.pages_rendered = total
            Canvas.save(self)

    return _Canvas
