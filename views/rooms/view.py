"""调解室 screen: the day/week calendar, booking actions, tomorrow's reminders and follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from services.domain.dto import Changes
from services.rooms.dto import (
    AttentionItem,
    BookingInfo,
    BookingResult,
    BookingsResult,
    MediatorInfo,
    ReminderItem,
    RoomInfo,
    SeriesInput,
    SeriesResult,
)
from ui.i18n import messages
from ui.pdfprint import PdfDoc, PdfOutput, PrintOutcome
from ui.tasks import TaskRunner
from views.messages import error_text
from views.rooms.api import RoomsApi
from views.rooms.attention import AttentionPanel
from views.rooms.calendar import CalendarGrid
from views.rooms.dialogs import BookingDialog, SeriesDialog, default_start
from views.rooms.printing import DocumentPrinter, PdfSink, Printed, Saved
from views.rooms.reminders import ReminderPanel
from views.rooms.session_flow import SessionFlow
from views.rooms.setup_dialogs import CentreDialog, MediatorDialog, RoomDialog

_Reminders = tuple[tuple[ReminderItem, ...], tuple[dt.date, ...], tuple[BookingInfo, ...],
                   tuple[AttentionItem, ...]]  # fmt: skip
_Loaded = tuple[tuple[RoomInfo, ...], tuple[MediatorInfo, ...], tuple[BookingInfo, ...],
                frozenset[tuple[str, dt.date]]]  # fmt: skip


class RoomsView(QWidget):
    """The 调解室 screen.

    Args:
        services: the room service (``services.rooms.service.RoomService``, a :class:`RoomsApi`).
        runner: where service calls run (off the GUI thread).

    Signals:
        changed(object): the ``Changes`` of a call this screen made, for the other screens.

    Missed sessions are expired by ``desktop.controllers.BackgroundJobs`` (no timer here); the
    screen reloads when ``on_changes`` hears that bookings changed.
    """

    changed = Signal(object)

    def __init__(self, services: RoomsApi, runner: TaskRunner,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.mode = "day"
        self.anchor = dt.date.today()
        self.rooms: tuple[RoomInfo, ...] = ()
        self.mediators: tuple[MediatorInfo, ...] = ()
        self.bookings: tuple[BookingInfo, ...] = ()
        self.closed: frozenset[tuple[str, dt.date]] = frozenset()
        self.reminders: tuple[ReminderItem, ...] = ()
        self.output = PdfOutput(self, runner)  # preview, printer check, print dialog, progress
        self.pdf_sink: PdfSink = self._print_or_save
        self.dialog_factory: Callable[[QWidget], int] = lambda d: d.exec()  # type: ignore[attr-defined]
        self.confirm: Callable[[str], bool] = self._ask
        self.inform: Callable[[str, str], None] = self._inform
        self.now: Callable[[], dt.datetime] = dt.datetime.now
        self.printer = DocumentPrinter(services, runner, lambda: self.pdf_sink, self.show_status,
                                       self._on_error, self,
                                       confirm=lambda text: self.confirm(text))  # fmt: skip
        self.sessions_flow = SessionFlow(self, services, runner)
        self._echo: Changes | None = None
        self._setup_ui()
        self._connect_signals()
        self.refresh()
        self.refresh_reminders()

    def _print_or_save(self, pdf: bytes, name: str, printed: Printed, saved: Saved) -> None:
        """调解通知书/协议书: preview, then the printer (checked first) or 另存为PDF (recorded
        as an export once the file is written)."""

        def done(outcome: PrintOutcome) -> None:
            if not outcome.cancelled:
                printed(outcome.copies)

        self.output.run([PdfDoc(name, pdf, 0)], done, on_error=self._on_error,
                        on_saved=lambda _written: saved())  # fmt: skip

    # --- setup -------------------------------------------------------------------------------

    def _setup_ui(self) -> None:
        self.today_btn = QPushButton(self.tr("今天"))
        self.prev_btn = QPushButton(self.tr("◀"))
        self.next_btn = QPushButton(self.tr("▶"))
        self.date_label = QLabel()
        self.day_btn = QPushButton(self.tr("日"))
        self.week_btn = QPushButton(self.tr("周"))
        for b in (self.day_btn, self.week_btn):
            b.setCheckable(True)
        self.day_btn.setChecked(True)
        self.new_btn = QPushButton(self.tr("新建预约"))
        self.undo_btn = QPushButton(self.tr("撤销移动"))
        self.undo_btn.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_btn.setEnabled(False)
        self._undo: tuple[str, dt.datetime, dt.datetime, str] | None = None
        self.check_in_btn = QPushButton(self.tr("签到"))
        self.finish_btn = QPushButton(self.tr("结束"))
        self.cancel_btn = QPushButton(self.tr("取消预约"))
        self.no_show_btn = QPushButton(self.tr("过期未到"))
        self.record_btn = QPushButton(self.tr("调解记录"))
        self.agreement_btn = QPushButton(self.tr("调解协议书"))
        self.void_record_btn = QPushButton(self.tr("作废记录"))
        self.void_record_btn.setToolTip(self.tr("中心主任作废错误的调解记录（须填写理由）"))
        self.series_btn = QPushButton(self.tr("修改整个系列"))
        self.cancel_rest_btn = QPushButton(self.tr("取消此后全部"))
        self.edit_room_btn = QPushButton(self.tr("修改调解室"))
        self.edit_mediator_btn = QPushButton(self.tr("修改调解员"))
        self.add_room_btn = QPushButton(self.tr("添加调解室"))
        self.add_mediator_btn = QPushButton(self.tr("添加调解员"))
        self.centre_btn = QPushButton(self.tr("通知书地址电话"))
        bar = QHBoxLayout()  # navigation and view
        for w in (self.today_btn, self.prev_btn, self.next_btn, self.date_label, self.day_btn,
                  self.week_btn):  # fmt: skip
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.add_room_btn, self.edit_room_btn, self.add_mediator_btn,
                  self.edit_mediator_btn, self.centre_btn):  # fmt: skip
            bar.addWidget(w)
        actions = QHBoxLayout()  # what to do with the selected booking; two rows fit 1366 px
        for w in (self.new_btn, self.undo_btn, self.check_in_btn, self.finish_btn, self.cancel_btn,
                  self.no_show_btn, self.record_btn, self.void_record_btn, self.agreement_btn,
                  self.series_btn, self.cancel_rest_btn):  # fmt: skip
            actions.addWidget(w)
        actions.addStretch(1)
        self.calendar = CalendarGrid()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.calendar)
        scroll.verticalScrollBar().valueChanged.connect(lambda _v: self.calendar.update())
        self.reminder_panel = ReminderPanel(self.services, self.runner, self._on_error,
                                            self.printer, self)  # fmt: skip
        panel = self.reminder_panel
        self.reminder_model, self.reminder_table = panel.model, panel.table
        self.reveal_btn, self.notice_btn, self.call_btn = (
            panel.reveal_btn, panel.notice_btn, panel.call_btn)  # fmt: skip
        reminders = panel
        self.follow_up_list = QListWidget()
        self.follow_done_btn = QPushButton(self.tr("已回访"))
        follow = QWidget()
        fl = QVBoxLayout(follow)
        fl.addWidget(self.follow_up_list)
        fl.addWidget(self.follow_done_btn)
        self.side = QTabWidget()
        self.side.addTab(reminders, self.tr("提醒"))
        self.side.addTab(follow, self.tr("待回访"))
        self.attention_panel = AttentionPanel(self)
        self.side.addTab(self.attention_panel, self.tr("待处理"))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(self.side)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(actions)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        self._update_buttons()

    def _connect_signals(self) -> None:
        self.output.message.connect(self.show_status)
        self.today_btn.clicked.connect(lambda: self._on_calendar_navigate_requested(0))
        self.prev_btn.clicked.connect(lambda: self._on_calendar_navigate_requested(-1))
        self.next_btn.clicked.connect(lambda: self._on_calendar_navigate_requested(1))
        self.day_btn.clicked.connect(lambda: self.set_mode("day"))
        self.week_btn.clicked.connect(lambda: self.set_mode("week"))
        self.new_btn.clicked.connect(lambda: self.open_booking(None, ""))
        self.check_in_btn.clicked.connect(lambda: self._status_action(self.services.check_in))
        self.finish_btn.clicked.connect(lambda: self._status_action(self.services.finish))
        self.cancel_btn.clicked.connect(self._on_cancel_btn_clicked)
        self.no_show_btn.clicked.connect(lambda: self._status_action(self.services.mark_no_show))
        self.record_btn.clicked.connect(self._on_record_btn_clicked)
        flow = self.sessions_flow
        self.agreement_btn.clicked.connect(lambda: self._with_selected(flow.agreement))
        self.void_record_btn.clicked.connect(lambda: self._with_selected(flow.void))
        self.add_room_btn.clicked.connect(lambda: self._setup(RoomDialog))
        self.add_mediator_btn.clicked.connect(lambda: self._setup(MediatorDialog))
        self.centre_btn.clicked.connect(self._on_centre_btn_clicked)
        self.edit_room_btn.clicked.connect(lambda: self._setup(RoomDialog, edit=True))
        self.edit_mediator_btn.clicked.connect(lambda: self._setup(MediatorDialog, edit=True))
        self.series_btn.clicked.connect(self._on_series_btn_clicked)
        self.cancel_rest_btn.clicked.connect(self._on_cancel_rest_btn_clicked)
        self.calendar.move_requested.connect(self._on_calendar_move_requested)
        self.undo_btn.clicked.connect(self.undo_move)
        self.calendar.navigate_requested.connect(self._on_calendar_navigate_requested)
        self.calendar.selection_changed.connect(lambda _id: self._update_buttons())
        self.calendar.slot_activated.connect(self.open_booking)
        self.calendar.booking_activated.connect(lambda _id: self._on_record_btn_clicked())
        self.follow_done_btn.clicked.connect(self._on_follow_done_btn_clicked)
        self.attention_panel.show_requested.connect(self._on_attention_show_requested)
        self.attention_panel.cancel_requested.connect(self._on_attention_cancel_requested)

    # --- loading -----------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.day_btn.setChecked(mode == "day")
        self.week_btn.setChecked(mode == "week")
        self.refresh()

    def go_to(self, day: dt.date) -> None:
        self.anchor = day
        self.refresh()

    def _range(self) -> tuple[dt.date, dt.date]:
        if self.mode == "day":
            return self.anchor, self.anchor
        monday = self.anchor - dt.timedelta(days=self.anchor.weekday())
        return monday, monday + dt.timedelta(days=6)

    def refresh(self) -> None:
        first, last = self._range()
        svc = self.services

        def load() -> _Loaded:
            return (svc.rooms(), svc.mediators(), svc.bookings_between(first, last),
                    frozenset(svc.closed_days(first, last)))  # fmt: skip

        self.runner.run(load, self._on_loaded, self._on_error)

    def _on_loaded(self, data: _Loaded) -> None:
        self.rooms, self.mediators, self.bookings, self.closed = data
        first, last = self._range()
        # Qt date formats (dddd: the weekday in the interface language), translated as a whole.
        loc = QLocale()
        q_first, q_last = (QDate(d.year, d.month, d.day) for d in (first, last))
        if self.mode == "day":
            text = loc.toString(q_first, self.tr("yyyy年MM月dd日 dddd"))
        else:
            text = (loc.toString(q_first, self.tr("yyyy年MM月dd日")) + " – "
                    + loc.toString(q_last, self.tr("MM月dd日")))  # fmt: skip
        self.date_label.setText(text)
        self.calendar.set_data(self.mode, self.anchor, self.rooms, self.bookings, self.closed)
        self._update_buttons()

    def refresh_reminders(self) -> None:
        """Reload the reminders (next working day and everything until it, or the chosen day)
        and the follow-up list."""
        svc, day = self.services, self.reminder_panel.chosen_day()

        def load() -> _Reminders:
            return svc.reminders(day), svc.reminder_days(), svc.follow_ups(), svc.attention()

        self.runner.run(load, self._on_reminders_loaded, self._on_error)

    def _on_reminders_loaded(self, data: _Reminders) -> None:
        self.reminders, days, follow, attention = data
        self.attention_panel.show_items(attention)
        label = self.tr("待处理（%1）").replace("%1", str(len(attention)))
        self.side.setTabText(2, label if attention else self.tr("待处理"))
        self.reminder_panel.show_items(self.reminders)
        chosen = self.reminder_panel.chosen_day()
        span = [chosen] if chosen else list(days)
        text = f"{span[0]:%m-%d}"
        if len(span) > 1:
            text = self.tr("%1至%2").replace("%1", text).replace("%2", f"{span[-1]:%m-%d}")
        label = self.tr("提醒 %1（%2）").replace("%1", text).replace("%2", str(len(self.reminders)))
        self.side.setTabText(0, label)
        self.follow_up_list.clear()
        for b in follow:
            names = "、".join(b.party_names) or b.title
            text = self.tr("过期未到，请电话回访：%1 %2 %3").replace("%1", f"{b.start:%m-%d %H:%M}")
            self.follow_up_list.addItem(text.replace("%2", b.room_name).replace("%3", names))
            item = self.follow_up_list.item(self.follow_up_list.count() - 1)
            item.setData(Qt.ItemDataRole.UserRole, b.id)

    def on_changes(self, changes: Changes) -> None:
        """Another screen or a background job changed data: reload if it concerns bookings."""
        if changes is self._echo:  # this screen's own call, already reloaded
            return
        if changes.bookings or changes.case_ids or changes.reference:
            self.refresh()
            self.refresh_reminders()

    def saved(self, changes: Changes) -> None:
        """After a call of this screen: reload, and tell the other screens what changed."""
        self.refresh()
        self.refresh_reminders()
        self._echo = changes
        self.changed.emit(changes)

    def _on_error(self, exc: BaseException) -> None:
        self.status.setText(error_text(exc))

    # --- actions -----------------------------------------------------------------------------

    def select_booking(self, booking_id: str) -> None:
        """Select a booking in the calendar (e.g. when opened from the case file)."""
        self.calendar.selected = booking_id
        self.calendar.update()
        self._update_buttons()

    def _with_selected(self, fn: Callable[[BookingInfo], None]) -> None:
        b = self.selected()
        if b is not None:
            fn(b)

    def selected(self) -> BookingInfo | None:
        return next((b for b in self.bookings if b.id == self.calendar.selected), None)

    def _update_buttons(self) -> None:
        b = self.selected()
        status = b.status if b else ""
        begun = b is not None and b.start <= self.now()  # nothing is recorded ahead of time
        self.check_in_btn.setEnabled(status == "booked")
        self.finish_btn.setEnabled(status == "in_use" or status == "booked" and begun)
        self.cancel_btn.setEnabled(status == "booked")
        self.no_show_btn.setEnabled(status == "booked" and begun)
        with_case = b is not None and bool(b.case_id)
        self.record_btn.setEnabled(with_case and begun and status != "cancelled")
        self.void_record_btn.setEnabled(with_case and status == "finished")
        self.agreement_btn.setEnabled(with_case)
        self.series_btn.setEnabled(b is not None and bool(b.series_id))
        self.cancel_rest_btn.setEnabled(b is not None and bool(b.series_id) and status == "booked")
        self.edit_room_btn.setEnabled(bool(self.rooms))
        self.edit_mediator_btn.setEnabled(bool(self.mediators))

    def _on_calendar_navigate_requested(self, step: int) -> None:
        days = 1 if self.mode == "day" else 7
        self.go_to(dt.date.today() if step == 0 else self.anchor + dt.timedelta(days * step))

    def _on_calendar_move_requested(self, booking_id: str, start: dt.datetime,
                                    end: dt.datetime, room_id: str) -> None:  # fmt: skip
        before = next((b for b in self.bookings if b.id == booking_id), None)

        def moved(result: BookingResult) -> None:
            if before is not None:  # 撤销 puts it back where it was
                self._undo = (booking_id, before.start, before.end, before.room_id)
                self.undo_btn.setEnabled(True)
            self._on_booking_saved(result)

        self.runner.run(lambda: self.services.move(booking_id, start, end, room_id), moved,
                        self._on_refused)  # fmt: skip

    def undo_move(self) -> None:
        """Undo the last drag or keyboard move (Ctrl+Z)."""
        if self._undo is None:
            return
        bid, start, end, room_id = self._undo
        self._undo = None
        self.undo_btn.setEnabled(False)
        self.runner.run(lambda: self.services.move(bid, start, end, room_id),
                        self._on_booking_saved, self._on_refused)  # fmt: skip

    def _on_booking_saved(self, result: BookingResult) -> None:
        b = result.booking
        text = self.tr("已保存：%1 %2").replace("%1", b.room_name).replace("%2", b.time_text)
        self.status.setText(messages([text, *result.warnings]))
        self.saved(result.changes)

    def _on_refused(self, exc: BaseException) -> None:
        self._on_error(exc)
        self.refresh()  # the dragged block goes back where it was

    def _status_action(self, fn: Callable[[str], BookingResult]) -> None:
        b = self.selected()
        if b is None:
            return
        self.runner.run(lambda: fn(b.id), self._on_status_changed, self._on_error)

    def _inform(self, title: str, text: str) -> None:
        QMessageBox.information(self, title, text)

    def _ask(self, text: str) -> bool:
        answer = QMessageBox.question(self, self.tr("请确认"), text)
        return answer == QMessageBox.StandardButton.Yes

    def _on_cancel_btn_clicked(self) -> None:
        b = self.selected()
        if b is None:
            return
        text = self.tr("取消预约“%1”（%2）？").replace("%1", b.title).replace("%2", b.time_text)
        if self.confirm(text):
            self._status_action(self.services.cancel)

    def _on_status_changed(self, result: BookingResult) -> None:
        b = result.booking
        text = self.tr("%1：%2").replace("%1", b.title).replace("%2", b.status_label)
        self.status.setText(text)
        self.saved(result.changes)

    def open_booking(self, start: dt.datetime | None, room_id: str,
                     case_id: str | None = None) -> None:  # fmt: skip
        """Open the booking dialog at a slot, or for a case (from the case file)."""
        when = start or default_start(self.anchor, self.now())  # never a time already past
        if case_id is None:
            self._show_booking(when, room_id, None)
            return
        self.runner.run(lambda: self.services.propose_for_case(case_id),
                        lambda p: self._show_booking(when, room_id, p), self._on_error)  # fmt: skip

    def _show_booking(self, when: dt.datetime, room_id: str, proposal: object) -> None:
        from services.rooms.dto import BookingProposal

        prop = proposal if isinstance(proposal, BookingProposal) else None
        dialog = BookingDialog(self.services, self.runner, self.rooms, self.mediators, when,
                               room_id, prop, self)  # fmt: skip
        if self.dialog_factory(dialog) and dialog.result_value is not None:
            self._on_booking_saved(dialog.result_value)
        elif dialog.result() and dialog.series_value is not None:
            self._on_series_saved(dialog.series_value)

    def _on_series_btn_clicked(self) -> None:
        """修改整个系列 of the selected occurrence; its exceptions are kept."""
        b = self.selected()
        if b is None or not b.series_id:
            return
        series_id = b.series_id
        self.runner.run(lambda: self.services.series_form(series_id),
                        lambda form: self._show_series(series_id, form),
                        self._on_error)  # fmt: skip

    def _on_cancel_rest_btn_clicked(self) -> None:
        """取消此后全部: this occurrence and the rest of its series, after asking."""
        b = self.selected()
        if b is None or not b.series_id:
            return
        text = self.tr("取消“%1”%2起的全部预约？").replace("%1", b.title)
        if not self.confirm(text.replace("%2", f"{b.start:%m月%d日}")):
            return
        bid = b.id
        self.runner.run(lambda: self.services.cancel_series_from(bid), self._on_rest_cancelled,
                        self._on_error)  # fmt: skip

    def _on_rest_cancelled(self, result: BookingsResult) -> None:
        count = len(result.bookings)
        self.status.setText(self.tr("已取消%1次预约").replace("%1", str(count)))
        self.saved(result.changes)

    def _show_series(self, series_id: str, form: SeriesInput) -> None:
        dialog = SeriesDialog(self.services, self.runner, self.rooms, self.mediators, series_id,
                              form, self)  # fmt: skip
        if self.dialog_factory(dialog) and dialog.result_value is not None:
            self._on_series_saved(dialog.result_value)

    def _on_series_saved(self, result: SeriesResult) -> None:
        parts = [self.tr("每周预约已保存：%1次").replace("%1", str(len(result.bookings)))]
        if result.kept_exceptions:
            parts.append(self.tr("单独调整过的%1次保持不变").replace(
                "%1", str(result.kept_exceptions)))  # fmt: skip
        if result.skipped:
            parts.append(self.tr("未预约：") + messages(result.skipped))
        parts += result.warnings  # holidays and years without the official schedule
        self.status.setText(messages(parts))
        self.saved(result.changes)

    def show_status(self, text: str) -> None:
        self.status.setText(text)

    def _on_record_btn_clicked(self) -> None:
        b = self.selected()
        if b is not None and self.record_btn.isEnabled():
            self.sessions_flow.record(b)

    def _setup(self, kind: type[RoomDialog] | type[MediatorDialog], edit: bool = False) -> None:
        """Add a room or mediator, or (``edit``) change one picked in the dialog."""
        dialog: RoomDialog | MediatorDialog
        if kind is RoomDialog:
            dialog = RoomDialog(self.services, self.runner, self, self.rooms if edit else ())
        else:
            dialog = MediatorDialog(self.services, self.runner, self,
                                    self.mediators if edit else ())  # fmt: skip
        if self.dialog_factory(dialog) and dialog.result_value is not None:
            text = self.tr("已修改：%1") if edit else self.tr("已添加：%1")
            self.status.setText(text.replace("%1", dialog.result_value.name))
            self.saved(dialog.result_value.changes)
            if edit and isinstance(dialog, RoomDialog):  # bookings the new rules refuse
                room_id, form = dialog.result_value.id, dialog.request()
                self.runner.run(lambda: self.services.bookings_hit(room_id, form),
                                self._on_bookings_hit, self._on_error)  # fmt: skip

    def _on_bookings_hit(self, hit: tuple[BookingInfo, ...]) -> None:
        """List what a rule change hits in a dialog, then the 待处理 tab to move or cancel each
        with the parties to call."""
        if not hit:
            return
        lines = [f"{b.start:%m-%d %H:%M} {b.title}（{'、'.join(b.party_names) or '无当事人'}）"
                 for b in hit]  # fmt: skip
        head = self.tr("新的开放规则下有%1个预约不能进行，请改期或取消并电话通知当事人：")
        head = head.replace("%1", str(len(hit)))
        self.status.setText(head + "；".join(lines))
        self.side.setCurrentWidget(self.attention_panel)
        self.inform(self.tr("调整开放规则"), head + "\n" + "\n".join(lines)
                    + "\n" + self.tr("可在“待处理”中逐个改期或取消。"))  # fmt: skip

    def _on_attention_show_requested(self, b: BookingInfo) -> None:
        """在日历中改期: the booking's day, selected, to drag or move with the keys."""
        self.go_to(b.start.date())
        self.select_booking(b.id)

    def _on_attention_cancel_requested(self, b: BookingInfo) -> None:
        text = self.tr("取消预约“%1”（%2 %3）？取消后请电话通知：%4")
        text = text.replace("%1", b.title).replace("%2", f"{b.start:%m-%d}")
        text = text.replace("%3", b.time_text).replace("%4", "、".join(b.party_names) or "—")
        if self.confirm(text):
            bid = b.id
            self.runner.run(lambda: self.services.cancel(bid), self._on_status_changed,
                            self._on_error)  # fmt: skip

    def _on_centre_btn_clicked(self) -> None:
        dialog = CentreDialog(self.services, self.runner, self)
        if self.dialog_factory(dialog) and dialog.result_value is not None:
            self.status.setText(self.tr("通知书地址电话已保存"))

    def _on_follow_done_btn_clicked(self) -> None:
        item = self.follow_up_list.currentItem()
        if item is None:
            return
        booking_id = str(item.data(Qt.ItemDataRole.UserRole))
        self.runner.run(lambda: self.services.follow_up_done(booking_id),
                        lambda result: self.saved(result.changes), self._on_error)  # fmt: skip
