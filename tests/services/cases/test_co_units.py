"""协办单位 chosen from the organisation tree, each signing and feeding back (issue 12 #7)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from services.cases.actions import perform
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.errors import TransitionError, ValidationError
from services.reception.registration import register_walk_in
from services.setup.township import add_org, make_context, open_store, set_up_township


@pytest.fixture
def setup(tmp_path: Any) -> Iterator[tuple[ServiceContext, str, list[str]]]:
    store = open_store(tmp_path / "zongzhi.db")
    try:
        ctx = make_context(store)
        ctx.now = lambda: dt.datetime(2026, 11, 2, 10, 0)
        set_up_township(ctx, "青山镇", "620123101000")
        with store.write() as session:
            units = [
                add_org(
                    session, kind=kind, name=name, parent_id=ctx.township_id, unit_type=kind_type
                ).id  # fmt: skip
                for kind, name, kind_type in (
                    ("unit", "青山司法所", "司法所"),
                    ("unit", "青山派出所", "派出所"),
                    ("village", "东沟村", None),
                )  # fmt: skip
            ]
        form = WalkInInput(
            parties=(PartyInput(name="张三", phone="13812345678"),),
            summary="张三与邻居因宅基地边界发生纠纷，要求调解", category_code="0202",
            disposition="accepted",
        )  # fmt: skip
        yield ctx, register_walk_in(ctx, form).case_id, units
    finally:
        store.dispose()


def test_assisting_units_come_from_the_tree_and_each_signs_and_feeds_back(
    setup: tuple[ServiceContext, str, list[str]],
) -> None:
    ctx, case_id, (lead, police, village) = setup
    with pytest.raises(ValidationError, match="协办单位"):  # typed text is not a unit
        perform(ctx, case_id, "assign", {"unit_id": lead, "co_unit_ids": "东沟村委会"})
    with pytest.raises(ValidationError, match="协办单位不存在"):
        perform(ctx, case_id, "assign", {"unit_id": lead, "co_unit_ids": ["no-such-unit"]})
    with pytest.raises(ValidationError, match="承办单位本身"):
        perform(ctx, case_id, "assign", {"unit_id": lead, "co_unit_ids": [lead]})
    case = perform(ctx, case_id, "assign", {"unit_id": lead, "co_unit_ids": [police, village]})
    assert [(u.name, u.signed_at, u.fed_back_at) for u in case.case.co_units] == [
        ("青山派出所", None, None), ("东沟村", None, None)]  # fmt: skip
    assert "co_sign" in case.case.allowed_actions
    assert "co_feedback" not in case.case.allowed_actions
    with pytest.raises(TransitionError, match="尚未签收"):
        perform(ctx, case_id, "co_feedback", {"unit_id": police, "result": "已配合"})
    with pytest.raises(ValidationError, match="不是本案的协办单位"):
        perform(ctx, case_id, "co_sign", {"unit_id": lead, "signer": "王五"})
    perform(ctx, case_id, "co_sign", {"unit_id": police, "signer": "李警官"})
    perform(ctx, case_id, "sign", {"signer": "王五"})  # the lead unit signs on its own
    done = perform(ctx, case_id, "co_feedback", {"unit_id": police, "result": "已配合核实"})
    police_row, village_row = done.case.co_units
    assert police_row.signed_at is not None and police_row.fed_back_at is not None
    assert village_row.signed_at is None
    with pytest.raises(TransitionError, match="已签收"):
        perform(ctx, case_id, "co_sign", {"unit_id": police, "signer": "李警官"})
    assert done.case.state == "handling"
