"""Dialogs of the 调解室 screen: booking (预约), session record (调解记录), agreement (协议书)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from services.rooms.dto import (
    AgreementDocument,
    AgreementInput,
    BookingInput,
    BookingProposal,
    BookingResult,
    MediatorInfo,
    RoomInfo,
    SeriesInput,
    SeriesResult,
)
from ui.dates import DateEdit, weekday_names
from ui.tasks import TaskRunner
from views.messages import error_text
from views.rooms.api import RoomsApi


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _date(edit: QDateEdit) -> dt.date:
    day = edit.date().toPython()
    assert isinstance(day, dt.date)
    return day


def _time(edit: QTimeEdit) -> dt.time:
    t = edit.time().toPython()
    assert isinstance(t, dt.time)
    return t


class _Dialog(QDialog):
    """Common parts: a form, an error line, OK/Cancel; saving goes through the task runner."""

    def __init__(self, title: str, services: RoomsApi, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c0392b")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)  # fmt: skip
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

    def _on_buttons_accepted(self) -> None:
        raise NotImplementedError

    def _on_error(self, exc: BaseException) -> None:
        self.error.setText(error_text(exc))

    def _mediator_list(self, mediators: tuple[MediatorInfo, ...],
                       checked: tuple[str, ...]) -> QListWidget:  # fmt: skip
        box = QListWidget()
        for m in mediators:
            item = QListWidgetItem(m.name + (self.tr("（外聘）") if m.kind == "external" else ""))
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            item.setCheckState(Qt.CheckState.Checked if m.id in checked
                               else Qt.CheckState.Unchecked)  # fmt: skip
            box.addItem(item)
        box.setMaximumHeight(90)
        return box

    @staticmethod
    def _checked(box: QListWidget) -> tuple[str, ...]:
        return tuple(str(box.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(box.count())
                     if box.item(i).checkState() == Qt.CheckState.Checked)  # fmt: skip


def default_start(day: dt.date, now: dt.datetime) -> dt.datetime:
    """09:00 on ``day``, or the next half hour from now when that is already past."""
    start = dt.datetime.combine(day, dt.time(9))
    if start >= now:
        return start
    later = now.replace(second=0, microsecond=0) + dt.timedelta(minutes=30 - now.minute % 30)
    if later.time() > dt.time(17):  # after office hours: tomorrow morning
        return dt.datetime.combine(later.date() + dt.timedelta(days=1), dt.time(9))
    return later


class BookingDialog(_Dialog):
    """New booking (新建预约), optionally for a case (parties pulled in, mediator proposed)."""

    def __init__(self, services: RoomsApi, runner: TaskRunner, rooms: tuple[RoomInfo, ...],
                 mediators: tuple[MediatorInfo, ...], start: dt.datetime, room_id: str = "",
                 proposal: BookingProposal | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(self.tr("预约调解室"), services, runner, parent)
        self.proposal = proposal
        self.result_value: BookingResult | None = None
        self.room = QComboBox()
        for r in rooms:
            self.room.addItem(
                self.tr("%1（%2人）").replace("%1", r.name).replace("%2", str(r.capacity)), r.id
            )
        if room_id:
            self.room.setCurrentIndex(max(0, self.room.findData(room_id)))
        # Typed dates (12-08, 12月8日…); a day more than a year away asks first (a stray ↑ in a
        # QDateEdit once booked 2029-12-04).
        self.day = DateEdit(default=start.date())
        self.start = QTimeEdit(QTime(start.hour, start.minute))
        end = start + dt.timedelta(hours=1)
        self.end = QTimeEdit(QTime(end.hour, end.minute))
        self.title = QLineEdit(proposal.title if proposal else "")
        self.mediators = self._mediator_list(mediators, proposal.mediator_ids if proposal else ())
        self.form.addRow(self.tr("调解室"), self.room)
        self.form.addRow(self.tr("日期"), self.day)
        self.form.addRow(self.tr("开始"), self.start)
        self.form.addRow(self.tr("结束"), self.end)
        self.form.addRow(self.tr("事由"), self.title)
        self.form.addRow(self.tr("调解员"), self.mediators)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("如：请带上宅基地证（显示在日程和提示中）"))
        self.form.addRow(self.tr("备注"), self.note)
        self.series_value: SeriesResult | None = None
        self.repeat = QCheckBox(self.tr("每周重复（如律师每周值班）"))
        self.until = QDateEdit(_qdate(start.date() + dt.timedelta(weeks=8)))
        self.until.setCalendarPopup(True)
        self.until.setEnabled(False)
        self.count = QSpinBox()  # 重复次数; 0 = up to 重复至
        self.count.setRange(0, 53)
        self.count.setSpecialValueText(self.tr("按结束日期"))
        self.count.setSuffix(self.tr(" 次"))
        self.count.setEnabled(False)
        self.repeat.toggled.connect(self.until.setEnabled)
        self.repeat.toggled.connect(self.count.setEnabled)
        if proposal is not None:
            self.form.addRow(self.tr("当事人"), QLabel("、".join(proposal.party_names)))
            if proposal.due_at is not None:
                self.form.addRow(self.tr("办理期限"), QLabel(f"{proposal.due_at:%Y-%m-%d %H:%M}"))
        else:  # a weekly series has no parties, so it is offered only without a case
            self.form.addRow("", self.repeat)
            self.form.addRow(self.tr("重复至"), self.until)
            self.form.addRow(self.tr("重复次数"), self.count)

    def request(self) -> BookingInput:
        day = self.day.date()
        assert day is not None
        start, end = self.start.time().toPython(), self.end.time().toPython()
        assert isinstance(start, dt.time) and isinstance(end, dt.time)
        p = self.proposal
        return BookingInput(str(self.room.currentData()), dt.datetime.combine(day, start),
                            dt.datetime.combine(day, end), self.title.text().strip(),
                            p.case_id if p else None, self._checked(self.mediators),
                            p.person_ids if p else None, self.note.text())  # fmt: skip

    def series_request(self) -> SeriesInput:
        """The weekly series (每周重复) on the chosen day's weekday, up to 重复至 or N times."""
        day = self.day.date()
        assert day is not None
        return SeriesInput(str(self.room.currentData()), self.title.text().strip(),
                           day.isoweekday(), _time(self.start), _time(self.end), day,
                           _date(self.until), self._checked(self.mediators), self.note.text(),
                           self.count.value() or None)  # fmt: skip

    def _on_buttons_accepted(self) -> None:
        if self.repeat.isChecked() and self.proposal is None:
            series = self.series_request()
            self.runner.run(lambda: self.services.add_series(series), self._on_series_saved,
                            self._on_error)  # fmt: skip
            return
        form = self.request()
        self.runner.run(lambda: self.services.book(form), self._on_booked, self._on_error)

    def _on_series_saved(self, result: SeriesResult) -> None:
        self.series_value = result
        self.accept()

    def _on_booked(self, result: BookingResult) -> None:
        self.result_value = result
        self.accept()


class SeriesDialog(_Dialog):
    """修改整个系列: edits every attached occurrence; those changed on their own are kept."""

    def __init__(self, services: RoomsApi, runner: TaskRunner, rooms: tuple[RoomInfo, ...],
                 mediators: tuple[MediatorInfo, ...], series_id: str, current: SeriesInput,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(self.tr("修改整个系列"), services, runner, parent)
        self.series_id = series_id
        self.result_value: SeriesResult | None = None
        self.room = QComboBox()
        for r in rooms:
            self.room.addItem(
                self.tr("%1（%2人）").replace("%1", r.name).replace("%2", str(r.capacity)), r.id
            )
        self.room.setCurrentIndex(max(0, self.room.findData(current.room_id)))
        self.weekday = QComboBox()
        for day, name in enumerate(weekday_names(), start=1):
            self.weekday.addItem(name, day)
        self.weekday.setCurrentIndex(current.weekday - 1)
        self.start = QTimeEdit(QTime(current.start_time.hour, current.start_time.minute))
        self.end = QTimeEdit(QTime(current.end_time.hour, current.end_time.minute))
        self.first = QDateEdit(_qdate(current.first_date))
        self.until = QDateEdit(_qdate(current.until_date))
        for edit in (self.first, self.until):
            edit.setCalendarPopup(True)
        self.title = QLineEdit(current.title)
        self.mediators = self._mediator_list(mediators, current.mediator_ids)
        self.note = current.note
        for label, widget in ((self.tr("调解室"), self.room), (self.tr("每周"), self.weekday),
                              (self.tr("开始"), self.start), (self.tr("结束"), self.end),
                              (self.tr("起始日期"), self.first), (self.tr("重复至"), self.until),
                              (self.tr("事由"), self.title),
                              (self.tr("调解员"), self.mediators)):  # fmt: skip
            self.form.addRow(label, widget)
        hint = QLabel(self.tr("单独调整或取消过的日期（例外）保持不变；已过去的日期不改。"))
        hint.setWordWrap(True)
        self.form.addRow("", hint)

    def request(self) -> SeriesInput:
        return SeriesInput(str(self.room.currentData()), self.title.text().strip(),
                           int(self.weekday.currentData()), _time(self.start), _time(self.end),
                           _date(self.first), _date(self.until), self._checked(self.mediators),
                           self.note)  # fmt: skip

    def _on_buttons_accepted(self) -> None:
        form, series_id = self.request(), self.series_id
        self.runner.run(lambda: self.services.edit_series(series_id, form), self._on_saved,
                        self._on_error)  # fmt: skip

    def _on_saved(self, result: SeriesResult) -> None:
        self.result_value = result
        self.accept()


class AgreementDialog(_Dialog):
    """人民调解协议书 (or 口头协议) after a session with outcome 达成."""

    def __init__(self, services: RoomsApi, runner: TaskRunner, session_id: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(self.tr("人民调解协议书"), services, runner, parent)
        self.session_id = session_id
        self.result_value: AgreementDocument | None = None
        self.facts = QPlainTextEdit()
        self.terms = QPlainTextEdit()
        self.terms.setPlaceholderText(self.tr("每行一条协议内容"))
        self.performance = QLineEdit()
        self.oral = QCheckBox(self.tr("口头协议（登记备查，不出具协议书）"))
        self.form.addRow(self.tr("纠纷主要事实、争议事项"), self.facts)
        self.form.addRow(self.tr("协议内容"), self.terms)
        self.form.addRow(self.tr("履行方式、时限"), self.performance)
        self.form.addRow("", self.oral)

    def request(self) -> AgreementInput:
        terms = tuple(t.strip() for t in self.terms.toPlainText().splitlines() if t.strip())
        return AgreementInput(self.session_id, self.facts.toPlainText(), terms,
                              self.performance.text(),
                              "oral" if self.oral.isChecked() else "written")  # fmt: skip

    def _on_buttons_accepted(self) -> None:
        form = self.request()
        self.runner.run(lambda: self.services.record_agreement(form), self._on_saved,
                        self._on_error)  # fmt: skip

    def _on_saved(self, doc: AgreementDocument) -> None:
        self.result_value = doc
        self.accept()
