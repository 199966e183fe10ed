"""Calendar changes reach the cases: import a schedule and recompute provisional deadlines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from services.cases.events import get_case_row, refresh_projection, replay_case
from services.context import ServiceContext
from services.domain.deadlines import case_clocks, parse_calendar_text
from services.domain.dto import ALL_CASES, Changes
from services.reference.calendar import import_calendar
from services.store.models import Case


def import_schedule(ctx: ServiceContext, text: str, *, complete_years: Iterable[int] = ()) -> int:
    """Import a schedule, then recompute provisional deadlines; returns entries written."""
    entries = parse_calendar_text(text)
    count = ctx.store.run_write(
        lambda session: import_calendar(session, entries, official_years=complete_years)
    )
    ctx.invalidate()
    calendar_changed(ctx)
    return count


def calendar_changed(ctx: ServiceContext) -> int:
    """The one refresh after any calendar change (a schedule imported in settings, or pulled by
    sync): provisional case deadlines are recomputed, then the change is published on
    ``ctx.feed``, where the rooms recheck bookings now on official holidays and every screen
    reloads. Returns the number of cases recomputed.
    """
    count = refresh_provisional(ctx)
    ctx.feed.publish(Changes(case_ids=ALL_CASES, reference=True, bookings=True))
    return count


def refresh_provisional(ctx: ServiceContext) -> int:
    """Recompute the stored deadlines of open cases that were provisional (临时期限).

    Call after importing a holiday schedule: the ledger and the overdue scan read the stored
    columns, which otherwise stay provisional until each case's next event.
    """

    def work(session: Session) -> int:
        ctx.invalidate()
        ids = list(session.scalars(select(Case.id).where(Case.due_provisional.is_(True))))
        now = ctx.now()
        for case_id in ids:
            case = get_case_row(session, case_id)
            proj = replay_case(session, case_id).projection
            if proj is not None:
                clocks = case_clocks(proj, ctx.rules(session), ctx.calendar(session), now)
                refresh_projection(case, proj, clocks, now)
        return len(ids)

    return ctx.store.run_write(work)


@dataclass(frozen=True, slots=True)
class CalendarYear:
    """Whether deadlines in a year follow an official schedule (节假日安排是否已导入)."""

    year: int
    known: bool
    source: str  # "package", "imported" or ""


def calendar_years(ctx: ServiceContext, years: tuple[int, ...]) -> tuple[CalendarYear, ...]:
    with ctx.store.read() as session:
        calendar = ctx.calendar(session)
        imported = calendar.imported_years
        out = []
        for year in years:
            known = calendar.is_known_year(year)
            source = "imported" if year in imported else ("package" if known else "")
            out.append(CalendarYear(year, known, source))
        return tuple(out)
