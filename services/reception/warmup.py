"""Getting ready to register (登记预热): what the first save in a process would otherwise pay.

The reception screen runs :func:`prepare_registration` in the background when it opens, long
before the clerk presses save: pypinyin's dictionaries (~0.3 s), the modules a registration
imports lazily, and SQLAlchemy's compiled statements, by a rehearsal of a whole registration in a
write transaction that is always rolled back (no row, no case number, no outbox or audit entry
is kept). Without it the first registration took 250-370 ms, mostly inside the write lock.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from services.audit.log import writer_of
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.errors import ServiceError
from services.domain.textutil import warm_pinyin
from services.reception.registration import register_in
from services.store.engine import BEFORE_COMMIT_KEY
from services.store.models import OrgUnit

log = logging.getLogger(__name__)

# A valid ID number and phone nobody real has (a rehearsal never stores them).
_REHEARSAL_ID = "11010519491231002X"


def _a_village(session: Session, ctx: ServiceContext) -> str | None:
    """A village of this township: the clerk usually picks one, and a case with a village is
    inserted by another statement than one without (SQLAlchemy leaves NULL columns out)."""
    return session.scalar(
        select(OrgUnit.id)
        .where(OrgUnit.parent_id == ctx.township_id, OrgUnit.kind.in_(("village", "community")))
        .limit(1)
    )


def _rehearsal_form(session: Session, ctx: ServiceContext) -> WalkInInput:
    category = next(iter(ctx.reference.categories)).code
    return WalkInInput(
        parties=(
            PartyInput(name="预热", id_number=_REHEARSAL_ID, phone="13800000000",
                       address="预热"),
            PartyInput(name="预热对方", role="respondent", is_visitor=False),
        ),
        summary="预热", category_code=category, disposition="accepted",
        village_id=_a_village(session, ctx), occurred_place="预热",
    )  # fmt: skip


def _rehearse_audit(session: Session) -> None:
    """The audit entry too (and this PC's audit key when it is not stored yet: the writer is
    told to forget it registered one, as the rollback undoes that)."""
    writer = writer_of(session.info)
    hook = session.info.get(BEFORE_COMMIT_KEY)
    if writer is None or hook is None:
        return
    with writer.rehearsal():
        hook(session)


def _rehearse(ctx: ServiceContext) -> bool:
    """One registration in a write transaction that is rolled back; False when it cannot run."""
    session = sessionmaker(ctx.store.write_engine)(info=dict(ctx.store.session_info))
    try:
        form = _rehearsal_form(session, ctx)
        register_in(session, ctx, form)
        session.flush()
        _rehearse_audit(session)
        # the same visitor again: the repeat-visitor path (person found, visit counts, one
        # new person only: a single-row INSERT, another compiled statement than two); one it
        # refuses leaves the rest of the warm-up done
        # and typed without the ID number: found by the same name and phone (the phone probe
        # finds someone, so the ORM query of people with that phone runs: compiled here)
        first, *rest = form.parties
        by_phone = replace(form, parties=(replace(first, id_number=""), *rest))
        for again in (form, by_phone):
            try:
                register_in(session, ctx, again)
                session.flush()
            except ServiceError as exc:
                log.debug("repeat-visitor rehearsal skipped: %s", exc.code)
        return True
    except ServiceError as exc:  # not allowed or not set up yet: the save will say why
        log.debug("registration rehearsal skipped: %s", exc.code)
    except Exception:  # a warm-up must never break the screen; the save itself will report
        log.warning("registration rehearsal failed", exc_info=True)
    finally:
        session.rollback()
        session.close()
    return False


def prepare_registration(ctx: ServiceContext) -> float:
    """Warm everything a registration needs; returns the seconds it took. Never raises: a
    rehearsal that cannot run (nobody signed in, no township yet) only leaves the save slower.

    Two rehearsals: the first loads what the context then caches (deadline rules, calendar),
    and those queries autoflush the events one by one; a real save flushes them together, an
    executemany that is another compiled statement, which the second rehearsal compiles."""
    t0 = time.perf_counter()
    warm_pinyin()
    if _rehearse(ctx):
        _rehearse(ctx)
    return time.perf_counter() - t0
