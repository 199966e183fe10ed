"""Township isolation against a hostile township PC (issue 10 §1), on the hub over PostgreSQL.

Each test pushes what an attacker holding township A's token would push, by hand, and checks the
hub refuses it and nothing changed for township B or the county.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from services.domain.ids import uuid7
from tests.hub.harness import TOWNSHIP_A, TOWNSHIP_B, InProcessHub, Pc, case_row


class Attacker:
    """Township A's PC pushing hand-made changes with its own token, device id and clock."""

    def __init__(self, hub: InProcessHub, pc: Pc, token: str) -> None:
        self.pc = pc
        self.http = hub.client(token, pc.ctx.device_id)
        self.device = pc.ctx.device_id

    def hlc(self, device: str | None = None) -> str:
        stamp = self.pc.ctx.clock.now()
        return f"{stamp.wall_ms:013d}-{stamp.counter:010d}-{device or self.device}"

    def change(
        self, entity: str, entity_id: str, body: dict[str, Any], *, op: str = "insert",
        hlc: str | None = None, before: dict[str, Any] | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        payload: dict[str, Any] = {"row": body} if op == "insert" else {"fields": body}
        if before is not None:
            payload["before"] = before
        return {"change_id": str(uuid.uuid4()), "entity": entity, "entity_id": entity_id,
                "op": op, "hlc": hlc or self.hlc(), "payload": payload}  # fmt: skip

    def event(self, case_id: str, action: str = "void", **extra: Any) -> dict[str, Any]:
        hlc = self.hlc(extra.pop("device", None))
        row = {"id": uuid7(), "case_id": case_id, "seq": 90, "action": action, "actor_id": None,
               "device_id": self.device, "hlc": hlc, "occurred_at": "2026-12-01T09:00:00",
               "payload": {"reason": "伪造"}, **extra}  # fmt: skip
        return self.change("case_event", row["id"], row, hlc=hlc)

    def push(self, *changes: dict[str, Any]) -> httpx.Response:
        return self.http.post("/v1/push", json={"changes": list(changes)})


@pytest.fixture
def world(pg_hub: InProcessHub, pg_pcs: Callable[..., Pc]) -> dict[str, Any]:
    """Township A (attacker), township B with one case, the county."""
    a_token = pg_hub.token("A1", TOWNSHIP_A)
    a, b = pg_pcs("a1", a_token.token), pg_pcs("b1", pg_hub.token("B1", TOWNSHIP_B).token)
    county = pg_pcs("county", pg_hub.token("县综治中心").token)
    for pc in (a, b, county):
        pc.sync.sync_now()
    case_b = b.register("柳河乡：山林权属纠纷")
    own = a.register()
    for pc in (b, a, county):
        pc.sync.sync_now()
    return {"a": a, "b": b, "county": county, "case_b": case_b, "own": own,
            "attacker": Attacker(pg_hub, a, a_token.token), "a_token": a_token}  # fmt: skip


def _unchanged(world: dict[str, Any], pg_hub: InProcessHub, changes_before: int) -> None:
    assert pg_hub.count("change") == changes_before
    for name in ("b", "county"):
        world[name].sync.sync_now()
    case_b = world["case_b"]
    assert world["county"].cases()[case_b] == world["b"].cases()[case_b]
    assert world["b"].cases()[case_b][1] == "accepted"


def test_event_on_another_townships_case_is_refused_even_with_own_township_id(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    attacker: Attacker = world["attacker"]
    before = pg_hub.count("change")
    plain = attacker.push(attacker.event(world["case_b"]))
    forged = attacker.push(
        attacker.event(world["case_b"], township_id=world["a_token"].township_id)
    )
    assert (plain.status_code, forged.status_code) == (403, 422)  # township_id: no such field
    disguised = attacker.change("case_event", uuid7(), {})
    disguised["payload"] = attacker.event(world["case_b"])["payload"]
    disguised["entity_id"] = disguised["payload"]["row"]["id"]
    assert attacker.push(disguised).status_code == 403
    _unchanged(world, pg_hub, before)


def test_a_child_row_pointing_into_another_township_is_refused(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    attacker: Attacker = world["attacker"]
    with world["b"].store.read() as session:
        from sqlalchemy import select

        from services.store.models import CaseParty

        person_b = session.scalar(select(CaseParty.person_id)
                                  .where(CaseParty.case_id == world["case_b"]))  # fmt: skip
    party = {"id": uuid7(), "case_id": world["own"], "person_id": person_b, "role": "applicant",
             "sort_order": 5}  # fmt: skip
    before = pg_hub.count("change")
    assert attacker.push(attacker.change("case_party", party["id"], party)).status_code == 403
    alias = {"code": "620123102000-2026-999999", "case_id": world["case_b"], "reason": "x"}
    assert attacker.push(attacker.change("case_alias", alias["code"], alias)).status_code == 403
    _unchanged(world, pg_hub, before)


def test_an_event_carrying_the_county_pcs_device_is_refused(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    attacker: Attacker = world["attacker"]
    county_device = world["county"].ctx.device_id
    before = pg_hub.count("change")
    as_county = attacker.event(world["own"], "supervise", device_id=county_device)
    assert attacker.push(as_county).status_code == 403
    county_clock = attacker.event(world["own"], "supervise", device=county_device)
    refused = attacker.push(county_clock)
    assert refused.status_code == 403 and refused.json()["detail"]["code"] == "change.device"
    assert pg_hub.count("change") == before


def test_a_township_cannot_rename_itself_or_create_a_township(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    attacker: Attacker = world["attacker"]
    mine = str(world["a_token"].township_id)
    before = pg_hub.count("change")
    rename = attacker.change("org_unit", mine, {"name": TOWNSHIP_B[1], "code": TOWNSHIP_B[0]},
                             op="update")  # fmt: skip
    assert attacker.push(rename).status_code == 403
    fake_id = uuid7()
    fake = {"id": fake_id, "parent_id": None, "kind": "township", "name": "假乡",
            "code": "620123199000", "unit_type": None, "sort_order": 0, "active": True}  # fmt: skip
    assert attacker.push(attacker.change("org_unit", fake_id, fake)).status_code == 403
    assert pg_hub.count("change") == before
    world["county"].sync.sync_now()
    with world["county"].store.read() as session:
        from services.store.models import OrgUnit

        unit = session.get(OrgUnit, mine)
        assert unit is not None and (unit.name, unit.code) == (TOWNSHIP_A[1], TOWNSHIP_A[0])


def test_derived_columns_cannot_be_overwritten_on_the_hub(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    attacker: Attacker = world["attacker"]
    own = world["own"]
    forged = attacker.change("case_file", own, {"state": "closed", "supervision_level": "red"},
                             op="update")  # fmt: skip
    refused = attacker.push(forged)
    assert refused.status_code == 403 and refused.json()["detail"]["code"] == "scope.derived"
    row = case_row(own, str(world["a_token"].township_id), state="voided", supervision_level="red")
    assert attacker.push(attacker.change("case_file", own, row)).status_code in (200, 403)
    with pg_hub.db.engine.connect() as conn:
        from sqlalchemy import text

        stored = conn.execute(text("SELECT row FROM record WHERE entity = 'case_file' "
                                   "AND entity_id = :i"), {"i": own}).scalar_one()  # fmt: skip
    assert stored["state"] != "voided" and stored.get("supervision_level") != "red"


def test_unknown_entities_and_fields_are_refused(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    attacker: Attacker = world["attacker"]
    before = pg_hub.count("change")
    odd = attacker.push(attacker.change("secret_table", "x1", {"id": "x1"}))
    assert odd.status_code == 422 and odd.json()["detail"]["code"] == "change.entity"
    extra = attacker.change("case_file", world["own"], {"title": "新标题", "is_admin": True},
                            op="update")  # fmt: skip
    assert attacker.push(extra).status_code == 422
    reference = attacker.change("deadline_rule", "r1", {"id": "r1"})
    assert attacker.push(reference).status_code == 403
    assert pg_hub.count("change") == before


def test_a_token_is_bound_even_without_the_device_header(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    token = world["a_token"].token
    bare = httpx.Client(transport=pg_hub.transport, base_url="https://hub.test",
                        headers={"Authorization": f"Bearer {token}"})  # fmt: skip
    for response in (bare.get("/v1/me"), bare.get("/v1/pull"),
                     bare.post("/v1/push", json={"changes": []})):  # fmt: skip
        assert response.status_code == 400 and response.json()["detail"]["code"] == "auth.device"
    other = pg_hub.client(token, "pc-stolen")
    assert other.get("/v1/me").status_code == 403
