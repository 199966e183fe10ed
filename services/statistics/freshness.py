"""Data freshness (数据新鲜度) of each township: this PC's last successful sync with the hub."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.statistics.dto import Freshness
from services.store.models import OrgUnit, SyncState


def freshness(session: Session, ctx: ServiceContext) -> tuple[Freshness, ...]:
    """One line per township this PC holds (county mode: every township it pulled).

    A township PC's data of its own township is complete up to now; what other PCs of the same
    township registered arrives with the last sync, so the last sync is what the line shows.
    """
    state = session.scalar(select(SyncState).limit(1))
    last = state.last_success_at if state is not None else None
    query = select(OrgUnit.id, OrgUnit.name).where(OrgUnit.kind == "township")
    if ctx.township_id:
        query = query.where(OrgUnit.id == ctx.township_id)
    rows = session.execute(query.order_by(OrgUnit.code, OrgUnit.name)).all()
    return tuple(Freshness(tid, name, last, None) for tid, name in rows)
