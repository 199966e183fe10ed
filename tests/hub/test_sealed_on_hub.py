"""ID numbers and phones on the hub (issue 11 part 2): sealed as received, never plain text; the
county PC opens them with the county's data key and matches by ID; plain text is refused."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from hub.db import MIGRATIONS_DIR, make_engine, normalise_url
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import find_people, register_walk_in
from services.setup.township import set_up_township
from services.store.models import Person
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc

ID = "62012319850710002X"
PHONE = "13912340000"


def test_hub_tables_hold_only_sealed_values_and_the_county_reads_them(
    hub: InProcessHub, pcs: Callable[..., Pc], tmp_path: Path
) -> None:
    a1 = pcs("a1", hub.token("青山镇接待1", TOWNSHIP_A).token)
    county = pcs("county", hub.token("县综治中心").token)
    set_up_township(a1.ctx, TOWNSHIP_A[1], TOWNSHIP_A[0])
    party = PartyInput(name="张三", id_number=ID, phone=PHONE)
    form = WalkInInput(parties=(party,), summary="邻里纠纷", category_code="0202",
                       disposition="accepted")  # fmt: skip
    person_id = register_walk_in(a1.ctx, form).person_ids[0]
    a1.sync.sync_now()
    county.sync.sync_now()
    with hub.db.engine.connect() as conn:
        rows = [json.dumps(r) for r in conn.execute(
            sa.text("SELECT row FROM record WHERE entity = 'person'")).scalars()]  # fmt: skip
        changes = [json.dumps(r) for r in conn.execute(
            sa.text("SELECT payload FROM change WHERE entity = 'person'")).scalars()]  # fmt: skip
    assert rows and changes
    for text_ in rows + changes:
        assert ID not in text_ and PHONE not in text_ and "e1." in text_
    hub.db.dispose()
    raw = (tmp_path / "hub.db").read_bytes()
    assert ID.encode() not in raw and PHONE.encode() not in raw
    # the county PC (same county data key) reads the number and matches by it
    with county.store.read() as session:
        person = session.get(Person, person_id)
        assert person is not None and (person.id_number, person.phone) == (ID, PHONE)
    assert [c.person.id for c in find_people(county.ctx, id_number=ID)] == [person_id]
    assert ID.encode() not in (tmp_path / "county.db").read_bytes()


def test_a_plain_id_number_pushed_by_hand_is_refused(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    token = hub.token("青山镇接待1", TOWNSHIP_A).token
    a1 = pcs("a1", token)
    a1.sync.sync_now()
    stamp = a1.ctx.clock.now()
    row = {"id": str(uuid.uuid4()), "name": "张三", "id_number": ID,
           "created_at": "2026-12-01T09:00:00"}  # fmt: skip
    change = {"change_id": str(uuid.uuid4()), "entity": "person", "entity_id": row["id"],
              "op": "insert", "hlc": stamp.encode(), "payload": {"row": row}}  # fmt: skip
    answer = hub.client(token, a1.ctx.device_id).post("/v1/push", json={"changes": [change]})
    assert answer.status_code in (400, 422), answer.text
    assert "须加密" in answer.text
    with hub.db.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM record WHERE entity = 'person'")
                            ).scalar() == 0  # fmt: skip


def _upgrade(engine: sa.Engine, revision: str) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def test_hub0005_removes_plain_values_pushed_before(tmp_path: Path) -> None:
    engine = make_engine(normalise_url(f"sqlite:///{tmp_path / 'hub.db'}"))
    try:
        _upgrade(engine, "hub0003")
        token = "e1.0123abcd." + "A" * 40
        plain = {"id": "p1", "name": "张三", "id_number": ID, "phone": PHONE}
        kept = {"id": "p2", "name": "李四", "id_number": token, "phone": None}
        with engine.begin() as conn:
            for key, row in (("p1", plain), ("p2", kept)):
                conn.execute(sa.text(
                    "INSERT INTO record (entity, entity_id, township_id, public, owner, row,"
                    " field_hlc, seq, origin, base_seq, updated_at) VALUES ('person', :k,"
                    " NULL, false, 't', :row, '{}', 1, NULL, 0, '2026-01-01 00:00:00')"),
                    {"k": key, "row": json.dumps(row)})  # fmt: skip
                conn.execute(sa.text(
                    "INSERT INTO change (change_id, device_id, entity, entity_id, op, hlc,"
                    " payload, payload_hash, township_id, seq, received_at) VALUES (:c, 'd',"
                    " 'person', :k, 'insert', 'h', :p, 'x', NULL, 1, '2026-01-01 00:00:00')"),
                    {"c": "c" + key, "k": key, "p": json.dumps({"row": row})})  # fmt: skip
        _upgrade(engine, "head")
        with engine.connect() as conn:
            rows = {k: json.loads(r) for k, r in conn.execute(
                sa.text("SELECT entity_id, row FROM record"))}  # fmt: skip
            payloads = {k: json.loads(r) for k, r in conn.execute(
                sa.text("SELECT entity_id, payload FROM change"))}  # fmt: skip
        assert rows["p1"] == {**plain, "id_number": None, "phone": None}
        assert payloads["p1"] == {"row": rows["p1"]}
        assert rows["p2"] == kept and payloads["p2"] == {"row": kept}
    finally:
        engine.dispose()


def test_edits_in_turn_on_two_pcs_are_no_conflict_and_match_everywhere(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    """The second PC's "before" token equals the hub's (one value, one token under one key), so
    edits made in turn are not mistaken for concurrent ones; the blind index follows."""
    from tests.hub.test_protocol import _person_of, _set_phone

    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    a2 = pcs("a2", hub.token("A2", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a2.sync.sync_now()
    person = _person_of(a1, a1.register())
    a1.sync.sync_now()
    a2.sync.sync_now()
    _set_phone(a1, person, "13900000001")
    a1.sync.sync_now()
    a2.sync.sync_now()
    _set_phone(a2, person, "13900000002")
    for pc in (a2, a1):
        pc.sync.sync_now()
    assert a1.sync.conflicts() == () and a2.sync.conflicts() == ()
    for pc in (a1, a2):
        assert [c.person.id for c in find_people(pc.ctx, phone="13900000002")] == [person]
        assert find_people(pc.ctx, phone="13900000001") == ()
