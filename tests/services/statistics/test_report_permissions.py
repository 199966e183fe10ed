"""Statistics and reports are checked against the roles (resources/auth/roles.json), and every
report saved to a file is in the audit log with the signed-in user.

The 日报 is the duty clerk's routine; 周报/月报 go out under the director's signature, 考核 rates
the departments and a 专报 reports a red event upward: those are the director's (and county's).
The system administrator sees no case figures at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import select

from services.context import ServiceContext
from services.domain.access import Principal
from services.domain.errors import PermissionDeniedError
from services.statistics.service import StatisticsService
from services.store.models import AuditLog

NOW = dt.datetime(2026, 12, 2, 9)


@pytest.fixture
def service(ctx: ServiceContext) -> StatisticsService:
    ctx.now = lambda: NOW
    return StatisticsService(ctx)


def _exports(ctx: ServiceContext) -> list[tuple[str | None, dict[str, object]]]:
    with ctx.store.read() as session:
        rows = session.scalars(select(AuditLog).where(AuditLog.action == "export")).all()
        return [(r.user_id, dict(r.detail)) for r in rows]


def test_a_clerk_makes_the_daily_report_but_not_the_monthly_assessment_or_special(
    service: StatisticsService, sign_in_as: Callable[[str], Principal]
) -> None:
    sign_in_as("receptionist")
    assert service.dashboard(days=30).days == 30
    assert service.report("daily", "2026-12-01").kind == "daily"
    for kind, period, what in (
        ("monthly", "2026-11", "无权生成周报、月报"),
        ("weekly", "2026-W48", "无权生成周报、月报"),
        ("assessment", "2026-11", "无权生成考核表"),
    ):
        with pytest.raises(PermissionDeniedError, match=what):
            service.report(kind, period)
    with pytest.raises(PermissionDeniedError, match="无权生成专报"):
        service.special("620123101000-2026-000001")
    with pytest.raises(PermissionDeniedError, match="无权生成考核表"):
        service.record_export("assessment", "2026-11", "pdf")
    assert _exports(service.ctx) == []


def test_the_administrator_sees_no_case_figures(
    service: StatisticsService, sign_in_as: Callable[[str], Principal]
) -> None:
    sign_in_as("admin")
    with pytest.raises(PermissionDeniedError, match="无权查看统计"):
        service.dashboard(days=30)
    with pytest.raises(PermissionDeniedError, match="无权生成日报"):
        service.report("daily", "2026-12-01")


def test_an_export_is_audited_with_the_signed_in_user(
    service: StatisticsService, sign_in_as: Callable[[str], Principal]
) -> None:
    director = sign_in_as("director")
    doc = service.report("assessment", "2026-11")
    assert doc.kind == "assessment"
    service.record_export("assessment", "2026-11", "xlsx")
    clerk = sign_in_as("mediator")
    service.record_export("daily", "2026-12-01", "pdf")
    assert _exports(service.ctx) == [
        (
            director.user_id,
            {"what": "report", "kind": "assessment", "period": "2026-11", "format": "xlsx",
             "tagged": True},
        ),
        (
            clerk.user_id,
            {"what": "report", "kind": "daily", "period": "2026-12-01", "format": "pdf",
             "tagged": True},
        ),
    ]  # fmt: skip
