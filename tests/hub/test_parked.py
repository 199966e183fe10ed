"""Nothing stays parked at quiescence, whatever order rows arrive in (issue 10 §3), PostgreSQL."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select, update

from services.domain.ids import uuid7
from services.store.models import CaseEvent, NumberBlock, SyncParked
from services.sync.pull import Applier
from services.sync.service import sync_state
from tests.hub.harness import TOWNSHIP_A, TOWNSHIP_B, InProcessHub, Pc


def _parked(pc: Pc) -> int:
    with pc.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(SyncParked)) or 0)


def _events_per_case(pc: Pc) -> dict[str, int]:
    return {case_id: n for case_id, (_code, _state, n) in pc.cases().items()}


def _offline_walk_ins(pc: Pc, n: int) -> None:
    with pc.store.write() as session:  # the leased block ran dry while offline
        session.execute(update(NumberBlock).values(next_value=NumberBlock.last + 1))
    for i in range(n):
        pc.register(f"离线登记第{i}件：邻里纠纷")


def _all_records(hub: InProcessHub, token: str, device: str) -> list[dict[str, Any]]:
    http = hub.client(token, device)
    records, cursor = [], 0
    while True:
        page = http.get("/v1/pull", params={"cursor": cursor, "limit": 2000}).json()
        records += page["records"]
        cursor = page["cursor"]
        if not page["more"]:
            return records


@pytest.mark.parametrize(
    "seeds",
    [pytest.param((0,), id="order0"),
     pytest.param((1, 2), id="orders1-2", marks=pytest.mark.slow)],
)  # fmt: skip
def test_rows_arriving_in_any_order_leave_nothing_parked(
    pg_hub: InProcessHub, pg_pcs: Callable[..., Pc], seeds: tuple[int, ...]
) -> None:
    """Each seed is one shuffled order of the hub's records: `make test` runs one, slow two."""
    a1 = pg_pcs("a1", pg_hub.token("A1", TOWNSHIP_A).token)
    a2 = pg_pcs("a2", pg_hub.token("A2", TOWNSHIP_A).token)
    b1 = pg_pcs("b1", pg_hub.token("B1", TOWNSHIP_B).token)
    for pc in (a1, a2, b1):
        pc.sync.sync_now()
    _offline_walk_ins(a1, 30)  # provisional codes, renumbered at the next sync
    for i in range(10):
        a2.register(f"第{i}件：劳资纠纷")
        b1.register(f"柳河乡第{i}件")
    for pc in (a1, a2, b1, a1):
        pc.sync.sync_now()
    county_token = pg_hub.token("县综治中心").token
    for seed in seeds:
        county = pg_pcs(f"county{seed}", county_token if seed == 0 else
                        pg_hub.token(f"县{seed}").token)  # fmt: skip
        county.sync.sync_now()  # enrol; pulls everything in the hub's order
        with county.store.write() as session:
            sync_state(session).cursor = 0
        records = _all_records(pg_hub, county.sync._token() or "", county.ctx.device_id)
        fresh = pg_pcs(f"fresh{seed}", pg_hub.token(f"新县级{seed}").token)
        fresh.sync.sync_now()
        top = max(r["seq"] for r in records)
        random.Random(seed).shuffle(records)  # children long before their parents
        for start in range(0, len(records), 25):
            with fresh.store.write() as session:
                applier = Applier(session, fresh.ctx, fresh.ctx.now())
                applier.apply_all(records[start : start + 25])
                applier.rederive()
        with fresh.store.write() as session:
            sync_state(session).cursor = top  # the next pull is empty
        fresh.sync.sync_now()
        assert _parked(fresh) == 0
        assert _events_per_case(fresh) == _events_per_case(county)
        assert set(fresh.cases()) == a1.case_ids() | b1.case_ids()


def test_a_parked_row_is_retried_even_when_the_pull_brings_nothing(
    pg_hub: InProcessHub, pg_pcs: Callable[..., Pc]
) -> None:
    a1 = pg_pcs("a1", pg_hub.token("A1", TOWNSHIP_A).token)
    a2 = pg_pcs("a2", pg_hub.token("A2", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a2.sync.sync_now()
    case_id = a1.register()
    a1.sync.sync_now()
    a2.sync.sync_now()
    with a2.store.read() as session:  # an event parked earlier; its case arrived meanwhile
        event = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)).first()
        assert event is not None
        row = {c.name: getattr(event, c.key) for c in CaseEvent.__table__.columns}
    row = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}
    row.update(id=uuid7(), seq=99, action="pause_clock", payload={"reason": "等待鉴定"})
    with a2.store.write() as session:
        session.add(SyncParked(entity="case_event", entity_id=row["id"], row=row, seq=1,
                               reason="关联记录尚未同步", parked_at=a2.ctx.now()))  # fmt: skip
    assert _parked(a2) == 1
    a2.sync.sync_now()  # nothing new on the hub
    assert _parked(a2) == 0 and row["id"] in a2.event_ids()
