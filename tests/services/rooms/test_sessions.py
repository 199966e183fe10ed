"""Session records drive the case (issue 16 #1, #2): no future records, corrections with a reason,
a director's void, the outcome as the case's mediation result, the case's mediation file."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from services.cases.actions import perform
from services.cases.detail import get_case
from services.context import ServiceContext
from services.domain.errors import (
    ConflictError,
    TransitionError,
    ValidationError,
)
from services.rooms.dto import AgreementInput, BookingInput, RecordPermissionError, SessionInput
from services.rooms.service import RoomService
from services.setup.township import add_user
from services.store.models import CaseEvent
from tests.services.conftest import NOW
from tests.services.rooms.conftest import MON, at

THU = MON + dt.timedelta(days=3)  # "next Thursday", six days after NOW (Friday)


def _session(case_id: str, mediator_id: str, outcome: str, start: dt.datetime,
             **kw: object) -> SessionInput:  # fmt: skip
    base: dict[str, object] = dict(case_id=case_id, started_at=start, presiding_id=mediator_id,
                                   mode="面对面", outcome=outcome, recorder="赵记录",
                                   process_text="双方陈述，调解员释法明理。")  # fmt: skip
    return SessionInput(**{**base, **kw})  # type: ignore[arg-type]


def _book(svc: RoomService, room: str, case: str, mediator: str,
          start: dt.datetime) -> str:  # fmt: skip
    return svc.book(BookingInput(room, start, start + dt.timedelta(hours=1), case_id=case,
                                 mediator_ids=(mediator,))).booking.id  # fmt: skip


def _later(ctx: ServiceContext, when: dt.datetime) -> None:
    ctx.now = lambda: when


def _mediate_events(ctx: ServiceContext, case_id: str) -> list[str]:
    with ctx.store.read() as s:
        return list(s.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case_id)
                              .order_by(CaseEvent.seq)))  # fmt: skip


# --- 1: a session cannot be recorded before it starts; corrections; a director's void ----------


def test_future_booking_cannot_be_recorded_as_reached(
    svc: RoomService, room: str, case: str, mediator: str
) -> None:
    bid = _book(svc, room, case, mediator, at(THU, "09:00"))
    with pytest.raises(ValidationError) as err:
        svc.record_session(_session(case, mediator, "达成", at(THU, "09:00"), booking_id=bid))
    assert err.value.code == "session.not_started"
    assert svc.sessions(case) == ()
    (b,) = svc.bookings_between(THU, THU)
    assert b.status == "booked"


def test_session_without_booking_cannot_be_dated_ahead(
    svc: RoomService, case: str, mediator: str
) -> None:
    with pytest.raises(ValidationError) as err:
        svc.record_session(_session(case, mediator, "未达成", NOW + dt.timedelta(hours=1)))
    assert err.value.code == "session.not_started"


def test_finish_before_the_session_is_refused(
    svc: RoomService, room: str, case: str, mediator: str
) -> None:
    bid = _book(svc, room, case, mediator, at(THU, "09:00"))
    with pytest.raises(TransitionError):
        svc.finish(bid)


def test_correction_needs_a_reason_and_is_kept_in_history(
    svc: RoomService, case: str, mediator: str, ctx: ServiceContext
) -> None:
    first = svc.record_session(_session(case, mediator, "未达成", NOW - dt.timedelta(hours=2)))
    fixed = _session(case, mediator, "未达成", NOW - dt.timedelta(hours=2),
                     process_text="双方陈述；被申请人同意下周再谈。")  # fmt: skip
    with pytest.raises(ValidationError) as err:
        svc.correct_session(first.id, fixed, "  ")
    assert err.value.field == "reason"
    svc.correct_session(first.id, fixed, "漏记被申请人意见")
    (change,) = svc.session_history(first.id)
    assert change.kind == "correct" and change.reason == "漏记被申请人意见"
    assert change.before["process_text"] == "双方陈述，调解员释法明理。"
    assert change.after["process_text"] == "双方陈述；被申请人同意下周再谈。"
    assert svc.session_form(first.id).process_text == "双方陈述；被申请人同意下周再谈。"


def test_correcting_the_outcome_corrects_the_case(svc: RoomService, case: str,
                                                   mediator: str, ctx: ServiceContext
                                                   ) -> None:  # fmt: skip
    s = svc.record_session(_session(case, mediator, "达成", NOW - dt.timedelta(hours=1)))
    assert get_case(ctx, case).state == "evaluation_pending"
    svc.correct_session(s.id, _session(case, mediator, "未达成", NOW - dt.timedelta(hours=1)),
                        "误选结果，实际未达成")  # fmt: skip
    assert get_case(ctx, case).state == "mediation_failed"


def test_only_a_director_voids_a_record(
    svc: RoomService, case: str, mediator: str, ctx: ServiceContext
) -> None:
    s = svc.record_session(_session(case, mediator, "达成", NOW - dt.timedelta(hours=1)))
    with ctx.store.write() as session:
        clerk = add_user(session, username="li", display_name="李调解", role="mediator",
                         org_id=ctx.township_id).id  # fmt: skip
        boss = add_user(session, username="zhou", display_name="周主任", role="director",
                        org_id=ctx.township_id).id  # fmt: skip
    ctx.user_id = clerk
    with pytest.raises(RecordPermissionError):
        svc.void_session(s.id, "记录有误")
    ctx.user_id = boss
    with pytest.raises(ValidationError):
        svc.void_session(s.id, "")
    voided = svc.void_session(s.id, "误将下周的调解登记为达成")
    assert voided.voided
    assert get_case(ctx, case).state == "mediating"  # the case is back in mediation
    (change,) = svc.session_history(s.id)
    assert change.kind == "void" and change.by_name == "周主任"
    again = svc.record_session(_session(case, mediator, "未达成", NOW - dt.timedelta(minutes=5)))
    assert again.seq == 2
    assert [x.voided for x in svc.sessions(case)] == [True, False]


def test_no_sessions_or_bookings_for_a_voided_case(
    svc: RoomService, room: str, case: str, mediator: str, ctx: ServiceContext
) -> None:
    perform(ctx, case, "void", {"reason": "重复登记"})
    with pytest.raises(ConflictError) as err:
        svc.record_session(_session(case, mediator, "未达成", NOW - dt.timedelta(hours=1)))
    assert "作废" in err.value.message
    with pytest.raises(ConflictError):
        _book(svc, room, case, mediator, at(THU, "09:00"))


# --- 2: booking starts the mediation step; the outcome is the case's result ---------------------


def test_booking_starts_mediation_and_its_30_day_clock(
    svc: RoomService, room: str, case: str, mediator: str, ctx: ServiceContext
) -> None:
    assert get_case(ctx, case).state == "accepted"
    _book(svc, room, case, mediator, at(THU, "09:00"))
    detail = get_case(ctx, case)
    assert detail.state == "mediating"
    (clock,) = [c for c in detail.clocks if c.milestone == "mediation"]
    assert clock.due_at.date() == (NOW + dt.timedelta(days=30)).date()
    _book(svc, room, case, mediator, at(THU, "14:00"))  # a second booking continues the step
    assert _mediate_events(ctx, case).count("mediate") == 1


def test_outcomes_drive_the_case(
    svc: RoomService, room: str, case: str, mediator: str, ctx: ServiceContext
) -> None:
    bid = _book(svc, room, case, mediator, at(MON, "09:00"))
    _later(ctx, at(MON, "10:30"))
    svc.record_session(_session(case, mediator, "继续调解", at(MON, "09:00"), booking_id=bid,
                                next_session_at=at(THU, "09:00")))  # fmt: skip
    assert get_case(ctx, case).state == "mediating"
    svc.record_session(_session(case, mediator, "未达成", at(MON, "09:00")))
    detail = get_case(ctx, case)
    assert detail.state == "mediation_failed"
    assert {"assign", "close", "escalate", "mediate"} <= set(detail.allowed_actions)
    _book(svc, room, case, mediator, at(THU, "09:00"))  # next session: back in mediation
    assert get_case(ctx, case).state == "mediating"
    _later(ctx, at(THU, "10:30"))
    third = svc.record_session(_session(case, mediator, "达成", at(THU, "09:00")))
    detail = get_case(ctx, case)
    assert detail.state == "evaluation_pending"  # 达成 → evaluation → 办结
    assert "mediation_result" not in detail.allowed_actions  # entered once, in the record
    results = [e.payload.get("result") for e in detail.timeline if e.action == "mediation_result"]
    assert results == ["continuing", "not_reached", "reached"]
    with pytest.raises(ConflictError):
        svc.record_session(_session(case, mediator, "未达成", at(THU, "09:30")))
    svc.record_agreement(AgreementInput(third.id, "宅基地边界争议", ("张三拆除越界围墙。",)))


def test_case_mediation_lists_bookings_sessions_agreements(
    svc: RoomService, room: str, case: str, mediator: str, ctx: ServiceContext
) -> None:
    bid = _book(svc, room, case, mediator, at(MON, "09:00"))
    _book(svc, room, case, mediator, at(THU, "09:00"))
    _later(ctx, at(MON, "10:30"))
    s = svc.record_session(_session(case, mediator, "达成", at(MON, "09:00"), booking_id=bid))
    doc = svc.record_agreement(AgreementInput(s.id, "宅基地边界争议", ("张三拆除越界围墙。",)))
    file = svc.case_mediation(case)
    assert [b.start for b in file.bookings] == [at(MON, "09:00"), at(THU, "09:00")]
    assert [b.status for b in file.bookings] == ["finished", "booked"]
    assert [(x.id, x.booking_id, x.outcome) for x in file.sessions] == [(s.id, bid, "达成")]
    assert [(a.id, a.number, a.session_id) for a in file.agreements] == [(doc.id, doc.number, s.id)]
