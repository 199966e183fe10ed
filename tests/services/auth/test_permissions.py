"""Roles are data and the services enforce them, whatever the screens show."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from services.api import Workbench
from services.auth.roles import ROLES_FILE, load_roles, parse_roles
from services.cases.actions import perform
from services.cases.detail import get_case
from services.cases.ledger import LedgerFilter
from services.context import ServiceContext
from services.domain.access import Principal
from services.domain.dto import WalkInInput
from services.domain.errors import PermissionDeniedError, ServiceError, ValidationError
from services.domain.workflow import Action
from services.reception.registration import register_walk_in
from services.slips.dto import IssueRequest, RenderedPdf, RenderOptions, SlipDocument
from services.slips.service import SlipService
from services.store.models import CaseEvent

DIRECTOR_ONLY = ("case.supervise", "case.cancel_supervision", "case.approve", "case.close",
                 "case.void", "slip.void")  # fmt: skip


def test_the_roles_file_names_five_roles_and_covers_every_action() -> None:
    roles = load_roles()
    assert [r.label for r in roles.roles] == [
        "接待员",
        "调解员",
        "中心主任",
        "系统管理员",
        "县级用户",
    ]
    for action in Action:
        assert f"case.{action.value}" in roles.labels
    for permission in DIRECTOR_ONLY:
        holders = {r.code for r in roles.roles if permission in r.permissions}
        assert "receptionist" not in holders and "director" in holders, permission
    assert not any(p.startswith("person.reveal_id") for p in roles.role("receptionist").permissions)


def test_a_roles_file_naming_an_unknown_permission_is_refused() -> None:
    top = json.loads(ROLES_FILE.read_text(encoding="utf-8"))
    top["roles"][0]["permissions"].append("case.teleport")
    with pytest.raises(ServiceError, match="未定义的权限 case.teleport"):
        parse_roles(top)
    top = json.loads(ROLES_FILE.read_text(encoding="utf-8"))
    del top["permissions"]["case.void"]
    with pytest.raises(ServiceError, match="case.void"):
        parse_roles(top)


def _events(ctx: ServiceContext, case_id: str) -> int:
    with ctx.store.read() as session:
        return int(session.scalar(select(func.count()).where(CaseEvent.case_id == case_id)) or 0)


@pytest.mark.parametrize("action, payload", [
    ("supervise", {"level": "reminder", "opinion": "请加快办理"}),
    ("void", {"reason": "重复登记"}),
])  # fmt: skip
def test_a_clerk_cannot_take_a_directors_action_through_the_service(
    ctx: ServiceContext, sign_in_as: Callable[[str], Principal],
    walk_in: Callable[..., WalkInInput], action: str, payload: dict[str, str],
) -> None:  # fmt: skip
    """Attack: a receptionist calls the service (not the screen) to 督办 or 作废."""
    sign_in_as("receptionist")
    case_id = register_walk_in(ctx, walk_in()).case_id
    before = _events(ctx, case_id)
    with pytest.raises(PermissionDeniedError, match="接待员.*无权"):
        perform(ctx, case_id, action, payload)
    with pytest.raises(PermissionDeniedError):
        Workbench(ctx).perform(case_id, action, payload)
    assert _events(ctx, case_id) == before
    sign_in_as("director")
    perform(ctx, case_id, action, payload)
    assert _events(ctx, case_id) == before + 1


def test_only_a_director_cancels_a_supervision_and_gives_a_reason(
    ctx: ServiceContext, sign_in_as: Callable[[str], Principal],
    walk_in: Callable[..., WalkInInput],
) -> None:  # fmt: skip
    """取消督办 is a director's action, role-checked in the service like 督办."""
    sign_in_as("director")
    case_id = register_walk_in(ctx, walk_in()).case_id
    perform(ctx, case_id, "supervise", {"level": "red", "opinion": "请加快办理"})
    assert get_case(ctx, case_id).supervision_level == "red"
    assert "cancel_supervision" in get_case(ctx, case_id).allowed_actions
    sign_in_as("receptionist")
    assert "cancel_supervision" not in get_case(ctx, case_id).allowed_actions
    with pytest.raises(PermissionDeniedError, match="接待员.*无权取消督办"):
        perform(ctx, case_id, "cancel_supervision", {"reason": "已约谈"})
    sign_in_as("director")
    with pytest.raises(ValidationError):
        perform(ctx, case_id, "cancel_supervision", {})
    done = perform(ctx, case_id, "cancel_supervision", {"reason": "已约谈承办单位，进度正常"})
    assert done.case.supervision_level == "none"
    assert done.case.timeline[-1].payload["reason"] == "已约谈承办单位，进度正常"


def test_the_case_file_offers_only_what_the_role_may_do(
    ctx: ServiceContext, sign_in_as: Callable[[str], Principal],
    walk_in: Callable[..., WalkInInput],
) -> None:  # fmt: skip
    sign_in_as("receptionist")
    case_id = register_walk_in(ctx, walk_in()).case_id
    clerk = set(get_case(ctx, case_id).allowed_actions)
    sign_in_as("director")
    director = set(get_case(ctx, case_id).allowed_actions)
    assert {"supervise", "void"} <= director - clerk
    assert clerk <= director


def test_nothing_is_allowed_before_signing_in(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    ctx.requires_sign_in = True
    with pytest.raises(PermissionDeniedError, match="请先登录"):
        register_walk_in(ctx, walk_in())
    with pytest.raises(PermissionDeniedError, match="请先登录"):
        list(Workbench(ctx).iter_ledger(LedgerFilter()))


def _render(doc: SlipDocument, options: RenderOptions) -> RenderedPdf:
    return RenderedPdf(b"%PDF-fake", "0" * 64, 1)


def test_only_a_director_issues_a_supervision_slip_and_voids_slips(
    ctx: ServiceContext, sign_in_as: Callable[[str], Principal],
    walk_in: Callable[..., WalkInInput],
) -> None:  # fmt: skip
    slips = SlipService(ctx, _render)
    sign_in_as("receptionist")
    case_id = register_walk_in(ctx, walk_in()).case_id
    receipt = slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"})).slip
    request = IssueRequest(case_id, "supervision", {"opinion": "请于三日内办结"}, grade="yellow")
    with pytest.raises(ServiceError, match="无权"):
        slips.issue(request)
    with pytest.raises(PermissionDeniedError, match="无权作废文书"):
        slips.void(receipt.id, "打错了")
    assert slips.record_print(receipt.id).print_count == 1  # a clerk prints
