"""Who is signed in and what their role allows (权限): pure data, no storage.

Permissions are strings such as ``case.supervise`` or ``person.reveal_id``; which role holds
which is data (``resources/auth/roles.json``, loaded by ``services.auth.roles``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from services.domain.errors import PermissionDeniedError


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user (当前登录用户) and the permissions of their role."""

    user_id: str
    username: str
    display_name: str
    role: str
    role_label: str
    permissions: frozenset[str]
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def allows(self, permission: str) -> bool:
        return permission in self.permissions

    def require(self, permission: str) -> None:
        """Raise :class:`PermissionDeniedError` naming the role and the refused permission."""
        if permission not in self.permissions:
            what = self.labels.get(permission, permission)
            raise PermissionDeniedError(
                permission, f"当前用户（{self.display_name}，{self.role_label}）无权{what}",
                who=self.display_name, role_label=self.role_label, what=what,
            )  # fmt: skip


def action_permission(action: str) -> str:
    """The permission a case action needs (``supervise`` → ``case.supervise``)."""
    return f"case.{action}"
