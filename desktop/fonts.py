"""Make sure Chinese renders: use a system CJK font, else register the bundled one."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

RESOURCES = Path(__file__).resolve().parents[1] / "resources" / "fonts"
PREFERRED = (
    "Microsoft YaHei",
    "微软雅黑",
    "SimSun",
    "宋体",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "文泉驿微米黑",
    "AR PL UMing CN",
)
# Families with CJK Extension B (𠮷 U+20BB7 and other rare name characters), tried glyph by glyph
# after the main family, as the slip PDFs do. Windows ships SimSun-ExtB (simsunb.ttf).
EXT_B_FAMILIES = ("SimSun-ExtB", "MingLiU-ExtB", "HanaMinB", "花園明朝B", "Noto Sans CJK SC",
                  "Noto Serif CJK SC", "Source Han Sans SC")  # fmt: skip
EXT_B_FILES = (
    r"C:\Windows\Fonts\simsunb.ttf",
    "/usr/share/fonts/truetype/hanazono/HanaMinB.ttf",
)
SYSTEM_FILES = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)


def _windows_fonts() -> list[Path]:
    root = Path(r"C:\Windows\Fonts")
    return [root / "msyh.ttc", root / "simsun.ttc"] if sys.platform == "win32" else []


def ensure_cjk_font(app: QApplication) -> str:
    """Pick a CJK family for the whole app and return its name ('' if none could be found)."""
    families = set(QFontDatabase.families())
    for name in PREFERRED:
        if name in families:
            return _use(app, name)
    # the bundled sans for the screen (the bundled 宋体, gbsn00lp.ttf, is for printed slips)
    candidates = [*sorted(RESOURCES.glob("wqy*.tt[fc]")), *map(Path, SYSTEM_FILES),
                  *_windows_fonts()]  # fmt: skip
    for path in candidates:
        if path.exists():
            font_id = QFontDatabase.addApplicationFont(str(path))
            loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if loaded:
                return _use(app, loaded[0])
    return ""


def ext_b_fallbacks() -> list[str]:
    """Installed families that draw Extension B characters (registering known files if needed)."""
    families = set(QFontDatabase.families())
    found = [name for name in EXT_B_FAMILIES if name in families]
    if not found:
        for path in map(Path, EXT_B_FILES):
            if path.exists():
                font_id = QFontDatabase.addApplicationFont(str(path))
                if font_id >= 0:
                    found.extend(QFontDatabase.applicationFontFamilies(font_id)[:1])
    return found


def _use(app: QApplication, family: str) -> str:
    font = QFont(family)
    # A per-glyph fallback list: 𠮷 drawn from an Ext-B family instead of a box.
    font.setFamilies([family, *[f for f in ext_b_fallbacks() if f != family]])
    font.setPointSize(max(app.font().pointSize(), 10))
    app.setFont(font)
    return family
