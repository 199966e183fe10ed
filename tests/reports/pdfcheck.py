"""Checks on a rendered PDF's boxes (pdfplumber): overlap, overflow, the signature's page."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

import pdfplumber

from services.slips.dto import SlipDocument

MM = 72 / 25.4
EPS = 0.6  # pt: glyph boxes may touch; rules are 0.6 pt wide


_parsed: tuple[bytes, Any] | None = None


def parsed(pdf: bytes) -> Any:
    """``pdf`` opened with pdfplumber; the last one is kept open for the next check.

    Parsing the page contents is most of a check's time, and the checks of one test usually
    read the same PDF (layout, then the signature's page): its pages, which cache what they
    parsed, are then read once.
    """
    global _parsed
    if _parsed is None or _parsed[0] != pdf:
        if _parsed is not None:
            _parsed[1].close()
        _parsed = (pdf, pdfplumber.open(io.BytesIO(pdf)))
    return _parsed[1]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _boxes_overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > EPS
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > EPS)  # fmt: skip


def overlapping_chars(page: Any) -> list[str]:
    """Pairs of characters whose boxes overlap (text printed over text)."""
    chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: c["top"])
    bad = []
    for i, a in enumerate(chars):
        for b in chars[i + 1 :]:
            if b["top"] >= a["bottom"] - EPS:
                break
            if _boxes_overlap(a, b):
                bad.append(f"{a['text']!r}@({a['x0']:.0f},{a['top']:.0f}) × {b['text']!r}")
    return bad


def _rules(page: Any) -> list[tuple[float, float, float, float]]:
    """Drawn rules and cell borders as (x0, top, x1, bottom); QR modules and fills left out."""
    out = []
    for e in page.edges:
        w, h = e["x1"] - e["x0"], e["bottom"] - e["top"]
        if max(w, h) < 4 * MM or min(w, h) > 0.5:  # QR modules, dashes; diagonal hatching
            continue
        out.append((e["x0"], e["top"], e["x1"], e["bottom"]))
    return out


def chars_crossing_rules(page: Any) -> list[str]:
    """Characters that a cell border or rule runs through: text leaving its cell."""
    bad = []
    rules = _rules(page)
    for c in page.chars:
        if not c["text"].strip():
            continue
        x0, x1 = c["x0"] + EPS, c["x1"] - EPS
        top, bottom = c["top"] + EPS, c["bottom"] - EPS
        for rx0, rtop, rx1, rbottom in rules:
            if rx0 <= x1 and rx1 >= x0 and rtop <= bottom and rbottom >= top:
                bad.append(f"{c['text']!r}@({c['x0']:.0f},{c['top']:.0f})")
                break
    return bad


def chars_on_images(page: Any, boxes: Iterable[tuple[float, float, float, float]]) -> list[str]:
    bad = []
    for x0, top, x1, bottom in boxes:
        for c in page.chars:
            if c["x1"] > x0 + EPS and c["x0"] < x1 - EPS and c["bottom"] > top + EPS \
                    and c["top"] < bottom - EPS:  # fmt: skip
                bad.append(c["text"])
    return bad


def qr_box(page: Any) -> tuple[float, float, float, float] | None:
    """Bounding box of the QR code's modules on ``page`` (None without one)."""
    small = [r for r in page.rects if r["height"] < 1.5 * MM and r["width"] < 25 * MM
             and r["non_stroking_color"] in ((0,), [0], (0, 0, 0), [0, 0, 0], 0)]  # fmt: skip
    if len(small) < 40:
        return None
    return (min(r["x0"] for r in small), min(r["top"] for r in small),
            max(r["x1"] for r in small), max(r["bottom"] for r in small))  # fmt: skip


def layout_problems(pdf: bytes) -> list[str]:
    """Overlapping text, text crossing a rule, text on the QR code; one line per problem."""
    out = []
    for number, page in enumerate(parsed(pdf).pages, start=1):
        out += [f"p{number} overlap {x}" for x in overlapping_chars(page)]
        out += [f"p{number} crosses a rule {x}" for x in chars_crossing_rules(page)]
        box = qr_box(page)
        if box is not None:
            out += [f"p{number} on the QR code {x!r}" for x in chars_on_images(page, [box])]
    return out


def body_texts(doc: SlipDocument) -> str:
    """Text of the document body (what the signature must not be separated from)."""
    parts = [r.label + r.value for r in doc.rows] + list(doc.paragraphs) + list(doc.notes)
    return squash("".join(parts))


def signature_page(pdf: bytes, doc: SlipDocument) -> tuple[int, str]:
    """(page index, text above the signature block) of the page carrying issuer and date."""
    issuer = squash(doc.issuer + ("（盖章）" if doc.layout == "form" else ""))
    date = squash(doc.date_text)
    for index, page in enumerate(parsed(pdf).pages):
        lines = page.extract_text_lines()
        for i in range(len(lines)):
            after = [squash(ln["text"]) for ln in lines[i + 1 : i + 3]]
            if not any(t.startswith(date) and "印发" not in t for t in after):
                continue
            for first in range(i, max(-1, i - 3), -1):  # a long issuer wraps
                text = squash("".join(ln["text"] for ln in lines[first : i + 1]))
                if text.endswith(issuer):
                    top = lines[first]["top"]
                    above = [ln for ln in lines[:first] if ln["bottom"] < top]
                    return index, squash("".join(ln["text"] for ln in above))
    raise AssertionError("signature block not found")


def signature_alone(pdf: bytes, doc: SlipDocument) -> bool:
    """True when no text of the body shares the signature block's page, unless the page says
    it is the document's 签署页 (本页无正文，为…签署页: the convention when the lines to sign
    cannot share a page with the text; the text then ends with （以下无正文）)."""
    index, above = signature_page(pdf, doc)
    if squash(f"本页无正文，为{doc.number}{doc.title}签署页") in above:
        return False
    body = body_texts(doc)
    windows = (above[i : i + 4] for i in range(max(0, len(above) - 3)))
    return not any(w in body for w in windows if len(w) == 4)
