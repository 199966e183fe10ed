"""The one text validator (统一文本校验): what any form field may hold."""

from __future__ import annotations

import pytest

from services.domain.errors import ValidationError
from services.domain.textutil import clean_text, text_problem


@pytest.mark.parametrize(
    ("bad", "says"),
    [
        ("住址\x00青山村", "控制字符（第3个字符）"),
        ("\x07响铃", "控制字符（第1个字符）"),
        ("a\x7fb", "控制字符"),
        ("a\x85b", "控制字符"),  # C1 control
        ("坏\ud800字", "无效的字符编码（第2个字符）"),  # a lone surrogate
        ("\udfff", "无效的字符编码"),
    ],
)
def test_control_characters_and_lone_surrogates_are_refused_naming_the_field(
    bad: str, says: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_text(bad, "parties[0].address", "住址", max_len=200)
    assert caught.value.field == "parties[0].address"
    assert caught.value.message.startswith("住址") and says in caught.value.message
    assert text_problem(bad) is not None


def test_over_long_text_is_refused_never_cut() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_text("字" * 100_000, "note", "备注", max_len=500)
    assert caught.value.code == "note.too_long"
    assert "备注不能超过500字（现有100000字）" == caught.value.message
    assert clean_text("字" * 500, "note", "备注", max_len=500) == "字" * 500


def test_rare_characters_emoji_newlines_and_tabs_are_kept() -> None:
    text = "𠮷野家\t门口😀\r\n第二行\r第三行"
    assert clean_text(f"  {text}  ", "note", "备注", max_len=50) == (
        "𠮷野家\t门口😀\n第二行\n第三行"
    )
    assert text_problem("𠮷野家\n😀") is None


def test_required_and_missing_values() -> None:
    assert clean_text(None, "note", "备注", max_len=10) == ""
    with pytest.raises(ValidationError) as caught:
        clean_text("   ", "summary", "诉求简述", max_len=10, required=True)
    assert caught.value.message == "请填写诉求简述"


def test_text_problem_refuses_exactly_control_characters_and_surrogates() -> None:
    """The one-scan check agrees with unicodedata on every code point (Cc but \\n and \\t, Cs)."""
    import unicodedata

    from services.domain.textutil import text_problem

    for cp in range(0x110000):
        ch = chr(cp)
        refused = unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t"
        assert (text_problem("ab" + ch) is not None) is refused, hex(cp)
    assert text_problem("ab\x07c") == "含有无法识别的控制字符（第3个字符）"
    assert text_problem("ab\ud800") == "含有无效的字符编码（第3个字符）"
