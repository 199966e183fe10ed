"""The one way slips get printed: render, warn about missing glyphs, choose a printer, record."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QWidget

from services.domain.errors import ServiceError
from services.slips.dto import PrintJob, SlipInfo
from ui.pdfprint import PdfDoc, PdfOutput, PrintOutcome
from ui.tasks import TaskRunner
from views.messages import error_text as service_text
from views.slips import prompts
from views.slips.api import SlipsApi

log = logging.getLogger(__name__)


class SlipPrintFlow(QObject):
    """Prints slips for a screen.

    Rendering and recording run on the task runner; the dialogs and the painting run on the GUI
    thread. Nothing is recorded unless the printer took the job.

    Signals:
        printed(object): the updated ``SlipInfo`` tuple after a finished print.
        message(str): a status line for the screen.
    """

    printed = Signal(object)
    message = Signal(str)

    def __init__(
        self, api: SlipsApi, tasks: TaskRunner, widget: QWidget,
        watermark: Callable[[], str] = lambda: "",
    ) -> None:  # fmt: skip
        super().__init__(widget)
        self._api, self._tasks, self._widget, self._watermark = api, tasks, widget, watermark
        self._jobs: list[PrintJob] = []
        self._output = PdfOutput(widget, tasks)
        self._output.message.connect(self._on_output_message)

    def print_slips(self, slip_ids: Sequence[str]) -> None:
        """Print the slips in one job (the first print of each is the original, then 补打)."""
        ids = list(slip_ids)
        if not ids:
            return
        mark = self._watermark()
        self._tasks.run(lambda: [self._api.print_job(i, watermark=mark) for i in ids],
                        self._on_jobs, self._on_error, pool="cpu")  # fmt: skip

    def _on_jobs(self, jobs: list[PrintJob]) -> None:
        missing = list(dict.fromkeys(c for j in jobs for c in j.rendered.missing_glyphs))
        if missing:
            listed = "、".join(f"{c}（U+{ord(c):04X}）" for c in missing)
            text = self.tr("本机没有能显示以下字符的字体：%1\n这些字将以编码代替打印。仍要打印吗？")
            if not prompts.confirm(self._widget, self.tr("缺少字体"), text.replace("%1", listed)):
                self.message.emit(
                    self.tr("已取消打印：文书仍为已签发状态，可随时在文书台账中打印。")
                )
                return
        docs = [PdfDoc(j.slip.number, j.rendered.pdf, j.rendered.pages) for j in jobs]
        self._jobs = jobs
        self._output.run(docs, self._on_printed, on_error=self._on_print_failed,
                         on_saved=self._on_saved,
                         no_printer_text=self.tr("本机没有可用的打印机。文书已签发，可另存为PDF，"
                                            "或在文书台账中稍后打印。"))  # fmt: skip

    def _on_output_message(self, text: str) -> None:
        if text.startswith(self.tr("已取消打印")):
            text = self.tr("已取消打印：文书仍为已签发状态，可随时在文书台账中打印。")
        elif text.startswith(self.tr("未找到打印机")):
            text = self.tr("未找到打印机：文书仍为已签发状态。")
        self.message.emit(text)

    def _on_print_failed(self, exc: BaseException) -> None:
        log.warning("printing slips failed: %s", type(exc).__name__)
        prompts.warn(self._widget, self.tr("打印失败"), self.tr("打印失败，请检查打印机后重试。"))
        self.message.emit(self.tr("打印失败：文书仍为已签发状态，可稍后重试。"))

    def _on_printed(self, outcome: PrintOutcome) -> None:
        if outcome.cancelled:
            self.message.emit(self.tr("已取消打印：文书仍为已签发状态，可随时在文书台账中打印。"))
            return
        ids = [j.slip.id for i, j in enumerate(self._jobs) if i in outcome.docs]
        copies = outcome.copies
        self._tasks.run(lambda: tuple(self._api.record_print(i, copies) for i in ids),
                        self._on_recorded, self._on_error)  # fmt: skip

    def _on_saved(self, written: int) -> None:
        """另存为PDF from the preview or the no-printer message: the files are exports."""
        ids = [j.slip.id for j in self._jobs[:written]]

        def record() -> None:
            for slip_id in ids:
                self._api.record_export(slip_id)

        self._tasks.run(record, lambda _r: None, self._on_error)

    def _on_recorded(self, infos: tuple[SlipInfo, ...]) -> None:
        reprints = sum(1 for s in infos if s.print_count > 1)
        text = self.tr("已打印 %1 份文书").replace("%1", str(len(infos)))
        if reprints:
            text += self.tr("（其中补打 %1 份）").replace("%1", str(reprints))
        self.message.emit(text)
        self.printed.emit(infos)

    def _on_error(self, exc: BaseException) -> None:
        text = error_text(exc)
        prompts.warn(self._widget, self.tr("无法打印"), text)
        self.message.emit(text)


def error_text(exc: BaseException) -> str:
    """The Chinese message of a service error; anything else is logged and named in general
    terms (a user never sees an exception's class or text)."""
    if isinstance(exc, ServiceError):
        return service_text(exc)
    log.error("slip operation failed", exc_info=(type(exc), exc, exc.__traceback__))
    return QCoreApplication.translate("slips", "出现意外错误，详情已记入日志，请重试或联系管理员。")
