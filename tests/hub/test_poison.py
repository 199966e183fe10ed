"""One bad character never wedges a township (issue 10 §2), on the hub over PostgreSQL.

The hub answers 4xx (never 5xx) for anything a client can send, naming the change; the PC
quarantines exactly that change and sends the rest; a hub that keeps failing is an error in the
status, not "offline".
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from services.domain.errors import OfflineError
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc, case_row, make_pc

HLC = "1795000000000-0000000000-pc-test"


def _raw(change_id: str = "", entity: str = "case_file", entity_id: str = "c1",
         row: str = "", op: str = "insert", hlc: str = HLC) -> bytes:  # fmt: skip
    row = row or json.dumps(case_row(entity_id, "t"), ensure_ascii=False)
    return (f'{{"changes":[{{"change_id":"{change_id or uuid.uuid4()}","entity":"{entity}",'
            f'"entity_id":"{entity_id}","op":"{op}","hlc":"{hlc}",'
            f'"payload":{{"row":{row}}}}}]}}').encode()  # fmt: skip


def _with(field: str, raw_value: str) -> str:
    row = json.dumps(case_row("c1", "t"), ensure_ascii=False)
    return row[:-1] + f',"{field}":{raw_value}}}' if field not in row else row.replace(
        f'"{field}":"', f'"{field}":{raw_value},"_x":"', 1)  # fmt: skip


POISON = {
    "NaN": _raw(row=_with("amount_cents", "NaN")),
    "Infinity": _raw(row=_with("amount_cents", "Infinity")),
    "-Infinity": _raw(row=_with("people_count", "-Infinity")),
    "1e400": _raw(row=_with("amount_cents", "1e400")),
    "huge int": _raw(row=_with("amount_cents", "1" + "0" * 30)),
    "lone surrogate in text": _raw(row=_with("summary", '"\\ud800"')),
    "lone surrogate in a key": _raw(row=_with("\\udc00", '"x"')),
    "NUL in text": _raw(row=_with("summary", '"a\\u0000b"')),
    "NUL in a key": _raw(row=_with("su\\u0000mmary", '"x"')),
    "NUL in entity_id": _raw(entity_id="c\\u00001"),
    "NUL in change_id": _raw(change_id="0191d3c2-7a1b-4c8e-9f00-\\u000023456789abc"),
    "lone surrogate in change_id": _raw(change_id="\\ud800"),
    "NUL in entity": _raw(entity="case\\u0000file"),
    "NUL in op": _raw(op="ins\\u0000ert"),
    "NUL in hlc": _raw(hlc="1795000000000-0000000000-pc\\u0000test"),
    "unknown entity": _raw(entity="no_such_table"),
    "text where a number goes": _raw(row=_with("people_count", '"many"')),
    "deep nesting": _raw(row=_with("amount_cents", "[" * 200 + "]" * 200)),
    "row not an object": _raw(row='"just text"'),
    "number as change_id": _raw().replace(b'"change_id":"', b'"change_id":1,"x":"', 1),
}


@pytest.mark.parametrize("name", sorted(POISON))
def test_anything_a_client_can_send_is_a_4xx_naming_the_change(
    pg_hub: InProcessHub, name: str
) -> None:
    http = pg_hub.client(pg_hub.token("A1", TOWNSHIP_A).token)
    answer = http.post("/v1/push", content=POISON[name],
                       headers={"content-type": "application/json"})  # fmt: skip
    assert 400 <= answer.status_code < 500, answer.text
    detail = answer.json()["detail"]
    assert detail["message"] and detail["changes"], detail
    assert detail["changes"][0].get("index") == 0 or detail["changes"][0]["change_id"]
    assert pg_hub.count("change") == 0
    assert http.get("/v1/pull").status_code == 200  # and the hub is still fine


def test_a_row_of_several_megabytes_is_refused_413(pg_hub: InProcessHub) -> None:
    http = pg_hub.client(pg_hub.token("A1", TOWNSHIP_A).token)
    big = _raw(row=json.dumps(case_row("c1", "t", description="字" * 2_600_000)))
    answer = http.post("/v1/push", content=big, headers={"content-type": "application/json"})
    assert answer.status_code == 413


def _tamper(pc: Pc, poison: str) -> str:
    """Put a poisoned value straight into the outbox JSON, as a bug or a hand-edited DB would:
    ``poison`` is spliced in as raw JSON text (the push sends the stored text as is)."""
    with pc.store.write() as session:
        change_id, stored = session.execute(text(
            "SELECT change_id, CAST(payload AS TEXT) FROM outbox WHERE entity = 'person' "
            "ORDER BY seq DESC LIMIT 1")).one()  # fmt: skip
        poisoned = re.sub(r'"address": ?null', lambda _m: f'"address": {poison}', str(stored))
        assert poisoned != stored
        session.execute(text("UPDATE outbox SET payload = :p WHERE change_id = :c"),
                        {"p": poisoned, "c": change_id})  # fmt: skip
    return str(change_id)


@pytest.mark.parametrize("poison", [r'"a\u0000b"', r'"\ud800"', "1e999", "NaN"])
def test_a_poisoned_change_is_quarantined_and_the_rest_go_through(
    pg_hub: InProcessHub, pg_pcs: Callable[..., Pc], poison: str
) -> None:
    a1 = pg_pcs("a1", pg_hub.token("A1", TOWNSHIP_A).token)
    a2 = pg_pcs("a2", pg_hub.token("A2", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a2.sync.sync_now()
    first = a1.register("第一件：邻里纠纷")
    bad = _tamper(a1, poison)
    others = {a1.register(f"第{i}件：劳资纠纷") for i in range(2, 5)}
    report = a1.sync.sync_now()  # no exception: the township is not wedged
    status = a1.sync.status()
    items = {i.change_id: i for i in a1.sync.outbox_items("quarantined")}
    assert (status.state, status.pending, status.quarantined) == ("ok", 0, len(items))
    assert report.quarantined == len(items) and 400 <= (items[bad].status_code or 0) < 500
    # Only the poisoned row and the rows that refer to it (the party, the visitor) wait.
    assert {i.entity for c, i in items.items() if c != bad} <= {"case_party", "visit_person"}
    a2.sync.sync_now()
    assert others | {first} <= a2.case_ids()  # everything else reached the other PC


def test_a_refusal_that_names_no_change_is_bisected_not_retried_blindly(
    pg_hub: InProcessHub, tmp_path: Path
) -> None:
    class Anonymous(httpx.BaseTransport):
        """Drops the change names from the hub's refusals (an older or stricter proxy)."""

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            response = pg_hub.transport.handle_request(request)
            body = response.read()
            if response.status_code == 422:
                data = json.loads(body)
                data["detail"]["changes"] = []
                body = json.dumps(data).encode()
            return httpx.Response(response.status_code, content=body, request=request,
                                  headers={"content-type": "application/json"})  # fmt: skip

    a1 = make_pc(tmp_path, "a1", pg_hub.token("A1", TOWNSHIP_A).token, Anonymous())
    try:
        a1.sync.sync_now()
        for i in range(6):
            a1.register(f"第{i}件：劳资纠纷")
        bad = _tamper(a1, r'"a\u0000b"')
        a1.sync.sync_now()
        items = {i.change_id: i for i in a1.sync.outbox_items("quarantined")}
        assert bad in items and a1.pending() == 0
        assert {i.entity for c, i in items.items() if c != bad} <= {"case_party", "visit_person"}
    finally:
        a1.close()


def test_a_hub_that_keeps_failing_is_an_error_not_offline(
    pg_hub: InProcessHub, pg_pcs: Callable[..., Pc]
) -> None:
    a1 = pg_pcs("a1", pg_hub.token("A1", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a1.register()
    with pg_hub.db.engine.begin() as conn:  # the hub's database breaks under it
        conn.execute(text("ALTER TABLE change RENAME TO change_broken"))
    states = []
    for _ in range(3):
        with pytest.raises(OfflineError):
            a1.sync.sync_now()
        states.append(a1.sync.status().state)
    assert states == ["offline", "offline", "error"]
    assert "县级平台持续出错" in a1.sync.status().message and a1.pending() > 0
    with pg_hub.db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE change_broken RENAME TO change"))
    a1.sync.sync_now()
    assert a1.sync.status().state == "ok" and a1.pending() == 0
