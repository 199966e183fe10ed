"""文书 screen and the issue dialog, offscreen, with a typed fake service and immediate tasks."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

import ui.pdfprint as printing
from reports.fonts import FontConfig
from reports.slips import SlipPdfRenderer
from services.domain.dto import Changes
from services.domain.errors import ValidationError, ValidationErrors
from services.slips.dto import (
    IssueRequest,
    IssueResult,
    MissingGlyphsError,
    PrintJob,
    RenderedPdf,
    RenderOptions,
    SlipDocument,
    SlipForm,
    SlipInfo,
    SlipKind,
    SlipLine,
    SlipQuery,
)
from services.slips.kinds import load_catalogue
from ui.dates import DateEdit
from ui.tasks import ImmediateTaskRunner
from views.slips import IssueSlipDialog, SlipsView, prompts
from views.slips.api import SlipsApi
from views.slips.model import SlipTableModel

NOW = dt.datetime(2026, 11, 22, 10, 0)
FONT = str(Path(__file__).parents[1] / "reports" / "fonts" / "HanaMinB-testsubset.ttf")
RENDER = SlipPdfRenderer(FontConfig(system=False, fallbacks=(FONT,)))
CATALOGUE = load_catalogue()


def info(n: int, kind: str = "supervision", **kw: object) -> SlipInfo:
    base = dict(id=f"s{n}", number=f"青综治督〔2026〕{n}号", kind=kind, kind_title="矛盾纠纷督办单",
                grade_label="红色督办", case_id="c1", case_code="620123101000-2026-000001",
                addressee="青山司法所", issued_at=NOW - dt.timedelta(hours=n), issued_by=None,
                status="issued", void_reason="", voided_at=None, print_count=0,
                sha256="")  # fmt: skip
    base.update(kw)
    return SlipInfo(**base)  # type: ignore[arg-type]


def document(slip: SlipInfo) -> SlipDocument:
    return SlipDocument(kind=slip.kind, title=slip.kind_title, layout="form",
                        issuer="青山镇综治中心", number=slip.number, case_code=slip.case_code,
                        date_text="2026年11月22日",
                        rows=(SlipLine("督办对象", slip.addressee),))  # fmt: skip


class FakeSlips:
    """A typed in-memory stand-in for ``services.slips.service.SlipService``."""

    def __init__(self, rows: list[SlipInfo]) -> None:
        self.rows = {r.id: r for r in rows}
        self.queries: list[SlipQuery] = []
        self.recorded: list[tuple[str, int]] = []
        self.voided: list[tuple[str, str]] = []
        self.exported: list[str] = []
        self.issued: list[IssueRequest] = []
        self.issue_errors: list[Exception] = []
        for slip in rows:  # the stored hash is the original rendering's
            self.rows[slip.id] = dataclasses.replace(slip, sha256=self.original(slip.id).sha256)

    def kinds(self) -> tuple[SlipKind, ...]:
        return CATALOGUE.kinds

    def form(self, case_id: str, kind: str) -> SlipForm:
        spec = CATALOGUE.kind(kind)
        values = {f.name: f.default for f in spec.fields if f.is_input}
        values.update({f.name: "案件值" for f in spec.fields if not f.is_input})
        return SlipForm(spec, case_id, "620123101000-2026-000001", "宅基地纠纷", values,
                        (("u1", "青山司法所"), ("u2", "青山派出所")))  # fmt: skip

    def draft(self, request: IssueRequest) -> RenderedPdf:
        return RENDER(document(info(0)), RenderOptions(draft=True))

    def issue(self, request: IssueRequest) -> IssueResult:
        self.issued.append(request)
        if self.issue_errors:
            raise self.issue_errors.pop(0)
        slip = info(99, kind=request.kind)
        self.rows[slip.id] = slip
        return IssueResult(slip, self.original(slip.id), Changes(frozenset({"c1"})))

    def search(self, query: SlipQuery) -> tuple[SlipInfo, ...]:
        self.queries.append(query)
        return tuple(sorted(self.rows.values(), key=lambda s: s.issued_at, reverse=True))

    def get(self, slip_id: str) -> SlipInfo:
        return self.rows[slip_id]

    def original(self, slip_id: str) -> RenderedPdf:
        return RENDER(document(self.rows[slip_id]), RenderOptions())

    def print_job(self, slip_id: str, *, watermark: str = "") -> PrintJob:
        slip = self.rows[slip_id]
        note = "补打" if slip.print_count else ""
        rendered = RENDER(document(slip), RenderOptions(watermark=watermark, reprint_note=note))
        return PrintJob(slip, rendered, bool(slip.print_count))

    def record_print(self, slip_id: str, copies: int = 1) -> SlipInfo:
        self.recorded.append((slip_id, copies))
        slip = self.rows[slip_id]
        self.rows[slip_id] = dataclasses.replace(slip, print_count=slip.print_count + 1)
        return self.rows[slip_id]

    def record_export(self, slip_id: str) -> None:
        self.exported.append(slip_id)

    def void(self, slip_id: str, reason: str) -> SlipInfo:
        self.voided.append((slip_id, reason))
        slip = dataclasses.replace(self.rows[slip_id], status="voided", void_reason=reason)
        self.rows[slip_id] = slip
        return slip


def _typed(fake: FakeSlips) -> SlipsApi:
    return fake  # checked by mypy: the fake satisfies the protocol


@pytest.fixture
def fake() -> FakeSlips:
    return FakeSlips([info(1), info(2), info(3, status="voided", void_reason="错号")])


@pytest.fixture
def view(qtbot: QtBot, fake: FakeSlips) -> SlipsView:
    widget = SlipsView(_typed(fake), ImmediateTaskRunner(), user_label="王接待", now=lambda: NOW)
    qtbot.add_widget(widget)
    return widget


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Record the message boxes instead of showing them; confirm says yes."""
    seen: dict[str, list[str]] = {"warn": [], "confirm": [], "preview": []}
    monkeypatch.setattr(printing, "show_preview",
                        lambda _p, docs: seen["preview"].append(docs[0].name) or "print")  # type: ignore[func-returns-value]  # fmt: skip
    monkeypatch.setattr(prompts, "warn", lambda _p, _t, text: seen["warn"].append(text))

    def confirm(_parent: QWidget | None, _title: str, text: str) -> bool:
        seen["confirm"].append(text)
        return True

    monkeypatch.setattr(prompts, "confirm", confirm)
    return seen


def pdf_printer(path: Path) -> Callable[..., QPrinter]:
    def ask(_parent: QWidget | None, _pages: int) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(path))
        return printer

    return ask


def test_register_lists_and_previews_the_original(view: SlipsView, fake: FakeSlips) -> None:
    assert view._model.rowCount() == 3
    assert view.selected() == fake.rows["s1"]
    assert view._preview.page_count() == 1
    assert "与签发时的原件一致" in view._check.text()
    assert fake.queries[-1].date_to == NOW.date()


def test_search_filters_go_to_the_service(view: SlipsView, fake: FakeSlips) -> None:
    view._search.setText("督〔2026〕2")
    view._kind.setCurrentIndex(view._kind.findData("supervision"))
    view._voided.setChecked(False)
    view._find.click()
    query = fake.queries[-1]
    assert (query.text, query.kind, query.include_voided) == ("督〔2026〕2", "supervision", False)
    view.show_kind_today("risk_warning")
    query = fake.queries[-1]
    assert query.kind == "risk_warning" and query.date_from == query.date_to == NOW.date()


def test_cancelled_print_dialog_leaves_the_slip_issued(
    view: SlipsView, fake: FakeSlips, monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]
) -> None:
    monkeypatch.setattr(printing, "has_printer", lambda: True)
    monkeypatch.setattr(printing, "ask_printer", lambda _parent, _pages: None)
    view._print.click()
    assert fake.recorded == []
    assert fake.rows["s1"].status == "issued"
    assert "已取消打印" in view._status.text()


def test_no_printer_prints_nothing(
    view: SlipsView, fake: FakeSlips, monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]
) -> None:
    monkeypatch.setattr(printing, "has_printer", lambda: False)
    shown: list[str] = []

    def box_exec(box: QMessageBox) -> int:
        shown.append(box.text())
        return 0

    monkeypatch.setattr(QMessageBox, "exec", box_exec)
    view._print.click()
    assert fake.recorded == [] and "另存为PDF" in shown[0] and "未找到打印机" in view._status.text()


def test_print_records_and_next_is_a_reprint(
    view: SlipsView, fake: FakeSlips, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    answers: dict[str, list[str]],
) -> None:  # fmt: skip
    out = tmp_path / "printed.pdf"
    monkeypatch.setattr(printing, "has_printer", lambda: True)
    monkeypatch.setattr(printing, "ask_printer", pdf_printer(out))
    view._watermark.setChecked(True)
    view._print.click()
    assert out.stat().st_size > 1000
    assert fake.recorded == [("s1", 1)]
    assert view.selected() == fake.rows["s1"] and view._print.text() == "补打"
    assert view._status.text() == "已打印 1 份文书"


def test_batch_print_takes_every_listed_slip_but_voided(
    view: SlipsView, fake: FakeSlips, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    answers: dict[str, list[str]],
) -> None:  # fmt: skip
    monkeypatch.setattr(printing, "has_printer", lambda: True)
    monkeypatch.setattr(printing, "ask_printer", pdf_printer(tmp_path / "batch.pdf"))
    view._batch.click()
    assert "2 份文书" in answers["confirm"][0]
    assert sorted(fake.recorded) == [("s1", 1), ("s2", 1)]


def test_batch_print_honours_the_page_range_and_records_only_what_printed(
    view: SlipsView, fake: FakeSlips, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    answers: dict[str, list[str]],
) -> None:  # fmt: skip
    """Issue 14 #8: the page range chosen in the dialog was ignored (every page printed)."""
    ask = pdf_printer(tmp_path / "range.pdf")

    def second_page_only(parent: QWidget | None, pages: int) -> QPrinter:
        printer = ask(parent, pages)
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(2, 2)
        return printer

    monkeypatch.setattr(printing, "has_printer", lambda: True)
    monkeypatch.setattr(printing, "ask_printer", second_page_only)
    view._batch.click()
    assert answers["preview"]  # previewed before the print dialog
    assert len(fake.recorded) == 1


def test_void_needs_a_reason(
    view: SlipsView, fake: FakeSlips, monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]
) -> None:
    monkeypatch.setattr(prompts, "ask_text", lambda *_a: "  ")
    view._void.click()
    assert fake.voided == [] and answers["warn"] == ["请填写作废理由"]
    monkeypatch.setattr(prompts, "ask_text", lambda *_a: "签发对象有误")
    view._void.click()
    assert fake.voided == [("s1", "签发对象有误")]
    assert fake.rows["s1"].voided and not view._print.isEnabled()


def test_save_as_pdf_writes_the_original(
    view: SlipsView, fake: FakeSlips, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "slip.pdf"
    monkeypatch.setattr(prompts, "ask_save_path", lambda *_a: str(target))
    view._save.click()
    assert target.read_bytes() == fake.original("s1").pdf
    assert fake.exported == ["s1"]  # recorded with the user, like a print


def test_save_from_the_preview_or_without_a_printer_is_recorded_as_an_export(
    view: SlipsView, fake: FakeSlips, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "交办单.pdf"
    monkeypatch.setattr(printing, "has_printer", lambda: True)
    monkeypatch.setattr(printing, "show_preview", lambda _p, _docs: "save")
    monkeypatch.setattr(printing.QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(target), ""))  # fmt: skip
    view._print.click()
    assert target.read_bytes()[:4] == b"%PDF"
    assert fake.recorded == [] and fake.exported == ["s1"]


def test_model(qtmodeltester: object, fake: FakeSlips) -> None:
    model = SlipTableModel()
    model.set_rows(tuple(fake.rows.values()))
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.data(model.index(2, 6)) == "已作废"
    assert model.data(model.index(2, 0), Qt.ItemDataRole.ToolTipRole) == "作废理由：错号"


@pytest.fixture
def dialog(qtbot: QtBot, fake: FakeSlips) -> IssueSlipDialog:
    widget = IssueSlipDialog(_typed(fake), ImmediateTaskRunner(), "c1", kind="assignment")
    qtbot.add_widget(widget)
    return widget


def test_issue_dialog_builds_the_kinds_form(dialog: IssueSlipDialog) -> None:
    editor = dialog.editor
    assert editor is not None
    assert isinstance(editor.widgets["unit"], QComboBox)
    assert isinstance(editor.widgets["requirement"], QPlainTextEdit)
    assert isinstance(editor.widgets["due_date"], DateEdit)
    assert not dialog._grade.isVisibleTo(dialog)
    dialog._kind.setCurrentIndex(dialog._kind.findData("supervision"))
    assert dialog._grade.isVisibleTo(dialog) and dialog._grade.count() == 2


def test_issue_dialog_names_missing_fields_then_issues(
    qtbot: QtBot, dialog: IssueSlipDialog, fake: FakeSlips
) -> None:
    fake.issue_errors.append(ValidationErrors([
        ValidationError("unit", "slip.unit.required", "请填写承办单位"),
        ValidationError("signer", "slip.signer.required", "请填写签发人"),
    ]))  # fmt: skip
    dialog._issue.click()
    assert "请填写承办单位" in dialog._errors.text() and "请填写签发人" in dialog._errors.text()
    editor = dialog.editor
    assert editor is not None and "C8161D" in editor.widgets["unit"].styleSheet()
    assert dialog.result_ is None and dialog._issue.isEnabled()

    unit = editor.widgets["unit"]
    assert isinstance(unit, QComboBox)
    unit.setCurrentIndex(unit.findData("u1"))
    signer = editor.widgets["signer"]
    assert isinstance(signer, QLineEdit)
    signer.setText("刘主任")
    editor.set_values({"due_date": "2026-11-29"})
    with qtbot.wait_signal(dialog.slip_issued) as blocker:
        dialog._issue.click()
    request = fake.issued[-1]
    assert request.values["unit"] == "u1" and request.values["signer"] == "刘主任"
    assert request.values["due_date"] == "2026-11-29"
    assert blocker.args[0].slip.number == "青综治督〔2026〕99号"
    assert dialog._print.isEnabled() and not dialog._issue.isEnabled()


def test_issue_dialog_asks_before_missing_glyphs(
    dialog: IssueSlipDialog, fake: FakeSlips, answers: dict[str, list[str]]
) -> None:
    fake.issue_errors.append(MissingGlyphsError(("𠮷",)))
    dialog._issue.click()
    assert "𠮷（U+20BB7）" in answers["confirm"][0]
    assert [r.allow_missing_glyphs for r in fake.issued] == [False, True]
    assert dialog.result_ is not None


def test_issue_dialog_preview_shows_a_draft(dialog: IssueSlipDialog) -> None:
    dialog._draft.click()
    assert dialog._preview.page_count() == 1


def test_issue_dialog_never_shows_raw_exception_text(
    dialog: IssueSlipDialog, fake: FakeSlips
) -> None:
    fake.issue_errors.append(RuntimeError("Flowable <Table@0x7f00> too large on page 2"))
    dialog._issue.click()
    shown = dialog._errors.text()
    assert shown.startswith("未签发")
    assert "Table@" not in shown and "RuntimeError" not in shown and "Flowable" not in shown


def test_issue_dialog_rows_stay_together_on_a_tall_screen(
    qtbot: QtBot, dialog: IssueSlipDialog
) -> None:
    """At 1920×1040 the read-only rows (案件编号, 当事人…) were spread a line apart each."""
    from PySide6.QtWidgets import QLabel

    dialog.resize(1400, 1000)
    dialog.show()
    qtbot.waitExposed(dialog)
    page = dialog._scroll.widget()  # noqa: SLF001 (the form's page)
    assert page is not None
    rows = sorted({w.y() for w in page.findChildren(QLabel) if w.isVisible()})
    gaps = [b - a for a, b in zip(rows, rows[1:], strict=False)]
    line = dialog.fontMetrics().height()
    assert gaps and max(gaps) < 6 * line, gaps
