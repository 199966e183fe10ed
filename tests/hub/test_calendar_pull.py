"""A county calendar pulled by sync reaches the ledger's stored deadlines (issue 12 #8)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from hub import admin
from services.cases.ledger import run_overdue_scan
from services.setup.township import set_up_township
from services.store.models import Case
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "reference"


def _stored(pc: Pc, case_id: str) -> tuple[dt.datetime | None, bool, str]:
    with pc.store.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        return case.due_at, case.due_provisional, case.supervision_level


def test_a_pulled_county_calendar_fixes_the_stored_due_dates_and_provisional_marks(
    hub: InProcessHub, pcs: Callable[..., Pc], tmp_path: Path
) -> None:
    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    set_up_township(a1.ctx, TOWNSHIP_A[1], TOWNSHIP_A[0])
    now = [dt.datetime(2026, 12, 28, 10, 0)]
    # The PC and the hub share this clock: on the hub's real one, from February 2027 on the
    # PC's 2026 provisional code asked for a lease of last year's numbers and was refused.
    a1.ctx.now = hub.app.state.service.now = lambda: now[0]
    case_id = a1.register(handling_level="county")  # 15 working days into 2027
    assert _stored(a1, case_id)[:2] == (dt.datetime(2027, 1, 18, 23, 59, 59), True)
    a1.sync.sync_now()

    ref = tmp_path / "ref"
    ref.mkdir()
    for f in RESOURCES.glob("*.json"):
        (ref / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    entries = [{"day": f"2027-01-0{d}", "is_workday": False, "name": "元旦"} for d in (1, 2, 3)]
    (ref / "calendar.json").write_text(
        json.dumps({"official_years": [2027], "entries": entries}), encoding="utf-8"
    )
    admin.import_reference(hub.db, ref)
    now[0] = dt.datetime(2027, 1, 19, 9, 0)  # the real due day
    a1.sync.sync_now()  # the case itself did not change: only the calendar came down

    assert _stored(a1, case_id)[:2] == (dt.datetime(2027, 1, 19, 23, 59, 59), False)
    run_overdue_scan(a1.ctx)
    assert _stored(a1, case_id)[2] != "red"  # no red 督办 on the real due day
