"""No service can store text the county hub would refuse (入库文本校验, issue 10 poison)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.domain.errors import ValidationError
from services.domain.ids import uuid7
from services.reception.registration import register_walk_in
from services.store.models import Case, CaseEvent, OrgUnit, Outbox, Person, Visit


def _outbox(ctx: ServiceContext) -> int:
    with ctx.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Outbox)) or 0)


@pytest.mark.parametrize("poison", ["调解室\x00", "调解室\ud800", "\x1b[31m调解室"])
def test_a_service_that_forgot_the_validator_still_cannot_store_poison(
    ctx: ServiceContext, poison: str
) -> None:
    before = _outbox(ctx)
    with pytest.raises(ValidationError) as caught, ctx.store.write() as session:
        session.add(OrgUnit(id=uuid7(), kind="unit", name=poison, parent_id=ctx.township_id))
    assert caught.value.field == "org_unit.name" and caught.value.message.startswith("名称含有")
    assert _outbox(ctx) == before  # rolled back: nothing queued for the hub


def test_an_edit_that_adds_poison_is_refused(ctx: ServiceContext) -> None:
    with ctx.store.write() as session:
        person = Person(id=uuid7(), name="张三", created_at=ctx.now())
        session.add(person)
    with pytest.raises(ValidationError) as caught, ctx.store.write() as session:
        found = session.get(Person, person.id)
        assert found is not None
        found.address = "青山村\x00"
    assert caught.value.message.startswith("住址含有无法识别的控制字符")


@pytest.mark.parametrize(
    "bad", [math.nan, math.inf, {"意见": "x\x00"}, {"k\ud800": 1}, 2**70, 1.2345678901234567e17]
)
def test_json_payloads_are_checked_too(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], bad: object
) -> None:
    case_id = register_walk_in(ctx, walk_in()).case_id
    with pytest.raises(ValidationError), ctx.store.write() as session:
        session.add(
            CaseEvent(
                id=uuid7(),
                case_id=case_id,
                seq=999,
                action="note",
                device_id="pc",
                hlc="x",
                occurred_at=ctx.now(),
                payload={"opinion": bad},
            )
        )


def test_dates_outside_1900_to_2199_are_refused(ctx: ServiceContext) -> None:
    """Year 9999 overflows the deadline arithmetic of every PC the row reaches (issue 10)."""
    for birth in (dt.date(1000, 1, 1), dt.date(9999, 12, 31)):
        with pytest.raises(ValidationError) as caught, ctx.store.write() as session:
            session.add(Person(id=uuid7(), name="张三", birth_date=birth, created_at=ctx.now()))
        assert caught.value.message == "出生日期须在1900年至2199年之间"


def test_counts_and_amounts_beyond_their_range_are_refused(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    """Two visits of 2**62 visitors overflowed the SQL sum of the dashboard (issue 10)."""
    with pytest.raises(ValidationError) as caught, ctx.store.write() as session:
        session.add(Visit(id=uuid7(), township_id=ctx.township_id, received_at=ctx.now(),
                          channel="walk_in", disposition="accepted", head_count=2**62))  # fmt: skip
    assert caught.value.field == "visit.head_count"
    case_id = register_walk_in(ctx, walk_in()).case_id
    for field, value in (("amount_cents", -1), ("amount_cents", 10**14), ("people_count", 0)):
        with pytest.raises(ValidationError) as caught, ctx.store.write() as session:
            case = session.get(Case, case_id)
            assert case is not None
            setattr(case, field, value)
        assert caught.value.field == f"case_file.{field}"
