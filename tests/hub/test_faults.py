"""A bad county link: cut connections, duplicated and reordered deliveries, restarts, clocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from services.cases.actions import perform
from services.domain.errors import OfflineError
from services.sync.county import supervise
from tests.hub.harness import TOWNSHIP_A, FaultyTransport, InProcessHub, Pc, make_pc


def _faulty(
    tmp_path: Path,
    hub: InProcessHub,
    name: str,
    token: str,
    plan: Callable[[int], str],
    **kwargs: object,
) -> tuple[Pc, FaultyTransport]:
    transport = FaultyTransport(hub.transport, plan)
    return make_pc(tmp_path, name, token, transport, **kwargs), transport  # type: ignore[arg-type]


def _requests(transport: FaultyTransport) -> list[str]:
    return [url.split("/v1/")[1].split("?")[0] for _m, url, _b, _h in transport.history]


def test_push_cut_after_the_hub_applied_it_is_not_duplicated(
    tmp_path: Path, hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    plan = {"mode": "ok"}
    a1, transport = _faulty(
        tmp_path, hub, "a1", hub.token("A1", TOWNSHIP_A).token, lambda n: plan["mode"]
    )
    a1.sync.sync_now()
    for _ in range(3):
        a1.register()
    pushes = transport.count
    plan["mode"] = "drop_after"
    with pytest.raises(OfflineError):
        a1.sync.sync_now()  # the push reached the hub, the answer did not come back
    assert transport.count == pushes + 1 and a1.pending() > 0
    assert a1.sync.status().state == "offline"
    applied = hub.count("change")
    plan["mode"] = "ok"
    report = a1.sync.sync_now()
    assert report.duplicates > 0 and report.pushed == 0 and a1.pending() == 0
    assert hub.count("change") == applied
    a1.close()


def test_pull_cut_midway_resumes_from_the_saved_cursor(
    tmp_path: Path, hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    a1.sync.sync_now()
    cases = {a1.register(f"纠纷{i}：相邻关系") for i in range(6)}
    a1.sync.sync_now()
    cut = {"at": 0}
    a2, transport = _faulty(
        tmp_path,
        hub,
        "a2",
        hub.token("A2", TOWNSHIP_A).token,
        lambda n: "drop_after" if n == cut["at"] else "ok",
    )
    a2.sync._limit = 5  # several pages
    cut["at"] = 4  # me, lease?… the fourth request is a pull page
    with pytest.raises(OfflineError):
        a2.sync.sync_now()
    got = a2.case_ids()
    a2.sync.sync_now()
    assert cases <= a2.case_ids() and got <= a2.case_ids()
    assert a2.cases() == a1.cases()
    assert "pull" in _requests(transport)
    a2.close()


@pytest.mark.parametrize("mode", ["duplicate", "replay"])
def test_duplicated_and_reordered_deliveries_converge(
    tmp_path: Path, hub: InProcessHub, pcs: Callable[..., Pc], mode: str
) -> None:
    a1, _t1 = _faulty(tmp_path, hub, "a1", hub.token("A1", TOWNSHIP_A).token, lambda n: mode)
    a2, _t2 = _faulty(tmp_path, hub, "a2", hub.token("A2", TOWNSHIP_A).token, lambda n: mode)
    a1.sync.sync_now()
    a2.sync.sync_now()
    one = a1.register()
    a1.sync.sync_now()
    a2.sync.sync_now()
    perform(
        a2.ctx,
        one,
        "assess",
        {"risk_colour": "yellow", "handling_level": "township", "risk_basis": "涉及多户"},
    )
    a2.register("第二件：劳资纠纷")
    for pc in (a2, a1, a2):
        pc.sync.sync_now()
    assert a1.cases() == a2.cases()
    outbox = a1.store, a2.store
    sent = sum(_count_sent(s) for s in outbox)
    assert hub.count("change") == sent  # every change exactly once
    a1.close()
    a2.close()


def _count_sent(store: object) -> int:
    from sqlalchemy import func, select

    from services.store.models import Outbox

    with store.read() as session:  # type: ignore[attr-defined]
        return int(
            session.scalar(select(func.count()).select_from(Outbox).where(Outbox.status == "sent"))
            or 0
        )


def test_hub_restarted_over_the_same_database(tmp_path: Path, pcs: Callable[..., Pc]) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    first = InProcessHub(url)
    token = first.token("A1", TOWNSHIP_A).token
    a1 = make_pc(tmp_path, "a1", token, first.transport)
    a1.sync.sync_now()
    case_id = a1.register()
    a1.sync.sync_now()
    first.close()  # the hub goes away…
    with pytest.raises(OfflineError):
        a1.sync.sync_now()
    second = InProcessHub(url)  # …and comes back (migrations are a no-op)
    a1.sync._transport = second.transport
    a1.register("重启期间登记的纠纷")
    a1.sync.sync_now()
    a2 = make_pc(tmp_path, "a2", second.token("A2", TOWNSHIP_A).token, second.transport)
    a2.sync.sync_now()
    assert case_id in a2.case_ids() and a2.cases() == a1.cases()
    for pc in (a1, a2):
        pc.close()
    second.close()


def test_clocks_a_day_off_still_order_by_causality(
    tmp_path: Path, hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    behind = pcs("a1", hub.token("A1", TOWNSHIP_A).token, skew=-dt.timedelta(days=1))
    county = pcs("county", hub.token("县").token, skew=dt.timedelta(days=1))
    behind.sync.sync_now()
    county.sync.sync_now()
    case_id = behind.register()
    behind.sync.sync_now()
    county.sync.sync_now()
    supervise(county.ctx, case_id, "red", "逾期未办，红色督办")  # HLC a day ahead
    county.sync.sync_now()
    behind.sync.sync_now()
    # the PC a day behind acts after seeing the county's event: its HLC moved past it
    perform(behind.ctx, case_id, "pause_clock", {"reason": "等待鉴定结论"})
    behind.sync.sync_now()
    county.sync.sync_now()
    assert behind.cases() == county.cases()
    assert abs((behind.sync.status().clock_skew_ms or 0) - 86_400_000) < 60_000  # hub ahead
    assert behind.sync.status().clock_warning
    detail = behind.event_ids()
    assert len(detail) == len(county.event_ids())
