"""𠮷 is drawn on screen, not a box: the UI font falls back glyph by glyph to an Ext-B family."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.fonts import ensure_cjk_font, ext_b_fallbacks

JI = "\U00020bb7"  # 𠮷, as in 𠮷祥 (a real surname variant)


def _glyphs(font: QFont, text: str) -> list[int]:
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    return [g for run in layout.glyphRuns() for g in run.glyphIndexes()]


def test_the_ui_font_lists_an_ext_b_family_and_draws_ji(qtbot: QtBot) -> None:
    if not ext_b_fallbacks():
        pytest.skip("no font with CJK Extension B on this machine (CI installs fonts-hanazono)")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.font()
    try:
        ensure_cjk_font(app)
        font = app.font()
        assert any(f in font.families() for f in ext_b_fallbacks())
        glyphs = _glyphs(font, JI + "祥")
        assert glyphs and 0 not in glyphs
    finally:
        app.setFont(before)
