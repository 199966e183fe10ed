"""One facade over the services for the desktop (工作台服务): synchronous, typed, DTOs only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from services.cases import actions, detail, ledger, schedule, search
from services.cases.ledger import LedgerCursor, LedgerFilter, LedgerPage
from services.context import ServiceContext
from services.domain.dto import (
    ActionResult,
    CaseDetail,
    CaseHit,
    PersonCandidate,
    RegistrationResult,
    WalkInInput,
)
from services.reception import registration
from services.reference.data import Reference
from services.setup.township import OrgInfo, list_orgs
from services.store.models import AppUser, OrgUnit, Outbox


@dataclass(frozen=True, slots=True)
class StatusInfo:
    """What the status bar shows (状态栏)."""

    township_name: str
    township_code: str
    user_name: str
    pending_changes: int
    last_sync: dt.datetime | None


@dataclass(frozen=True, slots=True)
class CalendarYear:
    """Whether deadlines in a year follow an official schedule (节假日安排是否已导入)."""

    year: int
    known: bool
    source: str  # "package", "imported" or ""


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    township_name: str
    township_code: str
    device_id: str
    database: str


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: str
    username: str
    display_name: str
    role: str


class Workbench:
    """The services one desktop PC uses, bound to its context."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @property
    def reference(self) -> Reference:
        return self.ctx.reference

    def now(self) -> dt.datetime:
        return self.ctx.now()

    def current_user_id(self) -> str | None:
        return self.ctx.user_id

    # --- reception
    def register_walk_in(self, form: WalkInInput) -> RegistrationResult:
        return registration.register_walk_in(self.ctx, form)

    def find_people(
        self, *, id_number: str = "", phone: str = "", name: str = ""
    ) -> tuple[PersonCandidate, ...]:
        return registration.find_people(self.ctx, id_number=id_number, phone=phone, name=name)

    # --- cases
    def get_case(self, case_id: str) -> CaseDetail:
        return detail.get_case(self.ctx, case_id)

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
        cursor: LedgerCursor | None = None
        while True:
            result = self.ledger_page(filt, sort=sort, descending=descending, after=cursor,
                                      limit=page)  # fmt: skip
            yield result
            if result.next_cursor is None:
                return
            cursor = result.next_cursor

    def ledger_count(self, filt: LedgerFilter) -> int:
        with self.ctx.store.read() as session:
            return ledger.ledger_count(session, filt, self.ctx.now())

    def search(self, text: str, limit: int = 100) -> tuple[CaseHit, ...]:
        with self.ctx.store.read() as session:
            return search.search_cases(session, text, limit)

    def run_overdue_scan(self) -> dict[str, int]:
        return ledger.run_overdue_scan(self.ctx)

    # --- calendar and this PC
    def calendar_years(self, years: tuple[int, ...]) -> tuple[CalendarYear, ...]:
        with self.ctx.store.read() as session:
            calendar = self.ctx.calendar(session)
            imported = calendar.imported_years
            out = []
            for year in years:
                known = calendar.is_known_year(year)
                source = "imported" if year in imported else ("package" if known else "")
                out.append(CalendarYear(year, known, source))
            return tuple(out)

    def import_schedule(self, text: str, complete_years: tuple[int, ...]) -> int:
        return schedule.import_schedule(self.ctx, text, complete_years=complete_years)

    def device_info(self) -> DeviceInfo:
        status = self.status()
        path = self.ctx.store.path
        return DeviceInfo(status.township_name, status.township_code, self.ctx.device_id,
                          str(path) if path else self.ctx.store.url)  # fmt: skip

    # --- organisation
    def villages(self) -> tuple[OrgInfo, ...]:
        return tuple(o for o in list_orgs(self.ctx) if o.kind in ("village", "community"))

    def townships(self) -> tuple[OrgInfo, ...]:
        """Townships this PC holds data for: one on a township PC, all of them in county mode."""
        return list_orgs(self.ctx, "township")

    def units(self) -> tuple[OrgInfo, ...]:
        return list_orgs(self.ctx, "unit")

    def users(self) -> tuple[UserInfo, ...]:
        with self.ctx.store.read() as session:
            rows = session.scalars(select(AppUser).where(AppUser.active.is_(True)))
            return tuple(UserInfo(u.id, u.username, u.display_name, u.role) for u in rows)

    def status(self) -> StatusInfo:
        with self.ctx.store.read() as session:
            township = session.get(OrgUnit, self.ctx.township_id) if self.ctx.township_id else None
            user = session.get(AppUser, self.ctx.user_id) if self.ctx.user_id else None
            pending = session.scalar(
                select(func.count()).select_from(Outbox).where(Outbox.status == "pending")
            )
            return StatusInfo(
                township_name=township.name if township else "",
                township_code=township.code or "" if township else "",
                user_name=user.display_name if user else "",
                pending_changes=int(pending or 0),
                last_sync=None,
            )
