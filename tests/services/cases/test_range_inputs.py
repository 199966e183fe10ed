"""Values a user can type at the edge of the stored ranges (services.domain.bounds) are told as
form errors on their own field, never as a raw exception or a column's internal limit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from services.cases.actions import perform
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.errors import ValidationError, ValidationErrors
from services.reception.registration import register_walk_in
from tests.services.conftest import Orgs


def _form(**extra: Any) -> WalkInInput:
    return WalkInInput(
        parties=(PartyInput(name="张三", phone="13812345678"),),
        summary="张三与邻居因宅基地边界发生纠纷，要求调解", category_code="0202",
        disposition="accepted", **extra,
    )  # fmt: skip


@pytest.fixture
def setup(ctx: ServiceContext, orgs: Orgs) -> tuple[ServiceContext, str]:
    """The shared township (tests/services/conftest.py) and its 司法所."""
    return ctx, orgs.unit_id


@pytest.mark.parametrize("due", ["2200-01-01", "2300-01-01", "1899-12-31"])
def test_a_due_date_outside_the_stored_years_is_a_field_error(
    setup: tuple[ServiceContext, str], due: str
) -> None:
    """The 交办 dialog's 办结期限 takes any year once confirmed (ui.dates.DateEdit); a year past
    2199 used to escape perform() as a bare ValueError from the replay (no field, no code)."""
    ctx, unit = setup
    case_id = register_walk_in(ctx, _form()).case_id
    with pytest.raises(ValidationError) as caught:
        perform(ctx, case_id, "assign", {"unit_id": unit, "due_date": due})
    assert caught.value.field == "due_date"
    assert "1900" in caught.value.message and "2199" in caught.value.message
    done = perform(ctx, case_id, "assign", {"unit_id": unit, "due_date": "2199-12-31"})
    assert done.case.state == "assigned"


@pytest.mark.parametrize("typed", ["999999999999.995", "999999999999.999"])
def test_an_amount_that_rounds_up_to_the_limit_is_the_amounts_own_error(
    setup: tuple[ServiceContext, str], typed: str
) -> None:
    """Below 一万亿元 as typed, but rounded to 分 it reaches it: the form used to let it through
    and the store's guard refused it as 涉及金额（分）须在0至99999999999999之间."""
    ctx, _ = setup
    with pytest.raises(ValidationErrors) as caught:
        register_walk_in(ctx, _form(amount=Decimal(typed)))
    assert caught.value.fields == ("amount",)
    assert caught.value.message == "涉及金额须为0至一万亿元之间的数"
    largest = register_walk_in(ctx, _form(amount=Decimal("999999999999.994")))
    assert largest.case_id


def test_a_due_date_that_is_no_date_is_a_field_error(setup: tuple[ServiceContext, str]) -> None:
    ctx, unit = setup
    case_id = register_walk_in(ctx, _form()).case_id
    with pytest.raises(ValidationError) as caught:
        perform(ctx, case_id, "assign", {"unit_id": unit, "due_date": "下周五"})
    assert (caught.value.field, caught.value.code) == ("due_date", "assign.due_date.invalid")


def test_an_extension_may_carry_a_deadline_past_2199(setup: tuple[ServiceContext, str]) -> None:
    """A case's deadlines are derived from its events on every PC and never pushed on update
    (services.domain.projection.DERIVED_COLUMNS): the store guard used to refuse the approval
    of a 30-day extension of a 2199-12-20 due date as “due_at”须在1900年至2199年之间."""
    ctx, unit = setup
    case_id = register_walk_in(ctx, _form()).case_id
    perform(ctx, case_id, "assign", {"unit_id": unit, "due_date": "2199-12-20"})
    perform(ctx, case_id, "sign", {"signer": "李四"})
    perform(ctx, case_id, "request_extension", {"days": 30, "reason": "需补充证据"})
    done = perform(ctx, case_id, "decide_extension", {"approved": True})
    resolve = next(c for c in done.case.clocks if c.milestone == "resolve")
    assert resolve.due_at.year == 2200
