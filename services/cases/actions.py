"""Case actions as use cases (案件办理): perform an action and return the refreshed case file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from services.cases.detail import case_detail
from services.cases.events import perform_in
from services.context import ServiceContext
from services.domain.dto import ActionResult, Changes
from services.domain.errors import ValidationError
from services.domain.messages import msg
from services.domain.workflow import Action


def perform(
    ctx: ServiceContext, case_id: str, action: str, payload: Mapping[str, Any]
) -> ActionResult:
    """Take one action on a case in one transaction (one user action = one unit of work)."""
    try:
        act = Action(action)
    except ValueError:
        raise ValidationError(
            "action", "action.unknown", msg("未知操作：{action}", action=action)
        ) from None
    if act is Action.REGISTER:
        raise ValidationError("action", "action.register", "请通过接待登记登记新案件")

    def work(session: Session) -> ActionResult:
        perform_in(session, ctx, case_id, act, payload, ctx.now())
        return ActionResult(case_detail(session, ctx, case_id), Changes(frozenset({case_id})))

    return ctx.store.run_write(work)
