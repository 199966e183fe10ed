"""The closing of a slip: the last lines of the text, notes, lines to sign and the signature.

Kept together on one page when they fit (GB/T 9704-2012 §7.3.5: the signature never stands
alone). When the lines to sign are too many for that (an agreement with a dozen parties), the
text ends with “（以下无正文）” and every following page opens with “（本页无正文，为…签署页）”,
the convention for a signature page that cannot carry text; the seal keeps at least one line
to sign beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak

from reports import slip_layout as gbt

FIT_H = gbt.AREA_H - 1 * mm  # what one page's frame holds, with a margin for rounding
END_OF_TEXT = "（以下无正文）"


def signing_page_mark(number: str, title: str) -> str:
    """（本页无正文，为（2026）青人调协字第1号人民调解协议书签署页）."""
    return f"（本页无正文，为{number}{title}签署页）"


def height(flowables: Sequence[Flowable]) -> float:
    total = 0.0
    for f in flowables:
        _w, h = f.wrap(gbt.AREA_W, gbt.AREA_H)
        total += h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def closing(text: list[Flowable], signs: list[list[Flowable]], signature: list[Flowable],
            para: Callable[[str], Flowable], mark: Callable[[], Flowable], reserve: float = 0.0
            ) -> list[Flowable]:  # fmt: skip
    """``text``: the tail of the text and the notes; ``signs``: one group per line to sign;
    ``para`` makes a paragraph of the note style; ``mark`` makes the 签署页 line; ``reserve``:
    the height of the text's last lines kept with the closing from outside it (a table's)."""
    lines = [f for group in signs for f in group]
    if height(text + lines + signature) + reserve <= FIT_H:
        return [KeepTogether(text + lines + signature)]
    out: list[Flowable] = [KeepTogether([*text, para(END_OF_TEXT)])]
    mark_h = height([mark()])
    line_h = max(height(g) for g in signs) if signs else 0.0
    per_page = max(1, int((FIT_H - mark_h) // line_h)) if line_h else 0
    with_seal = max(1, int((FIT_H - mark_h - height(signature)) // line_h)) if line_h else 0
    rest = list(signs)
    while len(rest) > with_seal:
        # the seal keeps as many lines as it can, but never fewer than the page before it
        take = min(per_page, max(-(-len(rest) // 2), len(rest) - with_seal))
        out += [PageBreak(), mark(), *[f for g in rest[:take] for f in g]]
        rest = rest[take:]
    last = [mark(), *[f for g in rest for f in g], *signature]
    return [*out, PageBreak(), KeepTogether(last)]
