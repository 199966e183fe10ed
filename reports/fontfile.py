"""TrueType fonts loaded small (issue 15 #6): the same reportlab font in a fraction of its memory.

reportlab reads the whole file into a ``bytes`` and keeps per-glyph Python lists and tuples it
needs only to make a subset. A font loaded here maps its file instead (only the tables parsed and
the glyphs subset are read, and their pages are let go after use), keeps the glyph offsets and
metrics in arrays, shares equal widths and drops ``glyphToChar`` (harfbuzz shaping only, which
is off). RSS of one load: wqy-microhei 22 → 14 MB, HanaMinB (the 𠮷 fallback) 54 → 18 MB,
gbsn00lp 8.5 → 3.4 MB. Metrics and subsets are the same as reportlab's own load
(tests/reports/test_fonts_memory.py).
"""

from __future__ import annotations

import mmap
from array import array
from collections.abc import Callable, Sequence

from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTFont


def small_ttfont(name: str, path: str, index: int = 0) -> TTFont:
    """reportlab's ``TTFont(name, path, subfontIndex=index)``, kept small.

    Raises:
        whatever reportlab raises for a file that is not a TrueType font (TTFError, struct.error,
        OSError), or ValueError for an empty file.
    """
    font = TTFont(name, _MappedFile(path), subfontIndex=index, shapable=False)
    _compact(font.face)
    return font


class _MappedFile:
    """A font file as reportlab reads it (``name``, ``read()``), mapped instead of copied."""

    def __init__(self, path: str) -> None:
        self.name = path

    def read(self) -> mmap.mmap:
        with open(self.name, "rb") as fh:  # the mapping stays valid once the file is closed
            return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)


class _Metrics(Sequence[tuple[float, int]]):
    """reportlab's ``hmetrics`` (advance width, left side bearing per glyph) in two arrays;
    read only when a subset is made, for the glyphs it holds."""

    def __init__(self, pairs: Sequence[tuple[float, int]]) -> None:
        self._advance = array("d", (aw for aw, _lsb in pairs))
        self._bearing = array("H", (lsb for _aw, lsb in pairs))

    def __len__(self) -> int:
        return len(self._advance)

    def __getitem__(self, index: int) -> tuple[float, int]:  # type: ignore[override]
        return self._advance[index], self._bearing[index]


class _Window:
    """One table of a mapped font read slice by slice: subsetting takes a few glyphs out of
    ``glyf``, and reportlab's own ``get_table`` would copy (and page in) the whole table."""

    def __init__(self, data: mmap.mmap, start: int, length: int) -> None:
        self._data, self._range = data, range(start, start + length)

    def __len__(self) -> int:
        return len(self._range)

    def __getitem__(self, index: slice) -> bytes:
        part = self._range[index]
        if part.step != 1:
            raise ValueError("font tables are read in plain slices")
        return self._data[part.start : part.stop] if part else b""


def _lazy_glyf(face: ttfonts.TTFontFace) -> Callable[[str], object]:
    plain = face.get_table

    def get_table(tag: str) -> object:
        if tag != "glyf":
            return plain(tag)
        start, length = face.get_table_pos(tag)
        return _Window(face._ttf_data, start, length)

    return get_table


def _release_pages(data: mmap.mmap) -> None:
    """Take the file's pages out of this process (they stay in the system's file cache and
    come back on the next read): a subset or the parse pages in far more of the file than it
    reads (the kernel maps 64 KiB around each read), 4 of gbsn00lp's 5 MB after a report."""
    if hasattr(mmap, "MADV_DONTNEED"):  # Linux and macOS; Windows trims mapped pages itself
        data.madvise(mmap.MADV_DONTNEED)


def _releasing(face: ttfonts.TTFontFace) -> Callable[[Sequence[int]], bytes]:
    make = face.makeSubset

    def make_subset(subset: Sequence[int]) -> bytes:
        try:
            return make(subset)  # type: ignore[no-any-return]
        finally:
            _release_pages(face._ttf_data)

    return make_subset


def _compact(face: ttfonts.TTFontFace) -> None:
    """The same metrics in less memory: glyph offsets and metrics in arrays, one object per
    distinct width, no ``glyphToChar`` (read only by harfbuzz shaping, which is off), the
    glyph table read glyph by glyph from the mapped file, and its pages let go after use."""
    face.get_table = _lazy_glyf(face)
    face.makeSubset = _releasing(face)
    face.glyphPos = array("L", face.glyphPos)
    face.hmetrics = _Metrics(face.hmetrics)
    face.glyphToChar = {}
    widths: dict[tuple[type, float], float] = {}
    table = face.charWidths
    for code, width in table.items():
        table[code] = widths.setdefault((type(width), width), width)
    _release_pages(face._ttf_data)  # what the parse read is in the dicts and arrays now
