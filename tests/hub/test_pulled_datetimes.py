"""Rows a PC pulls are stored as the PC that wrote them stored them (the same text in every
column), so SQL that compares stored values (the ledger's cursor) sees the same order."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from services.cases.ledger import LedgerCursor, LedgerFilter, ledger_page
from services.setup.township import set_up_township
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc

TABLES = ("case_file", "case_party", "visit", "visit_person", "case_event", "person")
SEALED = {"id_number", "phone"}  # ciphertext differs on every seal


def _stored(pc: Pc) -> dict[str, list[Any]]:
    """Every row of TABLES as stored: each column's SQLite type and literal text (JSON parsed:
    the hub's jsonb orders keys its own way)."""
    out: dict[str, list[Any]] = {}
    with pc.store.read() as session:
        for table in TABLES:
            info = session.execute(text(f"PRAGMA table_info({table})"))
            cols = [r[1] for r in info if r[1] not in SEALED]
            sel = ", ".join(f"typeof({c}), quote({c}), {c}" for c in cols)
            rows = []
            for r in session.execute(text(f"SELECT {sel} FROM {table}")):  # noqa: S608
                row = []
                for i, c in enumerate(cols):
                    kind, literal, value = r[3 * i : 3 * i + 3]
                    row.append((c, kind, json.loads(value) if c == "payload" else literal))
                rows.append(row)
            out[table] = sorted(rows, key=repr)
    return out


def _due_sorted(pc: Pc, limit: int) -> list[str]:
    ids: list[str] = []
    after: LedgerCursor | None = None
    with pc.store.read() as session:
        while True:
            page = ledger_page(session, LedgerFilter(), sort="due_at", descending=False,
                               after=after, limit=limit)  # fmt: skip
            ids += [r.id for r in page.rows]
            if page.next_cursor is None:
                return ids
            after = page.next_cursor


def test_pulled_cases_are_stored_and_listed_as_on_the_pc_that_registered_them(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    """Cases registered the same day share a deadline (23:59:59 of the same day). Before, the
    pull's bulk insert left datetimes to sqlite3's adapter: '… 23:59:59' where the registering
    PC stored '… 23:59:59.000000', and the 到期 sort on the pulling PC (its cursor bound as
    '….000000') skipped every case tied with a page's last one: 2 of 5 listed, pages of 2."""
    a1 = pcs("a1", hub.token("青山镇接待1", TOWNSHIP_A).token)
    a2 = pcs("a2", hub.token("青山镇接待2", TOWNSHIP_A).token)
    county = pcs("county", hub.token("县综治中心").token)
    set_up_township(a1.ctx, TOWNSHIP_A[1], TOWNSHIP_A[0])
    registered = {a1.register() for _ in range(5)}
    for pc in (a1, a2, county):
        pc.sync.sync_now()
    here = _stored(a1)
    assert len(here["case_file"]) == 5
    for pc in (a2, county):
        assert _stored(pc) == here, pc.name
        assert sorted(_due_sorted(pc, 2)) == sorted(registered), pc.name
