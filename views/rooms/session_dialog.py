"""调解记录: record a session once it has started, or correct a record with a reason (更正)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from services.rooms.dto import MODES, OUTCOMES, BookingInfo, MediatorInfo, SessionInfo, SessionInput
from ui.i18n import vocab
from ui.tasks import TaskRunner
from views.rooms.api import RoomsApi
from views.rooms.dialogs import _Dialog, _qdate


class SessionDialog(_Dialog):
    """调解记录 of a booking: presiding mediator, co-mediators, recorder, mode, process, outcome.

    No outcome is chosen for the user: 达成 locks the case's mediation, so it must be picked.
    With ``current`` (a saved record) the dialog corrects it and asks for the reason.
    """

    def __init__(self, services: RoomsApi, runner: TaskRunner, booking: BookingInfo,
                 mediators: tuple[MediatorInfo, ...], parent: QWidget | None = None,
                 current: SessionInput | None = None, session_id: str = "") -> None:  # fmt: skip
        title = self.tr("更正调解记录") if current else self.tr("调解记录")
        super().__init__(title, services, runner, parent)
        self.booking, self.current, self.session_id = booking, current, session_id
        self.result_value: SessionInfo | None = None
        self.presiding = QComboBox()
        for m in mediators:
            self.presiding.addItem(m.name, m.id)
        lead = current.presiding_id if current else (booking.mediator_ids or ("",))[0]
        self.presiding.setCurrentIndex(max(0, self.presiding.findData(lead)))
        others = current.co_mediator_ids if current else booking.mediator_ids[1:]
        self.co = self._mediator_list(mediators, others)
        self.recorder = QLineEdit(current.recorder if current else "")
        names = current.attendees if current else booking.party_names
        self.attendees = QLineEdit("、".join(names))
        self.mode = QComboBox()
        for mode in MODES:  # stored in Chinese, shown in the interface language
            self.mode.addItem(vocab(mode), mode)
        self.process = QPlainTextEdit(current.process_text if current else "")
        self.outcome = QComboBox()
        for outcome in OUTCOMES:
            self.outcome.addItem(vocab(outcome), outcome)
        self.outcome.setPlaceholderText(self.tr("请选择调解结果"))
        self.outcome.setCurrentIndex(self.outcome.findData(current.outcome) if current else -1)
        if current:
            self.mode.setCurrentIndex(max(0, self.mode.findData(current.mode)))
        nxt = (current.next_session_at if current else None) or booking.start + dt.timedelta(7)
        self.next_at = QDateTimeEdit(QDateTime(_qdate(nxt.date()), QTime(nxt.hour, nxt.minute)))
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("更正的理由（记入更正记录）"))
        for label, widget in ((self.tr("案件"), QLabel(booking.case_code or booking.title)),
                              (self.tr("主持调解员"), self.presiding),
                              (self.tr("参与调解员"), self.co), (self.tr("记录人"), self.recorder),
                              (self.tr("参加人员"), self.attendees),
                              (self.tr("调解方式"), self.mode),
                              (self.tr("调解过程"), self.process),
                              (self.tr("调解结果"), self.outcome),
                              (self.tr("下次调解时间"), self.next_at)):  # fmt: skip
            self.form.addRow(label, widget)
        if current:
            self.form.addRow(self.tr("更正理由"), self.reason)

    def request(self) -> SessionInput:
        b = self.booking
        nxt = self.next_at.dateTime().toPython()
        assert isinstance(nxt, dt.datetime)
        attendees = tuple(a for a in self.attendees.text().replace(",", "、").split("、") if a)
        outcome = str(self.outcome.currentData() or "") if self.outcome.currentIndex() >= 0 else ""
        started = self.current.started_at if self.current else b.start
        ended = self.current.ended_at if self.current else b.end
        return SessionInput(
            case_id=b.case_id or "", started_at=started, ended_at=ended,
            presiding_id=str(self.presiding.currentData() or ""), mode=str(self.mode.currentData()),
            outcome=outcome, process_text=self.process.toPlainText(),
            booking_id=b.id, co_mediator_ids=self._checked(self.co),
            recorder=self.recorder.text().strip(), attendees=attendees, place=b.room_name,
            next_session_at=nxt if outcome == "继续调解" else None,
        )  # fmt: skip

    def _on_buttons_accepted(self) -> None:
        if self.outcome.currentIndex() < 0:
            self.error.setText(self.tr("请选择调解结果"))
            self.outcome.setFocus()
            return
        form, svc = self.request(), self.services
        if self.current is None:
            self.runner.run(lambda: svc.record_session(form), self._on_saved, self._on_error)
            return
        if not self.reason.text().strip():
            self.error.setText(self.tr("请填写更正理由"))
            self.reason.setFocus()
            return
        sid, why = self.session_id, self.reason.text()
        self.runner.run(lambda: svc.correct_session(sid, form, why), self._on_saved,
                        self._on_error)  # fmt: skip

    def _on_saved(self, info: SessionInfo) -> None:
        self.result_value = info
        self.accept()
