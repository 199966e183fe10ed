"""Error types raised by services; each carries a stable code and a Chinese message."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.domain.dto import IdentityConflict


class ServiceError(Exception):
    """Base of every error a service raises.

    Attributes:
        code: stable machine-readable code (``"id_number.checksum"``).
        message: the Chinese sentence; a ``services.domain.messages.Text`` when made by ``msg()``,
            so a screen can say it in its own language (``views.messages.error_text``).
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[object, ...]:
        # Picklable whatever the subclass's __init__ takes: an error raised in a worker process
        # reaches the parent instead of hanging its pool.
        return (_restore, (type(self), self.args, dict(self.__dict__)))


def _restore(cls: type[ServiceError], args: tuple[object, ...], state: dict[str, object]
             ) -> ServiceError:  # fmt: skip
    obj = cls.__new__(cls)
    Exception.__init__(obj, *args)
    obj.__dict__.update(state)
    return obj


class ValidationError(ServiceError):
    """One invalid field (字段校验错误)."""

    def __init__(self, field: str, code: str, message: str) -> None:
        super().__init__(code, message)
        self.field = field


class ValidationErrors(ServiceError):  # noqa: N818 - a collection of ValidationError
    """Several invalid fields found in one submission; nothing was saved."""

    def __init__(self, errors: Iterable[ValidationError]) -> None:
        self.errors = tuple(errors)
        first = self.errors[0] if self.errors else None
        msg = "；".join(f"{e.message}" for e in self.errors) or "输入有误"
        super().__init__(first.code if first else "validation", msg)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(e.field for e in self.errors)


class IdentityConflictError(ServiceError):
    """A typed ID number belongs to someone of another name, or does not fit the chosen person
    (证件号码与登记人员不符); nothing was saved. ``conflicts`` says who and what, per party."""

    def __init__(self, conflicts: Iterable[IdentityConflict]) -> None:
        self.conflicts = tuple(conflicts)
        msg = "；".join(c.message for c in self.conflicts) or "证件号码与登记人员不符"
        super().__init__("person.identity_conflict", msg)


class NotFoundError(ServiceError):
    """The record asked for does not exist."""


class TransitionError(ServiceError):
    """An action that is not allowed in the case's current state (当前状态不允许此操作).

    Attributes:
        state: the state the case is in.
        action: the action that was refused.
    """

    def __init__(self, state: str, action: str, message: str) -> None:
        super().__init__("workflow.not_allowed", message)
        self.state = state
        self.action = action


class ConflictError(ServiceError):
    """A stale write or a concurrent change (数据冲突)."""


class StoreBusyError(ServiceError):
    """The database stayed locked by another program beyond the retry budget."""


class OfflineError(ServiceError):
    """The county hub cannot be reached (离线)."""


class PermissionDeniedError(ServiceError):
    """The signed-in user's role does not allow this (无权操作), or nobody is signed in.

    Attributes:
        permission: the permission that was missing (``case.supervise``).
        who, role_label, what: the user's name, their role's label and the permission's label
            (``roles.json``), for a screen to say the refusal in its own language; empty when
            nobody is signed in.
    """

    def __init__(self, permission: str, message: str, *, who: str = "", role_label: str = "",
                 what: str = "") -> None:  # fmt: skip
        super().__init__("permission.denied", message)
        self.permission = permission
        self.who, self.role_label, self.what = who, role_label, what
