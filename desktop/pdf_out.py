"""Where a document PDF made outside the 文书 screen goes: the printer, or a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from views.slips.printing import ask_printer, load_pdf, paint


def print_or_save(parent: QWidget, pdf: bytes, name: str,
                  printed: Callable[[int], None] = lambda _copies: None) -> str:  # fmt: skip
    """Ask whether to print (system dialog: printer, copies) or save; returns what was done."""
    box = QMessageBox(parent)
    box.setWindowTitle(parent.tr("打印或保存"))
    box.setText(parent.tr("“%1”已生成。").replace("%1", name))
    print_button = box.addButton(parent.tr("打印…"), QMessageBox.ButtonRole.AcceptRole)
    save_button = box.addButton(parent.tr("另存为PDF…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(parent.tr("取消"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked is print_button:
        document, _buffer = load_pdf(pdf, parent)
        printer = ask_printer(parent, document.pageCount())
        if printer is None:
            return "cancelled"
        try:
            paint([pdf], printer)
        except OSError as exc:
            QMessageBox.warning(parent, parent.tr("打印失败"), str(exc))
            return "failed"
        printed(max(1, printer.copyCount()))
        return "printed"
    if clicked is save_button:
        path, _ = QFileDialog.getSaveFileName(parent, parent.tr("另存为PDF"), f"{name}.pdf",
                                              "PDF (*.pdf)")  # fmt: skip
        if path:
            Path(path).write_bytes(pdf)
            return "saved"
    return "cancelled"
