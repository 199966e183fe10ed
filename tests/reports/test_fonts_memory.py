"""A loaded font is kept small (issue 15 #6) and prints exactly what reportlab's own load prints:
same metrics, same widths, same embedded subset."""

from __future__ import annotations

import mmap
from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from reports import fontfile, fonts
from reports.fonts import BUNDLED_DIR
from tests.reports.conftest import EXT_B_FONT

TEXT = "受理告知单 青山镇综治中心 当事人𠮷祥 No.2026-000123（调解）ABCxyz，。"
FILES = [str(BUNDLED_DIR / "gbsn00lp.ttf"), str(BUNDLED_DIR / "wqy-microhei.ttc"), EXT_B_FONT]


def _small_face(path: str) -> TTFontFace:
    font = pdfmetrics.getFont(fonts.load_font(path))
    assert isinstance(font, TTFont)
    return font.face


@pytest.mark.parametrize("path", FILES, ids=lambda p: Path(p).name)
def test_a_font_loaded_small_subsets_to_the_same_bytes_as_reportlab_loads_it(path: str) -> None:
    plain, small = TTFontFace(path), _small_face(path)
    assert small.charToGlyph == plain.charToGlyph
    assert small.charWidths == plain.charWidths
    assert small.defaultWidth == plain.defaultWidth
    assert list(small.hmetrics) == plain.hmetrics
    assert list(small.glyphPos) == plain.glyphPos
    codes = [c for c in map(ord, TEXT) if c in plain.charToGlyph]
    assert codes, "the test text must reach this font"
    assert small.makeSubset(codes) == plain.makeSubset(codes)
    assert small.makeSubset(codes[::-1]) == plain.makeSubset(codes[::-1])


def test_a_loaded_font_maps_its_file_and_keeps_no_copy_of_it() -> None:
    face = _small_face(str(BUNDLED_DIR / "gbsn00lp.ttf"))
    assert isinstance(face._ttf_data, mmap.mmap)
    assert face.glyphToChar == {}  # read by harfbuzz shaping only, which is off
    assert not pdfmetrics.getFont(fonts.load_font(EXT_B_FONT)).shapable


def test_equal_widths_share_one_object_and_keep_their_type() -> None:
    face = _small_face(str(BUNDLED_DIR / "wqy-microhei.ttc"))
    widths = list(face.charWidths.values())
    assert len({id(w) for w in widths}) == len({(type(w), w) for w in widths})


def test_a_subset_lets_the_file_pages_go(monkeypatch: pytest.MonkeyPatch) -> None:
    face = _small_face(str(BUNDLED_DIR / "gbsn00lp.ttf"))
    released: list[object] = []
    monkeypatch.setattr(fontfile, "_release_pages", released.append)
    subset = face.makeSubset([ord(c) for c in "受理告知单"])
    assert subset.startswith(b"\x00\x01\x00\x00")  # a TrueType font
    assert released == [face._ttf_data]
