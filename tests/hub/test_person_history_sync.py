"""A confirmed change of name and a person's earlier phone (issue 12, finding 1) reach the other
PCs of the township through the hub, like the person they belong to."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_walk_in
from services.setup.township import set_up_township
from services.store.models import Person, PersonEvent, PersonPhone
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc

ID = "11010519491231002X"


def _form(**party: Any) -> WalkInInput:
    person = PartyInput(**{"name": "李四", "phone": "13812345678", **party})
    return WalkInInput(parties=(person,), summary="邻里纠纷", category_code="0202",
                       disposition="accepted")  # fmt: skip


def test_a_rename_and_an_earlier_phone_reach_the_other_pc(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    a1 = pcs("a1", hub.token("青山镇接待1", TOWNSHIP_A).token)
    a2 = pcs("a2", hub.token("青山镇接待2", TOWNSHIP_A).token)
    set_up_township(a1.ctx, TOWNSHIP_A[1], TOWNSHIP_A[0])
    first = register_walk_in(a1.ctx, _form(id_number=ID))
    person_id = first.person_ids[0]
    register_walk_in(a1.ctx, _form(name="张三", id_number=ID, phone="13900002222",
                                   person_id=person_id, rename_reason="户籍更名"))  # fmt: skip
    a1.sync.sync_now()
    a2.sync.sync_now()
    with a2.store.read() as session:
        person = session.get(Person, person_id)
        assert person is not None and (person.name, person.phone) == ("张三", "13900002222")
        assert session.scalars(select(PersonPhone.phone)).all() == ["13812345678"]
        event = session.scalars(select(PersonEvent)).one()
        assert event.detail == {"from": "李四", "to": "张三", "reason": "户籍更名"}
