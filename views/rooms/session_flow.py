"""The 调解室 screen's record actions: record, correct or void a session, then the agreement.

Kept apart from :mod:`views.rooms.view` so the screen stays a layout; the flow talks to the
screen through the few callables it is given.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QWidget

from services.rooms.dto import (
    AgreementDocument,
    BookingInfo,
    CaseMediation,
    MediatorInfo,
    SessionInfo,
    SessionInput,
)
from ui.i18n import messages
from ui.tasks import TaskRunner
from views.rooms.api import RoomsApi
from views.rooms.dialogs import AgreementDialog
from views.rooms.session_dialog import SessionDialog

Status = Callable[[str], None]


class SessionFlow(QObject):
    """Record (调解记录), correct (更正) and void (作废) sessions of the selected booking.

    Args:
        screen: the rooms screen (parent of the dialogs; it provides ``dialog_factory``,
            ``confirm``, ``pdf_sink``, ``mediators``, ``saved`` and ``show_status``).
    """

    def __init__(self, screen: QWidget, services: RoomsApi, runner: TaskRunner) -> None:
        super().__init__(screen)
        self.screen, self.services, self.runner = screen, services, runner
        self.ask_text: Callable[[str], str] = self._ask_text

    # --- helpers of the screen ------------------------------------------------------------

    def _status(self, text: str) -> None:
        self.screen.show_status(text)  # type: ignore[attr-defined]

    def _error(self, exc: BaseException) -> None:
        self.screen._on_error(exc)  # type: ignore[attr-defined]

    def _exec(self, dialog: QWidget) -> int:
        return int(self.screen.dialog_factory(dialog))  # type: ignore[attr-defined]

    def _mediators(self) -> tuple[MediatorInfo, ...]:
        return tuple(self.screen.mediators)  # type: ignore[attr-defined]

    def _ask_text(self, label: str) -> str:
        text, ok = QInputDialog.getText(self.screen, self.tr("作废调解记录"), label)
        return text if ok else ""

    def _with_record(self, b: BookingInfo, then: Callable[[SessionInfo | None], None]) -> None:
        """Find the live record of booking ``b`` (if any) and continue with it."""
        case_id = b.case_id or ""

        def found(file: CaseMediation) -> None:
            live = [s for s in file.sessions if s.booking_id == b.id and not s.voided]
            then(live[-1] if live else None)

        self.runner.run(lambda: self.services.case_mediation(case_id), found, self._error)

    # --- record / correct -----------------------------------------------------------------

    def record(self, b: BookingInfo) -> None:
        """New record, or the correction form when the booking already has one."""
        if not b.case_id:
            return
        self._with_record(b, lambda s: self._open(b, s))

    def _open(self, b: BookingInfo, s: SessionInfo | None) -> None:
        if s is None:
            self._show(b, None, "")
            return
        sid = s.id
        self.runner.run(lambda: self.services.session_form(sid),
                        lambda form: self._show(b, form, sid), self._error)  # fmt: skip

    def _show(self, b: BookingInfo, current: SessionInput | None, sid: str) -> None:
        dialog = SessionDialog(self.services, self.runner, b, self._mediators(), self.screen,
                               current, sid)  # fmt: skip
        if self._exec(dialog) and dialog.result_value is not None:
            self._saved(dialog.result_value, corrected=current is not None)

    def _saved(self, info: SessionInfo, corrected: bool) -> None:
        text = (self.tr("调解记录已更正（第%1次）") if corrected
                else self.tr("调解记录已保存（第%1次）")).replace("%1", str(info.seq))  # fmt: skip
        self._status(messages([text, *info.warnings]))
        self.screen.saved(info.changes)  # type: ignore[attr-defined]
        if info.outcome != "达成" or corrected:
            return
        if self.screen.confirm(self.tr("调解结果为“达成”。现在制作人民调解协议书吗？")):  # type: ignore[attr-defined]
            self.agreement_for(info.id)

    # --- void -----------------------------------------------------------------------------

    def void(self, b: BookingInfo) -> None:
        """作废 the booking's record (the service refuses anyone but a director)."""
        if b.case_id:
            self._with_record(b, self._void)

    def _void(self, s: SessionInfo | None) -> None:
        if s is None:
            self._status(self.tr("这次预约还没有调解记录"))
            return
        reason = self.ask_text(self.tr("作废第%1次调解记录的理由：").replace("%1", str(s.seq)))
        if not reason.strip():
            return
        sid = s.id
        self.runner.run(lambda: self.services.void_session(sid, reason), self._voided,
                        self._error)  # fmt: skip

    def _voided(self, info: SessionInfo) -> None:
        self._status(self.tr("第%1次调解记录已作废").replace("%1", str(info.seq)))
        self.screen.saved(info.changes)  # type: ignore[attr-defined]

    # --- agreement ------------------------------------------------------------------------

    def agreement(self, b: BookingInfo) -> None:
        """The agreement of the booking's case: printed again (补打) when it was already made,
        else made from the case's live session with outcome 达成."""
        if not b.case_id:
            return
        case_id = b.case_id
        self.runner.run(lambda: self.services.case_mediation(case_id), self._on_file,
                        self._error)  # fmt: skip

    def _on_file(self, file: CaseMediation) -> None:
        reached = [s for s in file.sessions if s.outcome == "达成" and not s.voided]
        if not reached:
            self._status(self.tr("调解结果为“达成”后才能制作调解协议书"))
            return
        made = [a for a in file.agreements if a.session_id == reached[-1].id]
        if made and made[-1].oral:
            self._status(self.tr("口头协议已登记：%1").replace("%1", made[-1].number))
        elif made:
            self._print(made[-1].id)
        else:
            self.agreement_for(reached[-1].id)

    def agreement_for(self, session_id: str) -> None:
        dialog = AgreementDialog(self.services, self.runner, session_id, self.screen)
        if self._exec(dialog) and dialog.result_value is not None:
            self._agreed(dialog.result_value)

    def _agreed(self, doc: AgreementDocument) -> None:
        self.screen.saved(doc.changes)  # type: ignore[attr-defined]
        if doc.oral:
            self._status(self.tr("口头协议已登记：%1").replace("%1", doc.number))
            return
        self._print(doc.id)

    def _print(self, agreement_id: str) -> None:
        printer = self.screen.printer  # type: ignore[attr-defined]
        printer.print_job(lambda: self.services.agreement_print(agreement_id))
