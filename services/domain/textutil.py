"""Free-text and pinyin helpers shared by registration, search and the workflow."""

from __future__ import annotations

import unicodedata
from typing import Any

from services.domain.errors import ValidationError

_ALLOWED_CONTROLS = {"\n", "\t"}


def clean_text(value: str, field: str, label: str, *, max_len: int, required: bool = False) -> str:
    """Trim ``value`` and check it: no control characters, at most ``max_len`` code points.

    Rare characters outside the BMP (𠮷) and emoji are kept as typed.
    """
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError(field, f"{field}.required", f"请填写{label}")
    if len(text) > max_len:
        raise ValidationError(
            field, f"{field}.too_long", f"{label}不能超过{max_len}字（现有{len(text)}字）"
        )
    for ch in text:
        if ch not in _ALLOWED_CONTROLS and unicodedata.category(ch) in ("Cc", "Cs"):
            raise ValidationError(field, f"{field}.invalid_char", f"{label}含有无法识别的控制字符")
    return text


def pinyin_of(name: str) -> tuple[str, str]:
    """Full pinyin (no tones, no spaces) and initials of a name, lower case.

    Characters pypinyin does not know (𠮷) contribute themselves; a Latin word contributes its
    first letter to the initials ("John Smith" → "js").
    """
    from pypinyin import Style, lazy_pinyin  # ~0.3 s to import: load on first use, not at start

    keep: Any = lambda s: s.split()  # noqa: E731 - Latin runs come back whole, split into words
    syllables = [s for s in lazy_pinyin(name, errors=keep) if s.strip() and s != "·"]
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=keep)
    full = "".join(syllables).lower().replace("·", "")
    short = "".join(i[0] for i in initials if i.strip() and i[0] != "·").lower()
    return full, short


def is_pinyin_query(text: str) -> bool:
    """True when the query is plain ASCII letters (a pinyin or initials search)."""
    return bool(text) and text.isascii() and text.isalpha()
