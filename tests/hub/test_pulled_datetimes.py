"""Rows a PC pulls are stored as the PC that wrote them stored them (the same text in every
column), so SQL that compares stored values (the ledger's cursor) sees the same order."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import text

from services.cases.ledger import LedgerCursor, LedgerFilter, ledger_page
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_walk_in
from services.setup.township import set_up_township
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc

TABLES = (
    "case_file",
    "case_party",
    "visit",
    "visit_person",
    "case_event",
    "person",
    "person_event",
    "person_phone",
)
SEALED = {"id_number", "phone"}  # ciphertext differs on every seal
ID = "11010519491231002X"
JSON_COLUMNS = ("payload", "detail")


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
                    row.append(
                        (c, kind, json.loads(value) if c in ("payload", "detail") else literal)
                    )
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


def _varied_registrations(a1: Pc) -> None:
    """A new case with an amount, a collective visit and a party typed twice; a returning
    visitor renamed with a new phone attached to it with a new respondent; an answered walk-in."""
    me = PartyInput(name="李四", id_number=ID, phone="13812345678", address="一组")
    other = PartyInput(name="王五", role="respondent", is_visitor=False)
    first = register_walk_in(a1.ctx, WalkInInput(
        parties=(me, other, me), summary="邻里纠纷", category_code="0202",
        disposition="accepted", amount=Decimal("1234.5"), head_count=6, risk_colour="yellow",
        occurred_at=dt.datetime(2026, 1, 2, 3, 4, 5, 6), risk_basis="有激化苗头"))  # fmt: skip
    renamed = PartyInput(name="张三", id_number=ID, phone="13900002222",
                         person_id=first.person_ids[0], rename_reason="户籍更名")  # fmt: skip
    register_walk_in(a1.ctx, WalkInInput(
        parties=(renamed, PartyInput(name="赵六", phone="13700001111")), summary="再次来访",
        category_code="0202", disposition="accepted", attach_to_case_id=first.case_id,
        head_count=2))  # fmt: skip
    register_walk_in(a1.ctx, WalkInInput(
        parties=(PartyInput(name="张三", id_number=ID, phone="13900002222"),),
        summary="另一件事", category_code="0101", disposition="answered",
        answer="已答复"))  # fmt: skip


def test_varied_registrations_reach_every_pc_through_a_postgresql_hub(
    pg_hub: InProcessHub, pg_pcs: Callable[..., Pc]
) -> None:
    """Rows written with Core at registration (services.store.coreinsert) arrive equal on the
    township's other PC and the county PC, their tallies and rates exact, nothing left to push."""
    a1 = pg_pcs("a1", pg_hub.token("青山镇接待1", TOWNSHIP_A).token)
    a2 = pg_pcs("a2", pg_hub.token("青山镇接待2", TOWNSHIP_A).token)
    county = pg_pcs("county", pg_hub.token("县综治中心").token)
    set_up_township(a1.ctx, TOWNSHIP_A[1], TOWNSHIP_A[0])
    _varied_registrations(a1)
    for pc in (a1, a2, county, a1, a2, county):
        pc.sync.sync_now()
    here = _stored(a1)
    assert (len(here["case_file"]), len(here["visit"]), len(here["person"])) == (2, 3, 3)
    for pc in (a1, a2, county):
        assert _stored(pc) == here, pc.name
        assert pc.tally_mismatches() == {}, pc.name
        assert pc.pending() == 0, pc.name
