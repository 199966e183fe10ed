"""签发文书 dialog, opened from the case file: the kind's form, a draft preview, issue, print."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from services.domain.errors import ValidationError, ValidationErrors
from services.slips.dto import (
    IssueRequest,
    IssueResult,
    MissingGlyphsError,
    RenderedPdf,
    SlipForm,
    SlipKind,
)
from ui.guard import EditGuard
from ui.i18n import message
from ui.tasks import TaskRunner
from views.slips import prompts
from views.slips.api import SlipsApi
from views.slips.fields import FieldEditor
from views.slips.preview import PdfPreview
from views.slips.print_flow import SlipPrintFlow, error_text


class IssueSlipDialog(QDialog):
    """Issue one slip for a case (签发文书).

    Args:
        api: the slip service.
        tasks: the task runner.
        case_id: the case the slip is for.
        kind: the slip kind to start with (e.g. ``"assignment"`` from a 交办 button).

    Signals:
        slip_issued(object): the ``IssueResult`` once the slip is issued.
    """

    slip_issued = Signal(object)

    def __init__(
        self, api: SlipsApi, tasks: TaskRunner, case_id: str, *, kind: str | None = None,
        parent: QWidget | None = None, handler: str = "",
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self._handler = handler  # 受理人/经办人 when the form leaves it empty: who is at the desk
        self._api, self._tasks, self._case_id, self._start_kind = api, tasks, case_id, kind
        self._form: SlipForm | None = None
        self._editor: FieldEditor | None = None
        self.result_: IssueResult | None = None
        self._setup_ui()
        self._connect_signals()
        self._tasks.run(self._api.kinds, self._on_kinds_loaded, self._on_error)

    def _setup_ui(self) -> None:
        self.setWindowTitle(self.tr("签发文书"))
        self.resize(1100, 760)
        self._kind = QComboBox(self)
        self._grade = QComboBox(self)
        self._grade_label = QLabel(self.tr("颜色等级"), self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("文书种类"), self))
        top.addWidget(self._kind, 1)
        top.addWidget(self._grade_label)
        top.addWidget(self._grade)
        self._case = QLabel(self)
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._preview = PdfPreview(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._scroll)
        splitter.addWidget(self._preview)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self._errors = QLabel(self)
        self._errors.setWordWrap(True)
        self._errors.setStyleSheet("color:#C8161D")
        self._draft = QPushButton(self.tr("预览"), self)
        self._issue = QPushButton(self.tr("签发"), self)
        self._issue.setDefault(True)
        self._print = QPushButton(self.tr("打印"), self)
        self._print.setEnabled(False)
        self._close = QPushButton(self.tr("关闭"), self)
        buttons = QHBoxLayout()
        buttons.addWidget(self._errors, 1)
        for button in (self._draft, self._issue, self._print, self._close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self._case)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self._flow = SlipPrintFlow(self._api, self._tasks, self)

    def _connect_signals(self) -> None:
        self._kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self._draft.clicked.connect(self._on_draft_clicked)
        self._issue.clicked.connect(self._on_issue_clicked)
        self._print.clicked.connect(self._on_print_clicked)
        self._close.clicked.connect(self.reject)
        self._flow.message.connect(self._errors.setText)

    # --- the form --------------------------------------------------------------------------

    def _on_kinds_loaded(self, kinds: tuple[SlipKind, ...]) -> None:
        self._kind.blockSignals(True)
        for kind in kinds:
            self._kind.addItem(kind.title, kind.code)
        self._kind.blockSignals(False)
        index = self._kind.findData(self._start_kind) if self._start_kind else 0
        self._kind.setCurrentIndex(max(0, index))
        self._on_kind_current_index_changed(self._kind.currentIndex())

    def _on_kind_current_index_changed(self, _index: int) -> None:
        code = self._kind.currentData()
        if not code:
            return
        self._tasks.run(lambda: self._api.form(self._case_id, code), self._on_form_loaded,
                        self._on_error)  # fmt: skip

    def _on_form_loaded(self, form: SlipForm) -> None:
        self._form = form
        self._case.setText(self.tr("案件：%1　%2").replace("%1", form.case_code)
                           .replace("%2", form.case_title))  # fmt: skip
        self._grade.clear()
        for grade in form.kind.grades:
            self._grade.addItem(grade.label, grade.code)
        self._grade.setVisible(bool(form.kind.grades))
        self._grade_label.setVisible(bool(form.kind.grades))
        page = QWidget(self._scroll)
        outer = QVBoxLayout(page)  # rows keep their height; the room left over goes below them
        layout = QFormLayout()
        outer.addLayout(layout)
        outer.addStretch(1)
        self._editor = FieldEditor(form, layout, page)
        if (
            self._handler
            and "handler" in self._editor.values()
            and not self._editor.values()["handler"]
        ):
            self._editor.set_values({"handler": self._handler})
        self._scroll.setWidget(page)
        self._guard = EditGuard(page)
        self._tab_through_fields()
        self._errors.clear()
        self._preview.clear()

    def _tab_through_fields(self) -> None:
        """Tab goes kind → grade → each field → 预览/签发/打印/关闭 (the form is built last)."""
        page = self._scroll.widget()
        # Popups (calendar, completer) are windows of their own: Qt refuses a tab order across.
        fields = [w for w in page.findChildren(QWidget)
                  if w.focusPolicy() & Qt.FocusPolicy.TabFocus
                  and w.window() is self.window()] if page else []  # fmt: skip
        chain = [self._kind, self._grade, *fields, self._draft, self._issue, self._print,
                 self._close]  # fmt: skip
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    @property
    def editor(self) -> FieldEditor | None:
        return self._editor

    def has_unsaved_input(self) -> bool:
        """Typed into the form and not issued yet."""
        guard = getattr(self, "_guard", None)
        return self.result_ is None and guard is not None and guard.is_dirty()

    def reject(self) -> None:
        """Esc or 关闭 on a filled, unissued form asks before the input is thrown away."""
        if self.has_unsaved_input() and not self._guard.confirm_discard():
            return
        super().reject()

    def request(self, *, allow_missing_glyphs: bool = False) -> IssueRequest | None:
        """The form as an issue request (None until the form has loaded)."""
        if self._form is None or self._editor is None:
            return None
        grade = self._grade.currentData() if self._form.kind.grades else None
        return IssueRequest(self._case_id, self._form.kind.code, self._editor.values(),
                            grade=grade, allow_missing_glyphs=allow_missing_glyphs)  # fmt: skip

    # --- preview, issue, print -------------------------------------------------------------

    def _on_draft_clicked(self) -> None:
        request = self.request()
        if request is not None:
            self._tasks.run(lambda: self._api.draft(request), self._on_draft_done,
                            self._on_issue_error, pool="cpu")  # fmt: skip

    def _on_draft_done(self, rendered: RenderedPdf) -> None:
        self._preview.set_pdf(rendered.pdf)
        if self._editor is not None:
            self._editor.mark_invalid(())
        text = ""
        if rendered.missing_glyphs:
            listed = "、".join(f"{c}（U+{ord(c):04X}）" for c in rendered.missing_glyphs)
            text = self.tr("注意：本机没有能显示 %1 的字体，签发时将请您确认。").replace(
                "%1", listed
            )
        self._errors.setText("\n".join([text, *map(message, rendered.warnings)]).strip())

    def _on_issue_clicked(self, *, allow_missing_glyphs: bool = False) -> None:
        request = self.request(allow_missing_glyphs=allow_missing_glyphs)
        if request is None:
            return
        self._issue.setEnabled(False)
        self._tasks.run(lambda: self._api.issue(request), self._on_issued, self._on_issue_error)

    def _on_issued(self, result: IssueResult) -> None:
        self.result_ = result
        self._preview.set_pdf(result.rendered.pdf)
        if self._editor is not None:
            self._editor.mark_invalid(())
        self._errors.setStyleSheet("")
        self._errors.setText(self.tr("已签发：%1。可打印，也可稍后在文书台账中打印。")
                             .replace("%1", result.slip.number))  # fmt: skip
        self._kind.setEnabled(False)
        self._draft.setEnabled(False)
        self._print.setEnabled(True)
        self.slip_issued.emit(result)

    def _on_issue_error(self, exc: BaseException) -> None:
        self._issue.setEnabled(self.result_ is None)
        if isinstance(exc, MissingGlyphsError):
            question = message(exc.message) + "\n" + self.tr("仍要签发吗？缺字将以编码代替打印。")
            if prompts.confirm(self, self.tr("缺少字体"), question):
                self._on_issue_clicked(allow_missing_glyphs=True)
            return
        if isinstance(exc, ValidationErrors | ValidationError):
            errors = exc.errors if isinstance(exc, ValidationErrors) else (exc,)
            if self._editor is not None:
                self._editor.mark_invalid(e.field for e in errors)
            lines = [self.tr("未签发，请检查：")] + [message(e.message) for e in errors]
            self._errors.setText("\n".join(lines))
            return
        self._errors.setText(self.tr("未签发：") + error_text(exc))

    def _on_print_clicked(self) -> None:
        if self.result_ is not None:
            self._flow.print_slips([self.result_.slip.id])

    def _on_error(self, exc: BaseException) -> None:
        self._errors.setText(error_text(exc))
