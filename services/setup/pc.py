"""This PC as the status bar and the settings screen show it (本机状态)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from services.context import ServiceContext
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


def _user_label(name: str, ctx: ServiceContext) -> str:
    """The signed-in user with their role (刘主任（中心主任）)."""
    principal = ctx.principal
    if principal is not None and principal.user_id == ctx.user_id:
        return f"{principal.display_name}（{principal.role_label}）"
    return name


def status(ctx: ServiceContext) -> StatusInfo:
    with ctx.store.read() as session:
        township = session.get(OrgUnit, ctx.township_id) if ctx.township_id else None
        user = session.get(AppUser, ctx.user_id) if ctx.user_id else None
        pending = session.scalar(
            select(func.count()).select_from(Outbox).where(Outbox.status == "pending")
        )
        return StatusInfo(
            township_name=township.name if township else "",
            township_code=township.code or "" if township else "",
            user_name=_user_label(user.display_name if user else "", ctx),
            pending_changes=int(pending or 0),
            last_sync=None,
        )


def device_info(ctx: ServiceContext) -> DeviceInfo:
    info = status(ctx)
    path = ctx.store.path
    return DeviceInfo(info.township_name, info.township_code, ctx.device_id,
                      str(path) if path else ctx.store.url)  # fmt: skip


def users(ctx: ServiceContext) -> tuple[UserInfo, ...]:
    with ctx.store.read() as session:
        rows = session.scalars(select(AppUser).where(AppUser.active.is_(True)))
        return tuple(UserInfo(u.id, u.username, u.display_name, u.role) for u in rows)
