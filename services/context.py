"""Who is acting, on which PC, with which clock: the context every service call runs in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from services.domain.access import Principal
from services.domain.deadlines import RuleSpec
from services.domain.errors import PermissionDeniedError
from services.domain.feed import ChangeFeed
from services.domain.hlc import HybridClock
from services.domain.workcalendar import WorkCalendar
from services.reference.calendar import load_calendar, load_rules
from services.reference.data import Reference, default_reference
from services.reference.store import effective_reference
from services.store.engine import Store
from services.store.outbox import CLOCK_KEY


@dataclass
class ServiceContext:
    """Per-device service context (运行上下文).

    Times are naive local (China Standard Time) datetimes, as the legal 受理 time is what the
    clerk's PC shows; ordering across PCs uses the hybrid logical clock, never wall time.

    ``principal`` is the signed-in user; ``requires_sign_in`` is set by the desktop, where every
    call needs one. A context without it (tests, demo seeding, command-line tools) acts for the
    system and passes every permission check.
    """

    store: Store
    device_id: str
    clock: HybridClock
    township_id: str | None = None
    township_code: str | None = None
    user_id: str | None = None
    principal: Principal | None = None
    requires_sign_in: bool = False
    now: Callable[[], dt.datetime] = dt.datetime.now
    reference: Reference = field(default_factory=default_reference)
    reference_notice: str = ""
    feed: ChangeFeed = field(default_factory=ChangeFeed)  # background changes, for the screens
    _calendar: WorkCalendar | None = None
    _rules: tuple[RuleSpec, ...] | None = None

    def __post_init__(self) -> None:
        self.store.session_info[CLOCK_KEY] = self.clock

    def hub_now(self) -> dt.datetime:
        """This PC's time corrected to the county hub's (learned at each sync): the year of a
        new case code, so a PC whose clock is wrong never issues next year's codes."""
        return self.now() + dt.timedelta(milliseconds=self.clock.offset_ms)

    def require(self, permission: str) -> None:
        """Raise :class:`PermissionDeniedError` unless the signed-in user holds ``permission``."""
        if self.principal is not None:
            self.principal.require(permission)
        elif self.requires_sign_in:
            raise PermissionDeniedError(permission, "请先登录")

    def allows(self, permission: str) -> bool:
        if self.principal is not None:
            return self.principal.allows(permission)
        return not self.requires_sign_in

    def calendar(self, session: Session) -> WorkCalendar:
        if self._calendar is None:
            self._calendar = load_calendar(session)
        return self._calendar

    def rules(self, session: Session) -> tuple[RuleSpec, ...]:
        if self._rules is None:
            self._rules = load_rules(session)
        return self._rules

    def invalidate(self) -> None:
        """Forget cached rules and calendar after reference data changed; reload the reference."""
        self._calendar = None
        self._rules = None
        with self.store.read() as session:
            self.reference, self.reference_notice = effective_reference(session)
