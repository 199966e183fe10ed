"""A PC whose clock is wrong (本机时钟不准): stamp the hub's time, recover what was refused for it.

Each sync measures the hub's time against this PC's (``HubClient.skew_ms``). From then on the
PC's hybrid logical clock reads the hub's time, so a PC days fast neither has its changes
refused nor drags the shared clock, and a new case code takes the hub's year
(:meth:`ServiceContext.hub_now`). Stamps handed out ahead of time before that (the hub refused
them, 422 ``change.clock``) are forgotten, and the changes refused for them are stamped afresh
and sent again. A 流转记录 carries its stamp in its own signed, append-only row: that row is
stamped afresh too (row and audit digest), as it never left this PC.
"""

from __future__ import annotations

import logging

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from services.audit.log import note_restamped_event
from services.context import ServiceContext
from services.domain.hlc import Timestamp
from services.store.models import CaseEvent, Outbox, SyncQuarantine
from services.sync.protocol import MAX_FUTURE_SKEW_MS
from services.sync.pull import rederive_case

log = logging.getLogger(__name__)

CLOCK_REFUSED = "change.clock"
MIN_OFFSET_MS = 2000  # below this the PC's own clock is used as is (network noise)
_NO_UPDATE = """CREATE TRIGGER case_event_no_update BEFORE UPDATE ON case_event BEGIN
        SELECT RAISE(ABORT, 'case_event is append-only');
    END"""  # as migration 0002 made it


def adopt_offset(ctx: ServiceContext, skew_ms: int | None) -> None:
    """Read the hub's time from now on; forget stamps handed out ahead of it."""
    if skew_ms is None:
        return
    clock = ctx.clock
    clock.offset_ms = skew_ms if abs(skew_ms) >= MIN_OFFSET_MS else 0
    if clock.last.wall_ms <= clock.wall_ms() + MAX_FUTURE_SKEW_MS // 2:
        return
    with ctx.store.read() as session:
        sent = session.scalar(select(func.max(Outbox.hlc)).where(Outbox.status == "sent"))
    floor = Timestamp(clock.wall_ms(), 0, clock.device)
    if sent:
        floor = max(floor, Timestamp.decode(sent))
    log.warning("clock: stamps ran %d s ahead of the hub; carrying on from the hub's time",
                (clock.last.wall_ms - floor.wall_ms) // 1000)  # fmt: skip
    clock.rebase(floor)


def _restamp_event(session: Session, ctx: ServiceContext, event_id: str, stamp: str) -> str | None:
    """Stamp one of this PC's case events afresh; its case id, or None when it is not here.

    case_event is append-only (a trigger refuses updates); the trigger is lifted for this one
    statement inside the transaction, for an event the hub never accepted (no other PC has it),
    and the audit entry of this unit of work records the event's new digest.
    """
    event = session.execute(select(CaseEvent).where(CaseEvent.id == event_id)).scalar_one_or_none()
    if event is None or event.device_id != ctx.device_id:
        return None
    session.execute(text("DROP TRIGGER IF EXISTS case_event_no_update"))
    session.execute(update(CaseEvent).where(CaseEvent.id == event_id).values(hlc=stamp))
    session.execute(text(_NO_UPDATE))
    session.refresh(event)
    note_restamped_event(session, {
        "id": event.id, "case_id": event.case_id, "action": event.action,
        "actor_id": event.actor_id, "device_id": event.device_id, "hlc": event.hlc,
        "occurred_at": event.occurred_at, "payload": event.payload})  # fmt: skip
    return event.case_id


def retry_clock_refused(ctx: ServiceContext) -> int:
    """Changes the hub refused for a stamp ahead of its time, stamped afresh and queued again
    in their order (a 流转记录 with its own row's stamp too); returns how many."""
    clock = ctx.clock

    def work(session: Session) -> int:
        rows = session.scalars(
            select(Outbox).join(SyncQuarantine, SyncQuarantine.change_id == Outbox.change_id)
            .where(Outbox.status == "quarantined", SyncQuarantine.code == CLOCK_REFUSED)
            .order_by(Outbox.seq)
        ).all()  # fmt: skip
        cases: set[str] = set()
        done = 0
        for row in rows:
            stamp = clock.now().encode()
            body = (row.payload or {}).get("row")
            if row.entity == "case_event" and row.op == "insert" and isinstance(body, dict):
                case_id = _restamp_event(session, ctx, row.entity_id, stamp)
                if case_id is None:
                    continue
                cases.add(case_id)
                row.payload = {**row.payload, "row": {**body, "hlc": stamp}}
            row.hlc = stamp
            row.status, row.error = "pending", None
            session.delete(session.get(SyncQuarantine, row.change_id))
            done += 1
        now = ctx.now()
        for case_id in sorted(cases):  # the events' order may have changed
            rederive_case(session, ctx, case_id, now)
        return done

    with ctx.store.read() as session:  # the usual case: nothing to do, no write transaction
        if not clock_held(session):
            return 0
    return ctx.store.run_write(work)


def clock_held(session: Session) -> int:
    """Changes set aside because this PC's clock was ahead of the hub's."""
    return int(session.scalar(
        select(func.count()).select_from(SyncQuarantine)
        .join(Outbox, Outbox.change_id == SyncQuarantine.change_id)
        .where(Outbox.status == "quarantined", SyncQuarantine.code == CLOCK_REFUSED)
    ) or 0)  # fmt: skip
