"""One name folding for storing, matching, searching and pinyin (issue 12, finding 4)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from services.cases.search import search_case_ids
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.textutil import pinyin_of
from services.people.matching import match_persons
from services.reception.registration import register_walk_in


def _register(ctx: ServiceContext, walk_in: Callable[..., WalkInInput], name: str) -> str:
    form = walk_in(parties=(PartyInput(name=name, phone="13812345678"),))
    return register_walk_in(ctx, form).case_id


def _names(ctx: ServiceContext, *, name: str) -> list[str]:
    with ctx.store.read() as session:
        return [c.person.name for c in match_persons(session, name=name)]


@pytest.mark.parametrize(
    "typed", ["阿依古丽·买买提", "阿依古丽•买买提", "阿依古丽・买买提", "阿依古丽･买买提"]
)
def test_a_name_typed_with_any_dot_finds_the_person(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], typed: str
) -> None:
    _register(ctx, walk_in, "阿依古丽·买买提")
    assert _names(ctx, name=typed) == ["阿依古丽·买买提"]


@pytest.mark.parametrize(
    "typed", ["阿依古丽·买买提", "阿依古丽•买买提", "阿依古丽・买买提", "阿依古丽买买提", "买买提"]
)
def test_a_name_typed_with_any_dot_or_none_finds_the_case(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], typed: str
) -> None:
    case_id = _register(ctx, walk_in, "阿依古丽•买买提")  # stored with U+00B7
    with ctx.store.read() as session:
        assert search_case_ids(session, typed) == [case_id]


def test_prefix_matching_crosses_characters_outside_the_bmp(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    _register(ctx, walk_in, "张𠮷祥")
    _register(ctx, walk_in, "张三")
    assert sorted(_names(ctx, name="张")) == ["张三", "张𠮷祥"]
    assert _names(ctx, name="张𠮷") == ["张𠮷祥"]


def test_pinyin_of_a_character_pypinyin_does_not_know() -> None:
    assert pinyin_of("张𠮷祥") == ("zhangjixiang", "zjx")
    assert pinyin_of("𠮷") == ("ji", "j")
    # a character in neither pypinyin nor the table keeps itself: never silently absent
    full, initials = pinyin_of("张\U0002a6d6")
    assert full.startswith("zhang") and initials.startswith("z") and len(initials) == 2


def test_initials_find_a_name_with_a_supplementary_reading(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    _register(ctx, walk_in, "张𠮷祥")
    assert _names(ctx, name="zjx") == ["张𠮷祥"]


def test_a_name_is_read_once_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every save reads its parties' pinyin (and warms pypinyin first): a name read before, and
    the warm-up after the first, ask pypinyin nothing (each reading cost a save ~0.1 ms)."""
    import services.domain.textutil as textutil

    textutil.warm_pinyin()
    pypinyin = textutil._pypinyin()  # noqa: SLF001 - the module pinyin_of reads with
    calls: list[str] = []
    real = pypinyin.lazy_pinyin

    def counted(text: str, *args: object, **kwargs: object) -> object:
        calls.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(pypinyin, "lazy_pinyin", counted)
    first = pinyin_of("欧阳读一次")
    assert first == ("ouyangduyici", "oydyc")
    read = len(calls)
    assert read > 0
    assert pinyin_of("欧阳读一次") == first
    textutil.warm_pinyin()
    assert len(calls) == read
