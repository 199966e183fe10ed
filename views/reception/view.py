"""The reception screen (接待登记): form, person matching, save, and the case code shown large."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from services.domain.dto import (
    Changes,
    IdentityConflict,
    PersonCandidate,
    RegistrationResult,
    WalkInInput,
)
from services.domain.errors import (
    IdentityConflictError,
    ServiceError,
    StoreBusyError,
    ValidationError,
    ValidationErrors,
)
from services.reference.data import Reference
from services.setup.township import OrgInfo
from ui.i18n import message
from ui.tasks import TaskRunner
from views.messages import error_text
from views.reception.candidates import CandidatePanel
from views.reception.conflict import FIX, RENAME, IdentityConflictDialog
from views.reception.form import WalkInForm

log = logging.getLogger(__name__)

MATCH_DELAY_MS = 250


class ReceptionServices(Protocol):
    """What the reception screen needs from the services."""

    @property
    def reference(self) -> Reference: ...

    def register_walk_in(self, form: WalkInInput) -> RegistrationResult: ...

    def find_people(
        self, *, id_number: str = "", phone: str = "", name: str = ""
    ) -> tuple[PersonCandidate, ...]: ...

    def visit_defaults(self, person_id: str) -> tuple[str, str]: ...

    def villages(self) -> tuple[OrgInfo, ...]: ...


class ReceptionView(QWidget):
    """Walk-in registration for the reception clerk.

    Signals:
        changed(object): a :class:`Changes` after a registration was saved.
        case_opened(str): the clerk asked to open the case file of this case id.
        receipt_requested(str): print the receipt (受理回执) of this case id.
    """

    changed = Signal(object)
    case_opened = Signal(str)
    receipt_requested = Signal(str)

    def __init__(self, services: ReceptionServices, runner: TaskRunner,
                 parent: QWidget | None = None,
                 today: Callable[[], Sequence[Any]] | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._services = services
        self._today = today
        self._runner = runner
        self._attach: tuple[str, str] | None = None
        self._last: RegistrationResult | None = None
        self._saving = False
        self._renames: dict[int, tuple[str, str]] = {}  # party index -> (person id, reason)
        self._setup_ui()
        self._connect_signals()
        self._runner.run(self._services.villages, self.form.set_villages, self._on_load_failed)

    def _setup_ui(self) -> None:
        layout = QHBoxLayout(self)
        left = QVBoxLayout()
        self.result = QLabel(self)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setFrameShape(QFrame.Shape.StyledPanel)
        self.result.setStyleSheet("background: #E8F5E9; padding: 8px;")
        self.result.hide()
        self.attach_banner = QLabel(self)
        self.attach_banner.setStyleSheet("background: #FFF8E1; padding: 6px;")
        self.attach_banner.hide()
        self.form = WalkInForm(self._services.reference, self)
        scroll = QScrollArea(self)
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("保存登记 (Ctrl+S)"), self)
        self.clear_button = QPushButton(self.tr("清空 (Esc)"), self)
        self.receipt_button = QPushButton(self.tr("打印回执 (Ctrl+P)"), self)
        self.receipt_button.setEnabled(False)
        self.open_button = QPushButton(self.tr("打开案件 (Ctrl+O)"), self)
        self.open_button.setEnabled(False)
        for button in (self.save_button, self.clear_button, self.receipt_button, self.open_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            buttons.addWidget(button)
        buttons.addStretch(1)
        left.addWidget(self.result)
        left.addWidget(self.attach_banner)
        left.addWidget(scroll, 1)
        left.addLayout(buttons)
        self.candidates = CandidatePanel(self)
        right = QVBoxLayout()
        right.addWidget(self.candidates, 3)
        self.today_title = QLabel(self.tr("今日调解"), self)
        self.today_list = QListWidget(self)
        right.addWidget(self.today_title)
        right.addWidget(self.today_list, 1)
        holder = QWidget(self)
        holder.setLayout(right)
        holder.setFixedWidth(340)
        layout.addLayout(left, 1)
        layout.addWidget(holder)
        self._today_timer = QTimer(self)
        self._today_timer.setInterval(60_000)
        self._match_timer = QTimer(self)
        self._match_timer.setSingleShot(True)
        self._match_timer.setInterval(MATCH_DELAY_MS)
        self._lookup = ("", "", "")

    def _connect_signals(self) -> None:
        self.form.submit_requested.connect(self.save)
        self.form.lookup_changed.connect(self._on_form_lookup_changed)
        self._match_timer.timeout.connect(self._on_match_timer_timeout)
        self._today_timer.timeout.connect(self.refresh_today)
        if self._today is not None:
            self._today_timer.start()
            self.refresh_today()
        else:
            self.today_title.hide()
            self.today_list.hide()
        self.save_button.clicked.connect(self.save)
        self.clear_button.clicked.connect(self.confirm_clear)
        self.receipt_button.clicked.connect(self._on_receipt_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.candidates.person_chosen.connect(self._on_candidates_person_chosen)
        self.candidates.case_chosen.connect(self._on_candidates_case_chosen)
        for keys, slot in (("Ctrl+S", self.save), ("Ctrl+Return", self.save),
                           ("Escape", self.confirm_clear), ("F3", self.candidates.focus_list),
                           ("F4", self._attach_first_case), ("Ctrl+P", self._on_receipt_clicked),
                           ("Ctrl+O", self._on_open_clicked)):  # fmt: skip
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

    # --- matching
    def _on_form_lookup_changed(self, id_number: str, phone: str, name: str) -> None:
        self._renames.clear()  # a confirmed change of name was for what was typed then
        self._lookup = (id_number, phone, name)
        self._match_timer.start()

    def _on_match_timer_timeout(self) -> None:
        id_number, phone, name = self._lookup
        if not (id_number.strip() or phone.strip() or name.strip()):
            self.candidates.show_candidates(())
            return
        self._runner.run(
            lambda: self._services.find_people(id_number=id_number, phone=phone, name=name),
            self.candidates.show_candidates,
            self._on_load_failed,
        )

    def _on_candidates_person_chosen(self, person_id: str, name: str) -> None:
        self.form.use_person(person_id, name)
        self.form.id_number.setFocus()
        self._runner.run(lambda: self._services.visit_defaults(person_id),
                         lambda found: self.form.use_defaults(person_id, *found),
                         self._on_load_failed)  # fmt: skip

    def _on_candidates_case_chosen(self, case_id: str, code: str) -> None:
        self._attach = (case_id, code)
        text = self.tr("本次来访将作为重复来访关联到案件 %1，不新建案件（Esc 取消关联）")
        self.attach_banner.setText(text.replace("%1", code))
        self.attach_banner.show()
        self.form.summary.setFocus()

    def _attach_first_case(self) -> None:
        first = self.candidates.first_open_case()
        if first is not None:
            self._on_candidates_case_chosen(*first)

    # --- saving
    def save(self) -> None:
        if self._saving:
            return
        try:
            form = self.form.build(self._attach[0] if self._attach else None)
        except ValidationError as exc:
            self.form.show_errors((exc,))
            return
        if self._renames:
            form = self._with_renames(form)
        self._saving = True
        self.save_button.setEnabled(False)
        self._runner.run(lambda: self._services.register_walk_in(form), self._on_saved,
                         self._on_save_failed)  # fmt: skip

    def _with_renames(self, form: WalkInInput) -> WalkInInput:
        parties = list(form.parties)
        for index, (person_id, reason) in self._renames.items():
            if index < len(parties):
                parties[index] = dataclasses.replace(
                    parties[index], person_id=person_id, rename_reason=reason
                )
        return dataclasses.replace(form, parties=tuple(parties))

    def _ask_about(self, conflict: IdentityConflict) -> tuple[str | None, str]:
        dialog = IdentityConflictDialog(conflict, self)
        dialog.exec()
        return dialog.choice, dialog.reason

    def _resolve_conflicts(self, conflicts: Sequence[IdentityConflict]) -> None:
        """Each conflict in a dialog: 修改号码 marks the number, 确认更名 saves again with the
        reason; cancelling keeps the form as it is."""
        for conflict in conflicts:
            choice, reason = self._ask_about(conflict)
            if choice == FIX:
                field = f"parties[{conflict.party_index}].id_number"
                self.form.show_errors((ValidationError(field, "person.identity_conflict",
                                                       conflict.message),))  # fmt: skip
                return
            if choice != RENAME:
                return
            self._renames[conflict.party_index] = (conflict.person_id, reason)
        self.save()

    def _on_saved(self, result: RegistrationResult) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self._last = result
        title = self.tr("已登记，案件编号") if result.is_new_case else self.tr("已关联到案件")
        notices = "<br>".join(message(n) for n in result.notices)
        self.result.setText(
            f"<div>{title}</div><div style='font-size:28pt;font-weight:bold;'>"
            f"{result.case_code}</div><div>{notices}</div>"
        )
        self.result.show()
        self.receipt_button.setEnabled(True)
        self.open_button.setEnabled(True)
        self._reset_form()
        self.changed.emit(result.changes)

    def _on_save_failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, IdentityConflictError):
            self._resolve_conflicts(exc.conflicts)
        elif isinstance(exc, ValidationErrors):
            self.form.show_errors(exc.errors)
        elif isinstance(exc, ValidationError):
            self.form.show_errors((exc,))
        elif isinstance(exc, StoreBusyError):
            text = self.tr("数据库正被其他程序占用，登记内容未丢失，请稍后再按保存。")
            QMessageBox.warning(self, self.tr("数据库繁忙"), text)
        elif isinstance(exc, ServiceError):
            QMessageBox.warning(self, self.tr("无法保存"), error_text(exc))
        else:
            QMessageBox.critical(self, self.tr("无法保存"),
                                 self.tr("保存时出现意外错误，登记内容仍在表单中：%1").replace(
                                     "%1", str(exc)))  # fmt: skip

    def _on_load_failed(self, exc: BaseException) -> None:
        why = error_text(exc)
        self.candidates.title.setText(self.tr("查询失败：%1").replace("%1", why))

    def _reset_form(self) -> None:
        self.form.clear()
        self._renames.clear()
        self._attach = None
        self.attach_banner.hide()
        self.candidates.show_candidates(())

    def confirm_clear(self) -> None:
        if self._attach is not None and not self.form.has_input():
            self._attach = None
            self.attach_banner.hide()
            return
        if not self.form.has_input():
            return
        answer = QMessageBox.question(self, self.tr("清空表单"),
                                      self.tr("确定清空当前填写的内容吗？"))  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self._reset_form()

    def _on_receipt_clicked(self) -> None:
        if self._last is not None:
            self.receipt_requested.emit(self._last.case_id)

    def _on_open_clicked(self) -> None:
        if self._last is not None:
            self.case_opened.emit(self._last.case_id)

    def refresh_today(self) -> None:
        """The next mediation sessions today (from the rooms service)."""
        if self._today is not None:
            self._runner.run(self._today, self._show_today, self._on_today_failed)

    def _on_today_failed(self, exc: BaseException) -> None:
        log.warning("today's mediation sessions could not be read", exc_info=exc)
        self.today_list.clear()
        self.today_list.addItem(self.tr("今日调解安排暂时无法读取，详情见日志"))

    def _show_today(self, items: Sequence[Any]) -> None:
        self.today_list.clear()
        for b in items:
            parties = "、".join(b.party_names)
            self.today_list.addItem(f"{b.start:%H:%M}-{b.end:%H:%M} {b.room_name} {parties}"
                                    f"（{b.status_label}）")  # fmt: skip
        if not items:
            self.today_list.addItem(self.tr("今天没有待进行的调解"))

    def on_changes(self, changes: Changes) -> None:
        """Another screen changed data; the form itself has nothing to reload."""
        if changes.reference:
            self._runner.run(self._services.villages, self.form.set_villages)
