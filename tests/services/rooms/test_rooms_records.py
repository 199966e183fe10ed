"""Weekly series with exceptions, session records and the agreement gate."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from services.context import ServiceContext
from services.domain.errors import ConflictError, ValidationError, ValidationErrors
from services.rooms.dto import (
    AgreementInput,
    BookingInput,
    SeriesInput,
    SessionInput,
)
from services.rooms.service import RoomService
from tests.services.rooms.conftest import MON, at

WEEKLY = dict(title="律师值班", weekday=3, start_time=dt.time(14, 0), end_time=dt.time(16, 0),
              first_date=MON, until_date=MON + dt.timedelta(days=27))  # fmt: skip


def test_series_edit_keeps_exceptions(svc: RoomService, room: str) -> None:
    made = svc.add_series(SeriesInput(room_id=room, **WEEKLY))  # type: ignore[arg-type]
    dates = [b.start.date() for b in made.bookings]
    assert len(dates) == 4 and all(d.isoweekday() == 3 for d in dates)
    moved, cancelled = made.bookings[1], made.bookings[2]
    svc.move(moved.id, at(dates[1], "09:00"), at(dates[1], "11:00"))
    svc.cancel(cancelled.id)
    edited = svc.edit_series(made.series_id, SeriesInput(
        room_id=room, **{**WEEKLY, "start_time": dt.time(15, 0), "end_time": dt.time(17, 0)}))  # type: ignore[arg-type]  # fmt: skip
    assert edited.kept_exceptions == 2
    after = {b.start.date(): b for b in svc.bookings_between(MON, MON + dt.timedelta(days=30),
                                                             include_cancelled=True)}  # fmt: skip
    assert after[dates[0]].time_text == "15:00–17:00"
    assert after[dates[1]].time_text == "09:00–11:00" and after[dates[1]].detached
    assert after[dates[2]].status == "cancelled"
    assert after[dates[3]].time_text == "15:00–17:00"


def test_series_skips_holidays_and_collisions(svc: RoomService, room: str
                                              ) -> None:  # fmt: skip
    svc.book(BookingInput(room, at(MON + dt.timedelta(days=9), "14:30"),
                          at(MON + dt.timedelta(days=9), "15:00"), title="先约的"))  # fmt: skip
    made = svc.add_series(SeriesInput(room_id=room, **WEEKLY))  # type: ignore[arg-type]
    assert len(made.bookings) == 3 and "先约的" in made.skipped[0]  # issue 16 #9
    assert len(svc.bookings_between(MON, MON + dt.timedelta(days=30))) == 4
    weekend = svc.add_series(SeriesInput(room_id=room, **{**WEEKLY, "weekday": 6}))  # type: ignore[arg-type]  # fmt: skip
    assert weekend.bookings == () and len(weekend.skipped) == 4


def _session(case_id: str, mediator_id: str, outcome: str, **kw: object) -> SessionInput:
    return SessionInput(case_id=case_id, started_at=at(MON, "09:00"), presiding_id=mediator_id,
                        mode="面对面", outcome=outcome, process_text="双方陈述，调解员释法明理。",
                        recorder="赵记录", **kw)  # type: ignore[arg-type]  # fmt: skip


def test_agreement_gate(svc: RoomService, case: str, mediator: str, ctx: ServiceContext) -> None:
    ctx.now = lambda: at(MON, "12:00")
    with pytest.raises(ValidationErrors) as errs:
        svc.record_session(_session(case, mediator, "继续调解"))
    assert errs.value.fields == ("next_session_at",)
    first = svc.record_session(_session(case, mediator, "未达成"))
    terms = ("张三于2026年12月31日前拆除越界围墙。",)
    with pytest.raises(ValidationError) as err:
        svc.record_agreement(AgreementInput(first.id, "宅基地边界争议", terms))
    assert err.value.code == "agreement.not_reached"
    second = svc.record_session(_session(case, mediator, "达成"))
    assert second.seq == 2
    form = AgreementInput(second.id, "宅基地边界争议", terms, performance="年底前一次履行完毕")
    doc = svc.record_agreement(form)
    assert doc.copies == 3 and [p.role for p in doc.parties] == ["甲方", "乙方"]
    assert doc.committee == "青山镇人民调解委员会" and not doc.oral
    assert doc.mediators == ("王调解",) and doc.number.endswith("第1号")
    assert doc.date_text == "2026年11月23日"  # GB/T 9704-2012: Arabic numerals
    with pytest.raises(ConflictError):
        svc.record_agreement(AgreementInput(second.id, "x", terms))
    with pytest.raises(ConflictError):  # agreed: no further sessions
        svc.record_session(_session(case, mediator, "未达成"))
    assert svc.agreement_document(doc.id) == doc
    # the snapshot prints the parties' phones in full but keeps them sealed in the file
    phones = [p.phone for p in doc.parties if p.phone]
    assert phones
    with ctx.store.read() as session:
        stored = str(session.execute(text("SELECT content FROM room_document")).scalars().all())
    assert all(phone not in stored for phone in phones) and "e1." in stored


def test_oral_agreement_is_recorded_as_such(
    svc: RoomService,
    case: str,
    mediator: str,
    ctx: ServiceContext,
) -> None:
    ctx.now = lambda: at(MON, "12:00")
    s = svc.record_session(_session(case, mediator, "达成"))
    doc = svc.record_agreement(AgreementInput(s.id, "邻里噪音", ("晚十点后不再施工。",),
                                              form="oral"))  # fmt: skip
    assert doc.oral


def test_session_finishes_its_booking_and_notice(svc: RoomService, room: str, case: str,
                                                 mediator: str, ctx: ServiceContext
                                                 ) -> None:  # fmt: skip
    b = svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), case_id=case,
                              mediator_ids=(mediator,))).booking  # fmt: skip
    notice = svc.notice_document(b.id, b.person_ids[0])
    assert notice.addressee == "张三" and "星期一" in notice.when_text
    assert notice.room_name == "第一调解室" and notice.mediators == ("王调解",)
    ctx.now = lambda: at(MON, "12:00")
    svc.record_session(_session(case, mediator, "未达成", booking_id=b.id))
    (after,) = svc.bookings_between(MON, MON)
    assert after.status == "finished"
