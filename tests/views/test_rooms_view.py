"""调解室 screen offscreen: calendar drag/resize/keys, refusals, reminders, records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt, QTime
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from services.domain.dto import Changes
from services.domain.errors import TransitionError, ValidationError
from services.rooms.dto import (
    AgreementDocument,
    AgreementInfo,
    AgreementInput,
    AgreementParty,
    AttentionItem,
    BookingConflictError,
    BookingInfo,
    BookingInput,
    BookingProposal,
    BookingResult,
    BookingsResult,
    CaseMediation,
    CentreContact,
    Collision,
    MediatorInfo,
    MediatorInput,
    NoticeDocument,
    ReminderItem,
    ReminderParty,
    RoomInfo,
    RoomInput,
    RoomPrintJob,
    SeriesInput,
    SeriesResult,
    SessionInfo,
    SessionInput,
)
from services.rooms.service import RoomService
from tests.views.qt_helpers import press
from ui.tasks import ImmediateTaskRunner
from views.rooms import CalendarGrid, RoomsApi, RoomsView
from views.rooms.calendar import GUTTER_W, HEADER_H, HOUR_FROM, HOUR_H
from views.rooms.dialogs import AgreementDialog, BookingDialog, SeriesDialog
from views.rooms.session_dialog import SessionDialog
from views.rooms.setup_dialogs import MediatorDialog, RoomDialog

DAY = dt.date.today() + dt.timedelta(days=1)
ROOMS = (RoomInfo("r1", "第一调解室", "普通调解室", 6, ("录音录像",), "always", "free",
                  dt.time(8), dt.time(18)),
         RoomInfo("r2", "第二调解室", "视频调解室", 4, ("视频调解",), "always", "free",
                  dt.time(8), dt.time(18)))  # fmt: skip
MEDIATORS = (MediatorInfo("m1", "王调解", "staff", ("02",), ()),)


def at(hhmm: str, day: dt.date = DAY) -> dt.datetime:
    h, m = hhmm.split(":")
    return dt.datetime.combine(day, dt.time(int(h), int(m)))


def booking(bid: str, room: str, begin: str, finish: str, **kw: object) -> BookingInfo:
    base: dict[str, object] = dict(
        id=bid, room_id=room, room_name={"r1": "第一调解室", "r2": "第二调解室"}[room],
        case_id="c1", case_code="620123101000-2026-000001", title=f"宅基地纠纷{bid}",
        start=at(begin), end=at(finish), status="booked", mediator_ids=("m1",),
        mediator_names=("王调解",), person_ids=("p1", "p2"),
        party_names=("张三", "李四"))  # fmt: skip
    base.update(kw)
    return BookingInfo(**base)  # type: ignore[arg-type]


class FakeRooms:
    """In-memory room service: overlapping bookings of a room are refused."""

    def __init__(self) -> None:
        self.items = {b.id: b for b in (booking("b1", "r1", "09:00", "10:00"),
                                        booking("b2", "r1", "10:00", "11:00"),
                                        booking("b3", "r2", "14:00", "15:30"))}  # fmt: skip
        self.moves: list[tuple[str, dt.datetime, dt.datetime, str | None]] = []
        self.needs_attention: list[AttentionItem] = []
        self.booked: list[BookingInput] = []
        self.sessions_recorded: list[SessionInput] = []
        self.agreements: list[AgreementInput] = []
        self.made: dict[str, AgreementDocument] = {}
        self.agreement_sessions: dict[str, str] = {}
        self.prints: list[str] = []
        self.exports: list[str] = []
        self.no_shows: list[str] = []
        self.added_rooms: list[RoomInfo] = []
        self.room_forms: list[RoomInput] = []
        self.mediator_forms: list[MediatorInput] = []
        self.closed: set[tuple[str, dt.date]] = set()
        self.series_forms: list[tuple[str | None, SeriesInput]] = []
        self.room_edits: list[tuple[str, RoomInput]] = []
        self.mediator_edits: list[tuple[str, MediatorInput]] = []
        self.corrections: list[tuple[str, SessionInput, str]] = []
        self.reminder_asks: list[dt.date | None] = []
        self.calls: dict[tuple[str, str], str] = {}
        self.contact = CentreContact("", "")
        self.voided: dict[str, str] = {}

    def room_form(self, room_id: str) -> RoomInput:
        r = next(r for r in self.rooms() if r.id == room_id)
        return RoomInput(r.name, r.room_type, r.capacity, r.equipment, r.open_rule, (),
                         r.slot_mode, r.open_from, r.open_to,
                         (dt.date(2026, 12, 1),))  # fmt: skip

    def edit_room(self, room_id: str, form: RoomInput) -> RoomInfo:
        self.room_edits.append((room_id, form))
        return RoomInfo(room_id, form.name, form.room_type, form.capacity, form.equipment,
                        form.open_rule, form.slot_mode, form.open_from, form.open_to)  # fmt: skip

    def bookings_hit(self, room_id: str, form: RoomInput) -> tuple[BookingInfo, ...]:
        return tuple(b for b in self.items.values()
                     if b.room_id == room_id and b.start.date() in form.closures)  # fmt: skip

    def mediator_form(self, mediator_id: str) -> MediatorInput:
        return MediatorInput("王调解", "staff", "13812345678", ("02",), (1, 2))

    def edit_mediator(self, mediator_id: str, form: MediatorInput) -> MediatorInfo:
        self.mediator_edits.append((mediator_id, form))
        return MediatorInfo(mediator_id, form.name, form.kind, form.specialties, form.weekdays)

    def closed_days(self, first: dt.date, last: dt.date) -> tuple[tuple[str, dt.date], ...]:
        return tuple(sorted(c for c in self.closed if first <= c[1] <= last))

    def add_series(self, form: SeriesInput) -> SeriesResult:
        self.series_forms.append((None, form))
        made: list[BookingInfo] = []
        day = form.first_date
        while day <= form.until_date:
            b = booking(f"w{len(made)}", form.room_id, "09:00", "10:00", title=form.title,
                        start=dt.datetime.combine(day, form.start_time),
                        end=dt.datetime.combine(day, form.end_time), series_id="ser1",
                        case_id=None, person_ids=(), party_names=())  # fmt: skip
            self.items[b.id] = b
            made.append(b)
            day += dt.timedelta(weeks=1)
        return SeriesResult("ser1", tuple(made), (), 0)

    def edit_series(self, series_id: str, form: SeriesInput) -> SeriesResult:
        self.series_forms.append((series_id, form))
        return SeriesResult(series_id, (), ("12月24日：闭馆",), 1)

    def cancel_series_from(self, booking_id: str) -> BookingsResult:
        first = self.items[booking_id]
        rest = [b for b in self.items.values()
                if b.series_id == first.series_id and b.start >= first.start]  # fmt: skip
        done = tuple(self._set(b.id, "cancelled").booking for b in rest)
        return BookingsResult(done, Changes(bookings=True))

    def series_form(self, series_id: str) -> SeriesInput:
        return SeriesInput("r1", "律师值班", DAY.isoweekday(), dt.time(16), dt.time(17), DAY,
                           DAY + dt.timedelta(weeks=3), ("m1",), "每周值班")  # fmt: skip

    def rooms(self) -> tuple[RoomInfo, ...]:
        return ROOMS + tuple(self.added_rooms)

    def add_room(self, form: RoomInput) -> RoomInfo:
        if not form.name:
            raise ValidationError("name", "room.name", "请填写调解室名称")
        info = RoomInfo(f"r{len(ROOMS) + len(self.added_rooms) + 1}", form.name, form.room_type,
                        form.capacity, form.equipment, form.open_rule, form.slot_mode,
                        form.open_from, form.open_to)  # fmt: skip
        self.added_rooms.append(info)
        self.room_forms.append(form)
        return info

    def add_mediator(self, form: MediatorInput) -> MediatorInfo:
        self.mediator_forms.append(form)
        return MediatorInfo("m9", form.name, form.kind, form.specialties, form.weekdays)

    def mediators(self) -> tuple[MediatorInfo, ...]:
        return MEDIATORS

    def bookings_between(self, first: dt.date, last: dt.date,
                         include_cancelled: bool = False) -> tuple[BookingInfo, ...]:  # fmt: skip
        return tuple(sorted((b for b in self.items.values() if first <= b.start.date() <= last),
                            key=lambda b: b.start))  # fmt: skip

    def propose_for_case(self, case_id: str) -> BookingProposal:
        return BookingProposal(case_id, "C-1", "C-1 宅基地纠纷", ("p1",), ("张三",), ("m1",), None)

    def _check(self, b: BookingInfo) -> None:
        for o in self.items.values():
            if o.id != b.id and o.room_id == b.room_id and o.start < b.end and b.start < o.end:
                raise BookingConflictError((Collision("room", o.room_name, o.id, o.title,
                                                      o.start, o.end),))  # fmt: skip

    def book(self, form: BookingInput) -> BookingResult:
        if form.end <= form.start:
            raise ValidationError("end", "booking.end_before_start", "结束时间必须晚于开始时间")
        b = booking(f"n{len(self.booked)}", form.room_id, "09:00", "10:00", start=form.start,
                    end=form.end, title=form.title)  # fmt: skip
        self._check(b)
        self.booked.append(form)
        self.items[b.id] = b
        return BookingResult(b, (), Changes())

    def move(self, booking_id: str, start: dt.datetime, end: dt.datetime,
             room_id: str | None = None) -> BookingResult:  # fmt: skip
        self.moves.append((booking_id, start, end, room_id))
        b = replace(self.items[booking_id], start=start, end=end,
                    room_id=room_id or self.items[booking_id].room_id)  # fmt: skip
        self._check(b)
        self.items[b.id] = b
        return BookingResult(b, (), Changes())

    def _set(self, booking_id: str, status: str) -> BookingResult:
        b = replace(self.items[booking_id], status=status)
        self.items[b.id] = b
        return BookingResult(b, (), Changes(bookings=True))

    def check_in(self, booking_id: str) -> BookingResult:
        return self._set(booking_id, "in_use")

    def finish(self, booking_id: str) -> BookingResult:
        return self._set(booking_id, "finished")

    def cancel(self, booking_id: str) -> BookingResult:
        if self.items[booking_id].status != "booked":
            raise TransitionError("finished", "cancel", "已结束的预约不能取消")
        return self._set(booking_id, "cancelled")

    def mark_no_show(self, booking_id: str) -> BookingResult:
        self.no_shows.append(booking_id)
        self.items[booking_id] = replace(self.items[booking_id], follow_up=True)
        return self._set(booking_id, "no_show")

    def follow_ups(self) -> tuple[BookingInfo, ...]:
        return tuple(b for b in self.items.values() if b.follow_up)

    def follow_up_done(self, booking_id: str) -> BookingResult:
        b = replace(self.items[booking_id], follow_up=False)
        self.items[b.id] = b
        return BookingResult(b, (), Changes(bookings=True))

    def attention(self) -> tuple[AttentionItem, ...]:
        return tuple(self.needs_attention)

    def reminders(self, day: dt.date | None = None) -> tuple[ReminderItem, ...]:
        self.reminder_asks.append(day)
        b = self.items["b1"]
        first = ReminderParty("p1", "张三", "138****5678")
        if ("b1", "p1") in self.calls:
            first = ReminderParty("p1", "张三", "138****5678", at("08:00", dt.date.today()),
                                  "吴接待", self.calls[("b1", "p1")])  # fmt: skip
        return (ReminderItem(b, (first, ReminderParty("p2", "李四", "139****4321"))),)

    def reminder_days(self) -> tuple[dt.date, ...]:
        return (DAY, DAY + dt.timedelta(days=1))

    def record_call(self, booking_id: str, person_id: str, result: str = "已通知",
                    note: str = "") -> ReminderParty:  # fmt: skip
        self.calls[(booking_id, person_id)] = result
        return ReminderParty(person_id, "张三", "138****5678", None, "吴接待", result)

    def centre_contact(self) -> CentreContact:
        return self.contact

    def set_centre_contact(self, contact: CentreContact) -> CentreContact:
        self.contact = contact
        return contact

    def reveal_phone(self, person_id: str) -> str:
        return {"p1": "13812345678", "p2": "13987654321"}[person_id]

    def notice_document(self, booking_id: str, person_id: str) -> NoticeDocument:
        return NoticeDocument("", "C-1", "青山镇人民调解委员会", "张三", "宅基地纠纷",
                              "第一调解室", "明天 09:00–10:00", ("王调解",),
                              "2026年11月20日")  # fmt: skip

    def notice_print(self, booking_id: str, person_id: str) -> RoomPrintJob:
        key = f"n-{booking_id}-{person_id}"
        number = "（2026）青人调通字第1号"
        doc = replace(self.notice_document(booking_id, person_id), number=number)
        return RoomPrintJob(key, number, self._note(key), notice=doc)

    def agreement_print(self, agreement_id: str) -> RoomPrintJob:
        doc = self.made[agreement_id]
        return RoomPrintJob(agreement_id, doc.number, self._note(agreement_id), agreement=doc)

    def _note(self, key: str) -> str:
        return "补打：原件印发于2026年11月20日，补打于2026年11月20日" if key in self.prints else ""

    def record_document_print(self, document_id: str, copies: int = 1) -> int:
        self.prints.append(document_id)
        return self.prints.count(document_id)

    def record_document_export(self, document_id: str) -> None:
        self.exports.append(document_id)

    def record_session(self, form: SessionInput) -> SessionInfo:
        self.sessions_recorded.append(form)
        if form.booking_id in self.items:
            self._set(form.booking_id, "finished")
        return self.sessions(form.case_id)[-1]

    def sessions(self, case_id: str) -> tuple[SessionInfo, ...]:
        return tuple(SessionInfo(f"s{i}", s.case_id, i + 1, s.started_at, "王调解", s.mode,
                                 s.outcome, s.next_session_at, (), s.booking_id,
                                 f"s{i}" in self.voided)
                     for i, s in enumerate(self.sessions_recorded))  # fmt: skip

    def case_mediation(self, case_id: str) -> CaseMediation:
        mine = tuple(b for b in self.items.values() if b.case_id == case_id)
        made = tuple(AgreementInfo(a.id, a.number, self.agreement_sessions[a.id], a.oral,
                                   DAY) for a in self.made.values())  # fmt: skip
        return CaseMediation(case_id, mine, self.sessions(case_id), made)

    def session_form(self, session_id: str) -> SessionInput:
        return self.sessions_recorded[int(session_id[1:])]

    def correct_session(self, session_id: str, form: SessionInput, reason: str) -> SessionInfo:
        self.corrections.append((session_id, form, reason))
        self.sessions_recorded[int(session_id[1:])] = form
        return self.sessions(form.case_id)[int(session_id[1:])]

    def void_session(self, session_id: str, reason: str) -> SessionInfo:
        self.voided[session_id] = reason
        return self.sessions("c1")[int(session_id[1:])]

    def record_agreement(self, form: AgreementInput) -> AgreementDocument:
        self.agreements.append(form)
        doc = AgreementDocument(f"a{len(self.agreements)}", "（2026）青人调协字第1号", "C-1",
                                "青山镇人民调解委员会", form.form == "oral",
                                (AgreementParty("甲方", "张三", "男", "40", "", ""),),
                                form.facts, form.terms, form.performance, 2, ("王调解",), "",
                                "2026年11月20日")  # fmt: skip
        self.made[doc.id] = doc
        self.agreement_sessions[doc.id] = form.session_id
        return doc


@pytest.fixture
def fake() -> FakeRooms:
    return FakeRooms()


@pytest.fixture
def view(qtbot: QtBot, fake: FakeRooms) -> RoomsView:
    v = RoomsView(fake, ImmediateTaskRunner())
    qtbot.add_widget(v)
    pdfs: list[tuple[bytes, str]] = []
    v.pdfs = pdfs  # type: ignore[attr-defined]

    def sink(pdf: bytes, name: str, printed: Callable[[int], None],
             _saved: Callable[[], None]) -> None:  # fmt: skip
        pdfs.append((pdf, name))
        printed(1)

    v.pdf_sink = sink
    v.resize(1200, 800)
    v.go_to(DAY)
    return v


@pytest.fixture
def grid(qtbot: QtBot, fake: FakeRooms) -> CalendarGrid:
    g = CalendarGrid()
    qtbot.add_widget(g)
    g.resize(GUTTER_W + 400, HEADER_H + 10 * HOUR_H + 1)
    g.set_data("day", DAY, ROOMS, fake.bookings_between(DAY, DAY))
    return g


def _centre(g: CalendarGrid, bid: str) -> QPoint:
    return g.rect_of(bid).center().toPoint()


def test_day_view_puts_rooms_in_columns_and_time_in_rows(grid: CalendarGrid) -> None:
    r1, r3 = grid.rect_of("b1"), grid.rect_of("b3")
    assert r1.top() == HEADER_H + (9 - HOUR_FROM) * HOUR_H
    assert r1.height() == HOUR_H - 1 and r3.height() == 1.5 * HOUR_H - 1  # 1 px gap
    assert r3.left() > r1.right()  # second room, second column


def test_drag_moves_to_another_room_and_time(qtbot: QtBot, grid: CalendarGrid) -> None:
    start = _centre(grid, "b1")
    with qtbot.wait_signal(grid.move_requested) as blocker:
        qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(grid, start + QPoint(200, 2 * HOUR_H))
        qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=start + QPoint(200, 2 * HOUR_H))
    assert blocker.args == ["b1", at("11:00"), at("12:00"), "r2"]


def test_drag_bottom_edge_resizes(qtbot: QtBot, grid: CalendarGrid) -> None:
    r = grid.rect_of("b3")
    edge = QPoint(int(r.center().x()), int(r.bottom()) - 2)
    with qtbot.wait_signal(grid.move_requested) as blocker:
        qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=edge)
        qtbot.mouseMove(grid, edge + QPoint(0, HOUR_H // 2))
        qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=edge + QPoint(0, HOUR_H // 2))
    assert blocker.args == ["b3", at("14:00"), at("16:00"), "r2"]


def test_keyboard_selects_moves_resizes_and_navigates(qtbot: QtBot, grid: CalendarGrid) -> None:
    grid.setFocus()
    press(grid, Qt.Key.Key_Down)
    assert grid.selected == "b1"
    press(grid, Qt.Key.Key_Down)
    assert grid.selected == "b2"
    press(grid, Qt.Key.Key_Right)
    assert grid.selected == "b3"
    press(grid, Qt.Key.Key_Left)
    assert grid.selected == "b2"
    with qtbot.wait_signal(grid.move_requested) as blocker:
        press(grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == ["b2", at("10:15"), at("11:15"), "r1"]
    with qtbot.wait_signal(grid.move_requested) as blocker:
        press(grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert blocker.args == ["b2", at("10:00"), at("11:15"), "r1"]
    with qtbot.wait_signal(grid.booking_activated) as blocker:
        press(grid, Qt.Key.Key_Return)
    assert blocker.args == ["b2"]
    with qtbot.wait_signal(grid.navigate_requested) as blocker:
        press(grid, Qt.Key.Key_PageDown)
    assert blocker.args == [1]


def test_view_drag_into_conflict_is_refused_with_names(qtbot: QtBot, view: RoomsView,
                                                       fake: FakeRooms) -> None:  # fmt: skip
    view.calendar.move_requested.emit("b2", at("09:30"), at("10:30"), "r1")
    assert "第一调解室" in view.status.text() and "宅基地纠纷b1" in view.status.text()
    assert fake.items["b2"].start == at("10:00")
    assert view.calendar.rect_of("b2").top() == HEADER_H + (10 - HOUR_FROM) * HOUR_H
    view.calendar.move_requested.emit("b2", at("11:00"), at("12:00"), "r1")
    assert view.status.text().startswith("已保存")
    assert view.calendar.rect_of("b2").top() == HEADER_H + (11 - HOUR_FROM) * HOUR_H


def test_week_view_and_navigation(view: RoomsView) -> None:
    view.set_mode("week")
    assert view.calendar.days()[0].weekday() == 0 and len(view.calendar.days()) == 7
    assert not view.calendar.rect_of("b1").isNull()
    view.next_btn.click()
    assert view.anchor == DAY + dt.timedelta(days=7)
    assert view.calendar.bookings == ()


def test_status_buttons_and_no_show_follow_up(view: RoomsView, fake: FakeRooms) -> None:
    view.now = lambda: at("10:30")
    view.select_booking("b1")
    assert view.cancel_btn.isEnabled()
    view.no_show_btn.click()
    assert fake.no_shows == ["b1"] and "过期未到" in view.status.text()
    assert view.follow_up_list.count() == 1
    assert "请电话回访" in view.follow_up_list.item(0).text()
    view.follow_up_list.setCurrentRow(0)
    view.follow_done_btn.click()
    assert view.follow_up_list.count() == 0


def test_reminders_masked_until_revealed_and_notice_printed(view: RoomsView) -> None:
    model = view.reminder_model
    assert model.rowCount() == 2 and model.index(0, 2).data() == "138****5678"
    view.reminder_table.selectRow(0)
    view.reveal_btn.click()
    assert model.index(0, 2).data() == "13812345678"
    assert model.index(1, 2).data() == "139****4321"
    view.notice_btn.click()
    ((pdf, name),) = view.pdfs  # type: ignore[attr-defined]
    assert pdf.startswith(b"%PDF") and name == "调解通知书-张三-（2026）青人调通字第1号"
    assert "已打印调解通知书" in view.status.text()
    view.notice_btn.click()  # the same notice again: 补打
    assert len(view.pdfs) == 2 and view.status.text().endswith("（补打）")  # type: ignore[attr-defined]


def test_booking_dialog_books_and_shows_refusal(view: RoomsView, fake: FakeRooms) -> None:
    def fill(d: QWidget) -> int:
        assert isinstance(d, BookingDialog)
        d.title.setText("邻里噪音纠纷")
        d.room.setCurrentIndex(1)
        d.buttons.accepted.emit()
        return d.result()

    view.dialog_factory = fill
    view.open_booking(at("16:00"), "r2")
    assert fake.booked[-1].title == "邻里噪音纠纷" and fake.booked[-1].room_id == "r2"
    assert view.status.text().startswith("已保存")

    def clash(d: QWidget) -> int:
        assert isinstance(d, BookingDialog)
        d.title.setText("冲突的")
        d.buttons.accepted.emit()
        assert "第一调解室" in d.error.text()
        return 0

    view.dialog_factory = clash
    view.open_booking(at("09:00"), "r1")
    assert len(fake.booked) == 1


def test_booking_from_case_pulls_parties(view: RoomsView, fake: FakeRooms) -> None:
    seen: list[BookingDialog] = []

    def look(d: QWidget) -> int:
        assert isinstance(d, BookingDialog)
        seen.append(d)
        return 0

    view.dialog_factory = look
    view.open_booking(at("16:00"), "r1", case_id="c1")
    assert seen[0].request().person_ids == ("p1",) and seen[0].request().case_id == "c1"
    assert seen[0].request().mediator_ids == ("m1",)


def test_session_then_agreement_only_after_reached(view: RoomsView, fake: FakeRooms) -> None:
    shown: list[str] = []

    def fill(d: QWidget) -> int:
        shown.append(type(d).__name__)
        if isinstance(d, SessionDialog):
            d.outcome.setCurrentText("未达成" if len(shown) == 1 else "达成")
            d.process.setPlainText("双方陈述，调解员释法明理。")
        elif isinstance(d, AgreementDialog):
            d.facts.setPlainText("宅基地边界争议")
            d.terms.setPlainText("张三拆除越界围墙。\n李四承担一半费用。")
        d.buttons.accepted.emit()  # type: ignore[attr-defined]
        return d.result()  # type: ignore[attr-defined]

    view.dialog_factory = fill
    view.now = lambda: at("10:30")
    view.select_booking("b1")
    view.record_btn.click()
    assert shown == ["SessionDialog"] and fake.sessions_recorded[0].outcome == "未达成"
    view.select_booking("b2")
    asked: list[str] = []
    view.confirm = lambda text: asked.append(text) or True  # type: ignore[func-returns-value]
    view.record_btn.click()
    assert shown == ["SessionDialog", "SessionDialog", "AgreementDialog"]
    assert "达成" in asked[0]  # the agreement is offered, not opened by itself
    assert fake.agreements[0].terms == ("张三拆除越界围墙。", "李四承担一半费用。")
    ((pdf, name),) = view.pdfs  # type: ignore[attr-defined]
    assert pdf.startswith(b"%PDF") and name.startswith("人民调解协议书")


def test_cancel_asks_first(view: RoomsView, fake: FakeRooms) -> None:
    asked: list[str] = []
    view.confirm = lambda text: asked.append(text) or False  # type: ignore[func-returns-value]
    view.select_booking("b2")
    view.cancel_btn.click()
    assert "宅基地纠纷b2" in asked[0] and fake.items["b2"].status == "booked"
    view.confirm = lambda text: True
    view.cancel_btn.click()
    assert fake.items["b2"].status == "cancelled"
    assert view.calendar.rect_of("b2").isNull()  # cancelled blocks are not drawn


def test_tooltip_and_reminder_model(qtmodeltester: object, view: RoomsView) -> None:
    text = view.calendar.tooltip_text(view.bookings[0])
    assert "第一调解室" in text and "当事人：张三、李四" in text and "调解员：王调解" in text
    qtmodeltester.check(view.reminder_model)  # type: ignore[attr-defined]


def test_add_room_and_mediator(view: RoomsView, fake: FakeRooms) -> None:
    def fill(d: QWidget) -> int:
        if isinstance(d, RoomDialog):
            d.buttons.accepted.emit()  # empty name: refused, dialog stays open
            assert d.error.text() == "请填写调解室名称"
            d.name.setText("娘家人调解室")
            d.equipment[2].setChecked(True)
            d.open_rule.setCurrentIndex(1)
            d.weekdays[0].setChecked(True)
            d.weekdays[2].setChecked(True)
            d.slot_mode.setCurrentIndex(1)
        elif isinstance(d, MediatorDialog):
            d.name.setText("陈律师")
            d.kind.setCurrentIndex(1)
            d.specialties.setText("05、0601")
            d.weekdays[2].setChecked(True)
        d.buttons.accepted.emit()  # type: ignore[attr-defined]
        return d.result()  # type: ignore[attr-defined]

    view.dialog_factory = fill
    view.add_room_btn.click()
    room = fake.room_forms[0]
    assert (room.name, room.equipment, room.open_rule, room.weekdays, room.slot_mode) == (
        "娘家人调解室", ("无障碍",), "weekdays", (1, 3), "hourly")  # fmt: skip
    assert len(view.calendar.rooms) == 3 and view.status.text() == "已添加：娘家人调解室"
    view.add_mediator_btn.click()
    m = fake.mediator_forms[0]
    assert (m.name, m.kind, m.specialties, m.weekdays) == (
        "陈律师", "external", ("05", "0601"), (3,))  # fmt: skip


def test_agreement_button_is_gated_on_reached(view: RoomsView, fake: FakeRooms) -> None:
    shown: list[QWidget] = []

    def fill(d: QWidget) -> int:
        shown.append(d)
        if isinstance(d, AgreementDialog):
            d.facts.setPlainText("噪音纠纷")
            d.terms.setPlainText("晚十点后不再施工。")
            d.oral.setChecked(True)
        d.buttons.accepted.emit()  # type: ignore[attr-defined]
        return d.result()  # type: ignore[attr-defined]

    view.dialog_factory = fill
    view.select_booking("b1")
    view.agreement_btn.click()
    assert shown == [] and view.status.text() == "调解结果为“达成”后才能制作调解协议书"
    fake.record_session(SessionInput("c1", at("09:00"), "m1", "背对背", "达成"))
    view.agreement_btn.click()
    assert isinstance(shown[0], AgreementDialog) and fake.agreements[0].form == "oral"
    assert view.status.text().startswith("口头协议已登记")
    assert view.pdfs == []  # type: ignore[attr-defined]  # an oral agreement prints nothing


def test_agreement_button_prints_the_agreement_again_marked_reprint(
    view: RoomsView, fake: FakeRooms
) -> None:
    """Issue 14 #6: a second 调解协议书 click said "这次调解已经登记了调解协议", printed nothing."""
    shown: list[QWidget] = []

    def fill(d: QWidget) -> int:
        shown.append(d)
        d.facts.setPlainText("宅基地边界争议")  # type: ignore[attr-defined]
        d.terms.setPlainText("张三拆除越界围墙。")  # type: ignore[attr-defined]
        d.buttons.accepted.emit()  # type: ignore[attr-defined]
        return d.result()  # type: ignore[attr-defined]

    view.dialog_factory = fill
    fake.record_session(SessionInput("c1", at("09:00"), "m1", "面对面", "达成"))
    view.select_booking("b1")
    view.agreement_btn.click()
    assert len(shown) == 1 and len(fake.agreements) == 1 and len(view.pdfs) == 1  # type: ignore[attr-defined]
    assert not view.status.text().endswith("（补打）")
    view.agreement_btn.click()
    assert len(shown) == 1 and len(fake.agreements) == 1  # no second dialog, no second record
    assert len(view.pdfs) == 2 and view.status.text().endswith("（补打）")  # type: ignore[attr-defined]
    assert view.pdfs[0][1] == view.pdfs[1][1]  # type: ignore[attr-defined]


def _room_service_is_a_rooms_api(svc: RoomService) -> RoomsApi:
    return svc  # mypy checks that the real service satisfies the view's Protocol


def test_fake_is_a_rooms_api(fake: FakeRooms) -> None:
    api: RoomsApi = fake
    assert api.rooms() == ROOMS


def test_booking_dialog_weekly_repeat_makes_a_series(view: RoomsView, fake: FakeRooms) -> None:
    def fill(d: QWidget) -> int:
        assert isinstance(d, BookingDialog)
        assert not d.until.isEnabled()
        d.title.setText("律师值班")
        d.repeat.setChecked(True)
        assert d.until.isEnabled()
        d.until.setDate(_qd(DAY + dt.timedelta(weeks=3)))
        d.buttons.accepted.emit()
        return d.result()

    view.dialog_factory = fill
    view.open_booking(at("16:00"), "r1")
    ((series_id, form),) = fake.series_forms
    assert series_id is None and fake.booked == []
    assert form == SeriesInput("r1", "律师值班", DAY.isoweekday(), dt.time(16), dt.time(17), DAY,
                               DAY + dt.timedelta(weeks=3))  # fmt: skip
    assert view.status.text() == "每周预约已保存：4次"
    assert not view.calendar.rect_of("w0").isNull()


def test_booking_from_case_offers_no_weekly_repeat(view: RoomsView) -> None:
    seen: list[BookingDialog] = []

    def look(d: QWidget) -> int:
        assert isinstance(d, BookingDialog)
        seen.append(d)
        return 0

    view.dialog_factory = look
    view.open_booking(at("16:00"), "r1", case_id="c1")
    assert seen[0].repeat.parentWidget() is None  # not on the form


def test_edit_whole_series_keeps_exceptions(view: RoomsView, fake: FakeRooms) -> None:
    fake.items["w9"] = booking("w9", "r1", "16:00", "17:00", series_id="ser1", title="律师值班")
    view.refresh()
    view.select_booking("b1")
    assert not view.series_btn.isEnabled()
    view.select_booking("w9")
    assert view.series_btn.isEnabled()

    def fill(d: QWidget) -> int:
        assert isinstance(d, SeriesDialog)
        assert (d.title.text(), d.weekday.currentData(), d.room.currentData()) == (
            "律师值班", DAY.isoweekday(), "r1")  # fmt: skip
        d.start.setTime(QTime(15, 0))
        d.title.setText("律师值班（法律援助）")
        d.buttons.accepted.emit()
        return d.result()

    view.dialog_factory = fill
    view.series_btn.click()
    ((series_id, form),) = fake.series_forms
    assert series_id == "ser1" and form.start_time == dt.time(15) and form.note == "每周值班"
    assert form.title == "律师值班（法律援助）" and form.mediator_ids == ("m1",)
    assert "单独调整过的1次保持不变" in view.status.text()
    assert "未预约：12月24日：闭馆" in view.status.text()


def test_edit_room_closures_and_mediator(view: RoomsView, fake: FakeRooms) -> None:
    def fill(d: QWidget) -> int:
        if isinstance(d, RoomDialog):
            assert d.windowTitle() == "修改调解室"
            d.pick.setCurrentIndex(1)
            assert d.name.text() == "第二调解室" and d.closures.text() == "2026-12-01"
            assert d.equipment[1].isChecked() and d.open_rule.currentData() == "always"
            d.closures.setText("明天")
            d.buttons.accepted.emit()
            assert d.error.text() == "闭馆日期“明天”无法识别，请按 2026-12-01 填写"
            d.closures.setText("2026-12-01、2026/12/24")
            d.capacity.setValue(10)
            d.open_to.setTime(QTime(16, 0))
        elif isinstance(d, MediatorDialog):
            assert d.windowTitle() == "修改调解员" and d.specialties.text() == "02"
            assert [c.isChecked() for c in d.weekdays[:3]] == [True, True, False]
            d.specialties.setText("02、0301")
            d.weekdays[0].setChecked(False)
            d.weekdays[4].setChecked(True)
        d.buttons.accepted.emit()  # type: ignore[attr-defined]
        return d.result()  # type: ignore[attr-defined]

    view.dialog_factory = fill
    view.edit_room_btn.click()
    ((room_id, form),) = fake.room_edits
    assert room_id == "r2" and form.capacity == 10 and form.open_to == dt.time(16)
    assert form.closures == (dt.date(2026, 12, 1), dt.date(2026, 12, 24))
    assert view.status.text() == "已修改：第二调解室"
    view.edit_mediator_btn.click()
    ((mediator_id, m),) = fake.mediator_edits
    assert (mediator_id, m.specialties, m.weekdays, m.phone) == (
        "m1", ("02", "0301"), (2, 5), "13812345678")  # fmt: skip
    assert view.status.text() == "已修改：王调解"


def test_closed_hours_and_days_are_shaded(qtbot: QtBot, fake: FakeRooms) -> None:
    g = CalendarGrid()
    qtbot.add_widget(g)
    g.resize(GUTTER_W + 400, HEADER_H + 10 * HOUR_H + 1)
    short = replace(ROOMS[0], open_from=dt.time(9), open_to=dt.time(17, 30))
    g.set_data("day", DAY, (short, ROOMS[1]), (), frozenset({("r2", DAY)}))
    before, after = g.closed_rects(DAY, short)
    assert (before.top(), before.bottom()) == (HEADER_H, HEADER_H + (9 - HOUR_FROM) * HOUR_H)
    assert after.top() == HEADER_H + (17.5 - HOUR_FROM) * HOUR_H
    (whole,) = g.closed_rects(DAY, ROOMS[1])
    assert g.header_text(DAY, ROOMS[1]) == "第二调解室\n4人（闭馆）"
    assert g.header_text(DAY, short) == "第一调解室\n6人"
    assert whole.height() == 10 * HOUR_H and whole.left() > before.right() - 1
    image = g.grab().toImage()
    x1, x2 = int(before.center().x()), int(whole.center().x())
    white = QColor("#ffffff").rgb()
    assert image.pixel(x1, HEADER_H + HOUR_H // 2) != white  # 08:30, before opening
    assert image.pixel(x1, HEADER_H + int(3.5 * HOUR_H)) == white  # 11:30, open
    assert image.pixel(x2, HEADER_H + int(3.5 * HOUR_H)) != white  # closed all day


def test_week_view_shades_closed_days(view: RoomsView, fake: FakeRooms) -> None:
    other = DAY + dt.timedelta(days=1 if DAY.weekday() < 6 else -1)  # same week
    fake.closed.add(("r1", other))
    view.set_mode("week")
    room = ROOMS[0]
    assert ("r1", other) in view.calendar.closed
    (whole,) = view.calendar.closed_rects(other, room)
    assert whole == view.calendar.cell_rect("r1", other)  # the room's whole cell that day
    assert view.calendar.closed_rects(DAY, room) == []  # open that day, nothing shaded


def _qd(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def test_rooms_print_path_checks_for_a_printer_and_offers_save(
    view: RoomsView, fake: FakeRooms, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 14 #8: the rooms' notices went to the print dialog with no printer check."""
    import ui.pdfprint as pdfprint

    view.pdf_sink = view._print_or_save  # the screen's own path, not the test's recorder
    monkeypatch.setattr(pdfprint, "has_printer", lambda: False)
    monkeypatch.setattr(pdfprint, "ask_printer", lambda *_a: pytest.fail("print dialog"))
    target = tmp_path / "notice.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    def choose_save(box: QMessageBox) -> int:
        assert "打印机" in box.windowTitle()
        box.buttons()[0].click()  # 另存为PDF…
        return 0

    monkeypatch.setattr(QMessageBox, "exec", choose_save)
    view.reminder_table.selectRow(0)
    view.notice_btn.click()
    assert target.read_bytes().startswith(b"%PDF") and fake.prints == []
    assert fake.exports == ["n-b1-p1"]  # written to a file: an audited export (issue 11)


def test_a_room_document_saved_from_the_preview_is_an_audited_export(
    view: RoomsView, fake: FakeRooms, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Issue 11: 另存为PDF of a 调解通知书 or 协议书 (from the preview, a printer present) wrote the
    file with nothing in the audit log; the slips' 另存为PDF was already recorded."""
    import ui.pdfprint as pdfprint

    view.pdf_sink = view._print_or_save
    monkeypatch.setattr(pdfprint, "has_printer", lambda: True)
    monkeypatch.setattr(pdfprint, "show_preview", lambda *_a: "save")
    monkeypatch.setattr(pdfprint, "ask_printer", lambda *_a: pytest.fail("print dialog"))
    answers = iter([("", ""), (str(tmp_path / "notice.pdf"), "")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: next(answers))
    view.reminder_table.selectRow(0)
    view.notice_btn.click()  # the file dialog cancelled: nothing written, nothing recorded
    assert fake.exports == [] and not list(tmp_path.iterdir())
    view.notice_btn.click()
    assert (tmp_path / "notice.pdf").read_bytes().startswith(b"%PDF")
    assert fake.exports == ["n-b1-p1"] and fake.prints == []


def test_a_clash_from_sync_is_listed_and_one_side_cancelled_with_one_click(
    view: RoomsView, fake: FakeRooms
) -> None:
    """Issue 16 #3: the clash was only on the sync screen; nothing offered to move or cancel."""
    b1, b2 = fake.items["b1"], replace(fake.items["b2"], start=at("09:30"), title="噪音纠纷")
    fake.items["b2"] = b2
    fake.needs_attention = [AttentionItem("clash", b1, "两台电脑同时预约", b2, "booking:b1:b2")]
    view.refresh_reminders()
    panel = view.attention_panel
    assert view.side.tabText(2) == "待处理（1）" and panel.list.count() == 1
    line = panel.list.item(0).text()
    assert "宅基地纠纷b1" in line and "噪音纠纷" in line and "张三、李四" in line
    assert panel.cancel_other_btn.text() == "取消「噪音纠纷」"
    asked: list[str] = []

    def confirm(text: str) -> bool:
        asked.append(text)
        return True

    view.confirm = confirm
    panel.cancel_other_btn.click()
    assert fake.items["b2"].status == "cancelled" and fake.items["b1"].status == "booked"
    assert "噪音纠纷" in asked[0] and "请电话通知：张三、李四" in asked[0]
    panel.show_btn.click()  # 在日历中改期: the day, the booking selected
    assert view.calendar.selected == "b1" and view.anchor == DAY


def test_a_room_rule_change_opens_a_dialog_listing_the_bookings_it_hits(
    view: RoomsView, fake: FakeRooms
) -> None:
    """Issue 16 #6: closing a room over booked days left the bookings as they were."""
    fake.items["b3"] = replace(fake.items["b3"], start=dt.datetime(2026, 12, 1, 14),
                               end=dt.datetime(2026, 12, 1, 15))  # fmt: skip
    told: list[tuple[str, str]] = []
    view.inform = lambda title, text: told.append((title, text))

    def fill(d: QWidget) -> int:
        if isinstance(d, RoomDialog):
            d.pick.setCurrentIndex(1)  # 第二调解室, closed on 2026-12-01
        d.buttons.accepted.emit()  # type: ignore[attr-defined]
        return d.result()  # type: ignore[attr-defined]

    view.dialog_factory = fill
    view.edit_room_btn.click()
    ((title, text),) = told
    assert title == "调整开放规则" and "宅基地纠纷b3" in text and "张三、李四" in text
    assert view.side.currentWidget() is view.attention_panel
