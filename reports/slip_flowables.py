"""Flowables of the slip PDFs: QR code, colour band, cut line, bottom-pinned stub, split table.

``reports.slips`` builds the story out of these and reportlab's paragraphs and tables.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from reports import slip_layout as gbt
from reports.fonts import FontSet

QR_QUIET = 4  # modules of white around the symbol (ISO/IEC 18004 quiet zone)
SEAL_MM = 42  # 印章 diameter the signature block leaves room for


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


class Qr(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """QR code of the case code (一案一码) with its 4-module quiet zone inside ``size``."""

    def __init__(self, value: str, size: float) -> None:
        super().__init__()
        self.value, self.size = value, size

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.size, self.size

    def module(self) -> float:
        count, _ = qr_runs(self.value)
        return float(self.size / (count + 2 * QR_QUIET))

    def draw(self) -> None:
        count, runs = qr_runs(self.value)
        box = self.module()
        top = self.size - QR_QUIET * box
        path = self.canv.beginPath()
        for r, c, n in runs:
            path.rect((QR_QUIET + c) * box, top - (r + 1) * box, n * box, box)
        self.canv.setFillColor(colors.black)
        self.canv.drawPath(path, stroke=0, fill=1)


def _luminance(colour: colors.Color) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return float(0.2126 * lin(colour.red) + 0.7152 * lin(colour.green) + 0.0722 * lin(colour.blue))


def contrast(a: colors.Color, b: colors.Color) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def band_ink(fill: colors.Color) -> colors.Color:
    """White or black text, whichever reads better on ``fill`` (and on its grey print)."""
    return (
        colors.white
        if contrast(fill, colors.white) >= contrast(fill, colors.black)
        else colors.black
    )


class Band(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Colour band of a graded slip (红色/橙色/黄色), full type-area width.

    Without colour (a mono printer, a photocopy) the grade still shows: the band of the highest
    grade is solid, the next carries diagonal hatching, the lowest only a wide frame; the label
    is drawn in whichever of black or white contrasts more with the fill.
    """

    HEIGHT = 10 * mm

    def __init__(self, fonts: FontSet, label: str, colour: str, pattern: str = "solid") -> None:
        super().__init__()
        self.fonts, self.label, self.colour, self.pattern = fonts, label, colour, pattern

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self.width = avail_w
        return avail_w, self.HEIGHT

    def _hatch(self, fill: colors.Color) -> None:
        canv, h = self.canv, self.HEIGHT
        canv.saveState()
        path = canv.beginPath()
        path.rect(0, 0, self.width, h)
        canv.clipPath(path, stroke=0, fill=0)
        canv.setStrokeColor(colors.black)
        canv.setLineWidth(1.2)
        x = -h
        while x < self.width:
            canv.line(x, 0, x + h, h)
            x += 3 * mm
        canv.restoreState()

    def draw(self) -> None:
        canv, h = self.canv, self.HEIGHT
        fill = colors.HexColor(self.colour)
        canv.setFillColor(fill)
        canv.rect(0, 0, self.width, h, stroke=0, fill=1)
        if self.pattern == "hatch":
            self._hatch(fill)
        elif self.pattern == "frame":
            canv.setStrokeColor(colors.black)
            canv.setLineWidth(2.5)
            canv.rect(1.25, 1.25, self.width - 2.5, h - 2.5, stroke=1, fill=0)
        text = f"{self.label}"
        text_w = gbt.text_width(self.fonts, text, "hei", 16)
        if self.pattern == "hatch":  # a plain plate under the label keeps it readable
            canv.setFillColor(fill)
            canv.rect((self.width - text_w) / 2 - 3 * mm, 1.5 * mm, text_w + 6 * mm, h - 3 * mm,
                      stroke=0, fill=1)  # fmt: skip
        canv.setFillColor(band_ink(fill))
        gbt.draw_text(canv, self.fonts, self.width / 2, 3 * mm, text, "hei", 16, "centre")


class CutLine(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
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


class AtBottom(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
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


class RowsTable(Table):  # type: ignore[misc]  # reportlab ships no type hints
    """A label/value table whose rows split across pages; a continued row says “（续）”.

    A row that does not fit at the foot of a page is cut between two lines of its text, so
    it starts on the page it starts on instead of moving whole to the next (reports.slip_rows
    keeps rows to a few lines, and reportlab's own in-row split re-measures the rest wrongly).

    Args:
        continued: makes the label cell of a row continued from the previous page.
        starts: the rows that begin a field (the others continue the cell above).
        restyle: styles a table rebuilt with a cut row, given its ``starts``.
    """

    def __init__(self, data: Any, continued: Any = None, starts: list[int] | None = None,
                 restyle: Any = None, **kwargs: Any) -> None:  # fmt: skip
        kwargs.setdefault("splitInRow", 0)  # rows are a few lines each (reports.slip_rows)
        super().__init__(data, **kwargs)
        self._continued, self._restyle = continued, restyle
        self._starts = list(range(len(data))) if starts is None else list(starts)
        self._labels = [row[0] for row in data]
        self._extra: list[tuple[Any, ...]] = []  # rules added at cuts, kept by a rebuild

    def _cut(self, avail_w: float, avail_h: float) -> RowsTable | None:
        """This table with the row crossing ``avail_h`` cut in two between lines of text, the
        first part ending at ``avail_h``; None when no line of that row fits or all fit."""
        if self._restyle is None:
            return None
        self._calc(avail_w, avail_h)
        used, row = 0.0, -1
        for i, h in enumerate(self._rowHeights):
            if used + h > avail_h + 1e-6:
                row = i
                break
            used += h
        if row < 0:
            return None
        cell = self._cellvalues[row][-1]
        flowables = list(cell) if isinstance(cell, list | tuple) else []
        if not flowables or not all(isinstance(f, Paragraph) for f in flowables):
            return None
        style = self._cellStyles[row][-1]
        inner_w = self._colWidths[-1] - style.leftPadding - style.rightPadding
        room = avail_h - used - style.topPadding - style.bottomPadding - 0.5
        lines = int(room // flowables[0].style.leading)
        while lines > 0:
            table = self._rebuilt(row, _cut_lines(flowables, inner_w, lines))
            if table is not None:
                table._calc(avail_w, avail_h)
                if sum(table._rowHeights[: row + 1]) <= avail_h + 1e-6:
                    return table
            lines -= 1
        return None

    def _rebuilt(self, row: int, parts: tuple[list[Flowable], list[Flowable]] | None
                 ) -> RowsTable | None:  # fmt: skip
        if parts is None:
            return None
        head, rest = parts
        data = [list(r) for r in self._cellvalues]
        data[row] = [data[row][0], head]
        data.insert(row + 1, ["", rest])
        starts = [s + (s > row) for s in self._starts]
        table = RowsTable(data, self._continued, starts, self._restyle,
                          colWidths=self._colWidths)  # fmt: skip
        table._labels = [*self._labels[: row + 1], "", *self._labels[row + 1 :]]
        table._extra = list(self._extra)
        self._restyle(table, starts)
        if table._extra:
            table.setStyle(TableStyle(table._extra))
        return table

    def split(self, avail_w: float, avail_h: float) -> list[Flowable]:
        table = self._cut(avail_w, avail_h) or self
        parts: list[Flowable] = Table.split(table, avail_w, avail_h)
        if len(parts) != 2 or not all(isinstance(p, RowsTable) for p in parts):
            return parts
        first, rest = parts
        n = first._nrows
        for part, rows, offset in ((first, slice(0, n), 0), (rest, slice(n, None), n)):
            part._continued, part._restyle = table._continued, table._restyle
            part._labels = table._labels[rows]
            part._starts = [s - offset for s in table._starts if 0 <= s - offset < part._nrows]
        label = next((lb for lb in reversed(first._labels) if isinstance(lb, Paragraph)), None)
        if table._continued and _blank(rest._cellvalues[0][0]) and label is not None:
            rest._cellvalues[0][0] = table._continued(label)
            rest._labels[0] = label  # a further cut of this field finds its label again
            rest._argH = [None] * rest._nrows  # heights were fixed before the label grew
        # the cut closes the part above and opens the part below, inside a field too
        first._extra = [*table._extra, ("LINEBELOW", (0, -1), (-1, -1), 0.6, colors.black)]
        rest._extra = [*table._extra, ("LINEABOVE", (0, 0), (-1, 0), 0.6, colors.black)]
        first.setStyle(TableStyle(first._extra))
        rest.setStyle(TableStyle(rest._extra))
        return parts


def _cut_lines(flowables: list[Flowable], width: float, lines: int
               ) -> tuple[list[Flowable], list[Flowable]] | None:  # fmt: skip
    """The paragraphs of a cell as (the first ``lines`` lines, the rest)."""
    head: list[Flowable] = []
    for i, para in enumerate(flowables):
        para.wrap(width, 1e9)
        n = len(para.blPara.lines)
        if n <= lines:
            head.append(para)
            lines -= n
            if lines == 0:
                rest = flowables[i + 1 :]
                return (head, rest) if rest else None
            continue
        leading = para.style.leading
        parts = para.split(width, lines * leading + leading * 0.25)
        if len(parts) != 2:
            return (head, flowables[i:]) if head else None
        return [*head, parts[0]], [parts[1], *flowables[i + 1 :]]
    return None


class KeepTail(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """The rows table, the end of the slip kept with its last lines, and a tear-off part
    pinned to the foot of the page that carries that end.

    The signature block keeps the last ``tail`` points of the table beside it (GB/T 9704
    §7.3.5: never alone on a page); the 回执联 goes with them, so no page holds only the 回执.
    Before the end the table fills each page to its foot and splits there.
    """

    def __init__(self, table: Table | None, end: list[Flowable], pinned: list[Flowable],
                 tail: float) -> None:  # fmt: skip
        super().__init__()
        self.table, self.end, self.pinned, self.tail = table, end, pinned, tail
        self._placed: list[tuple[Flowable, float]] = []

    def flattened(self) -> list[Flowable]:
        out: list[Flowable] = []
        for f in self.end:
            out += flattened(f)
        return ([self.table] if self.table is not None else []) + out

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self._placed = []
        total = 0.0
        for f in self.flattened():
            _w, h = f.wrap(avail_w, avail_h)
            h += (f.getSpaceBefore() if total else 0) + f.getSpaceAfter()
            self._placed.append((f, h))
            total += h
        self._pins = [(f, f.wrap(avail_w, avail_h)[1]) for f in self.pinned]
        self.need = total + sum(h for _f, h in self._pins)
        self.width = avail_w
        self.height = max(self.need, avail_h - 0.01) if self.pinned else self.need
        return avail_w, self.height

    def split(self, avail_w: float, avail_h: float) -> list[Flowable]:
        at_top = bool(getattr(getattr(self, "_frame", None), "_atTop", False))
        parts: list[Flowable] = []
        if self.table is not None:
            _w, table_h = self.table.wrap(avail_w, avail_h)
            cut = min(avail_h, table_h - self.tail)
            parts = self.table.split(avail_w, cut) if cut > 0 else []
        if len(parts) == 2:
            return [parts[0], KeepTail(parts[1], self.end, self.pinned, self.tail)]
        if not at_top:
            return []  # nothing fits above the foot: all of it moves to the next page
        return self._apart(avail_w, avail_h)

    def _apart(self, avail_w: float, avail_h: float) -> list[Flowable]:
        """Taller than a page even at its top: the parts one after another."""
        rest = [*self.end, *([AtBottom(self.pinned)] if self.pinned else [])]
        if self.table is None:
            return rest
        _w, table_h = self.table.wrap(avail_w, avail_h)
        if table_h <= avail_h:
            return [self.table, *rest]
        return [*self.table.split(avail_w, avail_h), *rest]

    def draw(self) -> None:
        y = self.height
        for flowable, h in self._placed:
            y -= h
            flowable.drawOn(self.canv, 0, y + flowable.getSpaceAfter())
        y = sum(h for _f, h in self._pins)
        for flowable, h in self._pins:
            y -= h
            flowable.drawOn(self.canv, 0, y)


def flattened(flowable: Flowable) -> list[Flowable]:
    content = getattr(flowable, "_content", None)
    if isinstance(flowable, KeepTogether) and content is not None:
        return [f for inner in content for f in flattened(inner)]
    if isinstance(flowable, AtBottom):
        return list(flowable.content)
    return [flowable]


def _blank(cell: Any) -> bool:
    if isinstance(cell, list | tuple):
        return all(_blank(c) for c in cell)
    if isinstance(cell, Paragraph):
        return not cell.getPlainText().strip()
    return not str(cell or "").strip()


def embolden(canv: Any, size: float, colour: Any = colors.black) -> None:
    """Draw the following text filled and stroked (bold from a regular face; PDF ``2 Tr``).

    Call between ``saveState`` and ``restoreState``: text state lasts until then.
    """
    canv.setStrokeColor(colour)
    canv.setLineWidth(size * 0.035)
    canv._code.append("2 Tr")


class Bold(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """A paragraph drawn bold by stroking its glyphs (a 小标宋 title from a regular 宋体)."""

    def __init__(self, content: Flowable, size: float) -> None:
        super().__init__()
        self.content, self.size = content, size

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        w, h = self.content.wrap(avail_w, avail_h)
        self.width, self.height = w, h
        return w, h

    def split(self, avail_w: float, avail_h: float) -> list[Flowable]:
        return [Bold(part, self.size) for part in self.content.split(avail_w, avail_h)]

    def draw(self) -> None:
        self.canv.saveState()
        embolden(self.canv, self.size)
        self.content.drawOn(self.canv, 0, 0)
        self.canv.restoreState()
