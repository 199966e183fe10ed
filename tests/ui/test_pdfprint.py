"""Issue 14 #8: printing off the GUI thread with progress and cancel, the dialog's page range and
copies honoured, A4 at 100% on any paper setting, a preview first, 另存为PDF without a printer."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

import ui.pdfprint as pdfprint
from ui.pdfprint import PdfDoc, PdfOutput, PrintOutcome, paint_pages, selected_pages
from ui.tasks import ImmediateTaskRunner, ThreadTaskRunner

A4_PT = (595.3, 841.9)


def make_pdf(pages: int) -> bytes:
    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=A4, invariant=1)
    for _ in range(pages):
        canv.rect(0, 0, A4[0], A4[1], fill=1)  # ink edge to edge: the image must cover A4
        canv.showPage()
    canv.save()
    return buf.getvalue()


def file_printer(path: Path, *, letter: bool = False) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    if letter:
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    return printer


def printed_pages(path: Path) -> list[tuple[float, float, tuple[float, float, float, float]]]:
    """Each page's size and the box its images cover (x0, top, x1, bottom) in points."""
    out = []
    with pdfplumber.open(path) as doc:
        for page in doc.pages:
            imgs = page.images
            box = (min(i["x0"] for i in imgs), min(i["top"] for i in imgs),
                   max(i["x1"] for i in imgs), max(i["bottom"] for i in imgs))  # fmt: skip
            out.append((float(page.width), float(page.height), box))
    return out


def test_page_range_of_the_dialog_is_honoured_across_documents(
    qtbot: QtBot, tmp_path: Path
) -> None:
    printer = file_printer(tmp_path / "out.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 4)
    pages = selected_pages(printer, [2, 1, 2])
    assert pages == [(0, 1), (1, 0), (2, 0)]
    outcome = paint_pages([make_pdf(2), make_pdf(1), make_pdf(2)], pages, printer, dpi=40)
    assert outcome == PrintOutcome(3, frozenset({0, 1, 2}), 1)
    assert len(printed_pages(tmp_path / "out.pdf")) == 3
    everything = file_printer(tmp_path / "all.pdf")
    assert len(selected_pages(everything, [2, 1, 2])) == 5


def test_letter_paper_still_prints_a4_at_full_size(qtbot: QtBot, tmp_path: Path) -> None:
    """On Letter paper the page used to shrink to 94%."""
    printer = file_printer(tmp_path / "out.pdf", letter=True)
    pdfprint.force_a4(printer)
    paint_pages([make_pdf(1)], [(0, 0)], printer, dpi=40)
    ((width, height, box),) = printed_pages(tmp_path / "out.pdf")
    assert (width, height) == pytest.approx(A4_PT, abs=1)
    assert box == pytest.approx((0, 0, *A4_PT), abs=1.5)  # 100%: edge to edge, not fitted


def test_copies_the_driver_cannot_make_are_painted(qtbot: QtBot, tmp_path: Path) -> None:
    printer = file_printer(tmp_path / "out.pdf")
    printer.setCopyCount(2)
    printer.setCollateCopies(True)
    outcome = paint_pages([make_pdf(2)], [(0, 0), (0, 1)], printer, dpi=30)
    assert outcome.copies == 2
    expected = 2 if printer.supportsMultipleCopies() else 4
    assert outcome.pages_sent == expected == len(printed_pages(tmp_path / "out.pdf"))


def test_progress_is_reported_and_cancel_stops(qtbot: QtBot, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    pdfs = [make_pdf(1) for _ in range(5)]
    pages = [(d, 0) for d in range(5)]
    paint_pages(pdfs, pages, file_printer(tmp_path / "a.pdf"), progress=lambda *a: seen.append(a),
                dpi=30)  # fmt: skip
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    seen.clear()
    outcome = paint_pages(pdfs, pages, file_printer(tmp_path / "b.pdf"),
                          progress=lambda *a: seen.append(a), cancelled=lambda: len(seen) >= 2,
                          dpi=30)  # fmt: skip
    assert outcome.cancelled and outcome.docs == frozenset() and seen == [(1, 5), (2, 5)]


def test_output_paints_on_the_worker_with_a_progress_dialog_and_cancels(
    qtbot: QtBot, tmp_path: Path
) -> None:
    parent = QWidget()
    qtbot.add_widget(parent)
    runner = ThreadTaskRunner()
    output = PdfOutput(parent, runner)
    docs = [PdfDoc(f"s{i}", make_pdf(1), 1) for i in range(40)]
    results: list[PrintOutcome] = []
    values: list[int] = []
    output.progressed.connect(lambda done, _total: values.append(done))
    output.print_to(file_printer(tmp_path / "c.pdf"), docs, results.append)
    assert output.progress_dialog is not None and output.progress_dialog.isVisible()
    qtbot.waitUntil(lambda: len(values) >= 2, timeout=30000)
    output.progress_dialog.canceled.emit()  # the 取消 button
    qtbot.waitUntil(lambda: bool(results), timeout=30000)
    assert results[0].cancelled and results[0].pages_sent < 40
    assert output.progress_dialog is None
    runner.wait()


@pytest.mark.real_message_box
def test_no_printer_offers_save_as_pdf_that_saves(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = QWidget()
    qtbot.add_widget(parent)
    output = PdfOutput(parent, ImmediateTaskRunner())
    monkeypatch.setattr(pdfprint, "has_printer", lambda: False)
    monkeypatch.setattr(pdfprint, "show_preview", lambda *_a: pytest.fail("no preview"))
    target = tmp_path / "通知书.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    box, save = output.no_printer_box("")
    assert [b.text() for b in box.buttons()] == ["另存为PDF…", "关闭"]
    box.deleteLater()

    def click_save() -> None:
        shown = parent.findChildren(pdfprint.QMessageBox)
        shown[-1].buttons()[0].click()

    QTimer.singleShot(0, click_save)
    pdf = make_pdf(1)
    output.run([PdfDoc("调解通知书", pdf, 1)], lambda _o: pytest.fail("printed"))
    assert target.read_bytes() == pdf


def test_preview_comes_before_the_print_dialog(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = QWidget()
    qtbot.add_widget(parent)
    output = PdfOutput(parent, ImmediateTaskRunner())
    order: list[str] = []
    monkeypatch.setattr(pdfprint, "has_printer", lambda: True)
    monkeypatch.setattr(pdfprint, "show_preview",
                        lambda _p, docs: order.append(f"preview {len(docs)}") or "print")  # type: ignore[func-returns-value]  # fmt: skip

    def ask(_parent: QWidget | None, pages: int) -> QPrinter:
        order.append(f"dialog {pages}")
        return file_printer(tmp_path / "d.pdf", letter=True)

    monkeypatch.setattr(pdfprint, "ask_printer", ask)
    results: list[PrintOutcome] = []
    output.run([PdfDoc("a", make_pdf(2), 2), PdfDoc("b", make_pdf(1), 0)], results.append)
    assert order == ["preview 2", "dialog 3"]
    assert results == [PrintOutcome(3, frozenset({0, 1}), 1)]
    dialog = pdfprint.PreviewDialog([PdfDoc("a", make_pdf(2), 2)], parent)
    assert dialog.page_count() == 2 and dialog.print_btn.text() == "打印…"
    dialog.deleteLater()
