"""Two township PCs and a county PC converge through the in-process hub."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text

from services.cases.actions import perform
from services.setup.township import set_up_township
from services.statistics.closures import ensure_closures
from services.sync.county import assign_down, escalations, supervise, township_overview
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc


def test_two_township_pcs_and_county_converge(hub: InProcessHub, pcs: Callable[..., Pc]) -> None:
    a1 = pcs("a1", hub.token("青山镇接待1", TOWNSHIP_A).token)
    a2 = pcs("a2", hub.token("青山镇接待2", TOWNSHIP_A).token)
    county = pcs("county", hub.token("县综治中心").token)
    set_up_township(a1.ctx, TOWNSHIP_A[1], TOWNSHIP_A[0])  # set up before the first sync
    local_id = a1.ctx.township_id
    unit = a1.add_unit()
    case_id = a1.register()

    report = a1.sync.sync_now()
    assert report.pushed > 0 and report.status.pending == 0
    assert a1.ctx.township_id != local_id  # adopted the hub's township id
    assert a1.township_ids() == {a1.ctx.township_id}

    a2.sync.sync_now()
    county.sync.sync_now()
    assert case_id in a2.case_ids() and case_id in county.case_ids()
    # Pulled rows never enter the outbox. What may wait there is the PC's own audit key, first
    # written while the pull was applied: every other PC needs it to check this PC's chain.
    for pc in (a2, county):
        assert all(
            entity == "audit_key" and device == pc.ctx.device_id
            for entity, device in pc.pending_changes()
        ), (pc.name, pc.pending_changes())
    code = a1.cases()[case_id][0]
    assert code.startswith(TOWNSHIP_A[0] + "-")

    assign_down(county.ctx, case_id, unit, "请青山司法所牵头化解")
    supervise(county.ctx, case_id, "yellow", "请加快办理")
    county.sync.sync_now()
    a1.sync.sync_now()
    a2.sync.sync_now()
    states = {pc.name: pc.cases()[case_id] for pc in (a1, a2, county)}
    assert len(set(states.values())) == 1, states
    assert states["a1"][1] == "assigned"

    perform(a2.ctx, case_id, "sign", {"signer": "李所长"})
    perform(a2.ctx, case_id, "escalate", {"reason": "涉及多个乡镇"})
    a2.sync.sync_now()
    county.sync.sync_now()
    assert [e.case_id for e in escalations(county.ctx)] == [case_id]
    overview = {o.code: o for o in township_overview(county.ctx)}
    assert overview[TOWNSHIP_A[0]].escalated == 1
    # a case evaluated and closed on a1: pulled in bulk elsewhere, its rates' facts follow
    other = a1.register()
    for action, payload in (("mediate", {"mediator": "王调解"}),
                            ("mediation_result", {"result": "reached"}),
                            ("evaluate", {"evaluation": "satisfied"}),
                            ("close", {"closure_type": "normal"})):  # fmt: skip
        perform(a1.ctx, other, action, payload)
    for pc in (a1, a2, county):
        pc.sync.sync_now()
    for pc in (a1, a2, county):
        ensure_closures(pc.ctx)
        with pc.store.read() as session:
            kinds = session.execute(
                text("SELECT kind FROM rate_fact WHERE case_id = :c ORDER BY kind"), {"c": other}
            ).scalars()
            assert list(kinds) == ["close", "evaluate"], pc.name
    assert len({pc.name: pc.cases()[case_id] for pc in (a1, a2, county)}.values()) == 3
    assert len({pc.cases()[case_id] for pc in (a1, a2, county)}) == 1
    assert a1.event_ids() == a2.event_ids() == county.event_ids()
    for pc in (a1, a2, county):  # the 统计 tally counts pulled cases like local ones
        assert pc.tally_mismatches() == {}, pc.name
