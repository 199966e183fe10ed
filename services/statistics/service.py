"""The statistics use cases the desktop calls (统计): dashboard and reports, one call each."""

from __future__ import annotations

from services.audit.log import tag
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
# Who may make which report (resources/auth/roles.json): the 日报 is the duty clerk's routine
# one-pager (日清零); 周报/月报 go out under the director's signature (经主要负责人签字), 考核
# rates the departments the centre dispatches to and a 专报 reports a red event upward, so those
# are the director's (and the county's).
REPORT_PERMISSIONS = {
    "daily": "report.daily",
    "weekly": "report.periodic",
    "monthly": "report.periodic",
    "assessment": "report.assessment",
    "special": "report.special",
}
FORMATS = frozenset({"pdf", "xlsx"})


class StatisticsService:
    """Figures and reports over this PC's store (every township it holds in county mode)."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def dashboard(self, days: int = 30, township_id: str | None = None) -> Dashboard:
        """The 统计 screen's figures as of now (brings on-time closures up to date first).

        Raises:
            PermissionDeniedError: the signed-in user may not view statistics.
        """
        self.ctx.require("stats.view")
        ensure_closures(self.ctx)
        return compute_dashboard(self.ctx, days=days, township_id=township_id)

    def report(self, kind: str, period_text: str) -> ReportDocument:
        """日报/周报/月报/考核 for the period typed (``2026-11``, ``2026-W47``, ``2026-11-20``).

        Raises:
            ValidationError: a malformed, impossible, reversed or future period.
            PermissionDeniedError: the signed-in user may not make this report.
        """
        self.ctx.require(REPORT_PERMISSIONS[kind])
        period = parse_period(period_text, REPORT_KINDS[kind], self.ctx.now().date())
        if kind == "assessment":
            return build_assessment(self.ctx, period)
        return build_report(self.ctx, period, kind=kind)

    def special(self, case_code: str) -> SpecialReport:
        self.ctx.require("report.special")
        return build_special(self.ctx, case_code)

    def record_export(self, kind: str, period: str, fmt: str, *, case_code: str = "") -> None:
        """Write the audit entry of a report saved to a file (导出/打印), as the signed-in user.

        Called once the file is written (the desktop's background task, the command line).
        """
        self.ctx.require(REPORT_PERMISSIONS[kind])
        if fmt not in FORMATS:
            raise ValueError(f"unknown report format {fmt!r}")
        detail = {"what": "report", "kind": kind, "period": period[:40], "format": fmt}
        if case_code:
            detail["case_code"] = case_code[:60]
        self.ctx.store.run_write(lambda session: tag(session, "export", **detail))
