"""Pipelined pushes (issue 10, push speed): a PC sends its next batch before the hub has
answered the one before, naming it (``after``); the hub applies a batch only once the batch
it names is in, so the hub's order (``seq``) is still the PC's, whatever arrives first."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

import hub.service
from services.domain.ids import uuid7
from services.store.models import Outbox
from services.sync.client import HubClient, HubConfig
from services.sync.push import push_all
from tests.bench.bench_sync import fill_outbox
from tests.hub.harness import TOWNSHIP_A, InProcessHub, case_row, make_pc

HLC = "1795000000000-0000000000-pc-test"


def _batch(township_id: str, n: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(n):
        case_id = uuid7()
        out.append({"change_id": uuid7(), "entity": "case_file", "entity_id": case_id,
                    "op": "insert", "hlc": HLC,
                    "payload": {"row": case_row(case_id, township_id)}})  # fmt: skip
    return out


def _seqs(hub_: InProcessHub, ids: list[str]) -> list[int]:
    with hub_.db.engine.connect() as conn:
        rows: dict[str, int] = dict(conn.execute(text("SELECT entity_id, seq FROM record")).all())
    return [int(rows[i]) for i in ids]


def test_a_batch_that_arrives_first_waits_for_the_batch_it_names(pg_hub: InProcessHub) -> None:
    issued = pg_hub.token("A1", TOWNSHIP_A)
    http = pg_hub.client(issued.token)
    first, second = _batch(str(issued.township_id), 3), _batch(str(issued.township_id), 3)
    answers: dict[str, httpx.Response] = {}

    def send_second() -> None:
        body = {"changes": second, "after": [c["change_id"] for c in first]}
        answers["second"] = http.post("/v1/push", json=body)

    early = threading.Thread(target=send_second)
    early.start()
    time.sleep(0.3)
    assert pg_hub.count("change") == 0  # the second batch waits (no lock held meanwhile)
    answers["first"] = http.post("/v1/push", json={"changes": first})
    early.join()
    assert answers["first"].status_code == answers["second"].status_code == 200
    assert answers["first"].json()["ordered"] is True
    seqs = _seqs(pg_hub, [c["entity_id"] for c in first + second])
    assert seqs == sorted(seqs)  # applied in the PC's order, not in the order they came


def test_a_batch_whose_predecessor_never_comes_is_refused_and_nothing_stored(
    pg_hub: InProcessHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hub.service, "ORDER_WAIT_S", 0.2)
    issued = pg_hub.token("A1", TOWNSHIP_A)
    http = pg_hub.client(issued.token)
    body = {"changes": _batch(str(issued.township_id), 2), "after": [uuid7()]}
    records = pg_hub.count("record")  # the township's own
    answer = http.post("/v1/push", json=body)
    assert answer.status_code == 409 and answer.json()["detail"]["code"] == "push.order"
    assert pg_hub.count("change") == 0 and pg_hub.count("record") == records
    malformed = http.post("/v1/push", json={**body, "after": ["not a change id"]})
    assert malformed.status_code == 422


class _Recording(httpx.BaseTransport):
    """The in-process hub's transport, noting each push and how many were in flight."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.lock = threading.Lock()
        self.flying = self.most = 0
        self.pushes: list[dict[str, Any]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != "/v1/push":
            return self.inner.handle_request(request)
        with self.lock:
            self.flying += 1
            self.most = max(self.most, self.flying)
            self.pushes.append(json.loads(request.read()))
        try:
            return self.inner.handle_request(request)
        finally:
            with self.lock:
                self.flying -= 1


def _push(pg_hub: InProcessHub, tmp_path: Path, poison_at: int | None = None) -> Any:
    issued = pg_hub.token("A1", TOWNSHIP_A)
    pc = make_pc(tmp_path, "a1", issued.token, pg_hub.transport)
    pc.sync.sync_now()  # enrol
    fill_outbox(pc, str(issued.township_id), 3_500)
    with pc.store.read() as session:
        query = text("SELECT entity_id FROM outbox WHERE entity = 'case_file' ORDER BY seq")
        order = [r[0] for r in session.execute(query)]
    if poison_at is not None:  # a NUL in one title: the hub refuses that change (422)
        with pc.store.write() as session:
            row = session.get(Outbox, poison_at)
            assert row is not None
            row.payload = {"row": {**row.payload["row"], "title": "a\x00b"}}
    recording = _Recording(pg_hub.transport)
    try:
        with HubClient(HubConfig("https://hub.test"), issued.token, pc.ctx.device_id,
                       transport=recording) as client:  # fmt: skip
            tally = push_all(pc.store, client, pc.ctx.clock)
        return tally, recording, order, pc.pending()
    finally:
        pc.close()


def test_a_pc_pipelines_its_batches_and_the_hub_keeps_its_order(
    pg_hub: InProcessHub, tmp_path: Path
) -> None:
    tally, recording, order, pending = _push(pg_hub, tmp_path)
    assert tally.applied == 3_500 and pending == 0
    assert recording.most == 2  # the next batch went before the answer to the one before
    assert "after" not in recording.pushes[0]  # until the hub has said it keeps order
    assert any(p.get("after") for p in recording.pushes)
    seqs = _seqs(pg_hub, order)
    assert seqs == sorted(seqs)


def test_a_refused_change_in_a_pipelined_batch_is_quarantined_and_the_rest_arrive(
    pg_hub: InProcessHub, tmp_path: Path
) -> None:
    tally, _recording, order, pending = _push(pg_hub, tmp_path, poison_at=2_200)
    assert (tally.applied, tally.quarantined, pending) == (3_499, 1, 0)
    assert pg_hub.count("record") >= 3_499
    seqs = _seqs(pg_hub, [i for n, i in enumerate(order, start=1) if n != 2_200])
    assert len(seqs) == 3_499


def test_a_device_waits_for_at_most_one_missing_batch_at_a_time(
    pg_hub: InProcessHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in review: each push naming ids that never come held one of the hub's worker
    threads for ORDER_WAIT_S, so one device sending many at once could hold the workers every
    other township's push needs. A PC pipelining in order has one batch waiting at most: a
    second wait of the same device is refused at once (409, sent again in order)."""
    monkeypatch.setattr(hub.service, "ORDER_WAIT_S", 3.0)
    issued = pg_hub.token("A1", TOWNSHIP_A)
    http = pg_hub.client(issued.token)
    township = str(issued.township_id)
    answers: dict[str, httpx.Response] = {}

    def wait_in_vain() -> None:
        body = {"changes": _batch(township, 1), "after": [uuid7()]}
        answers["first"] = http.post("/v1/push", json=body)

    first = threading.Thread(target=wait_in_vain)
    first.start()
    time.sleep(0.3)
    second = http.post("/v1/push", json={"changes": _batch(township, 1), "after": [uuid7()]})
    assert second.status_code == 409 and second.json()["detail"]["code"] == "push.order"
    assert first.is_alive()  # refused at once, not after waiting its own 3 s beside the first
    first.join()
    assert answers["first"].status_code == 409
    # the device's next wait is allowed again once the first has ended
    later = {"changes": _batch(township, 1), "after": [c["change_id"] for c in _batch(township, 1)]}
    monkeypatch.setattr(hub.service, "ORDER_WAIT_S", 0.2)
    assert http.post("/v1/push", json=later).json()["detail"]["code"] == "push.order"
    assert pg_hub.count("change") == 0


def test_a_batch_naming_the_waiting_batch_waits_behind_it_and_keeps_the_order(
    pg_hub: InProcessHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in review: a PC keeps two batches in flight. b3 (after b2) got there before b2 and
    waits; b2 is applied and answered, so the PC sends b4 (after b3) while b3 sleeps between
    its looks. b4 misses b3 and, the device already waiting, was refused at once with 409:
    the PC then waited ORDER_WAIT_S for nothing and sent everything again. A batch that names
    the device's waiting batch is the legitimate second of the pair and waits behind it."""
    issued = pg_hub.token("A1", TOWNSHIP_A)
    http = pg_hub.client(issued.token)
    township = str(issued.township_id)
    b2, b3, b4 = _batch(township, 2), _batch(township, 2), _batch(township, 2)
    gate = threading.Event()
    looks = threading.Semaphore(0)
    real_all_in = hub.service.HubService._all_in

    def slow_look(self: hub.service.HubService, change_ids: Any) -> bool:
        looks.release()
        gate.wait(5)  # b3 (and b4) sleep between their looks until b2 is in and b4 has come
        return real_all_in(self, change_ids)

    monkeypatch.setattr(hub.service.HubService, "_all_in", slow_look)
    answers: dict[str, httpx.Response] = {}

    def send(name: str, batch: list[dict[str, Any]], after: list[dict[str, Any]]) -> None:
        body = {"changes": batch, "after": [c["change_id"] for c in after]}
        answers[name] = http.post("/v1/push", json=body)

    third = threading.Thread(target=send, args=("b3", b3, b2))
    third.start()
    assert looks.acquire(timeout=5)  # b3 missed b2 and waits
    assert http.post("/v1/push", json={"changes": b2}).status_code == 200
    fourth = threading.Thread(target=send, args=("b4", b4, b3))
    fourth.start()
    fourth.join(0.5)
    gate.set()
    third.join()
    fourth.join()
    assert answers["b3"].status_code == 200
    assert answers["b4"].status_code == 200, answers["b4"].text
    seqs = _seqs(pg_hub, [c["entity_id"] for c in b2 + b3 + b4])
    assert seqs == sorted(seqs)


def test_a_device_waits_with_two_batches_at_most_the_second_naming_the_first(
    pg_hub: InProcessHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second waiting batch a device may have must name the first; a third is refused
    at once whatever it names, so one device holds two hub workers at most."""
    monkeypatch.setattr(hub.service, "ORDER_WAIT_S", 3.0)
    issued = pg_hub.token("A1", TOWNSHIP_A)
    http = pg_hub.client(issued.token)
    township = str(issued.township_id)
    b3, b4, b5 = _batch(township, 1), _batch(township, 1), _batch(township, 1)
    answers: dict[str, httpx.Response] = {}

    def send(name: str, batch: list[dict[str, Any]], after: list[str]) -> None:
        answers[name] = http.post("/v1/push", json={"changes": batch, "after": after})

    waiters = [threading.Thread(target=send, args=("b3", b3, [uuid7()])),
               threading.Thread(target=send, args=("b4", b4, [b3[0]["change_id"]]))]  # fmt: skip
    for waiter in waiters:
        waiter.start()
        time.sleep(0.3)
    third = http.post("/v1/push", json={"changes": b5, "after": [b4[0]["change_id"]]})
    assert third.status_code == 409 and third.json()["detail"]["code"] == "push.order"
    assert all(w.is_alive() for w in waiters)  # both still wait: the second named the first
    for waiter in waiters:
        waiter.join()
    assert answers["b3"].status_code == answers["b4"].status_code == 409
    assert pg_hub.count("change") == 0
