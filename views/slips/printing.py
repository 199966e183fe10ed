"""Sending slip PDFs to a printer: the system print dialog, then QtPdf rasterises each page.

A cancelled dialog or a PC without a printer prints nothing and records nothing: the slip stays
issued and can be printed later from the register (文书台账).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QWidget

MAX_DPI = 300  # enough for 3号 text and QR codes; 600 dpi A4 pages would take 140 MB each


def has_printer() -> bool:
    """True when the system knows at least one printer."""
    return bool(QPrinterInfo.availablePrinters())


def ask_printer(parent: QWidget | None, pages: int) -> QPrinter | None:
    """Show the system print dialog (printer, copies); None when the user cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setFullPage(True)  # the PDF already carries the GB/T 9704 margins
    printer.setFromTo(1, max(1, pages))
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(dialog.tr("打印文书"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def load_pdf(pdf: bytes, parent: QWidget | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over bytes; keep the buffer alive as long as the document."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)  # type: ignore[arg-type]  # a None parent is fine
    document.load(buffer)
    return document, buffer


def paint(pdfs: Sequence[bytes], printer: QPrinter) -> int:
    """Print the PDFs in one job, page by page; return the number of pages sent."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("打印机无法开始打印")
    sent = 0
    try:
        dpi = min(printer.resolution(), MAX_DPI)
        for pdf in pdfs:
            document, buffer = load_pdf(pdf)
            for index in range(document.pageCount()):
                if sent:
                    printer.newPage()
                size = document.pagePointSize(index)
                pixels = QSize(round(size.width() * dpi / 72), round(size.height() * dpi / 72))
                image = document.render(index, pixels)
                area = painter.viewport()
                scale = min(area.width() / pixels.width(), area.height() / pixels.height())
                target = QRectF(QPointF(0, 0), pixels.toSizeF() * scale)
                painter.drawImage(target, image)
                sent += 1
            document.close()
            buffer.close()
    finally:
        painter.end()
    return sent
