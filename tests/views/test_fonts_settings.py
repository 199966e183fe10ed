"""Issue 14 #4: the director chooses the font of each role in settings and sees what each role
resolved to; the rooms' notice and agreement offer to print missing characters as codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

import views.rooms.printing as room_printing
from desktop.settings import Settings
from desktop.slip_fonts import SlipFonts
from reports.fonts import BUNDLED_DIR, RoleFont
from services.domain.errors import PermissionDeniedError, ValidationError
from services.rooms.dto import NoticeDocument, RoomPrintJob
from services.slips.dto import MissingGlyphsError, RenderedPdf
from ui.tasks import ImmediateTaskRunner
from views.rooms.printing import DocumentPrinter
from views.settings.fonts import FontsPanel

SERIF = str(BUNDLED_DIR / "gbsn00lp.ttf")
SANS = str(BUNDLED_DIR / "wqy-microhei.ttc")


def _fonts(allowed: bool = True) -> tuple[SlipFonts, list[Settings]]:
    saved: list[Settings] = []
    return SlipFonts(Settings(), saved.append, lambda: allowed), saved


def test_director_chooses_a_role_font_and_sees_what_each_role_resolved_to() -> None:
    fonts, saved = _fonts()
    roles = {r.role: r for r in fonts.set_font("fangsong", SANS)}
    assert roles["fangsong"].origin == "configured" and roles["fangsong"].path == SANS
    assert roles["fangsong"].configured == SANS and saved[-1].slip_fonts == {"fangsong": SANS}
    assert {r.label for r in roles.values()} == {"仿宋", "宋体", "黑体", "小标宋"}
    assert all(Path(r.path).exists() for r in roles.values())
    roles = {r.role: r for r in fonts.set_font("fangsong", "")}  # 自动
    assert roles["fangsong"].origin != "configured" and saved[-1].slip_fonts == {}


def test_a_font_that_cannot_embed_is_refused_with_a_reason(tmp_path: Path) -> None:
    fonts, saved = _fonts()
    bad = tmp_path / "not-a-font.ttf"
    bad.write_bytes(b"hello")
    with pytest.raises(ValidationError) as err:
        fonts.set_font("song", str(bad))
    assert "TrueType" in err.value.message and saved == []


def test_only_a_director_changes_the_fonts() -> None:
    fonts, saved = _fonts(allowed=False)
    with pytest.raises(PermissionDeniedError):
        fonts.set_font("hei", SANS)
    assert saved == []


class _Api:
    def __init__(self, allowed: bool) -> None:
        self.allowed = allowed
        self.calls: list[tuple[str, str]] = []

    def may_change(self) -> bool:
        return self.allowed

    def roles(self) -> tuple[RoleFont, ...]:
        return (RoleFont("fangsong", "仿宋", "", "/f/FZFSK.TTF", "system", False),
                RoleFont("song", "宋体", "", SERIF, "bundled", False),
                RoleFont("hei", "黑体", "", SANS, "bundled", False),
                RoleFont("xiaobiaosong", "小标宋", "", SERIF, "bundled", True))  # fmt: skip

    def set_font(self, role: str, path: str) -> tuple[RoleFont, ...]:
        self.calls.append((role, path))
        return self.roles()


def test_settings_panel_shows_each_role_and_lets_only_the_director_choose(qtbot: QtBot) -> None:
    api = _Api(allowed=True)
    panel = FontsPanel(api, ImmediateTaskRunner())
    qtbot.add_widget(panel)
    panel.reload()
    assert panel.used["fangsong"].text() == "FZFSK.TTF（本机字体）"
    assert panel.used["xiaobiaosong"].text() == "gbsn00lp.ttf（随软件附带），加粗显示"
    panel.automatic["hei"].click()
    assert api.calls == [("hei", "")] and "已保存" in panel.message.text()
    clerk = FontsPanel(_Api(allowed=False), ImmediateTaskRunner())
    qtbot.add_widget(clerk)
    clerk.reload()
    assert not clerk.choose["song"].isEnabled() and "中心主任" in clerk.message.text()


def test_rooms_notice_offers_to_print_missing_characters_as_codes(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rooms' notice and agreement offered nothing when no font had a character."""
    rare = chr(0x3FFF0)
    notice = NoticeDocument("（2026）青人调通字第1号", "C-1", "青山镇人民调解委员会", f"张{rare}",
                            "宅基地纠纷", "第一调解室", "2026年12月7日 09:00–10:00", (),
                            "2026年11月20日")  # fmt: skip
    job = RoomPrintJob("d1", notice.number, "", notice=notice)
    allowed: list[bool] = []

    def render(j: RoomPrintJob, *, allow_missing_glyphs: bool = False) -> RenderedPdf:
        allowed.append(allow_missing_glyphs)
        if not allow_missing_glyphs:
            raise MissingGlyphsError((rare,))
        return RenderedPdf(b"%PDF-1.4", "0" * 64, 1, missing_glyphs=(rare,))

    monkeypatch.setattr(room_printing, "render_print_job", render)
    sunk: list[bytes] = []
    asked: list[str] = []
    errors: list[BaseException] = []
    answer = [True]
    printer = DocumentPrinter(None, ImmediateTaskRunner(),  # type: ignore[arg-type]
                              lambda: lambda pdf, _n, _p, _saved: sunk.append(pdf), lambda _t: None,
                              errors.append,
                              confirm=lambda t: asked.append(t) or answer[0])  # type: ignore[func-returns-value]  # fmt: skip
    printer.print_job(lambda: job)
    assert allowed == [False, True] and sunk == [b"%PDF-1.4"] and errors == []
    assert "U+3FFF0" in asked[0] and "编码" in asked[0]
    answer[0] = False
    printer.print_job(lambda: job)
    assert len(sunk) == 1 and errors == []  # declined: nothing printed, no error box
