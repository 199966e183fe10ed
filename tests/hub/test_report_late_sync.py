"""Reports after a late sync (迟到的同步): the on-time answers kept in ``closure_fact`` follow the
event log, and a closed period built again after events from after its cut-off arrive is the
same, byte for byte.

Two PCs of 青山镇. Case K: registered, assigned and signed on PC 1 on Mon 2 Nov 2026 (township
rule: 7 working days). PC 2 grants a 5-working-day extension on 4 Nov while offline. PC 1, not
knowing it, records the unit's 反馈 on Fri 13 Nov (late on the first deadline, in time on the
extended one) and closes K on 16 Nov. PC 1's November report then says K was closed late; once
PC 2 syncs, the same report says on time, exactly as a store that saw every event from the start.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import delete, select

from reports.periodic import render_report_pdf
from reports.workbook import render_report_xlsx
from services.cases.actions import perform
from services.statistics.closures import ensure_closures
from services.statistics.documents import build_report
from services.statistics.figures import period_stats
from services.statistics.periods import month_period
from services.store.models import ClosureFact
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc

D = dt.datetime
NOVEMBER = month_period(2026, 11)


def _at(pc: Pc, when: dt.datetime) -> None:
    pc.ctx.now = lambda: when


def _act(pc: Pc, case_id: str, when: dt.datetime, action: str, **payload: Any) -> None:
    _at(pc, when)
    perform(pc.ctx, case_id, action, payload)


def _on_time(pc: Pc, case_id: str) -> bool:
    ensure_closures(pc.ctx)
    with pc.store.read() as session:
        stats = period_stats(session, pc.ctx, NOVEMBER, NOVEMBER.cutoff)
    assert case_id in {f.id for f in stats.closed}
    return case_id in stats.on_time


def _facts(pc: Pc) -> list[tuple[str, dt.datetime | None, bool]]:
    with pc.store.read() as session:
        rows = session.execute(
            select(ClosureFact.event_id, ClosureFact.due_at, ClosureFact.on_time).order_by(
                ClosureFact.event_id
            )
        )
        return [(r[0], r[1], bool(r[2])) for r in rows]


def _two_pcs(hub: InProcessHub, pcs: Callable[..., Pc]) -> tuple[Pc, Pc, str]:
    one = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    two = pcs("a2", hub.token("A2", TOWNSHIP_A).token)
    _at(one, D(2026, 11, 2, 8))
    one.sync.sync_now()
    unit = one.add_unit()
    _at(one, D(2026, 11, 2, 9))
    case_id = one.register()
    _act(one, case_id, D(2026, 11, 2, 10), "assign", unit_id=unit, unit_name="青山司法所")
    _act(one, case_id, D(2026, 11, 2, 11), "sign", signer="李四")
    one.sync.sync_now()
    _at(two, D(2026, 11, 2, 12))
    two.sync.sync_now()
    return one, two, case_id


def _close_on_pc_one(one: Pc, case_id: str) -> None:
    _act(one, case_id, D(2026, 11, 13, 9), "feedback", result="已协调达成一致")
    _act(one, case_id, D(2026, 11, 13, 10), "approve")
    _act(one, case_id, D(2026, 11, 16, 9), "evaluate", evaluation="satisfied")
    _act(one, case_id, D(2026, 11, 16, 10), "close", closure_type="normal")


def test_an_extension_synced_late_makes_the_close_on_time(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    one, two, case_id = _two_pcs(hub, pcs)
    _act(two, case_id, D(2026, 11, 4, 9), "request_extension", days=5, reason="需测绘")
    _act(two, case_id, D(2026, 11, 4, 15), "decide_extension", approved=True)
    _close_on_pc_one(one, case_id)
    _at(one, D(2026, 12, 1, 9))
    assert not _on_time(one, case_id)  # PC 1 alone: 反馈 after the 7-day deadline
    _at(two, D(2026, 12, 1, 10))
    two.sync.sync_now()
    _at(one, D(2026, 12, 1, 11))
    one.sync.sync_now()
    assert one.cases()[case_id][1] == "closed"
    assert _on_time(one, case_id)  # the extension counts now
    kept = _facts(one)
    with one.store.write() as session:  # what a store that saw every event from the start says
        session.execute(delete(ClosureFact))
    assert _facts(one) == []
    ensure_closures(one.ctx)
    assert _facts(one) == kept


def _november(pc: Pc) -> tuple[bytes, bytes, dict[str, object]]:
    doc = build_report(pc.ctx, NOVEMBER, kind="monthly")
    xlsx = render_report_xlsx(doc, "青山镇")
    sheet = load_workbook(io.BytesIO(xlsx)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return render_report_pdf(doc), xlsx, dict(zip(rows[1][2:], rows[2][2:], strict=True))


def test_a_closed_month_is_the_same_after_events_from_after_its_cut_off_arrive(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    one, two, case_id = _two_pcs(hub, pcs)
    _close_on_pc_one(one, case_id)
    _at(one, D(2026, 12, 1, 9))
    one.sync.sync_now()
    _at(two, D(2026, 12, 1, 9, 30))
    two.sync.sync_now()
    before = _november(one)
    # PC 2, offline in December: a walk-in registered on 3 Dec and closed on 4 Dec, and K
    # reopened by a 回访 and closed again; PC 1 pulls all of it on 10 Dec.
    _at(two, D(2026, 12, 3, 9))
    late = two.register()
    _act(two, late, D(2026, 12, 3, 10), "mediate", mediator="王调解")
    _act(two, late, D(2026, 12, 3, 15), "mediation_result", result="reached")
    _act(two, late, D(2026, 12, 4, 9), "evaluate", evaluation="satisfied")
    _act(two, late, D(2026, 12, 4, 10), "close", closure_type="normal")
    _act(two, case_id, D(2026, 12, 5, 9), "void", reason="重复登记")
    _at(two, D(2026, 12, 10, 9))
    two.sync.sync_now()
    _at(one, D(2026, 12, 10, 10))
    one.sync.sync_now()
    assert late in one.case_ids() and one.cases()[case_id][1] == "voided"
    after = _november(one)
    assert after[2] == before[2]  # the same figures
    assert after[1] == before[1]  # the same xlsx bytes
    assert after[0] == before[0]  # the same PDF bytes
