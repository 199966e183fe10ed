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
    candidates = [*sorted(RESOURCES.glob("*.tt[fc]")), *map(Path, SYSTEM_FILES), *_windows_fonts()]
    for path in candidates:
        if path.exists():
            font_id = QFontDatabase.addApplicationFont(str(path))
            loaded = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            if loaded:
                return _use(app, loaded[0])
    return ""


def _use(app: QApplication, family: str) -> str:
    font = QFont(family)
    font.setPointSize(max(app.font().pointSize(), 10))
    app.setFont(font)
    return family
