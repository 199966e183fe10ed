"""调解通知书 and 协议书 PDFs go to the printer or a file; a cancelled dialog loses nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

import desktop.pdf_out as pdf_out


def _choose(monkeypatch: pytest.MonkeyPatch, label: str) -> None:
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)

    def clicked(box: QMessageBox) -> object:
        return next(b for b in box.buttons() if b.text() == label)

    monkeypatch.setattr(QMessageBox, "clickedButton", clicked)


def test_save_writes_the_pdf(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parent = QWidget()
    qtbot.add_widget(parent)
    target = tmp_path / "通知书.pdf"
    _choose(monkeypatch, "另存为PDF…")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert pdf_out.print_or_save(parent, b"%PDF-1.4 test", "调解通知书") == "saved"
    assert target.read_bytes() == b"%PDF-1.4 test"


def test_cancelled_print_dialog_prints_nothing(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = QWidget()
    qtbot.add_widget(parent)
    _choose(monkeypatch, "打印…")
    asked: list[int] = []
    monkeypatch.setattr(pdf_out, "load_pdf", lambda pdf, parent: (type("D", (), {
        "pageCount": lambda self: 2})(), None))  # fmt: skip
    monkeypatch.setattr(pdf_out, "ask_printer", lambda parent, pages: asked.append(pages))
    monkeypatch.setattr(pdf_out, "paint", lambda pdfs, printer: pytest.fail("printed"))
    assert pdf_out.print_or_save(parent, b"%PDF", "协议书") == "cancelled"
    assert asked == [2]
