"""Printing the rooms' numbered documents (调解通知书, 人民调解协议书).

The service numbers the document (or finds it as issued) on the database worker, the PDF is made
on the cpu worker, then handed to the screen's PDF sink (the printer, or a file). A print the
printer took is recorded, so the next one is marked 补打; a document saved as a PDF file is
recorded as an export (the audit log says who wrote which document to a file).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from reports.agreement import render_print_job
from services.rooms.dto import RoomPrintJob
from services.slips.dto import MissingGlyphsError, RenderedPdf
from ui.tasks import TaskRunner
from views.rooms.api import RoomsApi

Printed = Callable[[int], None]  # called with the copies the printer took
Saved = Callable[[], None]  # called once the document was written to a file (另存为PDF)
PdfSink = Callable[[bytes, str, Printed, Saved], None]
Status = Callable[[str], None]
OnError = Callable[[BaseException], None]


class DocumentPrinter(QObject):
    """Issue (or find), render and hand over one numbered room document."""

    def __init__(self, services: RoomsApi, runner: TaskRunner, sink: Callable[[], PdfSink],
                 status: Status, on_error: OnError, parent: QObject | None = None, *,
                 confirm: Callable[[str], bool] = lambda _text: False) -> None:  # fmt: skip
        super().__init__(parent)
        self.services, self.runner, self._sink = services, runner, sink
        self._status, self._on_error = status, on_error
        self.confirm = confirm  # asks a yes/no question (the screen's own)

    def print_job(self, make_job: Callable[[], RoomPrintJob]) -> None:
        """``make_job`` runs on the database worker (it may take a number)."""
        self.runner.run(make_job, self._render, self._on_error)

    def _render(self, job: RoomPrintJob, allow_missing: bool = False) -> None:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, MissingGlyphsError) and not allow_missing:
                self._missing(job, exc.chars)
            else:
                self._on_error(exc)

        self.runner.run(lambda: render_print_job(job, allow_missing_glyphs=allow_missing),
                        lambda r: self._hand_over(job, r), failed, pool="cpu")  # fmt: skip

    def _missing(self, job: RoomPrintJob, chars: tuple[str, ...]) -> None:
        """缺字: no font on this PC has these characters; print them as their codes if the
        clerk agrees (the names can then be written in by hand)."""
        listed = "、".join(f"{c}（U+{ord(c):04X}）" for c in chars)
        text = self.tr("本机没有能显示以下字符的字体：%1\n这些字将以编码代替打印（可手写补上）。"
                       "仍要打印吗？").replace("%1", listed)  # fmt: skip
        if self.confirm(text):
            self._render(job, allow_missing=True)
        else:
            self._status(self.tr("已取消打印：请安装含这些字的字体（如 SimSun-ExtB）后再打印"))

    def _hand_over(self, job: RoomPrintJob, rendered: RenderedPdf) -> None:
        self._sink()(rendered.pdf, job.name, lambda copies: self._printed(job, copies),
                     lambda: self._saved(job))  # fmt: skip

    def _saved(self, job: RoomPrintJob) -> None:
        doc_id = job.document_id
        self.runner.run(lambda: self.services.record_document_export(doc_id), lambda _r: None,
                        self._on_error)  # fmt: skip

    def _printed(self, job: RoomPrintJob, copies: int) -> None:
        doc_id = job.document_id
        self.runner.run(lambda: self.services.record_document_print(doc_id, copies),
                        lambda _n: self._status(self._printed_text(job)),
                        self._on_error)  # fmt: skip

    def _printed_text(self, job: RoomPrintJob) -> str:
        if job.agreement is not None:
            text = self.tr("已打印人民调解协议书%1")
        else:
            text = self.tr("已打印调解通知书%1")
        return text.replace("%1", job.number) + (self.tr("（补打）") if job.reprint else "")
