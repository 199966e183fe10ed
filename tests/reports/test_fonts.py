"""Font roles: bundled serif faces with licences, 方正 GBK faces first, a bold title from a
regular face, per-glyph fallback to any installed font."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

import pdfplumber
import pytest

from reports import fonts
from reports.fonts import BUNDLED_DIR, FontConfig, candidates, resolve
from reports.slips import SlipPdfRenderer
from services.slips.dto import RenderOptions, SlipDocument, SlipLine
from tests.reports.conftest import EXT_B_FONT, TEST_FONTS

DOC = SlipDocument(kind="acceptance", title="受理告知单", layout="form", issuer="青山镇综治中心",
                   number="青综治受〔2026〕1号", case_code="620123101000-2026-000001",
                   date_text="2026年11月22日", rows=(SlipLine("当事人", "𠮷祥"),))  # fmt: skip


def test_every_bundled_font_ships_with_its_licence() -> None:
    for font in [*BUNDLED_DIR.glob("*.tt[fc]")]:
        stem = font.stem
        licences = [p for p in BUNDLED_DIR.iterdir() if p.name.startswith(stem) and p != font]
        assert any("LICENSE" in p.name.upper() for p in licences), font.name


def test_bundled_only_gives_serif_roles_a_song_face_and_a_bold_title() -> None:
    font_set = resolve(TEST_FONTS)
    for role in ("fangsong", "song", "xiaobiaosong"):
        assert Path(font_set.sources[role]).name == "gbsn00lp.ttf", role
    assert Path(font_set.sources["hei"]).name == "wqy-microhei.ttc"
    assert font_set.emboldened == frozenset({"xiaobiaosong"})
    pdf = SlipPdfRenderer(TEST_FONTS)(DOC, RenderOptions())
    assert b"2 Tr" in _content(pdf.pdf)
    with pdfplumber.open(io.BytesIO(pdf.pdf)) as doc:
        body = [c for c in doc.pages[0].chars if c["text"] == "祥"]
        assert body and all("BousungEG" in c["fontname"] for c in body)


def _content(pdf: bytes) -> bytes:
    from pypdf import PdfReader

    streams = [p.get_contents() for p in PdfReader(io.BytesIO(pdf)).pages]
    return b"".join(s.get_data() for s in streams if s is not None)


def _installed(monkeypatch: pytest.MonkeyPatch, files: dict[str, Path]) -> None:
    monkeypatch.setattr(fonts, "system_fonts", lambda: {k.lower(): v for k, v in files.items()})
    monkeypatch.setattr(fonts, "_RESOLVED", {})


def test_fangzheng_gbk_faces_come_first(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    bundled = BUNDLED_DIR / "gbsn00lp.ttf"
    files = {}
    for name in ("FZFSK.TTF", "simfang.ttf", "FZXBSK.TTF", "simsun.ttc"):
        files[name] = tmp_path / name
        shutil.copy(bundled, files[name])  # stand-ins: any TrueType face will do
    _installed(monkeypatch, files)
    order = [Path(p).name for p, _, _ in candidates(FontConfig(), "fangsong")]
    assert order[:2] == ["FZFSK.TTF", "simfang.ttf"]
    title = [Path(p).name for p, _, _ in candidates(FontConfig(), "xiaobiaosong")]
    assert title[0] == "FZXBSK.TTF"
    font_set = resolve(FontConfig())
    assert Path(font_set.sources["xiaobiaosong"]).name == "FZXBSK.TTF"
    assert "xiaobiaosong" not in font_set.emboldened  # a real 小标宋 is bold already


def test_rare_character_falls_back_to_any_installed_font(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    other = tmp_path / "SomeoneElsesMing.ttf"
    shutil.copy(EXT_B_FONT, other)
    _installed(monkeypatch, {other.name: other})
    monkeypatch.setattr(fonts, "RARE_MIN_BYTES", 0)
    font_set = resolve(FontConfig())
    assert font_set.missing(["𠮷祥"]) == ()
    assert "SomeoneElsesMing" in (font_set.font_for("𠮷", "fangsong") or "")


def _font_folder(monkeypatch: pytest.MonkeyPatch, folder: Path, names: tuple[str, ...]) -> None:
    """``folder`` as the only font folder, holding the bundled serif face under ``names``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(BUNDLED_DIR / "gbsn00lp.ttf", folder / name)  # any TrueType face will do
    monkeypatch.setattr(fonts, "LINUX_DIRS", (str(folder),))
    monkeypatch.setattr(fonts, "_fc_list", dict)
    monkeypatch.setattr(fonts, "_SCAN", {})
    monkeypatch.setattr(fonts, "_RESOLVED", {})


def test_windows_face_in_the_font_folder_is_chosen_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Found by scanning the folder (not a stubbed list): simfang.ttf copied into the fonts
    folder of a Linux desk is the 仿宋, before the bundled face and the installed free ones."""
    _font_folder(monkeypatch, tmp_path / "fonts", ("simfang.ttf", "uming.ttc"))
    font_set = resolve(FontConfig())
    assert Path(font_set.sources["fangsong"]).name == "simfang.ttf"
    assert font_set.origins["fangsong"] == "system"
    report = {r.role: r for r in fonts.role_report(FontConfig())}
    assert report["fangsong"].origin_label == "本机字体"


def test_windows_font_folder_on_windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On Windows the faces come from %WINDIR%\\Fonts: 方正仿宋_GBK first, then simfang.ttf."""
    _font_folder(monkeypatch, tmp_path / "Windows" / "Fonts", ("simfang.ttf", "simhei.ttf"))
    monkeypatch.setenv("WINDIR", str(tmp_path / "Windows"))
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.setattr(sys, "platform", "win32")
    font_set = resolve(FontConfig())
    assert {r: Path(p).name for r, p in font_set.sources.items()} == {
        "fangsong": "simfang.ttf", "song": "gbsn00lp.ttf", "hei": "simhei.ttf",
        "xiaobiaosong": "gbsn00lp.ttf"}  # fmt: skip
    shutil.copy(BUNDLED_DIR / "gbsn00lp.ttf", tmp_path / "Windows" / "Fonts" / "FZFSK.TTF")
    monkeypatch.setattr(fonts, "_SCAN", {})
    monkeypatch.setattr(fonts, "_RESOLVED", {})
    assert Path(resolve(FontConfig()).sources["fangsong"]).name == "FZFSK.TTF"


def test_installed_free_song_face_serves_the_serif_roles(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A desk with fonts-arphic-uming installed (AR PL UMing, uming.ttc) prints the serif roles
    in it, as it would in 宋体 from Windows; the bundled face stays the last resort."""
    _font_folder(monkeypatch, tmp_path / "fonts", ("uming.ttc",))
    font_set = resolve(FontConfig())
    for role in ("fangsong", "song", "xiaobiaosong"):
        assert Path(font_set.sources[role]).name == "uming.ttc", role
        assert font_set.origins[role] == "system", role
    assert "xiaobiaosong" in font_set.emboldened  # a regular 宋 face stands in for 小标宋
