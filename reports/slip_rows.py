"""Long values of table-form slips cut into rows of a few lines before layout.

reportlab's in-row split (``splitInRow``) mis-measures the rest of a cell split a second time:
the rest grows, then rows of nothing follow page after page (a 人民调解协议书 with 20 terms of 300
characters ran to 14 pages, four of them empty grids). So a value longer than
:data:`CHUNK_LINES` lines is cut here into several table rows of at most that many lines; they
print as one cell (no rule between them); a continued row's label says “（续）”. At the foot
of a page :class:`reports.slip_flowables.RowsTable` cuts the row that does not fit between two
of its lines, so a long field starts on the page it starts on.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

CHUNK_LINES = 8  # lines of one table row (a row is cut further at a page's foot)


def _lines(para: Paragraph, width: float) -> int:
    para.wrap(width, 1e9)
    return len(para.blPara.lines)


def pieces(paras: list[Paragraph], width: float, max_lines: int = CHUNK_LINES
           ) -> list[tuple[Flowable, int]]:  # fmt: skip
    """Each paragraph cut into pieces of at most ``max_lines`` lines, with their line counts."""
    out: list[tuple[Flowable, int]] = []
    for para in paras:
        rest: Flowable = para
        while True:
            n = _lines(rest, width)
            if n <= max_lines:
                out.append((rest, n))
                break
            leading = rest.style.leading
            parts = rest.split(width, max_lines * leading + leading * 0.25)
            if len(parts) != 2:
                out.append((rest, n))
                break
            out.append((parts[0], max_lines))
            rest = parts[1]
    return out


def chunks(parts: list[tuple[Flowable, int]], max_lines: int = CHUNK_LINES
           ) -> list[list[Flowable]]:  # fmt: skip
    """Consecutive pieces grouped into cells of at most ``max_lines`` lines."""
    cells: list[list[Flowable]] = []
    used = max_lines
    for flowable, n in parts:
        if used + n > max_lines or not cells:
            cells.append([])
            used = 0
        cells[-1].append(flowable)
        used += n
    return cells or [[]]
