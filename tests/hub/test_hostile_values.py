"""Hostile values at the county hub (issue 10 §2 and §9), on the hub over PostgreSQL.

A value the workflow cannot work with (an unknown action or state, a date in year 9999, a float
PostgreSQL cannot give back unchanged) is refused by the hub as 422 naming the change; the
pushing PC quarantines that change instead of retrying it; a PC that pulls such a value anyway
(stored by an older hub) keeps syncing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select, text

from services.cases.detail import case_detail
from services.domain.errors import ValidationError
from services.domain.ids import uuid7
from services.store.models import Outbox, SyncConflict, SyncParked
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc, case_row
from tests.hub.test_attacks import Attacker

REGISTER = {"category_code": "0202", "risk_colour": "green", "handling_level": "township"}


@pytest.fixture
def world(pg_hub: InProcessHub, pg_pcs: Callable[..., Pc]) -> dict[str, Any]:
    """Township A's PC (and a hand-made pusher with its token) and the county PC, one case."""
    a_token = pg_hub.token("A1", TOWNSHIP_A)
    a = pg_pcs("a1", a_token.token)
    county = pg_pcs("county", pg_hub.token("县综治中心").token)
    for pc in (a, county):
        pc.sync.sync_now()
    own = a.register()
    for pc in (a, county):
        pc.sync.sync_now()
    return {"a": a, "county": county, "own": own, "township": str(a_token.township_id),
            "attacker": Attacker(pg_hub, a, a_token.token)}  # fmt: skip


def _refused(answer: Any, field: str = "") -> None:
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert detail["changes"] and detail["changes"][0]["change_id"], detail
    assert field in detail["message"], detail["message"]


def _new_case(attacker: Attacker, township: str, **row: Any) -> list[dict[str, Any]]:
    """A new case as a PC pushes it: the row, its 登记 and 受理 events."""
    case_id = uuid7()
    at = row.get("registered_at", "2026-11-18T09:00:00")
    return [attacker.change("case_file", case_id, case_row(case_id, township, **row)),
            attacker.event(case_id, "register", seq=1, occurred_at=at, payload=REGISTER),
            attacker.event(case_id, "accept", seq=2, occurred_at=at, payload={})]  # fmt: skip


# --- a) values outside the workflow's vocabularies ---------------------------------------------


@pytest.mark.parametrize(
    ("field", "change"),
    [("action", lambda w: w["attacker"].event(w["own"], "teleport")),
     ("state", lambda w: _new_case(w["attacker"], w["township"], state="bogus")[0]),
     ("risk_colour", lambda w: _new_case(w["attacker"], w["township"], risk_colour="purple")[0]),
     ("handling_level", lambda w: _new_case(w["attacker"], w["township"],
                                            handling_level="galaxy")[0]),
     ("supervision_level", lambda w: _new_case(w["attacker"], w["township"],
                                               supervision_level="max")[0])],
)  # fmt: skip
def test_a_value_outside_the_workflows_vocabulary_is_refused_422(
    world: dict[str, Any], pg_hub: InProcessHub, field: str, change: Callable[..., Any]
) -> None:
    before = pg_hub.count("change")
    _refused(world["attacker"].push(change(world)), field)
    assert pg_hub.count("change") == before
    world["county"].sync.sync_now()  # and nothing reached the county


def _tamper_event(pc: Pc, action: str, field: str = "action") -> str:
    """Set a field of the PC's latest pending event change, as a bug or hand edit would."""
    with pc.store.write() as session:
        row = session.scalars(select(Outbox).where(Outbox.entity == "case_event",
                                                   Outbox.status == "pending")
                              .order_by(Outbox.seq.desc()).limit(1)).one()  # fmt: skip
        payload = json.loads(json.dumps(row.payload))
        payload["row"][field] = action
        row.payload = payload
        return row.change_id


@pytest.mark.parametrize(
    ("field", "value"), [("action", "teleport"), ("occurred_at", "9999-12-31T09:00:00")]
)
def test_a_pc_quarantines_a_hostile_event_and_sends_the_rest(
    world: dict[str, Any], field: str, value: str
) -> None:
    a, county = world["a"], world["county"]
    first = a.register("第一件：邻里纠纷")
    bad = _tamper_event(a, value, field)
    second = a.register("第二件：劳资纠纷")
    a.sync.sync_now()  # no exception, nothing retried for ever
    items = {i.change_id: i for i in a.sync.outbox_items("quarantined")}
    assert bad in items and items[bad].status_code == 422 and a.pending() == 0
    assert a.sync.status().quarantined == len(items)
    county.sync.sync_now()
    assert {first, second} <= county.case_ids()


def test_a_pulled_event_of_unknown_action_is_parked_not_wedging_the_pulling_pc(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    """An event an older hub stored with an action this PC does not know: the PC keeps
    syncing, parks that event visibly (with its reason) and applies everything else."""
    a, county, own = world["a"], world["county"], world["own"]
    attacker: Attacker = world["attacker"]
    answer = attacker.push(attacker.event(own, "assess", seq=3, payload=REGISTER))
    assert answer.status_code == 200, answer.text
    with pg_hub.db.engine.begin() as conn:  # what an older hub let through
        conn.execute(text("UPDATE record SET row = jsonb_set(row, '{action}', '\"teleport\"') "
                          "WHERE entity = 'case_event' AND row->>'action' = 'assess'"))  # fmt: skip
    later = a.register("第二件：劳资纠纷")
    a.sync.sync_now()
    for _ in range(2):
        county.sync.sync_now()  # no exception: not wedged
    status = county.sync.status()
    assert (status.state, status.parked) == ("ok", 1)
    assert county.cases()[own][1:] == ("accepted", 2) and later in county.case_ids()
    with county.store.read() as session:
        parked = session.execute(select(SyncParked.entity, SyncParked.reason)).one()
    assert parked.entity == "case_event" and "teleport" in parked.reason


# --- b) dates outside 1900-2199 --------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "change"),
    [("registered_at", lambda w: _new_case(w["attacker"], w["township"],
                                           registered_at="9999-12-31T20:00:00")[0]),
     ("occurred_at", lambda w: _new_case(w["attacker"], w["township"],
                                         occurred_at="0001-01-01T00:00:00")[0]),
     ("occurred_at", lambda w: w["attacker"].event(w["own"], "assess", seq=3, payload=REGISTER,
                                                   occurred_at="9999-12-31T20:00:00")),
     ("due_date", lambda w: w["attacker"].event(
         w["own"], "assign", seq=3, payload={"unit_id": "u1", "unit_name": "司法所",
                                             "due_date": "9999-12-31"}))],
)  # fmt: skip
def test_a_date_outside_1900_to_2199_is_refused_422(
    world: dict[str, Any], pg_hub: InProcessHub, field: str, change: Callable[..., Any]
) -> None:
    before = pg_hub.count("change")
    _refused(world["attacker"].push(change(world)), field)
    assert pg_hub.count("change") == before


def test_a_pulled_case_of_year_9999_is_parked_not_wedging_the_pulling_pc(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    """Found: a case and its events dated 9999-12-31 raised OverflowError in the deadline
    arithmetic of every PC that pulled them, at every sync (the status still said 正常)."""
    a, county = world["a"], world["county"]
    attacker: Attacker = world["attacker"]
    changes = _new_case(attacker, world["township"])
    assert attacker.push(*changes).status_code == 200
    with pg_hub.db.engine.begin() as conn:  # what an older hub let through
        for name in ("registered_at", "occurred_at"):
            conn.execute(text(f"UPDATE record SET row = jsonb_set(row, '{{{name}}}', "
                              "'\"9999-12-31T20:00:00\"') WHERE row ? :n AND seq > 0 AND "
                              "entity_id = ANY(:ids)"),
                         {"n": name, "ids": [c["entity_id"] for c in changes]})  # fmt: skip
    later = a.register("第二件：劳资纠纷")
    a.sync.sync_now()
    for _ in range(2):
        county.sync.sync_now()  # no OverflowError
    status = county.sync.status()
    assert status.state == "ok" and status.parked == 3
    assert later in county.case_ids() and changes[0]["entity_id"] not in county.case_ids()


def test_a_pc_refuses_to_store_a_date_before_1900(world: dict[str, Any]) -> None:
    a: Pc = world["a"]
    before = a.case_ids()
    with pytest.raises(ValidationError) as caught:
        a.register(occurred_at=dt.datetime(1000, 1, 1, 9))
    assert "1900" in caught.value.message and a.case_ids() == before


def test_a_pulled_assignment_due_in_year_9999_assigns_without_the_date_not_a_wedge(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    """The payload is JSON the pull stores as it is: the workflow counts the 交办 without the
    unusable date (the rule's deadline applies) and records why for review, instead of
    overflowing the deadline arithmetic; leaving the whole event out (as it did) would also
    leave out every later event of the case."""
    county, own = world["county"], world["own"]
    attacker: Attacker = world["attacker"]
    unit = world["a"].add_unit()
    world["a"].sync.sync_now()
    payload = {"unit_id": unit, "unit_name": "青山司法所", "due_date": "2026-12-31"}
    assert attacker.push(attacker.event(own, "assign", seq=3, payload=payload)).status_code == 200
    with pg_hub.db.engine.begin() as conn:  # what an older hub let through
        conn.execute(text("UPDATE record SET row = jsonb_set(row, '{payload,due_date}', "
                          "'\"9999-12-31\"') WHERE row->>'action' = 'assign'"))  # fmt: skip
    for _ in range(2):
        county.sync.sync_now()
    assert county.sync.status().state == "ok"
    assert county.cases()[own][1:] == ("assigned", 3)
    with county.store.read() as session:
        reasons = session.scalars(select(SyncConflict.reason)
                                  .where(SyncConflict.case_id == own)).all()  # fmt: skip
    assert len(reasons) == 1 and "9999" in reasons[0]
    with county.store.read() as session:  # the case file says so beside the 交办
        timeline = case_detail(session, county.ctx, own).timeline
    assert [(e.action, bool(e.partly), e.conflict) for e in timeline][-1] == ("assign", True, "")


# --- c) floats PostgreSQL's JSONB cannot give back unchanged ----------------------------------


@pytest.mark.parametrize("number", [1.2345678901234567e17, -1e16, 1.5e300, 1e16])
def test_a_float_of_magnitude_1e16_or_more_is_refused_422(
    world: dict[str, Any], pg_hub: InProcessHub, number: float
) -> None:
    """Found: 1.2345678901234567e17 came back from JSONB as the integer 123456789012345670, so
    the pulled row never compared equal to the pushed one again (and 1e16 as an int)."""
    attacker: Attacker = world["attacker"]
    before = pg_hub.count("change")
    change = attacker.event(world["own"], "assess", seq=3, payload={**REGISTER, "n": number})
    _refused(attacker.push(change), "n")
    assert pg_hub.count("change") == before


def test_floats_below_1e16_come_back_from_the_hub_unchanged(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    attacker: Attacker = world["attacker"]
    numbers = [9999999999999998.0, -1234567890123456.7, 0.1, 1e-300, 5e-324, 123.0]
    change = attacker.event(world["own"], "assess", seq=3, payload={**REGISTER, "n": numbers})
    assert attacker.push(change).status_code == 200
    county = pg_hub.client(pg_hub.token("县2").token, "pc-county-2")
    pulled = county.get("/v1/pull", params={"limit": 2000}).json()["records"]
    row = next(r["row"] for r in pulled if r["id"] == change["entity_id"])
    got = row["payload"]["n"]
    assert got == numbers and all(isinstance(v, float) for v in got)


# --- counts and amounts within the domain's ranges --------------------------------------------


def _visit(attacker: Attacker, township: str, heads: int) -> dict[str, Any]:
    visit_id = uuid7()
    row = {"id": visit_id, "township_id": township, "received_at": dt.datetime.now().isoformat(),
           "channel": "walk_in", "disposition": "accepted", "head_count": heads}  # fmt: skip
    return attacker.change("visit", visit_id, row)


@pytest.mark.parametrize(
    ("field", "change"),
    [("amount_cents", lambda w: _new_case(w["attacker"], w["township"],
                                          amount_cents=4 * 10**18)[0]),
     ("amount_cents", lambda w: _new_case(w["attacker"], w["township"], amount_cents=-1)[0]),
     ("people_count", lambda w: _new_case(w["attacker"], w["township"],
                                          people_count=2_000_000)[0]),
     ("people_count", lambda w: _new_case(w["attacker"], w["township"], people_count=-5)[0]),
     ("head_count", lambda w: _visit(w["attacker"], w["township"], 200_000)),
     ("head_count", lambda w: _visit(w["attacker"], w["township"], 0))],
)  # fmt: skip
def test_a_count_or_amount_outside_its_domain_range_is_refused_422(
    world: dict[str, Any], pg_hub: InProcessHub, field: str, change: Callable[..., Any]
) -> None:
    before = pg_hub.count("change")
    _refused(world["attacker"].push(change(world)), field)
    assert pg_hub.count("change") == before


def test_pulled_huge_head_counts_are_parked_not_breaking_the_countys_dashboard(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    """Found: two visits of 2**62 visitors each were stored; the county PC pulled them and its
    dashboard summed them in SQLite and failed with 'integer overflow' (the reports too). From
    an older hub, such rows are parked on the pulling PC."""
    from services.statistics.service import StatisticsService

    attacker: Attacker = world["attacker"]
    visits = [_visit(attacker, world["township"], 5) for _ in range(2)]
    assert attacker.push(*visits).status_code == 200
    with pg_hub.db.engine.begin() as conn:  # what an older hub let through
        conn.execute(text("UPDATE record SET row = jsonb_set(row, '{head_count}', :n) "
                          "WHERE entity = 'visit' AND entity_id = ANY(:ids)"),
                     {"n": str(2**62), "ids": [v["entity_id"] for v in visits]})  # fmt: skip
    county = world["county"]
    county.sync.sync_now()
    assert county.sync.status().parked == 2
    assert StatisticsService(county.ctx).dashboard(days=30) is not None


@pytest.mark.parametrize(
    ("field", "change"),
    [("seq", lambda w: w["attacker"].event(w["own"], "assess", seq=2**63 - 1, payload=REGISTER)),
     ("event_count", lambda w: _new_case(w["attacker"], w["township"],
                                         event_count=2**63 - 1)[0]),
     ("revision", lambda w: _new_case(w["attacker"], w["township"], revision=2**62)[0])],
)  # fmt: skip
def test_an_ordinal_beyond_a_billion_is_refused_422(
    world: dict[str, Any], pg_hub: InProcessHub, field: str, change: Callable[..., Any]
) -> None:
    before = pg_hub.count("change")
    _refused(world["attacker"].push(change(world)), field)
    assert pg_hub.count("change") == before


def test_a_pulled_event_numbered_2_63_minus_1_is_parked_and_the_case_stays_workable(
    world: dict[str, Any], pg_hub: InProcessHub
) -> None:
    """Found: an event with seq 2**63 - 1 was stored; on the county PC every later action on
    that case failed (OverflowError: the next ordinal does not fit SQLite's INTEGER)."""
    from services.sync.county import supervise

    county, own = world["county"], world["own"]
    attacker: Attacker = world["attacker"]
    event = attacker.event(own, "assess", seq=3, payload=REGISTER)
    assert attacker.push(event).status_code == 200
    with pg_hub.db.engine.begin() as conn:  # what an older hub let through
        conn.execute(text("UPDATE record SET row = jsonb_set(row, '{seq}', :n) "
                          "WHERE entity_id = :id"), {"n": str(2**63 - 1),
                                                     "id": event["entity_id"]})  # fmt: skip
    county.sync.sync_now()
    assert county.sync.status().parked == 1
    supervise(county.ctx, own, "yellow", "请加快办理")  # no OverflowError
    assert county.cases()[own][2] == 3


# --- answers the hub's own routes never gave ---------------------------------------------------


UNREADABLE = ["[" * 100_000 + "]" * 100_000, '{"changes": [' + "9" * 5000 + "]}"]


@pytest.mark.parametrize("body", UNREADABLE, ids=["nested-100k", "5000-digit-int"])
def test_an_unreadable_body_is_answered_in_the_hubs_own_shape(
    pg_hub: InProcessHub, body: str
) -> None:
    """Starlette's own refusals (a body its JSON reader gives up on, an unknown path) answered
    with a bare English string; the hub's carry {code, message, changes} so a PC shows why."""
    client = pg_hub.client(pg_hub.token("A1", TOWNSHIP_A).token)
    answer = client.post("/v1/push", content=body, headers={"Content-Type": "application/json"})
    assert 400 <= answer.status_code < 500, answer.text
    detail = answer.json()["detail"]
    assert detail["code"] == f"http.{answer.status_code}" and detail["changes"] == [], detail
    assert detail["message"] == "请求无法解析", detail
    missing = client.get("/v1/no-such-route")
    assert missing.status_code == 404
    assert missing.json()["detail"] == {"code": "http.404", "message": "没有这个接口",
                                        "changes": []}  # fmt: skip
