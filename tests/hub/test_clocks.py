"""Clocks (issue 10 §8): one device cannot drag the shared clock; a PC set weeks fast recovers by
itself and never issues next year's codes; the hub's time comes with every answer."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from sqlalchemy import text

from services.audit.verify import verify
from services.domain.hlc import Timestamp
from services.domain.ids import uuid7
from services.sync.protocol import MAX_CLOCK_DRAG_MS, MAX_FUTURE_SKEW_MS
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc, dt_ms


def _next_year_soon() -> dt.timedelta:
    """A jump of at least 30 days that lands in next year (2 January)."""
    now = dt.datetime.now()
    return max(dt.timedelta(days=30), dt.datetime(now.year + 1, 1, 2, 10) - now)


def test_a_pc_set_weeks_fast_recovers_by_itself_and_keeps_the_hubs_year(
    pg_hub: InProcessHub, pg_pcs: Callable[..., Pc]
) -> None:
    a1 = pg_pcs("a1", pg_hub.token("A1", TOWNSHIP_A).token)
    a2 = pg_pcs("a2", pg_hub.token("A2", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a2.sync.sync_now()
    a1.set_clock(_next_year_soon(), while_closed=True)  # offline, its clock jumps
    fast = {a1.register(f"时钟超前时登记第{i}件") for i in range(3)}
    year = dt.date.today().year
    assert all(a1.cases()[c][0].split("-")[1] == str(year + 1) for c in fast)  # the PC's year
    report = a1.sync.sync_now()  # refused as ahead of the hub's time, stamped afresh, sent
    assert (report.status.pending, report.status.quarantined) == (0, 0)
    assert report.status.clock_warning  # the status bar says 本机时钟不准
    hub_now = pg_hub.app.state.service.clock.now()
    assert hub_now.wall_ms <= dt_ms() + MAX_CLOCK_DRAG_MS + 5_000  # the shared clock held
    later = a1.register("时钟仍超前，同步之后登记")  # the hub's year, not the PC's
    assert a1.cases()[later][0].split("-")[1] == str(year)
    a1.sync.sync_now()
    a2.sync.sync_now()
    assert fast | {later} <= a2.case_ids()
    assert a1.cases() == a2.cases() and a1.event_ids() == a2.event_ids()
    with a2.store.read() as session:
        stamps = session.execute(text("SELECT hlc FROM case_event")).scalars().all()
    assert max(Timestamp.decode(s).wall_ms for s in stamps) < dt_ms() + MAX_FUTURE_SKEW_MS
    with a1.store.read() as session:
        restamped = session.execute(text("SELECT detail FROM audit_log WHERE action = 'restamp'"))
        assert len(restamped.all()) == 1  # refused once, stamped afresh once
    assert verify(a1.store).ok  # the events stamped afresh are in the signed audit chain
    a1.set_clock(dt.timedelta(0))  # fixed
    fixed = a1.register("时钟校准后登记")
    status = a1.sync.sync_now().status
    assert (status.pending, status.quarantined, status.clock_warning) == (0, 0, False)
    a2.sync.sync_now()
    assert fixed in a2.case_ids() and a1.cases() == a2.cases()


def test_a_stamp_far_ahead_is_refused_and_a_near_one_cannot_drag_the_clock(
    pg_hub: InProcessHub,
) -> None:
    http = pg_hub.client(pg_hub.token("A1", TOWNSHIP_A).token)

    def push(ahead_ms: int) -> tuple[int, dict[str, object]]:
        row_id = uuid7()
        change = {"change_id": str(uuid.uuid4()), "entity": "person", "entity_id": row_id,
                  "op": "insert", "hlc": f"{dt_ms() + ahead_ms:013d}-0000000000-pc-test",
                  "payload": {"row": {"id": row_id, "name": "张三",
                                      "created_at": "2026-12-01T09:00:00"}}}  # fmt: skip
        answer = http.post("/v1/push", json={"changes": [change]})
        return answer.status_code, answer.json()

    status, body = push(MAX_FUTURE_SKEW_MS + 60_000)
    assert status == 422
    detail = body["detail"]
    assert isinstance(detail, dict) and "本机时钟不准" in str(detail["message"])
    status, body = push(MAX_FUTURE_SKEW_MS - 60_000)  # accepted, but the hub's clock holds
    assert status == 200
    assert Timestamp.decode(str(body["hlc"])).wall_ms <= dt_ms() + MAX_CLOCK_DRAG_MS + 5_000


def test_every_answer_carries_the_hubs_time(pg_hub: InProcessHub) -> None:
    http = pg_hub.client("not-a-token")
    answer = http.get("/v1/me")
    assert answer.status_code == 401
    assert abs(int(answer.headers["x-hub-time"]) - dt_ms()) < 60_000


def test_a_case_registered_right_after_the_clock_is_fixed_keeps_this_years_code(
    pg_hub: InProcessHub, pg_pcs: Callable[..., Pc]
) -> None:
    """Found under faketime @2027-02-28: test_a_pc_set_weeks_fast... jumps to next 2 January
    (10 months from February) and its last sync was refused (lease.year). Here at any date:
    a clock a year and a month fast, synced, then set right: the case is coded for last year
    (hub_now = the right time + the stale -400 days) and its sync is refused lease.year."""
    a1 = pg_pcs("a1", pg_hub.token("A1", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a1.set_clock(dt.timedelta(days=400))
    assert a1.sync.sync_now().status.clock_warning  # the hub's time learned: offset -400 days
    a1.set_clock(dt.timedelta(0))  # the user sets the clock right
    fixed = a1.register("时钟校准后、下次同步前登记")
    assert a1.cases()[fixed][0].split("-")[1] == str(dt.date.today().year)
    status = a1.sync.sync_now().status
    assert (status.pending, status.quarantined) == (0, 0)


def test_a_clock_set_right_while_the_app_was_closed_keeps_this_years_code(
    pg_hub: InProcessHub, pg_pcs: Callable[..., Pc]
) -> None:
    """The same, the clock set right with the app closed: nothing saw the jump, but the clock
    now reads earlier than at the last sync, so the offset learned then is not used."""
    a1 = pg_pcs("a1", pg_hub.token("A1", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a1.set_clock(dt.timedelta(days=400))
    assert a1.sync.sync_now().status.clock_warning
    a1.set_clock(dt.timedelta(0), while_closed=True)
    fixed = a1.register("关机校准时钟后、下次同步前登记")
    assert a1.cases()[fixed][0].split("-")[1] == str(dt.date.today().year)
    status = a1.sync.sync_now().status
    assert (status.pending, status.quarantined, status.clock_warning) == (0, 0, False)
