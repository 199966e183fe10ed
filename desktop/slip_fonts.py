"""文书字体: the fonts of printed documents per role, chosen in settings (kept apart from
:mod:`desktop.fonts` so the screen font is set before reportlab is imported)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from desktop.settings import Settings
from reports.fonts import ROLES, FontConfig, RoleFont, check_font, role_report
from reports.slips import configure
from services.domain.errors import PermissionDeniedError, ValidationError

log = logging.getLogger(__name__)


class SlipFonts:
    """The fonts of printed documents (文书字体), chosen per role by the director in settings.

    Args:
        settings: the saved settings (``slip_fonts``: role → font file).
        save: writes the settings.
        can_change: whether the signed-in user may change them (director or administrator).
    """

    def __init__(self, settings: Settings, save: Callable[[Settings], None],
                 can_change: Callable[[], bool]) -> None:  # fmt: skip
        self._settings, self._save, self._can_change = settings, save, can_change

    def config(self) -> FontConfig:
        chosen = self._settings.slip_fonts
        return FontConfig(configured=tuple((r, chosen[r]) for r in ROLES if chosen.get(r)))

    def apply(self) -> None:
        """Every slip, notice and agreement renders with these fonts from now on."""
        configure(self.config())

    def may_change(self) -> bool:
        return self._can_change()

    def roles(self) -> tuple[RoleFont, ...]:
        return role_report(self.config())

    def set_font(self, role: str, path: str) -> tuple[RoleFont, ...]:
        """Use ``path`` for ``role`` ("" for automatic); refused for a file that cannot embed."""
        if not self._can_change():
            raise PermissionDeniedError("fonts.role", "只有中心主任或系统管理员可以更改文书字体")
        if role not in ROLES:
            raise ValidationError("role", "fonts.role", "未知的字体用途")
        if path:
            try:
                check_font(path)
            except (OSError, ValueError) as exc:
                log.warning("font file refused (%s)", type(exc).__name__)
                raise ValidationError("path", "fonts.file",
                                      f"这个字体文件不能使用：{exc}。请选择 TrueType 字体"
                                      "（.ttf 或 .ttc）") from None  # fmt: skip
            self._settings.slip_fonts[role] = path
        else:
            self._settings.slip_fonts.pop(role, None)
        self._save(self._settings)
        self.apply()
        return self.roles()
