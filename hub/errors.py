"""Errors of the hub's rules (拒绝原因)."""

from __future__ import annotations

from services.domain.errors import ServiceError


class RefusedError(ServiceError):
    """One change or request the hub will not accept (HTTP-like ``status``: 4xx)."""

    def __init__(self, status: int, code: str, message: str, *, hint: str = "") -> None:
        super().__init__(code, message)
        self.status = status
        self.hint = hint  # for the device: a taken case code's highest sibling, say
