"""Unmasking one person's number: a reason is required, the permission is checked (a clerk never
sees a full ID number), and each look is an audit entry naming the field and the reason."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from services.api import Workbench
from services.auth.service import AuthService
from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.domain.errors import PermissionDeniedError, ValidationError
from services.reception.registration import register_walk_in
from services.store.models import AuditLog


def test_reveal_needs_a_reason_and_the_permission_and_is_audited(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], new_id: Callable[[], str]
) -> None:
    number = new_id()
    pid = register_walk_in(ctx, walk_in(visitor={"id_number": number})).person_ids[0]
    auth = AuthService(ctx)
    auth.add_user("clerk1", "李接待", "receptionist", "Clerk-pass-2026")
    auth.add_user("boss1", "王主任", "director", "Boss-pass-2026")
    api = Workbench(ctx)
    ctx.requires_sign_in = True
    auth.sign_in("clerk1", "Clerk-pass-2026")
    assert not api.may_reveal("id_number") and api.may_reveal("phone")
    with pytest.raises(PermissionDeniedError):
        api.reveal_person(pid, "id_number", "核对身份")
    assert api.reveal_person(pid, "phone", "电话通知") == "13812345678"
    auth.sign_in("boss1", "Boss-pass-2026")
    with pytest.raises(ValidationError) as empty:
        api.reveal_person(pid, "id_number", "   ")
    assert "查看理由" in empty.value.message
    assert api.reveal_person(pid, "id_number", "核对身份证") == number
    with ctx.store.read() as session:
        details = [dict(d) for d in session.scalars(
            select(AuditLog.detail).where(AuditLog.action == "unmask")
            .order_by(AuditLog.device_seq))]  # fmt: skip
    assert [(d["field"], d["reason"]) for d in details] == [
        ("phone", "电话通知"), ("id_number", "核对身份证")]  # fmt: skip
    assert all(number not in str(d) for d in details)
