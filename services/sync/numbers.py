"""Number blocks leased from the hub (号段租用) and the replacement of provisional case codes.

A PC registers offline from hub blocks; when they run dry it draws on a local block, whose numbers
may also be leased to another PC later: such a provisional code (临时编号) is replaced at the next
sync by a number from a hub block, and the old code is kept in ``case_alias`` so receipts already
printed still find the case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from services import numbering
from services.cases import search
from services.context import ServiceContext
from services.domain.ids import uuid7
from services.store.models import Case, CaseAlias, NumberBlock, Outbox
from services.sync.client import HubClient
from services.sync.protocol import MAX_LEASE

LOW_WATER = 50  # top up when fewer hub numbers than this are left (DHIS2: refill below 50)
BLOCK_SIZE = 100

_TAKE_HUB = text(
    """
    UPDATE number_block SET next_value = next_value + 1
    WHERE id = (SELECT id FROM number_block
                WHERE series = :series AND source = 'hub' AND next_value <= last
                ORDER BY first LIMIT 1)
    RETURNING next_value - 1
    """
)


def hub_numbers_left(session: Session, series: str) -> int:
    left = session.execute(
        select(func.sum(NumberBlock.last - NumberBlock.next_value + 1)).where(
            NumberBlock.series == series, NumberBlock.source == "hub",
            NumberBlock.next_value <= NumberBlock.last)
    ).scalar()  # fmt: skip
    return int(left or 0)


def series_in_use(session: Session, township_code: str, year: int) -> list[str]:
    """This year's series of the township: case codes, plus any (slips…) already drawn on."""
    wanted = {numbering.case_series(township_code, year)}
    for (series,) in session.execute(select(NumberBlock.series).distinct()):
        parts = series.split(":")
        if len(parts) >= 3 and parts[1] == township_code and parts[-1] == str(year):
            wanted.add(series)
    return sorted(wanted)


def lease(ctx: ServiceContext, client: HubClient, series: str, size: int) -> None:
    """Lease one block of ``series`` from the hub and record it (retries reuse the request id)."""
    request_id = uuid7()
    block = client.lease(series, size, request_id)
    first, last = int(block["first"]), int(block["last"])

    def work(session: Session) -> None:
        numbering.add_block(session, series, first, last, source="hub", now=ctx.now())

    ctx.store.run_write(work)


def ensure_leases(ctx: ServiceContext, client: HubClient, *, year: int | None = None) -> int:
    """Top up every series of this township below the low-water mark; returns blocks leased."""
    if not ctx.township_code:
        return 0
    year = year or ctx.hub_now().year
    with ctx.store.read() as session:
        short = [s for s in series_in_use(session, ctx.township_code, year)
                 if hub_numbers_left(session, s) < LOW_WATER]  # fmt: skip
    for series in short:
        lease(ctx, client, series, BLOCK_SIZE)
    return len(short)


def _provisional(session: Session,
                 township_code: str) -> list[tuple[NumberBlock, str, int, list[Case]]]:  # fmt: skip
    """Local blocks drawn on, each with its hub series, year and the cases holding its codes.

    A local block is this PC's provisional series ``case:{township}:{year}:{tag}`` (or, from
    before issue 10, a local block of the hub series itself).
    """
    out = []
    blocks = session.scalars(select(NumberBlock).where(
        NumberBlock.source == "local", NumberBlock.next_value > NumberBlock.first,
        NumberBlock.series.like(f"case:{township_code}:%"))).all()  # fmt: skip
    for block in blocks:
        parts = block.series.split(":")
        year = int(parts[2])
        if len(parts) > 3:
            codes = [numbering.provisional_code(township_code, year, parts[3], n)
                     for n in range(block.first, block.next_value)]  # fmt: skip
        else:
            codes = [numbering.case_code(township_code, year, n)
                     for n in range(block.first, block.next_value)]  # fmt: skip
        cases: list[Case] = []
        for start in range(0, len(codes), 500):
            cases += session.scalars(select(Case).where(Case.code.in_(codes[start : start + 500])))
        out.append((block, numbering.case_series(township_code, year), year, cases))
    return out


def replace_provisional(ctx: ServiceContext, client: HubClient) -> int:
    """Give every case with a provisional code a hub number; returns how many were renumbered."""
    code = ctx.township_code
    if not code:
        return 0
    with ctx.store.read() as session:
        need: dict[str, int] = {}
        for _block, series, _year, cases in _provisional(session, code):
            need[series] = need.get(series, 0) + len(cases)
        if not need:  # no provisional block drawn on (every sync but a few): no write at all
            return 0
        short = {s: n - hub_numbers_left(session, s) for s, n in need.items()}
    for series, missing in short.items():
        wanted = max(BLOCK_SIZE, missing + LOW_WATER) if missing > 0 else 0
        while wanted > 0:  # a thousand offline walk-ins: several leases of at most MAX_LEASE
            size = min(wanted, MAX_LEASE)
            lease(ctx, client, series, size)
            wanted -= size
    return ctx.store.run_write(lambda session: _renumber(session, code, ctx.now()))


def _renumber(session: Session, township_code: str, now: dt.datetime) -> int:
    moving: list[tuple[Case, str, str]] = []
    for block, series, year, cases in _provisional(session, township_code):
        complete = True
        for case in sorted(cases, key=lambda c: c.code):
            value = session.execute(_TAKE_HUB, {"series": series}).scalar()
            if value is None:  # no hub numbers after all: stay provisional until next time
                complete = False
                break
            moving.append((case, case.code, numbering.case_code(township_code, year, int(value))))
        if complete:
            block.last = block.next_value - 1  # retire the used part; never drawn on again
            block.source = "retired"
    renumbered = 0
    for case, old, _new in moving:  # two steps, so codes may swap without a unique clash
        case.code = f"~{old}~{case.id[-8:]}"
    session.flush()
    for case, old, new in moving:
        case.code = new
        # The alias may exist already (a code reissued by a PC restored from a backup, pulled
        # back before this renumbering): the first case keeps it, never an IntegrityError.
        if new != old and session.get(CaseAlias, old) is None:
            session.add(CaseAlias(code=old, case_id=case.id, reason="provisional"))
        renumbered += 1
    session.flush()
    for case, _old, _new in moving:
        search.index_case(session, case.id)
    return renumbered


def renumber_taken(ctx: ServiceContext, taken: Mapping[str, str]) -> int:
    """Give a new code to each case whose pending change the hub refused because another case of
    the township holds its code (a PC restored from a backup reissued numbers it had used).

    ``taken`` maps the refused change ids to the hub's hint (the highest code used in that
    block): the blocks here move past it first, so numbering resumes after the hub's codes. The
    refused change is rewritten with the new code and stays pending; the old code becomes an
    alias, since a receipt may carry it. Returns how many changes were rewritten.
    """
    code = ctx.township_code

    def work(session: Session) -> int:
        done = 0
        for change_id, hint in taken.items():
            row = session.scalars(select(Outbox).where(
                Outbox.change_id == change_id, Outbox.status == "pending",
                Outbox.entity == "case_file")).first()  # fmt: skip
            case = session.get(Case, row.entity_id) if row is not None else None
            part = "row" if row is not None and row.op == "insert" else "fields"
            body = dict((row.payload or {}).get(part) or {}) if row is not None else {}
            if row is None or case is None or not code or not isinstance(body.get("code"), str):
                continue
            if hint:
                numbering.burn_code(session, hint)
            numbering.burn_code(session, body["code"])
            if case.code == body["code"]:  # still holds the taken code: a new one
                now = ctx.now()
                year = numbering.code_year(body["code"]) or now.year
                at = now if now.year == year else dt.datetime(year, 12, 31, 12)
                old, case.code = case.code, numbering.next_case_code(session, code, at)
                if session.get(CaseAlias, old) is None:
                    session.add(CaseAlias(code=old, case_id=case.id, reason="duplicate"))
                session.flush()
                search.index_case(session, case.id)
            body["code"] = case.code
            row.payload = {**(row.payload or {}), part: body}
            done += 1
        return done

    return ctx.store.run_write(work)
