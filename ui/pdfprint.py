"""Printing PDF documents: preview, the system print dialog, pages painted off the GUI thread.

The one print path of the app (slips, notices, agreements): a preview first (打印预览), then the
system print dialog, whose page range and copies are honoured; the paper is forced to A4 and
the page is painted at 100% (a PDF page of 210 mm prints 210 mm wide, on any paper setting).

QtPdf only renders pages to images, so every page is rasterised. PySide keeps the GIL inside
``QPdfDocument.render`` and ``QPainter.drawImage`` (about 200 ms and 500 ms for a whole A4 page
at 300 dpi), so a worker thread painting whole pages would still freeze the window. Each page is
therefore rendered and painted in bands of :data:`BAND_PX` rows: every call is short, and the
worker pauses between them so the GUI thread gets the GIL (the longest stall is measured in
tests/bench/bench_slips.py).
QPainter may paint on a QPrinter outside the GUI thread (Qt: "Painting in threads").
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QMarginsF,
    QObject,
    QRect,
    QRectF,
    QSize,
    Signal,
    Slot,
)
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QListWidget,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

MAX_DPI = 300  # enough for 3号 text and QR codes; 600 dpi A4 pages would take 140 MB each
BAND_PX = 48  # rows rendered and painted per call (about 4 mm at 300 dpi)
YIELD_S = 0.0005  # pause between bands: the waiting GUI thread takes the GIL at once

PageRef = tuple[int, int]  # (document index, page index)
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class PdfDoc:
    """One document to print: a name (file name when saved), its bytes and its page count."""

    name: str
    pdf: bytes
    pages: int


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    """What reached the printer: pages sent, which documents had a page printed, copies."""

    pages_sent: int
    docs: frozenset[int]
    copies: int
    cancelled: bool = False


def has_printer() -> bool:
    """True when the system knows at least one printer."""
    return bool(QPrinterInfo.availablePrinters())


def force_a4(printer: QPrinter) -> None:
    """A4 portrait, no margins added (the PDF carries the GB/T 9704 margins)."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)


def ask_printer(parent: QWidget | None, pages: int) -> QPrinter | None:
    """The system print dialog (printer, page range, copies); None when the user cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    force_a4(printer)
    printer.setFromTo(1, max(1, pages))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(QCoreApplication.translate("pdfprint", "打印文书"))
    dialog.setMinMax(1, max(1, pages))
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    force_a4(printer)  # whatever paper the dialog or driver chose: the documents are A4
    return printer


def selected_pages(printer: QPrinter, counts: Sequence[int]) -> list[PageRef]:
    """The pages the print dialog's range names, numbered through all documents of the job."""
    every = [(d, p) for d, n in enumerate(counts) for p in range(n)]
    if printer.printRange() != QPrinter.PrintRange.PageRange:
        return every
    ranges = printer.pageRanges()
    if not ranges.isEmpty():
        return [ref for number, ref in enumerate(every, 1) if ranges.contains(number)]
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0:
        return every
    return every[first - 1 : (last or len(every))]


def _load(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    return document, buffer


def page_count(pdf: bytes) -> int:
    document, buffer = _load(pdf)
    try:
        return int(document.pageCount())
    finally:
        document.close()
        buffer.close()


class CancelledError(Exception):
    """The user cancelled while pages were being painted."""


def _paint_page(painter: QPainter, document: QPdfDocument, index: int, dpi: int, device_dpi: int,
                cancelled: Callable[[], bool]) -> None:  # fmt: skip
    """One page at 100% (its physical size), rendered and painted band by band."""
    size = document.pagePointSize(index)
    width, height = round(size.width() * dpi / 72), round(size.height() * dpi / 72)
    scale = device_dpi / dpi
    for top in range(0, height, BAND_PX):
        if cancelled():
            raise CancelledError
        rows = min(BAND_PX, height - top)
        options = QPdfDocumentRenderOptions()
        options.setScaledSize(QSize(width, height))
        options.setScaledClipRect(QRect(0, top, width, rows))
        band = document.render(index, QSize(width, rows), options)
        time.sleep(YIELD_S)
        painter.drawImage(QRectF(0, top * scale, width * scale, rows * scale), band)
        time.sleep(YIELD_S)


def paint_pages(
    pdfs: Sequence[bytes], pages: Sequence[PageRef], printer: QPrinter, *,
    progress: Progress | None = None, cancelled: Callable[[], bool] | None = None,
    dpi: int = MAX_DPI,
) -> PrintOutcome:  # fmt: skip
    """Paint ``pages`` on ``printer`` in one job (any thread); copies the driver cannot make are
    painted here. A cancel aborts the job (nothing is printed)."""
    stop = cancelled or (lambda: False)
    copies = max(1, printer.copyCount())
    ours = 1 if printer.supportsMultipleCopies() else copies
    if printer.collateCopies():
        sequence = list(pages) * ours
    else:
        sequence = [ref for ref in pages for _ in range(ours)]
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("打印机无法开始打印")
    device_dpi = printer.resolution()
    dpi = min(device_dpi, dpi)
    open_doc: tuple[int, QPdfDocument, QBuffer] | None = None
    sent = 0
    try:
        for number, (doc, index) in enumerate(sequence):
            if open_doc is None or open_doc[0] != doc:
                if open_doc is not None:
                    open_doc[1].close()
                open_doc = (doc, *_load(pdfs[doc]))
            if number:
                printer.newPage()
            _paint_page(painter, open_doc[1], index, dpi, device_dpi, stop)
            sent += 1
            if progress is not None:
                progress(sent, len(sequence))
    except CancelledError:
        printer.abort()
        return PrintOutcome(sent, frozenset(), copies, cancelled=True)
    finally:
        painter.end()
        if open_doc is not None:
            open_doc[1].close()
    return PrintOutcome(sent, frozenset(d for d, _p in pages), copies)


class PreviewDialog(QDialog):
    """打印预览: every document of the job, page after page, before the print dialog."""

    def __init__(self, docs: Sequence[PdfDoc], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("打印预览"))
        self.choice = "cancel"
        self._docs = list(docs)
        self._buffer: QBuffer | None = None
        self._document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setDocument(self._document)
        self.list = QListWidget(self)
        self.list.addItems([d.name for d in self._docs])
        self.list.setVisible(len(self._docs) > 1)
        self.list.setMaximumWidth(260)
        self.list.currentRowChanged.connect(self._show)
        self.print_btn = QPushButton(self.tr("打印…"))
        self.save_btn = QPushButton(self.tr("另存为PDF…"))
        self.cancel_btn = QPushButton(self.tr("取消"))
        self.print_btn.setDefault(True)
        self.print_btn.clicked.connect(lambda: self._done("print"))
        self.save_btn.clicked.connect(lambda: self._done("save"))
        self.cancel_btn.clicked.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.print_btn, self.save_btn, self.cancel_btn):
            buttons.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addLayout(buttons)
        self.resize(900, 700)
        self.list.setCurrentRow(0)
        if len(self._docs) == 1:
            self._show(0)

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._docs):
            return
        self._document.close()
        if self._buffer is not None:
            self._buffer.close()
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(self._docs[row].pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document.load(self._buffer)

    def page_count(self) -> int:
        return int(self._document.pageCount())

    def _done(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def show_preview(parent: QWidget | None, docs: Sequence[PdfDoc]) -> str:
    """``print``, ``save`` or ``cancel``."""
    dialog = PreviewDialog(docs, parent)
    dialog.exec()
    return dialog.choice


_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def file_name(name: str) -> str:
    return _UNSAFE.sub("_", name).strip("._") or "文书"


def save_pdfs(parent: QWidget | None, docs: Sequence[PdfDoc]) -> int:
    """另存为PDF: one file (asked by name) or a folder for several; returns the files written."""
    if len(docs) == 1:
        title = QCoreApplication.translate("pdfprint", "另存为PDF")
        path, _ = QFileDialog.getSaveFileName(parent, title, f"{file_name(docs[0].name)}.pdf",
                                              "PDF (*.pdf)")  # fmt: skip
        if not path:
            return 0
        Path(path).write_bytes(docs[0].pdf)
        return 1
    title = QCoreApplication.translate("pdfprint", "另存为PDF：选择文件夹")
    folder = QFileDialog.getExistingDirectory(parent, title)
    if not folder:
        return 0
    for doc in docs:
        (Path(folder) / f"{file_name(doc.name)}.pdf").write_bytes(doc.pdf)
    return len(docs)


class PdfOutput(QObject):
    """Preview → print dialog → pages painted off the GUI thread, with progress and cancel;
    or 另存为PDF. With no printer, the message offers 另存为PDF.

    Signals:
        progressed(int, int): pages painted, pages in the job (from the worker; queued).
        message(str): a status line for the screen.
    """

    progressed = Signal(int, int)
    message = Signal(str)

    def __init__(self, parent: QWidget, runner: TaskRunner) -> None:
        super().__init__(parent)
        self._parent, self._runner = parent, runner
        self._cancel = threading.Event()
        self._on_saved: Callable[[int], None] | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.progressed.connect(self._on_progressed)

    def run(self, docs: Sequence[PdfDoc], on_printed: Callable[[PrintOutcome], None], *,
            no_printer_text: str = "", on_error: Callable[[BaseException], None] | None = None,
            on_saved: Callable[[int], None] | None = None) -> None:  # fmt: skip
        """Print (or save) ``docs``; ``on_printed`` is called once the printer took the job,
        ``on_saved`` with the number of documents written (the first n) after 另存为PDF."""
        docs = [d if d.pages else PdfDoc(d.name, d.pdf, page_count(d.pdf)) for d in docs]
        self._on_saved = on_saved
        if not has_printer():
            self._no_printer(docs, no_printer_text)
            return
        choice = show_preview(self._parent, docs)
        if choice == "save":
            self._save(docs)
            return
        if choice != "print":
            self.message.emit(self.tr("已取消打印"))
            return
        printer = ask_printer(self._parent, sum(d.pages for d in docs))
        if printer is None:
            self.message.emit(self.tr("已取消打印"))
            return
        self.print_to(printer, docs, on_printed, on_error)

    def print_to(self, printer: QPrinter, docs: Sequence[PdfDoc],
                 on_printed: Callable[[PrintOutcome], None],
                 on_error: Callable[[BaseException], None] | None = None) -> None:  # fmt: skip
        """Paint the dialog's pages of ``docs`` on ``printer`` on the cpu worker."""
        force_a4(printer)
        pages = selected_pages(printer, [d.pages for d in docs])
        pdfs = [d.pdf for d in docs]
        self._cancel.clear()
        dialog = QProgressDialog(self.tr("正在打印…"), self.tr("取消"), 0, max(1, len(pages)),
                                 self._parent)  # fmt: skip
        dialog.setWindowTitle(self.tr("打印"))
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.show()
        self.progress_dialog = dialog

        def done(outcome: PrintOutcome) -> None:
            self._close_progress()
            if outcome.cancelled:
                self.message.emit(self.tr("已取消打印，未送出任何页"))
            on_printed(outcome)

        def failed(exc: BaseException) -> None:
            self._close_progress()
            if on_error is not None:
                on_error(exc)
            else:
                QMessageBox.warning(self._parent, self.tr("打印失败"), str(exc))

        self._runner.run(lambda: paint_pages(pdfs, pages, printer, progress=self.progressed.emit,
                                             cancelled=self._cancel.is_set),
                         done, failed, pool="cpu")  # fmt: skip

    @Slot()
    def cancel(self) -> None:
        """Stop painting: the job is aborted after the band being painted."""
        self._cancel.set()

    @Slot(int, int)
    def _on_progressed(self, done: int, total: int) -> None:
        dialog = self.progress_dialog
        if dialog is None:
            return
        dialog.setMaximum(total)
        dialog.setValue(done)
        dialog.setLabelText(self.tr("正在打印第 %1/%2 页…").replace("%1", str(done))
                            .replace("%2", str(total)))  # fmt: skip

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def no_printer_box(self, text: str) -> tuple[QMessageBox, QPushButton]:
        """未找到打印机, with a working 另存为PDF… button beside 关闭."""
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("未找到打印机"),
                          text or self.tr("本机没有可用的打印机。可以另存为PDF，"
                                          "拿到有打印机的电脑上打印。"),
                          QMessageBox.StandardButton.NoButton, self._parent)  # fmt: skip
        save = box.addButton(self.tr("另存为PDF…"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("关闭"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        return box, save

    def _no_printer(self, docs: Sequence[PdfDoc], text: str) -> None:
        box, save = self.no_printer_box(text)
        box.exec()
        if box.clickedButton() is save:
            self._save(docs)
        else:
            self.message.emit(self.tr("未找到打印机：未打印"))

    def _save(self, docs: Sequence[PdfDoc]) -> None:
        try:
            written = save_pdfs(self._parent, docs)
        except OSError as exc:
            log.warning("saving PDFs failed: %s", type(exc).__name__)
            self.message.emit(self.tr("另存为PDF失败：%1").replace("%1", exc.strerror or str(exc)))
            return
        if written:
            self.message.emit(self.tr("已另存为PDF（%1 个文件）").replace("%1", str(written)))
            if self._on_saved is not None:  # an export: the caller records it with the user
                self._on_saved(written)
