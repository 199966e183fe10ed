"""Roles and their permissions (角色与权限) as data: ``resources/auth/roles.json``."""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from services.domain.access import Principal
from services.domain.errors import ServiceError
from services.domain.messages import msg
from services.domain.workflow import Action

ROLES_FILE: Final[Path] = Path(__file__).resolve().parents[2] / "resources" / "auth" / "roles.json"


@dataclass(frozen=True, slots=True)
class Role:
    code: str
    label: str
    permissions: frozenset[str]


@dataclass(frozen=True, slots=True)
class Policy:
    """Sign-in rules: lockout after ``max_failures`` wrong passwords for ``lockout_minutes``."""

    max_failures: int
    lockout_minutes: int
    min_password_length: int
    idle_lock_minutes: int


@dataclass(frozen=True, slots=True)
class RoleBook:
    """Every role, every permission's Chinese label, and the sign-in policy."""

    version: str
    roles: tuple[Role, ...]
    labels: Mapping[str, str]
    policy: Policy

    def role(self, code: str) -> Role:
        for role in self.roles:
            if role.code == code:
                return role
        raise ServiceError("role.unknown", msg("未知角色：{code}", code=code))

    def role_label(self, code: str) -> str:
        return next((r.label for r in self.roles if r.code == code), code)

    def principal(self, user_id: str, username: str, display_name: str, role: str) -> Principal:
        known = next((r for r in self.roles if r.code == role), None)
        return Principal(
            user_id=user_id, username=username, display_name=display_name, role=role,
            role_label=known.label if known else role,
            permissions=known.permissions if known else frozenset(), labels=self.labels,
        )  # fmt: skip


def _fail(detail: str) -> ServiceError:
    return ServiceError("roles.invalid", msg("角色权限文件有误：{detail}", detail=detail))


def _policy(raw: Any) -> Policy:
    if not isinstance(raw, dict):
        raise _fail("policy 应为对象")
    values: dict[str, int] = {}
    for key in ("max_failures", "lockout_minutes", "min_password_length", "idle_lock_minutes"):
        value = raw.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1440:
            raise _fail(msg("{key} 应为1至1440的整数", key=f"policy.{key}"))
        values[key] = value
    return Policy(**values)


def parse_roles(top: Any) -> RoleBook:
    """Validate the roles file: every permission named, every case action covered."""
    if not isinstance(top, dict) or not isinstance(top.get("permissions"), dict):
        raise _fail("缺少 permissions")
    labels = {str(k): str(v) for k, v in top["permissions"].items()}
    missing = {f"case.{a.value}" for a in Action} - set(labels)
    if missing:
        raise _fail(msg("缺少操作权限 {names}", names=tuple(sorted(missing))))
    roles: list[Role] = []
    for entry in top.get("roles") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("permissions"), list):
            raise _fail("roles 的每一项应有 code、label、permissions")
        unknown = [p for p in entry["permissions"] if p not in labels]
        if unknown:
            raise _fail(
                msg(
                    "角色 {role} 含未定义的权限 {permission}",
                    role=str(entry.get("code")),
                    permission=unknown[0],
                )
            )
        roles.append(Role(str(entry["code"]), str(entry["label"]), frozenset(entry["permissions"])))
    if not roles or len({r.code for r in roles}) != len(roles):
        raise _fail("角色为空或重复")
    return RoleBook(str(top.get("version", "")), tuple(roles), MappingProxyType(labels),
                    _policy(top.get("policy")))  # fmt: skip


@functools.cache
def load_roles(path: Path = ROLES_FILE) -> RoleBook:
    """The shipped roles file (cached)."""
    with path.open(encoding="utf-8") as fh:
        return parse_roles(json.load(fh))
