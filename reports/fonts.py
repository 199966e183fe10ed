"""CJK fonts for PDFs: resolution (configured → system → bundled), caching and per-glyph fallback.

Only TrueType outlines are used (reportlab embeds and subsets them; CFF ``.otf`` such as Noto CJK
cannot be embedded, and the built-in STSong-Light is never embedded, so it prints boxes on a PC
without Chinese fonts). Registered fonts are cached for the whole process: loading a CJK font
takes 0.2–0.5 s, a slip must render in 40 ms.

Fonts are loaded small (reports/fontfile.py, issue 15 #6).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from reports.fontfile import small_ttfont

BUNDLED_DIR: Final[Path] = Path(__file__).resolve().parents[1] / "resources" / "fonts"
BUNDLED: Final = ("wqy-microhei.ttc",)  # last resort of every role (sans)
BUNDLED_SERIF: Final = "gbsn00lp.ttf"  # AR PL SungtiL GB: 宋体 for the serif roles
ROLES: Final = ("fangsong", "song", "hei", "xiaobiaosong")
SERIF_ROLES: Final = frozenset({"fangsong", "song", "xiaobiaosong"})
ROLE_LABELS: Final = {"fangsong": "仿宋", "song": "宋体", "hei": "黑体", "xiaobiaosong": "小标宋"}

# File names by preference, the 方正 GBK faces county offices install first, then Windows' own.
# Windows: %WINDIR%\Fonts and the per-user font folder; Linux: the usual folders and fontconfig.
FZ_FILES: Final[dict[str, tuple[str, ...]]] = {
    "fangsong": ("FZFSK.TTF", "方正仿宋_GBK.TTF", "FZFSJW.TTF", "方正仿宋简体.TTF"),
    "song": ("FZSSK.TTF", "方正书宋_GBK.TTF", "FZSSJW.TTF", "方正书宋简体.TTF"),
    "hei": ("FZHTK.TTF", "方正黑体_GBK.TTF", "FZHTJW.TTF", "方正黑体简体.TTF"),
    "xiaobiaosong": ("FZXBSK.TTF", "方正小标宋_GBK.TTF", "FZXBSJW.TTF", "方正小标宋简体.TTF"),
}
WINDOWS_FILES: Final[dict[str, tuple[str, ...]]] = {
    "fangsong": ("仿宋_GB2312.ttf", "FS_GB2312.ttf", "simfang.ttf"),
    "song": ("simsun.ttc", "simsun.ttf"),
    "hei": ("simhei.ttf",),
    "xiaobiaosong": ("simsun.ttc",),  # 宋体 drawn bold when no 小标宋 is installed
}
# Linux: Windows fonts copied over come first, then the free faces distributions install
# (AR PL UMing, fonts-arphic-uming: a 宋 face that prints better than the bundled SungtiL).
LINUX_FILES: Final[dict[str, tuple[str, ...]]] = {
    "fangsong": ("simfang.ttf", "uming.ttc"),
    "song": ("simsun.ttc", "uming.ttc"),
    "hei": ("simhei.ttf", "wqy-microhei.ttc", "wqy-zenhei.ttc"),
    "xiaobiaosong": ("simsun.ttc", "uming.ttc"),
}
# A title face that is bold already; any other 小标宋 stand-in is drawn bold (fill and stroke).
BOLD_TITLE_FILES: Final = frozenset(n.lower() for n in FZ_FILES["xiaobiaosong"])
WINDOWS_RARE: Final = ("simsunb.ttf", "simsun.ttc")  # SimSun-ExtB covers CJK Extension B
LINUX_RARE: Final = ("HanaMinB.ttf", "HanaMinA.ttf", "uming.ttc", "wqy-zenhei.ttc")
RARE_MIN_BYTES = 1_000_000  # any installed font this big may be a CJK one worth trying
LINUX_DIRS: Final = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts",
                     "~/.fonts")  # fmt: skip


def _utf16_hex(code: int) -> str:
    """A code point as the UTF-16BE hex a ToUnicode CMap needs (surrogate pair above U+FFFF)."""
    return chr(code).encode("utf-16-be", "surrogatepass").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """ToUnicode CMap of one font subset, correct for characters outside the BMP."""
    lines = [
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar",
        *(f"<{i:02X}> <{_utf16_hex(code)}>" for i, code in enumerate(subset)),
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ]  # fmt: skip
    return "\n".join(lines)


# WORKAROUND: reportlab 5.1 writes ToUnicode entries as "<%04X>", so 𠮷 (U+20BB7) becomes the
# invalid "<20BB7>" and copy/paste or search of a printed name yields "₻". Entries must be
# UTF-16BE (PDF 32000-1 §9.10.3): <D842DFB7>.
ttfonts.makeToUnicodeCMap = _to_unicode_cmap

_LOCK = threading.RLock()
_LOADED: dict[tuple[str, int], str | Exception] = {}  # (path, index) -> registered name or error
_SCAN: dict[str, dict[str, Path]] = {}  # platform -> lower-case file name -> path


@dataclass(frozen=True, slots=True)
class FontConfig:
    """Where fonts come from; hashable so resolutions are cached per configuration.

    Attributes:
        configured: (role, path) pairs chosen in settings; ``path#N`` picks face N of a .ttc.
        fallbacks: extra font files tried, in order, for characters the role fonts lack.
        system: search the system font folders (off in some tests).
        bundled_dir: folder of the fonts shipped with the application.
    """

    configured: tuple[tuple[str, str], ...] = ()
    fallbacks: tuple[str, ...] = ()
    system: bool = True
    bundled_dir: str = str(BUNDLED_DIR)


def _split(spec: str) -> tuple[str, int]:
    path, _, index = spec.partition("#")
    return path, int(index) if index.isdigit() else 0


def _is_cff(path: str, index: int) -> bool:
    """True for PostScript-outline (CFF) fonts, which reportlab cannot embed."""
    with open(path, "rb") as fh:
        head = fh.read(12 + 4 * (index + 1))
        if head[:4] == b"ttcf":
            offset = int.from_bytes(head[12 + 4 * index : 16 + 4 * index], "big")
            fh.seek(offset)
            head = fh.read(4)
    return head[:4] == b"OTTO"


def load_font(path: str, index: int = 0) -> str:
    """Register the TrueType font once per process and return its reportlab name.

    reportlab keeps one font object per face name, so a second file with the same face (the
    bundled copy of an installed font) shares the first one's glyphs.

    Raises:
        OSError or ValueError: the file is missing, unreadable, CFF or not a font.
    """
    key = (os.path.abspath(path), index)
    with _LOCK:
        cached = _LOADED.get(key)
        if isinstance(cached, str):
            return cached
        if isinstance(cached, Exception):
            raise cached
        try:
            if _is_cff(key[0], index):
                raise ValueError("PostScript (CFF) 字形，不能嵌入 PDF")
            name = f"zz{len(_LOADED)}-{Path(path).stem}-{index}"
            pdfmetrics.registerFont(small_ttfont(name, key[0], index))
        except Exception as exc:  # reportlab raises TTFError, struct.error, OSError…
            error = exc if isinstance(exc, OSError | ValueError) else ValueError(str(exc))
            _LOADED[key] = error
            raise error from None
        _LOADED[key] = name
        return name


def cmap(name: str) -> dict[int, int]:
    """Code point → glyph index of a registered font (glyph 0 is .notdef: missing)."""
    font = pdfmetrics.getFont(name)
    assert isinstance(font, TTFont)
    table: dict[int, int] = font.face.charToGlyph
    return table


def _scan(dirs: Iterable[str]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for base in dirs:
        root = Path(os.path.expandvars(os.path.expanduser(base)))
        if not root.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(name.lower(), Path(dirpath) / name)
    return found


def _fc_list() -> dict[str, Path]:
    """Chinese fonts fontconfig knows beyond the usual folders (Linux)."""
    exe = shutil.which("fc-list")
    if exe is None:
        return {}
    try:
        out = subprocess.run([exe, ":lang=zh", "file"], capture_output=True, text=True,
                             timeout=5, check=False).stdout  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return {}
    paths = (Path(line.split(":", 1)[0].strip()) for line in out.splitlines() if line.strip())
    return {p.name.lower(): p for p in paths if p.suffix.lower() in (".ttf", ".ttc")}


def system_fonts() -> dict[str, Path]:
    """File name (lower case) → path of the TrueType fonts installed on this PC (cached)."""
    with _LOCK:
        if sys.platform not in _SCAN:
            if sys.platform == "win32":
                windir = os.environ.get("WINDIR", r"C:\Windows")
                local = os.environ.get("LOCALAPPDATA", "")
                dirs = [os.path.join(windir, "Fonts")]
                if local:
                    dirs.append(os.path.join(local, "Microsoft", "Windows", "Fonts"))
                _SCAN[sys.platform] = _scan(dirs)
            else:
                _SCAN[sys.platform] = {**_fc_list(), **_scan(LINUX_DIRS)}
        return _SCAN[sys.platform]


@dataclass
class FontSet:
    """The fonts one configuration resolved to, with per-glyph fallback.

    ``role_fonts`` maps each role to a registered font name; ``fallback_files`` are loaded only
    when a character is missing from every font already loaded.
    """

    role_fonts: dict[str, str]
    fallback_files: list[tuple[str, int]]
    warnings: list[str] = field(default_factory=list)
    emboldened: frozenset[str] = frozenset()  # roles drawn bold by stroking (no bold face)
    sources: dict[str, str] = field(default_factory=dict)  # role -> file it resolved to
    origins: dict[str, str] = field(default_factory=dict)  # role -> configured/system/bundled
    _chain: list[str] = field(default_factory=list)
    _cmaps: dict[str, dict[int, int]] = field(default_factory=dict)
    _memo: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in self.role_fonts.values():
            if name not in self._chain:
                self._chain.append(name)
        self._cmaps = {name: cmap(name) for name in self._chain}

    def has(self, name: str, ch: str) -> bool:
        return self._cmaps[name].get(ord(ch), 0) != 0

    def _extend(self) -> bool:
        """Load the next fallback file; False when there is none left."""
        while self.fallback_files:
            path, index = self.fallback_files.pop(0)
            try:
                name = load_font(path, index)
            except (OSError, ValueError) as exc:
                self.warnings.append(f"备用字体 {path} 无法读取（{exc}），已跳过")
                continue
            if name not in self._chain:
                self._chain.append(name)
                self._cmaps[name] = cmap(name)
                return True
        return False

    def font_for(self, ch: str, role: str) -> str | None:
        """The font that draws ``ch``: the role's own, else the first fallback that has it."""
        primary = self.role_fonts[role]
        if self._cmaps[primary].get(ord(ch), 0):
            return primary
        key = (ch, role)
        with _LOCK:
            if key in self._memo:
                return self._memo[key]
            while True:
                hit = next((n for n in self._chain if self._cmaps[n].get(ord(ch), 0)), None)
                if hit is not None or not self._extend():
                    break
            self._memo[key] = hit
            return hit

    def runs(self, text: str, role: str) -> Iterator[tuple[str | None, str]]:
        """Split ``text`` into (font name, text) runs; ``None`` marks characters no font has."""
        primary = self.role_fonts[role]
        table = self._cmaps[primary]
        if all(table.get(ord(c), 0) or c in "\n\t" for c in text):
            yield primary, text
            return
        current: str | None = primary
        buf: list[str] = []
        for ch in text:
            font = primary if ch in "\n\t " else self.font_for(ch, role)
            if font != current and buf:
                yield current, "".join(buf)
                buf = []
            current = font
            buf.append(ch)
        if buf:
            yield current, "".join(buf)

    def missing(self, texts: Iterable[str], role: str = "fangsong") -> tuple[str, ...]:
        """Characters no available font can draw, in order of first appearance."""
        out: dict[str, None] = {}
        for text in texts:
            for font, run in self.runs(text, role):
                if font is None:
                    out.update(dict.fromkeys(run))
        return tuple(out)


def candidates(config: FontConfig, role: str) -> Iterator[tuple[str, int, str]]:
    """(path, face index, where it came from) in resolution order for one role."""
    for r, spec in config.configured:
        if r == role:
            path, index = _split(spec)
            yield path, index, "configured"
    if config.system:
        installed = system_fonts()
        names = FZ_FILES[role] + (WINDOWS_FILES if sys.platform == "win32" else LINUX_FILES)[role]
        for name in names:
            if name.lower() in installed:
                yield str(installed[name.lower()]), 0, "system"
    if role in SERIF_ROLES:
        yield str(Path(config.bundled_dir) / BUNDLED_SERIF), 0, "bundled"
    for name in BUNDLED:
        yield str(Path(config.bundled_dir) / name), 0, "bundled"


def _rare_files(config: FontConfig) -> list[tuple[str, int]]:
    """Fonts tried, in order, for a character the role fonts lack: configured, the known
    Extension B faces, then any other large installed font (loaded only when needed)."""
    files = [_split(spec) for spec in config.fallbacks]
    if config.system:
        installed = system_fonts()
        names = WINDOWS_RARE if sys.platform == "win32" else LINUX_RARE
        files += [(str(installed[n.lower()]), 0) for n in names if n.lower() in installed]
        known = {path for path, _ in files}
        for _name, path in sorted(installed.items()):
            if str(path) not in known and _size(path) >= RARE_MIN_BYTES:
                files.append((str(path), 0))
    return files


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


_RESOLVED: dict[FontConfig, FontSet] = {}


def resolve(config: FontConfig | None = None) -> FontSet:
    """Resolve every role to a loadable TrueType font (cached per configuration).

    A configured or system font that cannot be read is skipped with a warning, and the next
    candidate is used; the bundled font is the last resort.

    Raises:
        RuntimeError: not even the bundled font can be loaded (broken installation).
    """
    config = config or FontConfig()
    with _LOCK:
        cached = _RESOLVED.get(config)
        if cached is not None:
            return cached
        role_fonts: dict[str, str] = {}
        sources: dict[str, str] = {}
        origins: dict[str, str] = {}
        warnings: list[str] = []
        bold: set[str] = set()
        for role in ROLES:
            for path, index, origin in candidates(config, role):
                try:
                    role_fonts[role] = load_font(path, index)
                    sources[role] = path
                    origins[role] = origin
                    if role == "xiaobiaosong" and origin != "configured" \
                            and Path(path).name.lower() not in BOLD_TITLE_FILES:  # fmt: skip
                        bold.add(role)
                    break
                except (OSError, ValueError) as exc:
                    if origin != "system" or not isinstance(exc, FileNotFoundError):
                        label = ROLE_LABELS[role]
                        warnings.append(f"{label}字体 {path} 无法使用（{exc}），已改用下一候选字体")
            else:
                raise RuntimeError(f"没有可用的中文字体（{ROLE_LABELS[role]}），安装可能已损坏")
        font_set = FontSet(role_fonts, _rare_files(config), list(dict.fromkeys(warnings)),
                           frozenset(bold), sources, origins)  # fmt: skip
        _RESOLVED[config] = font_set
        return font_set


ORIGIN_LABELS: Final = {"configured": "设置中选择", "system": "本机字体", "bundled": "随软件附带"}


@dataclass(frozen=True, slots=True)
class RoleFont:
    """What one role (仿宋, 宋体, 黑体, 小标宋) resolved to, for the settings screen."""

    role: str
    label: str
    configured: str  # the file chosen in settings ("" for automatic)
    path: str  # the file actually used
    origin: str  # configured / system / bundled
    bold: bool  # drawn bold by stroking (no bold title face installed)

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS.get(self.origin, self.origin)


def role_report(config: FontConfig) -> tuple[RoleFont, ...]:
    """Which font every role resolved to under ``config`` (loads the fonts once)."""
    fonts = resolve(config)
    chosen = dict(config.configured)
    return tuple(RoleFont(role, ROLE_LABELS[role], chosen.get(role, ""), fonts.sources[role],
                          fonts.origins[role], role in fonts.emboldened)
                 for role in ROLES)  # fmt: skip


def check_font(spec: str) -> str:
    """Load a font file chosen by the user; its reportlab name.

    Raises:
        OSError or ValueError: missing, unreadable, PostScript (CFF) outlines or not a font.
    """
    path, index = _split(spec)
    return load_font(path, index)
