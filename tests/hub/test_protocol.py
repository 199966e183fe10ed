"""The sync protocol against the in-process hub: idempotency, quarantine, scope, conflicts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, update

from hub import admin
from services.cases.actions import perform
from services.domain.dto import ALL_CASES, Changes
from services.domain.errors import OfflineError, ValidationError
from services.domain.ids import uuid7
from services.store.models import (
    CalendarDay,
    Case,
    CaseAlias,
    CaseParty,
    DeadlineRule,
    NumberBlock,
    Outbox,
    Person,
    SyncReference,
)
from services.sync.client import HubClient, HubConfig, HubRefusedError, check_url
from tests.hub.harness import TOWNSHIP_A, TOWNSHIP_B, InProcessHub, Pc, case_row

HLC = "1795000000000-0000000000-pc-test"


def _change(entity_id: str, township_id: str, title: str = "x") -> dict[str, object]:
    return {
        "change_id": uuid7(),
        "entity": "case_file",
        "entity_id": entity_id,
        "op": "insert",
        "hlc": HLC,
        "payload": {"row": case_row(entity_id, township_id, title)},
    }


def test_repeated_change_is_a_no_op_and_reused_id_is_409(hub: InProcessHub) -> None:
    issued = hub.token("A1", TOWNSHIP_A)
    http = hub.client(issued.token)
    change = _change("case-1", str(issued.township_id))
    first = http.post("/v1/push", json={"changes": [change]})
    again = http.post("/v1/push", json={"changes": [change]})
    assert first.json()["results"][0]["status"] == "applied"
    assert again.json()["results"][0]["status"] == "duplicate"
    assert hub.count("change") == 1
    other = {**change, "payload": {"row": case_row("case-1", str(issued.township_id), "changed")}}
    fresh = _change("case-2", str(issued.township_id))
    refused = http.post("/v1/push", json={"changes": [fresh, other]})
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert [c["change_id"] for c in detail["changes"]] == [change["change_id"]]
    assert hub.count("change") == 1  # a refused batch changes nothing


def test_quarantined_change_never_blocks_the_others(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    a1.sync.sync_now()
    first = a1.register()
    with a1.store.write() as session:  # a client bug: a change id the hub already holds
        row = session.scalars(
            select(Outbox).where(Outbox.status == "pending").order_by(Outbox.seq)
        ).first()
        assert row is not None
        poisoned = row.change_id
    a1.sync.sync_now()
    with a1.store.write() as session:
        session.execute(
            update(Outbox)
            .where(Outbox.change_id == poisoned)
            .values(status="pending", payload={"row": {"id": "tampered"}})
        )
    second = a1.register("另一件纠纷：土地承包")
    report = a1.sync.sync_now()
    assert report.quarantined == 1 and report.status.quarantined == 1
    items = a1.sync.outbox_items("quarantined")
    assert [i.change_id for i in items] == [poisoned] and items[0].status_code == 409
    assert "变更编号" in items[0].reason
    b = pcs("a2", hub.token("A2", TOWNSHIP_A).token)
    b.sync.sync_now()
    assert {first, second} <= b.case_ids()  # everything else went through
    new_id = a1.sync.requeue(poisoned)
    assert new_id != poisoned
    assert a1.sync.status().quarantined == 0 and a1.sync.status().pending == 1


def test_scope_township_cannot_read_or_write_another(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    a = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    b_token = hub.token("B1", TOWNSHIP_B)
    b = pcs("b1", b_token.token)
    a.sync.sync_now()
    b.sync.sync_now()
    case_a = a.register()
    a.sync.sync_now()
    b.sync.sync_now()
    assert case_a not in b.case_ids()
    http = hub.client(b_token.token, b.ctx.device_id)
    b_hlc = f"1795000000000-0000000000-{b.ctx.device_id}"
    pulled = http.get("/v1/pull", params={"cursor": 0, "limit": 2000}).json()["records"]
    assert pulled and all(r["township_id"] in (b_token.township_id, None) for r in pulled)
    # writing into township A's case from B's token: 403 and nothing changes
    event = {
        "change_id": uuid7(),
        "entity": "case_event",
        "entity_id": uuid7(),
        "op": "insert",
        "hlc": b_hlc,
        "payload": {
            "row": {
                "id": "e",
                "case_id": case_a,
                "action": "void",
                "seq": 9,
                "device_id": b.ctx.device_id,
                "hlc": b_hlc,
                "occurred_at": "2026-11-18T09:00:00",
            }
        },
    }
    event["payload"]["row"]["id"] = event["entity_id"]  # type: ignore[index]
    before = hub.count("change")
    refused = http.post("/v1/push", json={"changes": [event]})
    assert refused.status_code == 403 and hub.count("change") == before
    forged = {**_change(uuid7(), str(a.ctx.township_id)), "hlc": b_hlc}
    assert http.post("/v1/push", json={"changes": [forged]}).status_code == 403
    lease = http.post(
        "/v1/leases",
        json={"series": f"case:{TOWNSHIP_A[0]}:2026", "size": 10, "request_id": uuid7()},
    )
    assert lease.status_code == 403
    assert http.get("/v1/devices").status_code == 403


def test_revoked_token_fails_at_once(hub: InProcessHub, pcs: Callable[..., Pc]) -> None:
    issued = hub.token("A1", TOWNSHIP_A)
    a = pcs("a1", issued.token)
    a.sync.sync_now()
    admin.revoke_token(hub.db, issued.device_id)
    with pytest.raises(HubRefusedError) as caught:
        a.sync.sync_now()
    assert caught.value.status == 401
    status = a.sync.status()
    assert status.state == "refused" and "吊销" in status.message
    assert hub.client("not-a-token").get("/v1/me").status_code == 401
    assert hub.client("").get("/v1/me").status_code == 401


def test_malformed_and_oversized_requests_are_4xx(hub: InProcessHub) -> None:
    issued = hub.token("A1", TOWNSHIP_A)
    http = hub.client(issued.token)
    bad = _change("c", str(issued.township_id))
    bad["payload"] = {"row": "not an object"}
    assert http.post("/v1/push", json={"changes": [bad]}).status_code == 422
    assert http.post("/v1/push", content=b"{not json").status_code == 422
    assert http.post("/v1/push", json={"changes": [{"entity": "x"}]}).status_code == 422
    future = _change("c", str(issued.township_id))
    future["hlc"] = "2999999999999-0000000000-pc-test"
    assert http.post("/v1/push", json={"changes": [future]}).status_code == 422
    huge = http.post(
        "/v1/push", content=b"x" * (9 * 1024 * 1024), headers={"content-type": "application/json"}
    )
    assert huge.status_code == 413 and "请求过大" in huge.json()["detail"]["message"]
    assert hub.count("change") == 0


def test_pull_never_overwrites_unsent_local_fields(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    token = hub.token("A2", TOWNSHIP_A).token
    a1, a2 = pcs("a1", hub.token("A1", TOWNSHIP_A).token), pcs("a2", token)
    a1.sync.sync_now()
    a2.sync.sync_now()
    case_id = a1.register()
    a1.sync.sync_now()
    a2.sync.sync_now()
    _set_title(a1, case_id, "甲的标题")
    a1.sync.sync_now()
    _set_title(a2, case_id, "乙未上传的标题")
    page = a2.sync._pull_all(
        HubClient(HubConfig("https://hub.test"), token, a2.ctx.device_id, transport=hub.transport)
    )
    assert page.kept_local >= 1
    assert _title(a2, case_id) == "乙未上传的标题"  # local unsent change kept
    a2.sync.sync_now()
    a1.sync.sync_now()
    assert _title(a1, case_id) == _title(a2, case_id) == "乙未上传的标题"  # later HLC wins


def _set_title(pc: Pc, case_id: str, title: str) -> None:
    with pc.store.write() as session:
        case = session.get(Case, case_id)
        assert case is not None
        case.title = title


def _title(pc: Pc, case_id: str) -> str:
    with pc.store.read() as session:
        return str(session.scalar(select(Case.title).where(Case.id == case_id)))


def _person_of(pc: Pc, case_id: str) -> str:
    with pc.store.read() as session:
        return str(session.scalar(select(CaseParty.person_id).where(CaseParty.case_id == case_id)))


def _set_phone(pc: Pc, person_id: str, phone: str) -> None:
    with pc.store.write() as session:
        person = session.get(Person, person_id)
        assert person is not None
        person.phone = phone


def test_field_changed_on_both_sides_is_a_conflict_a_director_settles(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    a2 = pcs("a2", hub.token("A2", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a2.sync.sync_now()
    case_id = a1.register()
    a1.sync.sync_now()
    a2.sync.sync_now()
    person = _person_of(a1, case_id)
    _set_phone(a1, person, "13900000001")
    _set_phone(a2, person, "13900000002")  # later HLC: wins everywhere
    for pc in (a1, a2, a1, a2):
        pc.sync.sync_now()
    phones = set()
    for pc in (a1, a2):
        with pc.store.read() as session:
            phones.add(session.scalar(select(Person.phone).where(Person.id == person)))
    assert phones == {"13900000002"}
    conflicts = a1.sync.conflicts()
    assert len(conflicts) == 1 and a2.sync.conflicts()[0].id == conflicts[0].id
    c = conflicts[0]
    # personal data: masked in the list (the hub and the conflict row hold only sealed tokens)
    assert (c.field, c.kept_value, c.lost_value) == ("phone", "139****0002", "139****0001")
    heard: list[Changes] = []
    a1.ctx.feed.subscribe(heard.append)
    changes = a1.sync.settle_conflict(c.id, use_lost_value=True)  # the director restores it
    # the restored phone shows on the person's cases: every open screen hears it, once
    assert changes.people and changes.case_ids == ALL_CASES and heard == [changes]
    for pc in (a1, a2):
        pc.sync.sync_now()
    for pc in (a1, a2):
        with pc.store.read() as session:
            assert session.scalar(select(Person.phone).where(Person.id == person)) == "13900000001"
    assert a2.sync.conflicts() == ()  # settled everywhere


def test_concurrent_events_never_conflict_but_invalid_ones_are_shown(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    a2 = pcs("a2", hub.token("A2", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a2.sync.sync_now()
    case_id = a1.register()
    a1.sync.sync_now()
    a2.sync.sync_now()
    perform(a1.ctx, case_id, "void", {"reason": "重复登记"})
    perform(a2.ctx, case_id, "void", {"reason": "误登记"})  # both PCs void, concurrently
    for pc in (a1, a2, a1):
        pc.sync.sync_now()
    assert a1.cases()[case_id] == a2.cases()[case_id]
    assert a1.cases()[case_id][1] == "voided"
    events = [c for c in a1.sync.conflicts() if c.kind == "event"]
    assert len(events) == 1 and events[0].case_id == case_id
    a1.sync.settle_conflict(events[0].id)
    assert [c for c in a1.sync.conflicts() if c.kind == "event"] == []


def test_offline_dry_provisional_codes_are_replaced_and_kept_as_aliases(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    a2 = pcs("a2", hub.token("A2", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a2.sync.sync_now()  # a1 leased 1-100, a2 101-200
    with a1.store.write() as session:  # a1 ran its block dry while offline
        session.execute(update(NumberBlock).values(next_value=NumberBlock.last + 1))
    one, two = a1.register(), a2.register()
    old_one, old_two = a1.cases()[one][0], a2.cases()[two][0]
    assert old_one != old_two and "-L" in old_one  # a device-scoped provisional code
    for pc in (a1, a2, a1):
        pc.sync.sync_now()
    assert a1.cases()[two][0] == old_two  # the leased number stays
    assert a1.cases()[one][0] != old_one and a2.cases()[one][0] == a1.cases()[one][0]
    with a1.store.read() as session:
        aliases = {a.code: a.case_id for a in session.scalars(select(CaseAlias))}
    assert aliases == {old_one: one}  # old receipts still find the case


def test_reference_data_flows_down(
    hub: InProcessHub, pcs: Callable[..., Pc], tmp_path: Path
) -> None:
    source = Path(__file__).resolve().parents[2] / "resources" / "reference"
    ref = tmp_path / "ref"
    ref.mkdir()
    for f in source.glob("*.json"):
        (ref / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    entries = [
        {"day": "2027-01-01", "is_workday": False, "name": "元旦"},
        {"day": "2027-02-07", "is_workday": True, "name": "春节调休"},
    ]
    (ref / "calendar.json").write_text(
        json.dumps({"official_years": [2027], "entries": entries}), encoding="utf-8"
    )
    (ref / "units.json").write_text(
        json.dumps({"units": [{"name": "县司法局", "unit_type": "司法局"}]}), encoding="utf-8"
    )
    counts = admin.import_reference(hub.db, ref)
    assert counts["calendar_day"] == 2 and counts["org_unit"] == 1
    assert admin.import_reference(hub.db, ref)["deadline_rule"] == 0  # unchanged: nothing new
    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    a1.sync.sync_now()
    with a1.store.read() as session:
        day = session.get(CalendarDay, dt.date(2027, 2, 7))
        assert day is not None and day.is_workday and day.source == "official"
        sources = set(
            session.scalars(select(DeadlineRule.source).where(DeadlineRule.active.is_(True)))
        )
        assert sources == {"county"}
        assert session.get(SyncReference, "categories.json") is not None


def test_plain_http_only_to_loopback_and_unreachable_hub_is_offline() -> None:
    with pytest.raises(ValidationError):
        check_url("http://hub.county.gov.cn")
    assert check_url("http://127.0.0.1:8443/") == "http://127.0.0.1:8443"
    assert check_url("http://hub.lan", allow_insecure_http=True) == "http://hub.lan"
    client = HubClient(HubConfig(f"http://127.0.0.1:{_closed_port()}", timeout=2), "t", "pc")
    with pytest.raises(OfflineError) as caught:
        client.me()
    assert caught.value.code == "sync.unreachable"


def _closed_port() -> int:
    from tests.hub.harness import free_port

    return free_port()


def test_full_resync_pushes_first_and_discards_nothing(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    a2 = pcs("a2", hub.token("A2", TOWNSHIP_A).token)
    a1.sync.sync_now()
    first = a1.register()
    a1.sync.sync_now()
    a2.sync.sync_now()
    unsent = a2.register("离线期间登记：赡养纠纷")
    _set_title(a2, first, "本机未上传的修改")
    report = a2.sync.full_resync()
    assert report.pushed >= 2 and report.status.pending == 0
    assert report.pulled >= len(a2.case_ids())  # the whole scope again, from cursor 0
    assert {first, unsent} <= a2.case_ids() and _title(a2, first) == "本机未上传的修改"
    a1.sync.sync_now()
    assert a1.cases() == a2.cases()


def test_county_sees_every_device(hub: InProcessHub, pcs: Callable[..., Pc]) -> None:
    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    county = pcs("county", hub.token("县综治中心").token)
    a1.sync.sync_now()
    a1.register()
    county.sync.sync_now()
    devices = {d.label: d for d in county.sync.hub_devices()}
    assert devices["A1"].township_name == TOWNSHIP_A[1] and devices["A1"].last_sync_at
    assert devices["县综治中心"].township_name == "县级"
    with pytest.raises(HubRefusedError) as caught:
        a1.sync.hub_devices()
    assert caught.value.status == 403
