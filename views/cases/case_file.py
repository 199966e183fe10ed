"""The case file (案件详情): header, running clocks, timeline and the actions allowed now."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from services.domain.dto import ActionResult, CaseDetail, Changes
from services.domain.enums import payload_text
from services.domain.workflow import ACTION_LABELS, Action
from services.reference.data import Reference
from services.rooms.dto import CaseMediation
from services.setup.township import OrgInfo
from ui.i18n import QT_TRANSLATE_NOOP, message, vocab
from ui.tasks import TaskRunner
from views.cases.actions import ActionDialog
from views.cases.ledger_model import COLOUR_HEX, SUPERVISION_HEX
from views.cases.reveal_dialog import FIELDS as REVEAL_FIELDS
from views.cases.reveal_dialog import RevealDialog
from views.messages import error_text

MILESTONES = {
    "resolve": QT_TRANSLATE_NOOP("CaseFileView", "办结期限"),
    "sign": QT_TRANSLATE_NOOP("CaseFileView", "签收期限"),
    "mediation": QT_TRANSLATE_NOOP("CaseFileView", "人民调解期限"),
    "feedback_review": QT_TRANSLATE_NOOP("CaseFileView", "审核期限"),
    "evaluation": QT_TRANSLATE_NOOP("CaseFileView", "评价期限"),
    "revisit": QT_TRANSLATE_NOOP("CaseFileView", "回访期限"),
}
ROLES = {
    "applicant": QT_TRANSLATE_NOOP("CaseFileView", "申请人"),
    "respondent": QT_TRANSLATE_NOOP("CaseFileView", "被申请人"),
    "representative": QT_TRANSLATE_NOOP("CaseFileView", "代表"),
    "third_party": QT_TRANSLATE_NOOP("CaseFileView", "第三人"),
    "agent": QT_TRANSLATE_NOOP("CaseFileView", "代理人"),
}
PAYLOAD_KEYS = ("unit_name", "signer", "result", "opinion", "reason", "answer", "evaluation",
                "risk_colour", "basis", "risk_basis", "handling_level", "days", "approved",
                "outcome", "level", "closure_type", "mediator", "note", "due_date",
                "advised_channel", "co_units")  # fmt: skip


class CaseFileServices(Protocol):
    @property
    def reference(self) -> Reference: ...

    def get_case(self, case_id: str) -> CaseDetail: ...

    def perform(self, case_id: str, action: str, payload: dict[str, Any]) -> ActionResult: ...

    def units(self) -> tuple[OrgInfo, ...]: ...

    def reveal_person(self, person_id: str, field: str, reason: str) -> str: ...

    def may_reveal(self, field: str) -> bool: ...


def _badge(text: str, colour: str | None) -> str:
    style = f"background:{colour};" if colour else ""
    return f"<span style='{style}padding:2px 6px;'>&nbsp;{text}&nbsp;</span>"


class CaseFileView(QWidget):
    """One case: everything about it and what can be done next.

    Signals:
        changed(object): a :class:`Changes` after an action was recorded.
        slip_requested(str, str): (case id, slip kind or "") to open the slip dialog.
        booking_requested(str): case id, to book a mediation room for it.
        booking_opened(str, object): booking id and its start, to show it in the 调解室 screen.
    """

    changed = Signal(object)
    slip_requested = Signal(str, str)
    booking_requested = Signal(str)
    booking_opened = Signal(str, object)

    def __init__(self, services: CaseFileServices, runner: TaskRunner,
                 parent: QWidget | None = None,
                 mediation: Callable[[str], CaseMediation] | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._services = services
        self._runner = runner
        self._mediation = mediation
        self._case: CaseDetail | None = None
        self._units: tuple[OrgInfo, ...] = ()
        self.dialog: ActionDialog | None = None
        self._setup_ui()
        self._runner.run(self._services.units, self._set_units)

    def _setup_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.code = QLabel(self.tr("请在案件台账中打开一个案件"), self)
        self.code.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.badges = QLabel(self)
        self.badges.setTextFormat(Qt.TextFormat.RichText)
        info = QGroupBox(self.tr("基本情况"), self)
        grid = QGridLayout(info)
        self.summary = QLabel(info)
        self.summary.setWordWrap(True)
        self.parties = QLabel(info)
        self.parties.setWordWrap(True)
        self.revealed = QLabel(info)  # a full number shown on request (never kept on reload)
        self.revealed.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reveal_button = QPushButton(self.tr("查看完整号码…"), info)
        self.reveal_button.setEnabled(False)
        self.reveal_button.clicked.connect(self._on_reveal_clicked)
        self.reveal_dialog: RevealDialog | None = None
        self.clocks = QLabel(info)
        self.clocks.setTextFormat(Qt.TextFormat.RichText)
        self.notices = QLabel(info)
        self.notices.setStyleSheet("color: #E65100;")
        self.notices.setWordWrap(True)
        for row, (label, widget) in enumerate(((self.tr("诉求"), self.summary),
                                               (self.tr("当事人"), self.parties),
                                               (self.tr("时限"), self.clocks))):  # fmt: skip
            grid.addWidget(QLabel(label, info), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(widget, row, 1)
        grid.addWidget(self.reveal_button, 1, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.revealed, 3, 1)
        grid.addWidget(self.notices, 4, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        self.actions_box = QGroupBox(self.tr("可执行的操作"), self)
        self.actions_layout = QHBoxLayout(self.actions_box)
        self.slip_button = QPushButton(self.tr("签发文书…"), self)
        self.slip_button.setEnabled(False)
        self.slip_button.clicked.connect(self._on_slip_clicked)
        self.book_button = QPushButton(self.tr("预约调解…"), self)
        self.book_button.setEnabled(False)
        self.book_button.clicked.connect(self._on_book_clicked)
        self.timeline = QTreeWidget(self)
        self.timeline.setHeaderLabels([self.tr("时间"), self.tr("操作"), self.tr("经办"),
                                       self.tr("内容")])  # fmt: skip
        self.timeline.setRootIsDecorated(False)
        self.timeline.setColumnWidth(0, 150)
        self.timeline.setColumnWidth(1, 110)
        self.timeline.setColumnWidth(2, 90)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #C62828;")
        head = QHBoxLayout()
        head.addWidget(self.code)
        head.addStretch(1)
        head.addWidget(self.book_button)
        head.addWidget(self.slip_button)
        layout.addLayout(head)
        layout.addWidget(self.title)
        layout.addWidget(self.badges)
        layout.addWidget(info)
        layout.addWidget(self.actions_box)
        self.mediation = QTreeWidget(self)  # 调解: bookings, records, agreements (双击打开)
        self.mediation.setHeaderLabels([self.tr("调解"), self.tr("时间"), self.tr("情况")])
        self.mediation.setRootIsDecorated(False)
        self.mediation.setColumnWidth(0, 110)
        self.mediation.setColumnWidth(1, 150)
        self.mediation.setMaximumHeight(130)
        self.mediation.setVisible(self._mediation is not None)
        self.mediation.itemActivated.connect(self._on_mediation_item_activated)
        layout.addWidget(self.mediation)
        layout.addWidget(QLabel(self.tr("流转记录"), self))
        layout.addWidget(self.timeline, 1)
        layout.addWidget(self.error)

    def _set_units(self, units: tuple[OrgInfo, ...]) -> None:
        self._units = units

    @property
    def case(self) -> CaseDetail | None:
        return self._case

    def open_case(self, case_id: str) -> None:
        self.error.clear()
        self._runner.run(lambda: self._services.get_case(case_id), self.show_case,
                         self._on_load_failed)  # fmt: skip

    def _on_load_failed(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc))

    def show_case(self, case: CaseDetail) -> None:
        ref = self._services.reference
        self._case = case
        self.slip_button.setEnabled(True)
        self.revealed.clear()
        self.reveal_button.setEnabled(bool(case.parties) and bool(self._reveal_fields()))
        done = ("closed", "archived", "finished", "answered", "rejected", "voided")
        self.book_button.setEnabled(case.state not in done)
        self.code.setText(case.code)
        self.title.setText(case.title)
        colour = ref.name_of("colours", case.risk_colour)
        level = ref.name_of("handling_levels", case.handling_level)
        try:
            category = ref.qualified_name(case.category_code)
        except KeyError:
            category = case.category_code
        risk = self.tr("%1色风险").replace("%1", vocab(colour))
        parts = [
            _badge(vocab(case.state_label), "#E3F2FD"),
            _badge(risk, COLOUR_HEX.get(case.risk_colour)),
            _badge(vocab(level), None),
            _badge(category, None),
        ]
        if case.supervision_level != "none":
            name = ref.name_of("supervision_levels", case.supervision_level)
            parts.append(_badge(vocab(name), SUPERVISION_HEX.get(case.supervision_level)))
        if case.assignee_unit_name:
            parts.append(_badge(self.tr("承办：%1").replace("%1", case.assignee_unit_name), None))
        for co in case.co_units:
            status = (self.tr("已反馈") if co.fed_back_at else self.tr("已签收") if co.signed_at
                      else self.tr("待签收"))  # fmt: skip
            parts.append(_badge(self.tr("协办：%1（%2）").replace("%1", co.name)
                                .replace("%2", status), None))  # fmt: skip
        self.badges.setText(" ".join(parts))
        self.summary.setText(case.summary)
        self.parties.setText("；".join(
            f"{self.tr(ROLES.get(p.role, p.role))} {p.person.name} {p.person.id_number_masked} "
            f"{p.person.phone_masked}".strip() for p in case.parties))  # fmt: skip
        self.clocks.setText(self._clock_text(case))
        self.notices.setText("\n".join(message(n) for n in case.notices))
        self._fill_actions(case)
        self._fill_timeline(case)
        if self._mediation is not None:
            load, case_id = self._mediation, case.id
            self._runner.run(lambda: load(case_id), self._fill_mediation, self._on_load_failed)

    def _fill_mediation(self, file: CaseMediation) -> None:
        """Bookings, session records and agreements of the case; a row opens its booking."""
        self.mediation.clear()
        starts = {b.id: b.start for b in file.bookings}
        rows: list[tuple[str, str, str, str]] = []
        for b in file.bookings:
            text = f"{b.room_name} {vocab(b.status_label)} {'、'.join(b.mediator_names)}"
            rows.append((self.tr("预约"), f"{b.start:%Y-%m-%d} {b.time_text}", text, b.id))
        for s in file.sessions:
            name = self.tr("第%1次调解").replace("%1", str(s.seq))
            text = s.outcome + (self.tr("（已作废）") if s.voided else "") + f" {s.presiding_name}"
            rows.append((name, f"{s.started_at:%Y-%m-%d %H:%M}", text, s.booking_id or ""))
        booking_of = {s.id: s.booking_id or "" for s in file.sessions}
        for a in file.agreements:
            kind = self.tr("口头协议") if a.oral else self.tr("调解协议书")
            booking_id = booking_of.get(a.session_id, "")
            rows.append((kind, f"{a.agreed_on:%Y-%m-%d}", a.number, booking_id))
        for label, when, text, booking_id in rows:
            item = QTreeWidgetItem([label, when, text])
            item.setData(0, Qt.ItemDataRole.UserRole, booking_id)
            item.setData(1, Qt.ItemDataRole.UserRole, starts.get(booking_id))
            self.mediation.addTopLevelItem(item)

    def _on_mediation_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        booking_id = str(item.data(0, Qt.ItemDataRole.UserRole) or "")
        if booking_id:
            self.booking_opened.emit(booking_id, item.data(1, Qt.ItemDataRole.UserRole))

    def _clock_text(self, case: CaseDetail) -> str:
        if not case.clocks:
            return self.tr("无运行中的时限")
        lines = []
        for clock in case.clocks:
            days = clock.remaining_working_days
            left = (self.tr("已超期%1个工作日").replace("%1", str(-days)) if days < 0
                    else self.tr("剩余%1个工作日").replace("%1", str(days)))  # fmt: skip
            extra = self.tr("（计时暂停）") if clock.paused else ""
            extra += self.tr("（临时计算）") if clock.provisional else ""
            colour = "#C62828" if days < 0 else "#E65100" if days <= 1 else "#2E7D32"
            name = self.tr(MILESTONES.get(clock.milestone, clock.milestone))
            lines.append(f"{name} {clock.due_at:%Y-%m-%d %H:%M} "
                         f"<b style='color:{colour}'>{left}</b>{extra}")  # fmt: skip
        return "<br>".join(lines)

    def _fill_actions(self, case: CaseDetail) -> None:
        while self.actions_layout.count():
            item = self.actions_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for action in case.allowed_actions:
            button = QPushButton(vocab(ACTION_LABELS[Action(action)]), self.actions_box)
            button.setObjectName(f"action_{action}")
            button.clicked.connect(lambda _c=False, a=action: self.start_action(a))
            self.actions_layout.addWidget(button)
        self.actions_layout.addStretch(1)

    def _fill_timeline(self, case: CaseDetail) -> None:
        self.timeline.clear()
        for entry in case.timeline:
            details = "；".join(vocab(payload_text(k, v)) for k, v in entry.payload.items()
                               if k in PAYLOAD_KEYS and v not in ("", None))  # fmt: skip
            if entry.conflict:
                details = self.tr("【冲突，未计入】%1 ").replace("%1", entry.conflict) + details
            elif entry.partly:
                details = self.tr("【部分未计入】%1 ").replace("%1", entry.partly) + details
            item = QTreeWidgetItem([f"{entry.at:%Y-%m-%d %H:%M}", vocab(entry.action_label),
                                    entry.actor or "", details])  # fmt: skip
            item.setToolTip(3, details)
            self.timeline.addTopLevelItem(item)

    def action_button(self, action: str) -> QPushButton | None:
        return self.actions_box.findChild(QPushButton, f"action_{action}")

    def start_action(self, action: str) -> ActionDialog | None:
        """Open the small form for ``action`` (non-modal ``open()``; returns it for tests)."""
        if self._case is None:
            return None
        units = self._units
        if action in ("co_sign", "co_feedback"):  # only the case's own assisting units
            co = {
                u.unit_id
                for u in self._case.co_units
                if (u.signed_at is None) == (action == "co_sign") and u.fed_back_at is None
            }
            units = tuple(u for u in self._units if u.id in co)  # fmt: skip
        dialog = ActionDialog(Action(action), units, self._case.state, self)
        case_id = self._case.id

        def submit(payload: dict[str, Any]) -> None:
            self._runner.run(lambda: self._services.perform(case_id, action, payload),
                             lambda result: self._on_performed(dialog, result),
                             dialog.show_error)  # fmt: skip

        dialog.submitted.connect(submit)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _on_performed(self, dialog: ActionDialog, result: ActionResult) -> None:
        dialog.accept()
        self.show_case(result.case)
        self.changed.emit(result.changes)

    def _reveal_fields(self) -> tuple[str, ...]:
        return tuple(f for f, _ in REVEAL_FIELDS if self._services.may_reveal(f))

    def _on_reveal_clicked(self) -> None:
        """Ask which number and why; the service checks the permission and audits it."""
        if self._case is None:
            return
        dialog = RevealDialog(tuple(p for p in self._case.parties), self._reveal_fields(), self)
        self.reveal_dialog = dialog
        dialog.accepted.connect(lambda: self._reveal(dialog.choice()))
        dialog.open()

    def _reveal(self, choice: tuple[str, str, str]) -> None:
        if self._case is None:
            return
        person_id, field, reason = choice
        name = next((p.person.name for p in self._case.parties if p.person.id == person_id), "")
        label = self.tr("证件号码") if field == "id_number" else self.tr("联系电话")

        def shown(value: str) -> None:
            self.revealed.setText(self.tr("%1的%2：%3").replace("%1", name)
                                  .replace("%2", label)
                                  .replace("%3", value or self.tr("（未登记）")))  # fmt: skip

        self._runner.run(lambda: self._services.reveal_person(person_id, field, reason), shown,
                         self._on_load_failed)  # fmt: skip

    def _on_book_clicked(self) -> None:
        if self._case is not None:
            self.booking_requested.emit(self._case.id)

    def _on_slip_clicked(self) -> None:
        if self._case is not None:
            self.slip_requested.emit(self._case.id, "")

    def on_changes(self, changes: Changes) -> None:
        if self._case is not None and self._case.id in changes.case_ids:
            self.open_case(self._case.id)
