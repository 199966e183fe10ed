"""Free-text and pinyin helpers: the one text validator every service uses, and pinyin."""

from __future__ import annotations

import functools
import math
import os
import re
import unicodedata
from pathlib import Path
from typing import Any

from services.domain.errors import ValidationError
from services.domain.identity import fold_name
from services.domain.messages import msg

# Every character of category Cc (U+0000-001F, U+007F-009F) but newline and tab, and every
# surrogate (Cs); checked against unicodedata in tests/services/domain/test_textutil.py.
_REFUSED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
SUPPLEMENT_FILE = Path(__file__).resolve().parents[2] / "resources" / "pinyin" / "supplement.tsv"
# The phrases whose reading is not the characters' own (重庆 chongqing, 尉迟 yuchi), from
# pypinyin's phrase dictionary: pypinyin loads only these, not its 47,000 phrases (44 MB).
PHRASES_FILE = SUPPLEMENT_FILE.with_name("phrases.tsv")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored or sent as text, or ``None`` when it can.

    Refused: NUL and every other control character except newline and tab (PostgreSQL text
    refuses NUL; the others are never typed and break prints and exports), and lone UTF-16
    surrogates (not encodable as UTF-8: SQLite, PostgreSQL and JSON all fail on them). Rare
    characters outside the BMP (𠮷), emoji and variation selectors are fine.
    """
    found = _REFUSED.search(value)  # one C-level scan: this runs on every stored text
    if found is None:
        return None
    position = found.start() + 1
    if unicodedata.category(found.group()) == "Cs":
        return msg("含有无效的字符编码（第{position}个字符）", position=position)
    return msg("含有无法识别的控制字符（第{position}个字符）", position=position)


def clean_text(
    value: str | None, field: str, label: str, *, max_len: int, required: bool = False
) -> str:
    """The one check of free text typed into any form (统一文本校验).

    Trims ``value`` and unifies line breaks, then raises :class:`ValidationError` naming
    ``label`` (the field's Chinese name) when it is required and empty, longer than
    ``max_len`` code points (refused, never cut), or holds a character :func:`text_problem`
    refuses. Returns the cleaned text.
    """
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not text:
        raise ValidationError(field, f"{field}.required", msg("请填写{label}", label=label))
    problem = text_problem(text)
    if problem is not None:
        raise ValidationError(field, f"{field}.invalid_char",
                              msg("{label}{problem}", label=label, problem=problem))  # fmt: skip
    if len(text) > max_len:
        raise ValidationError(
            field,
            f"{field}.too_long",
            msg(
                "{label}不能超过{limit}字（现有{count}字）",
                label=label,
                limit=max_len,
                count=len(text),
            ),
        )
    return text


MAX_JSON_DEPTH = 32
_INT_LIMIT = 2**63
# PostgreSQL's JSONB keeps a number as a decimal: a float from 1e16 up (which JSON writes with an
# exponent) comes back as a different integer (1.2345678901234567e17 as 123456789012345670), so
# the pulled row never equals the pushed one again. Below it, every float comes back the same.
FLOAT_LIMIT = 1e16


def json_problem(value: Any, where: str = "", depth: int = 0) -> tuple[str, str] | None:
    """The first value in a JSON document that cannot be stored: ``(path, why)``, or ``None``.

    Every string (keys included) must pass :func:`text_problem`; numbers must be finite and
    integers fit in 64 bits, floats are below :data:`FLOAT_LIMIT` in magnitude (NaN, Infinity
    and ``1e400`` are refused); nesting is bounded.
    """
    if value is None or isinstance(value, bool | str | int | float):
        return _scalar_problem(value, where)
    if depth >= MAX_JSON_DEPTH:
        return where, "嵌套层次过深"
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return where, "字段名不是文本"
            path = f"{where}.{key}" if where else key
            found = text_problem(key)
            if found is not None:
                return path, "字段名" + found
            found_item = json_problem(item, path, depth + 1)
            if found_item is not None:
                return found_item
        return None
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            found_item = json_problem(item, f"{where}[{i}]", depth + 1)
            if found_item is not None:
                return found_item
        return None
    return where, "不是有效的数据类型"


_DIGITS_ONLY = bytes(0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256))
_LONG_NUMBER = b"0" * 19  # 2**63 has 19 digits: a shorter run of digits always fits
_ESCAPE = re.compile(rb"\\[ubfr]")  # JSON escapes of the refused control characters
_C1 = re.compile(rb"\xc2[\x80-\x9f]")  # U+0080-U+009F in UTF-8


def json_text_clean(raw: bytes) -> bool:
    """``True`` when ``raw``, the UTF-8 of ``json.dumps(value, ensure_ascii=False)`` of a value
    decoded from JSON (keys are text), certainly passes :func:`json_problem`; ``False`` when it
    may not (then ask :func:`json_problem`, which names the culprit).

    A few byte scans instead of a walk over every value (the hub checks every pushed change):
    ``json.dumps`` writes every refused control character as an escape (``\\u00XX``, ``\\b``,
    ``\\f``, ``\\r``; newline and tab as ``\\n``/``\\t``, which are allowed) except U+007F-U+009F,
    which it writes as is; a lone surrogate cannot be encoded as UTF-8 at all; NaN and the
    infinities are written ``NaN``/``Infinity``; an integer out of 64 bits has 19 or more
    digits; a float of magnitude 1e16 or more is written with a positive exponent (``e+``:
    ``repr`` writes one from 1e16 up, and never inside a shorter float); nesting needs as many
    brackets. Text that merely looks like one of these (a
    backslash in a note, 19 digits in a row) only sends the value to the full check.
    """
    if b"\x7f" in raw or b"NaN" in raw or b"Infinity" in raw or b"e+" in raw:
        return False
    if b"\xc2" in raw and _C1.search(raw):
        return False
    if b"\\" in raw and _ESCAPE.search(raw):
        return False
    if _LONG_NUMBER in raw.translate(_DIGITS_ONLY):
        return False
    return raw.count(b"{") + raw.count(b"[") < MAX_JSON_DEPTH


def _scalar_problem(value: Any, where: str) -> tuple[str, str] | None:
    if isinstance(value, str):
        found = text_problem(value)
        return None if found is None else (where, found)
    if isinstance(value, float) and not math.isfinite(value):
        return where, "不是有限的数值"
    if isinstance(value, float) and abs(value) >= FLOAT_LIMIT:
        return where, "数值超出范围"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= _INT_LIMIT:
        return where, "数值超出范围"
    return None


@functools.cache
def pinyin_supplement() -> dict[str, str]:
    """Readings of characters pypinyin does not know (resources/pinyin/supplement.tsv)."""
    table: dict[str, str] = {}
    for line in SUPPLEMENT_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            char, reading = line.split("\t")[:2]
            table[char] = reading.strip().lower()
    return table


def name_phrases() -> dict[str, list[list[str]]]:
    """resources/pinyin/phrases.tsv: phrase, tab, its readings (with tones) by spaces."""
    table: dict[str, list[list[str]]] = {}
    for line in PHRASES_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            phrase, readings = line.split("\t")[:2]
            table[phrase] = [[r] for r in readings.split()]
    return table


@functools.cache
def _pypinyin() -> Any:
    """pypinyin with its single-character dictionary and only the phrases a name's reading can
    depend on (14 MB instead of 58 MB; the same readings: tests/services/domain/test_pinyin)."""
    if os.environ.get("ZZ_PINYIN_WHOLE"):  # the test comparing with the whole dictionary
        import pypinyin as whole

        return whole
    preset = os.environ.get("PYPINYIN_NO_PHRASES")
    os.environ["PYPINYIN_NO_PHRASES"] = "1"  # read once, when pypinyin is imported
    try:
        import pypinyin
    finally:
        if preset is None:
            del os.environ["PYPINYIN_NO_PHRASES"]
        else:
            os.environ["PYPINYIN_NO_PHRASES"] = preset
    pypinyin.load_phrases_dict(name_phrases())
    return pypinyin


@functools.cache
def warm_pinyin() -> None:
    """Import pypinyin and load its dictionaries now (~0.3 s), not inside a save; once per
    process (each save calls it: a second reading of 张三 cost a save ~0.1 ms)."""
    _pinyin_of("张三")


@functools.lru_cache(maxsize=4096)
def pinyin_of(name: str) -> tuple[str, str]:
    """Full pinyin (no tones, no spaces) and initials of a name, lower case.

    A character pypinyin does not know takes its reading from the supplementary table, or else
    contributes itself (never nothing); a Latin word contributes its first letter to the
    initials ("John Smith" → "js"). Remembered for the last 4,096 names (names repeat: a
    township's surnames and given names are few; a reading costs ~0.1 ms).
    """
    return _pinyin_of(name)


def _pinyin_of(name: str) -> tuple[str, str]:
    pypinyin = _pypinyin()  # ~0.3 s to import: load on first use, not at start
    lazy_pinyin, first_letter = pypinyin.lazy_pinyin, pypinyin.Style.FIRST_LETTER
    name = fold_name(name)  # •, ・ and the like as ·, which is left out
    extra = pinyin_supplement()

    def keep(run: str) -> list[str]:  # Latin runs come back whole: split into words
        out: list[str] = []
        for word in run.split():
            if all(ch in extra for ch in word):
                out += [extra[ch] for ch in word]
            else:
                out += [extra.get(ch, ch) for ch in word] if not word.isascii() else [word]
        return out

    errors: Any = keep
    syllables = [s for s in lazy_pinyin(name, errors=errors) if s.strip() and s != "·"]
    initials = [s for s in lazy_pinyin(name, style=first_letter, errors=errors)]
    full = "".join(syllables).lower().replace("·", "")
    short = "".join(i[0] for i in initials if i.strip() and i[0] != "·").lower()
    return full, short


def prefix_end(prefix: str) -> str:
    """The least string above every string that starts with ``prefix`` (for index range scans).

    Not ``prefix + "\\uffff"``: a character outside the BMP (𠮷, U+20BB7) sorts above U+FFFF.
    """
    return prefix + "\U0010ffff"


def is_pinyin_query(text: str) -> bool:
    """True when the query is plain ASCII letters (a pinyin or initials search)."""
    return bool(text) and text.isascii() and text.isalpha()
