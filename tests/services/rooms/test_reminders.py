"""Reminders on working days (issue 16 #5): the next working day and everything until it, calls
recorded with who and when, notices from any day with the centre's address and phone."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.agreement import notice_slip
from services.context import ServiceContext
from services.rooms.dto import BookingInput, CentreContact, RoomInput
from services.rooms.service import RoomService
from services.setup.township import add_user
from tests.services.rooms.conftest import MON, at

SAT = MON - dt.timedelta(days=2)  # NOW (conftest) is Friday 2026-11-20 10:00


def test_friday_reminds_for_the_weekend_and_monday(svc: RoomService, room: str, case: str) -> None:
    always = svc.add_room(RoomInput("周末调解室", open_rule="always")).id
    svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), case_id=case))
    svc.book(BookingInput(always, at(SAT, "09:00"), at(SAT, "10:00"), case_id=case))
    svc.book(BookingInput(room, at(MON + dt.timedelta(1), "09:00"),
                          at(MON + dt.timedelta(1), "10:00"), case_id=case))  # fmt: skip
    items = svc.reminders()
    assert [i.booking.start for i in items] == [at(SAT, "09:00"), at(MON, "09:00")]
    assert svc.reminder_days() == (SAT, SAT + dt.timedelta(1), MON)


def test_before_national_day_reminds_through_the_holiday(
    svc: RoomService, room: str, case: str, ctx: ServiceContext
) -> None:
    ctx.now = lambda: dt.datetime(2026, 9, 30, 16, 0)
    after = dt.date(2026, 10, 8)
    svc.book(BookingInput(room, at(after, "09:00"), at(after, "10:00"), case_id=case))
    days = svc.reminder_days()
    assert days[0] == dt.date(2026, 10, 1) and days[-1] == after
    assert [i.booking.start.date() for i in svc.reminders()] == [after]


def test_calls_are_recorded_with_who_and_when(
    svc: RoomService, room: str, case: str, ctx: ServiceContext
) -> None:
    with ctx.store.write() as session:
        ctx.user_id = add_user(session, username="wu", display_name="吴接待",
                               role="receptionist", org_id=ctx.township_id).id  # fmt: skip
    b = svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), case_id=case)).booking
    (item,) = svc.reminders()
    assert [p.called_at for p in item.parties] == [None, None]
    svc.record_call(b.id, b.person_ids[0], "已通知")
    (item,) = svc.reminders()
    first, second = item.parties
    assert (first.called_at, first.called_by, first.call_result) == (
        dt.datetime(2026, 11, 20, 10, 0), "吴接待", "已通知")  # fmt: skip
    assert second.called_at is None


def test_notice_from_any_day_has_the_centre_and_the_code_once(
    svc: RoomService, room: str, case: str
) -> None:
    later = MON + dt.timedelta(days=17)
    b = svc.book(BookingInput(room, at(later, "09:00"), at(later, "10:00"), case_id=case)).booking
    svc.set_centre_contact(CentreContact("青山镇综治中心二楼（青山镇政府院内）", "0931-1234567"))
    doc = svc.notice_document(b.id, b.person_ids[0])
    assert doc.centre_address.startswith("青山镇综治中心") and doc.centre_phone == "0931-1234567"
    slip = notice_slip(doc)
    text = "".join(slip.paragraphs)
    assert "0931-1234567" in text and "青山镇综治中心二楼" in text
    assert b.case_code not in text and b.case_code not in doc.title  # printed once, as 案件编号
    assert slip.case_code == b.case_code


def test_revealing_a_phone_for_a_call_is_an_audited_unmasking(
    svc: RoomService, room: str, case: str, ctx: ServiceContext
) -> None:
    """The reminders' 显示号码 follows the trust issue's unmasking: the permission is checked and
    each look is an 'unmask' audit entry naming the field and the reason, never the number."""
    from sqlalchemy import select

    from services.auth.service import AuthService
    from services.domain.errors import PermissionDeniedError
    from services.store.models import AuditLog

    b = svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), case_id=case)).booking
    auth = AuthService(ctx)
    auth.add_user("admin2", "赵管理", "admin", "Admin-pass-2026")
    auth.add_user("clerk2", "钱接待", "receptionist", "Clerk-pass-2026")
    ctx.requires_sign_in = True
    auth.sign_in("admin2", "Admin-pass-2026")
    with pytest.raises(PermissionDeniedError):
        svc.reveal_phone(b.person_ids[0])
    auth.sign_in("clerk2", "Clerk-pass-2026")
    assert svc.reveal_phone(b.person_ids[0]) == "13812345678"
    with ctx.store.read() as session:
        rows = session.execute(select(AuditLog.entity_id, AuditLog.detail)
                               .where(AuditLog.action == "unmask")).all()  # fmt: skip
    assert [(r.entity_id, r.detail["field"], r.detail["reason"]) for r in rows] == [
        (b.person_ids[0], "phone", "电话提醒当事人")]  # fmt: skip
    assert "13812345678" not in str(rows)
