"""The statistics use cases the desktop calls (统计): dashboard and reports, one call each."""

from __future__ import annotations

from services.context import ServiceContext
from services.statistics.assessment import build_assessment
from services.statistics.closures import ensure_closures
from services.statistics.dashboard import compute_dashboard
from services.statistics.documents import build_report
from services.statistics.dto import Dashboard
from services.statistics.periods import PeriodKind, parse_period
from services.statistics.report_dto import ReportDocument, SpecialReport
from services.statistics.special import build_special

REPORT_KINDS = {
    "daily": PeriodKind.DAY,
    "weekly": PeriodKind.WEEK,
    "monthly": PeriodKind.MONTH,
    "assessment": PeriodKind.MONTH,
}


class StatisticsService:
    """Figures and reports over this PC's store (every township it holds in county mode)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def dashboard(self, days: int = 30, township_id: str | None = None) -> Dashboard:
        """The 统计 screen's figures as of now (brings on-time closures up to date first)."""
        ensure_closures(self.ctx)
        return compute_dashboard(self.ctx, days=days, township_id=township_id)

    def report(self, kind: str, period_text: str) -> ReportDocument:
        """日报/周报/月报/考核 for the period typed (``2026-11``, ``2026-W47``, ``2026-11-20``).

        Raises:
            ValidationError: a malformed, impossible, reversed or future period.
        """
        period = parse_period(period_text, REPORT_KINDS[kind], self.ctx.now().date())
        if kind == "assessment":
            return build_assessment(self.ctx, period)
        return build_report(self.ctx, period, kind=kind)

    def special(self, case_code: str) -> SpecialReport:
        return build_special(self.ctx, case_code)
