"""The directors' audit screen: filters, the refusal for clerks, and a logged export."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from services.audit.query import AuditQuery, export_audit_csv, search_audit
from services.context import ServiceContext
from services.domain.access import Principal
from services.domain.dto import WalkInInput
from services.domain.errors import PermissionDeniedError
from services.reception.registration import register_walk_in


def test_directors_filter_the_audit_log_and_clerks_are_refused(
    ctx: ServiceContext, sign_in_as: Callable[[str], Principal],
    walk_in: Callable[..., WalkInInput],
) -> None:  # fmt: skip
    clerk = sign_in_as("receptionist")
    result = register_walk_in(ctx, walk_in())
    with pytest.raises(PermissionDeniedError, match="无权查看审计日志"):
        search_audit(ctx, AuditQuery())
    sign_in_as("director")
    by_case = search_audit(ctx, AuditQuery(case=result.case_code))
    assert [r.action_label for r in by_case] == ["修改数据"] and by_case[
        0
    ].user_name == "测试receptionist"
    sign_ins = search_audit(ctx, AuditQuery(action="sign_in"))
    assert len(sign_ins) == 2
    assert {r.action for r in search_audit(ctx, AuditQuery(user_id=clerk.user_id))} == {
        "sign_in", "change"}  # fmt: skip
    assert search_audit(ctx, AuditQuery(date_from=ctx.now().date().replace(year=2030))) == ()
    data = export_audit_csv(ctx, AuditQuery(case=result.case_code)).decode("utf-8-sig")
    assert data.splitlines()[0].startswith("时间,用户,操作") and result.case_code in data
    assert len(search_audit(ctx, AuditQuery(action="export"))) == 1
