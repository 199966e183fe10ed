"""What a service said, in the interface language: the one way screens show a ServiceError."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from services.domain.errors import (
    IdentityConflictError,
    PermissionDeniedError,
    ServiceError,
    ValidationErrors,
)
from ui.i18n import message, messages, vocab


def error_text(exc: BaseException) -> str:
    """``exc`` as a user reads it: a service's message (each field's for several, each party's
    for an identity conflict) translated, 无权… from its parts, anything else as it is."""
    if isinstance(exc, ValidationErrors) and exc.errors:
        return messages(e.message for e in exc.errors)
    if isinstance(exc, IdentityConflictError) and exc.conflicts:
        return messages(c.message for c in exc.conflicts)
    if isinstance(exc, PermissionDeniedError) and exc.who:
        text = QCoreApplication.translate("UsersPanel", "当前用户（%1，%2）无权%3")
        return (text.replace("%1", exc.who).replace("%2", vocab(exc.role_label))
                .replace("%3", vocab(exc.what)))  # fmt: skip
    if isinstance(exc, PermissionDeniedError):
        return vocab(exc.message)
    if isinstance(exc, ServiceError):
        return message(exc.message)
    return str(exc)
