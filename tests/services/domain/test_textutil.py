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


# --- json_text_clean: the hub's byte scan in front of json_problem (issue 10, push speed) ---

import json  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from services.domain.textutil import json_problem, json_text_clean  # noqa: E402


def _raw(value: object) -> bytes | None:
    """What the hub scans: the canonical JSON's UTF-8 (None when it cannot be encoded: the
    hub refuses such a change before any check)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return None


_SCALARS = (
    st.none() | st.booleans() | st.text() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["\x00", "a\x7fb", "\x85", "\r", "\t\n", "\\u0000", "𠮷", "\ud800", "·"])
)  # fmt: skip
_JSON = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),  # fmt: skip
    max_leaves=40,
)


@settings(max_examples=400, deadline=None)
@given(_JSON)
def test_json_text_clean_never_passes_what_json_problem_refuses(value: object) -> None:
    raw = _raw(value)
    if raw is not None and json_text_clean(raw):
        assert json_problem(value) is None


def _nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return {"d": value}


@pytest.mark.parametrize(
    "value",
    [{"a": "x\x00"}, {"a": "\x7f"}, {"a": "\x9f"}, {"a": "\r"}, {"a": "\x0b"}, {"a\x01": 1},
     {"n": float("nan")}, {"n": float("inf")}, {"n": 2**63}, {"n": -(2**63)},
     {"n": 1e16}, {"n": -1.2345678901234567e17}, {"n": [1.5e300]}, _nested(34)],
)  # fmt: skip
def test_json_text_clean_sends_every_refused_value_to_the_full_check(value: object) -> None:
    assert json_problem(value) is not None
    raw = _raw(value)
    assert raw is not None and not json_text_clean(raw)


def test_json_text_clean_passes_an_ordinary_case_row() -> None:
    row = {"row": {"id": "0191d3c2-7a1b-4c8e-9f00-123456789abc", "title": "宅基地边界纠纷",
                   "summary": "张三与邻居因宅基地边界发生纠纷，\n要求调解", "people_count": 2,
                   "amount_cents": 1_250_000, "due_provisional": False,
                   "occurred_at": None}}  # fmt: skip
    assert json_text_clean(_raw(row) or b"")
