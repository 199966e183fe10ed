"""What the slip screens need from the domain (``services.slips.service.SlipService``)."""

from __future__ import annotations

from typing import Protocol

from services.slips.dto import (
    IssueRequest,
    IssueResult,
    PrintJob,
    RenderedPdf,
    SlipForm,
    SlipInfo,
    SlipKind,
    SlipQuery,
)


class SlipsApi(Protocol):
    """The slip service as the views use it; tests pass a typed fake."""

    def kinds(self) -> tuple[SlipKind, ...]: ...

    def form(self, case_id: str, kind: str) -> SlipForm: ...

    def draft(self, request: IssueRequest) -> RenderedPdf: ...

    def issue(self, request: IssueRequest) -> IssueResult: ...

    def search(self, query: SlipQuery) -> tuple[SlipInfo, ...]: ...

    def get(self, slip_id: str) -> SlipInfo: ...

    def original(self, slip_id: str) -> RenderedPdf: ...

    def print_job(self, slip_id: str, *, watermark: str = "") -> PrintJob: ...

    def record_print(self, slip_id: str, copies: int = 1) -> SlipInfo: ...

    def record_export(self, slip_id: str) -> None: ...

    def void(self, slip_id: str, reason: str) -> SlipInfo: ...
