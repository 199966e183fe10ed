"""Every text field of the walk-in form goes through the one validator (issue 10, poison)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.domain.errors import ValidationErrors
from services.reception.registration import register_walk_in
from services.store.models import Case, Outbox

Form = Callable[..., WalkInInput]


def _refused(ctx: ServiceContext, form: WalkInInput) -> dict[str, str]:
    with pytest.raises(ValidationErrors) as caught:
        register_walk_in(ctx, form)
    return {e.field: e.message for e in caught.value.errors}


def _saved(ctx: ServiceContext) -> tuple[int, int]:
    with ctx.store.read() as session:
        cases = session.scalar(select(func.count()).select_from(Case)) or 0
        changes = session.scalar(select(func.count()).select_from(Outbox)) or 0
        return int(cases), int(changes)


@pytest.mark.parametrize("poison", ["青山村\x00三组", "青山村\ud800", "青山村\x1b[2J"])
def test_visitor_address_with_a_nul_or_lone_surrogate_is_refused_not_stored(
    ctx: ServiceContext, walk_in: Form, poison: str
) -> None:
    before = _saved(ctx)
    errors = _refused(ctx, walk_in(visitor={"address": poison}))
    assert errors["parties[0].address"].startswith("住址含有")
    assert _saved(ctx) == before  # nothing saved half


@pytest.mark.parametrize("poison", ["已登记\x00", "已登记\udc80"])
def test_visit_note_with_a_nul_or_lone_surrogate_is_refused(
    ctx: ServiceContext, walk_in: Form, poison: str
) -> None:
    errors = _refused(ctx, walk_in(note=poison))
    assert errors["note"].startswith("备注含有")


def test_over_long_address_and_note_are_refused_not_cut(ctx: ServiceContext, walk_in: Form) -> None:
    errors = _refused(ctx, walk_in(visitor={"address": "村" * 100_000}, note="记" * 100_000))
    assert errors["parties[0].address"] == "住址不能超过200字（现有100000字）"
    assert errors["note"] == "备注不能超过500字（现有100000字）"


@pytest.mark.parametrize("field", ["summary", "description", "title", "occurred_place"])
def test_a_lone_surrogate_in_any_case_text_is_a_message_not_a_crash(
    ctx: ServiceContext, walk_in: Form, field: str
) -> None:
    errors = _refused(ctx, walk_in(**{field: "纠纷\ud83d说明"}))
    assert "无效的字符编码" in errors[field]


def test_a_lone_surrogate_in_a_name_or_phone_is_a_message_not_a_crash(
    ctx: ServiceContext, walk_in: Form
) -> None:
    errors = _refused(ctx, walk_in(visitor={"name": "张\ud800", "phone": "138\ud8001234"}))
    assert set(errors) >= {"parties[0].name", "parties[0].phone"}


def test_clean_address_and_note_are_stored(ctx: ServiceContext, walk_in: Form) -> None:
    form = walk_in(visitor={"address": " 青山村三组𠮷号 "}, note="首次来访")
    result = register_walk_in(ctx, form)
    assert result.is_new_case
