"""One facade over the services for the desktop (工作台服务): synchronous, typed, DTOs only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from services.audit.log import tag
from services.cases import actions, detail, ledger, schedule, search
from services.cases.ledger import LedgerCursor, LedgerFilter, LedgerPage, LedgerTotal
from services.cases.schedule import CalendarYear
from services.context import ServiceContext
from services.domain.dto import (
    ActionResult,
    CaseDetail,
    CaseHit,
    CodeRename,
    PersonCandidate,
    RegistrationResult,
    WalkInInput,
)
from services.people import reveal
from services.reception import registration, warmup
from services.reference.data import Reference
from services.rooms.service import RoomService
from services.setup import pc
from services.setup.pc import DeviceInfo, StatusInfo, UserInfo
from services.setup.township import OrgInfo, list_orgs
from services.slips.service import SlipService
from services.sync.service import SyncService


class Workbench:
    """The services one desktop PC uses, bound to its context."""

    def __init__(
        self,
        ctx: ServiceContext,
        *,
        rooms: RoomService | None = None,
        slips: SlipService | None = None,
        sync: SyncService | None = None,
    ) -> None:
        self.ctx = ctx
        self.rooms = rooms if rooms is not None else RoomService(ctx)
        # Slips render through reports/ and sync talks to the hub: the desktop builds both.
        self.slips = slips
        self.sync = sync

    @property
    def reference(self) -> Reference:
        return self.ctx.reference

    def now(self) -> dt.datetime:
        return self.ctx.now()

    def current_user_id(self) -> str | None:
        return self.ctx.user_id

    def warm_up(self) -> None:
        """Load what the first registration needs (pypinyin, the modules and compiled statements
        of a save, by a rolled-back rehearsal) before the clerk presses save."""
        warmup.prepare_registration(self.ctx)

    # --- reception
    def register_walk_in(self, form: WalkInInput) -> RegistrationResult:
        return registration.register_walk_in(self.ctx, form)

    def visit_defaults(self, person_id: str) -> tuple[str, str]:
        """(masked phone on file, latest case's category) of a repeat visitor."""
        return registration.visit_defaults(self.ctx, person_id)

    def find_people(
        self, *, id_number: str = "", phone: str = "", name: str = ""
    ) -> tuple[PersonCandidate, ...]:
        return registration.find_people(self.ctx, id_number=id_number, phone=phone, name=name)

    # --- cases
    def get_case(self, case_id: str) -> CaseDetail:
        return detail.get_case(self.ctx, case_id)

    def reveal_person(self, person_id: str, field: str, reason: str) -> str:
        """A full ID number or phone, with the user's reason (audited; masked everywhere else)."""
        return reveal.reveal_person(self.ctx, person_id, field, reason)

    def may_reveal(self, field: str) -> bool:
        return self.ctx.allows(reveal.PERMISSIONS.get(field, "-"))

    def perform(self, case_id: str, action: str, payload: Mapping[str, Any]) -> ActionResult:
        return actions.perform(self.ctx, case_id, action, payload)

    def ledger_page(
        self, filt: LedgerFilter, *, sort: str = "registered_at", descending: bool = True,
        after: LedgerCursor | None = None, limit: int = 100,
    ) -> LedgerPage:  # fmt: skip
        return ledger.get_ledger_page(self.ctx, filt, sort=sort, descending=descending,
                                      after=after, limit=limit)  # fmt: skip

    def iter_ledger(
        self, filt: LedgerFilter, *, sort: str = "registered_at", descending: bool = True,
        page: int = 2000,
    ) -> Iterator[LedgerPage]:  # fmt: skip
        """Every page of a filter, for export."""
        self.ctx.require("ledger.export")
        self.ctx.store.run_write(lambda session: tag(
            session, "export", what="ledger", sort=sort, filter=repr(filt)[:500]))  # fmt: skip
        cursor: LedgerCursor | None = None
        while True:
            result = self.ledger_page(filt, sort=sort, descending=descending, after=cursor,
                                      limit=page)  # fmt: skip
            yield result
            if result.next_cursor is None:
                return
            cursor = result.next_cursor

    def ledger_count(self, filt: LedgerFilter) -> LedgerTotal:
        """The ledger's total for ``filt``, exact up to ``ledger.COUNT_CAP`` ("10000+" beyond)."""
        with self.ctx.store.read() as session:
            return ledger.ledger_total(session, filt, self.ctx.now())

    def search(self, text: str, limit: int = 100) -> tuple[CaseHit, ...]:
        with self.ctx.store.read() as session:
            return search.search_cases(session, text, limit)

    def code_renames(self, text: str) -> tuple[CodeRename, ...]:
        """Codes in ``text`` that a case had before it was renumbered, with its code now."""
        with self.ctx.store.read() as session:
            return search.code_renames(session, text)

    def find_case(self, code: str) -> tuple[str, str]:
        """The case a printed code names: (case id, the old code when it was renumbered)."""
        with self.ctx.store.read() as session:
            return search.case_by_code(session, code)

    def run_overdue_scan(self) -> dict[str, int]:
        return ledger.run_overdue_scan(self.ctx)

    # --- calendar and this PC
    def calendar_years(self, years: tuple[int, ...]) -> tuple[CalendarYear, ...]:
        return schedule.calendar_years(self.ctx, years)

    def import_schedule(self, text: str, complete_years: tuple[int, ...]) -> int:
        self.ctx.require("settings.calendar")
        return schedule.import_schedule(self.ctx, text, complete_years=complete_years)

    def device_info(self) -> DeviceInfo:
        return pc.device_info(self.ctx)

    def status(self) -> StatusInfo:
        return pc.status(self.ctx)

    # --- organisation
    def villages(self) -> tuple[OrgInfo, ...]:
        return tuple(o for o in list_orgs(self.ctx) if o.kind in ("village", "community"))

    def townships(self) -> tuple[OrgInfo, ...]:
        """Townships this PC holds data for: one on a township PC, all of them in county mode."""
        return list_orgs(self.ctx, "township")

    def units(self) -> tuple[OrgInfo, ...]:
        return list_orgs(self.ctx, "unit")

    def users(self) -> tuple[UserInfo, ...]:
        return pc.users(self.ctx)
