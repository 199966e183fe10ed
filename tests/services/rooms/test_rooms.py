"""Room bookings: conflicts (room, mediator, party), edges, buffer, closed rooms, statuses."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from services.context import ServiceContext
from services.domain.errors import TransitionError, ValidationError
from services.rooms.dto import BookingConflictError, BookingInput, MediatorInput, RoomInput
from services.rooms.service import RoomService
from services.store.models import BookingResource, Outbox, RoomBooking
from tests.services.rooms.conftest import MON, at


def test_booking_for_a_case_pulls_in_parties(svc: RoomService, room: str, case: str,
                                             mediator: str) -> None:  # fmt: skip
    proposal = svc.propose_for_case(case)
    assert proposal.party_names == ("张三", "李四")
    assert proposal.mediator_ids == (mediator,)  # specialty 02 fits category 0202
    result = svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), case_id=case,
                                   mediator_ids=(mediator,)))  # fmt: skip
    b = result.booking
    assert b.party_names == ("张三", "李四") and b.status_label == "已预约"
    assert b.title.startswith(b.case_code)


def test_outbox_gets_booking_but_not_resources(svc: RoomService, room: str, ctx: ServiceContext
                                               ) -> None:  # fmt: skip
    svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), title="律师值班"))
    with ctx.store.read() as s:
        entities = set(s.scalars(select(Outbox.entity)))
        assert "room_booking" in entities and "booking_resource" not in entities
        assert s.scalar(select(func.count()).select_from(BookingResource)) == 1


def test_room_conflict_names_the_other_booking(svc: RoomService, room: str) -> None:
    svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), title="宅基地纠纷"))
    with pytest.raises(BookingConflictError) as err:
        svc.book(BookingInput(room, at(MON, "09:30"), at(MON, "10:30"), title="另一件"))
    assert "第一调解室" in err.value.message and "宅基地纠纷" in err.value.message
    assert [c.kind for c in err.value.collisions] == ["room"]


def test_touching_edges_are_allowed(svc: RoomService, room: str) -> None:
    svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), title="甲"))
    svc.book(BookingInput(room, at(MON, "10:00"), at(MON, "11:00"), title="乙"))
    svc.book(BookingInput(room, at(MON, "08:30"), at(MON, "09:00"), title="丙"))


def test_buffer_between_sessions(ctx: ServiceContext, room: str) -> None:
    svc = RoomService(ctx, buffer=dt.timedelta(minutes=15))
    svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), title="甲"))
    with pytest.raises(BookingConflictError):
        svc.book(BookingInput(room, at(MON, "10:00"), at(MON, "11:00"), title="乙"))
    svc.book(BookingInput(room, at(MON, "10:15"), at(MON, "11:00"), title="乙"))


def test_mediator_conflict_across_rooms(svc: RoomService, room: str, room2: str,
                                        mediator: str) -> None:  # fmt: skip
    svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), title="甲",
                          mediator_ids=(mediator,)))  # fmt: skip
    with pytest.raises(BookingConflictError) as err:
        svc.book(BookingInput(room2, at(MON, "09:30"), at(MON, "10:30"), title="乙",
                              mediator_ids=(mediator,)))  # fmt: skip
    assert [(c.kind, c.name) for c in err.value.collisions] == [("mediator", "王调解")]


def test_party_conflict_across_rooms(svc: RoomService, room: str, room2: str, case: str,
                                     ctx: ServiceContext) -> None:  # fmt: skip
    svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), case_id=case))
    with pytest.raises(BookingConflictError) as err:
        svc.book(BookingInput(room2, at(MON, "09:30"), at(MON, "10:30"), case_id=case))
    assert {c.name for c in err.value.collisions} == {"张三", "李四"}
    assert "当事人“张三”" in err.value.message
    with ctx.store.read() as s:  # nothing saved half
        assert s.scalar(select(func.count()).select_from(RoomBooking)) == 1


def test_bad_input_is_refused_clearly(svc: RoomService, room: str, ctx: ServiceContext) -> None:
    cases = [
        (at(MON, "10:00"), at(MON, "09:00"), "结束时间必须晚于开始时间"),
        (at(dt.date(2026, 11, 20), "08:30"), at(dt.date(2026, 11, 20), "09:00"), "已经过去"),
        (at(dt.date(2026, 11, 21), "09:00"), at(dt.date(2026, 11, 21), "10:00"), "不是工作日"),
        (at(MON, "07:00"), at(MON, "08:00"), "开放时间"),
    ]
    for start, end, text in cases:
        with pytest.raises(ValidationError) as err:
            svc.book(BookingInput(room, start, end, title="x"))
        assert text in err.value.message
    with ctx.store.read() as s:
        assert s.scalar(select(func.count()).select_from(RoomBooking)) == 0


def test_closure_weekday_rule_and_hourly_slots(svc: RoomService) -> None:
    closed = svc.add_room(RoomInput("调解室甲", closures=(MON,))).id
    tuesdays = svc.add_room(RoomInput("调解室乙", open_rule="weekdays", weekdays=(2,))).id
    hourly = svc.add_room(RoomInput("调解室丙", slot_mode="hourly")).id
    for rid, text in ((closed, "停用"), (tuesdays, "只在周二开放"), (hourly, "整点")):
        with pytest.raises(ValidationError) as err:
            svc.book(BookingInput(rid, at(MON, "09:30"), at(MON, "10:30"), title="x"))
        assert text in err.value.message


def test_mediator_off_duty(svc: RoomService, room: str) -> None:
    m = svc.add_mediator(MediatorInput("李律师", kind="external", weekdays=(3,))).id
    with pytest.raises(ValidationError) as err:
        svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), title="x",
                              mediator_ids=(m,)))  # fmt: skip
    assert "只在周三值班" in err.value.message


def test_after_case_deadline_warns(svc: RoomService, room: str, case: str) -> None:
    due = svc.propose_for_case(case).due_at
    assert due is not None
    day = due.date() + dt.timedelta(days=7)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    result = svc.book(BookingInput(room, at(day, "09:00"), at(day, "10:00"), case_id=case))
    assert result.booking.id and any("期限" in w for w in result.warnings)


def test_move_checks_conflicts_and_cancel_frees_time(svc: RoomService, room: str) -> None:
    a = svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), title="甲")).booking
    b = svc.book(BookingInput(room, at(MON, "10:00"), at(MON, "11:00"), title="乙")).booking
    with pytest.raises(BookingConflictError):
        svc.move(b.id, at(MON, "09:30"), at(MON, "10:30"))
    assert svc.move(b.id, at(MON, "10:00"), at(MON, "12:00")).booking.end == at(MON, "12:00")
    svc.cancel(a.id)
    svc.move(b.id, at(MON, "09:00"), at(MON, "10:00"))


def test_status_transitions_and_no_show(svc: RoomService, room: str,
                                        ctx: ServiceContext) -> None:  # fmt: skip
    a = svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), title="甲")).booking
    b = svc.book(BookingInput(room, at(MON, "10:00"), at(MON, "11:00"), title="乙")).booking
    with pytest.raises(TransitionError):
        svc.check_in(a.id)  # too early
    with pytest.raises(TransitionError):
        svc.mark_no_show(a.id)  # not yet due
    ctx.now = lambda: at(MON, "08:45")
    assert svc.check_in(a.id).booking.status_label == "使用中"
    with pytest.raises(TransitionError):
        svc.cancel(a.id)
    assert svc.finish(a.id).booking.status_label == "已结束"
    with pytest.raises(TransitionError):
        svc.finish(a.id)
    ctx.now = lambda: at(MON, "11:05")
    assert svc.expire_overdue().bookings == ()  # the day is not over (issue 16 #4)
    assert svc.mark_no_show(b.id).booking.status_label == "过期未到"
    assert [f.id for f in svc.follow_ups()] == [b.id]  # prompts a follow-up call
    svc.follow_up_done(b.id)
    assert svc.follow_ups() == ()
    with pytest.raises(TransitionError):
        svc.cancel(b.id)


def test_reminders_for_tomorrow_and_today_panel(svc: RoomService, room: str, case: str,
                                                ctx: ServiceContext) -> None:  # fmt: skip
    svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), case_id=case))
    ctx.now = lambda: at(dt.date(2026, 11, 22), "18:00")  # Sunday: tomorrow is Monday
    (item,) = svc.reminders()
    assert [(p.name, p.phone_masked) for p in item.parties] == [
        ("张三", "138****5678"), ("李四", "139****4321")]  # fmt: skip
    assert svc.reveal_phone(item.parties[0].person_id) == "13812345678"
    ctx.now = lambda: at(MON, "09:30")
    assert [b.title for b in svc.today_panel()] == [item.booking.title]
    ctx.now = lambda: at(MON, "10:00")
    assert svc.today_panel() == ()


def test_conflict_check_is_an_indexed_range_query(svc: RoomService, room: str,
                                                  ctx: ServiceContext) -> None:  # fmt: skip
    from sqlalchemy import text

    from services.rooms.rules import find_collisions

    with ctx.store.read() as s:
        stmt: list[str] = []
        conn = s.connection()
        from sqlalchemy import event

        def grab(_c: object, _cur: object, statement: str, *_a: object) -> None:
            stmt.append(statement)

        event.listen(conn, "before_cursor_execute", grab)
        find_collisions(s, [f"room:{room}"], at(MON, "09:00"), at(MON, "10:00"),
                        dt.timedelta(0))  # fmt: skip
        event.remove(conn, "before_cursor_execute", grab)
        sql = stmt[-1].replace("?", "'x'")
        plan = " ".join(str(r) for r in s.execute(text("EXPLAIN QUERY PLAN " + sql)))
    assert "ix_booking_resource_span" in plan


def test_rebuild_holds_restores_the_conflict_index(svc: RoomService, room: str, case: str,
                                                   ctx: ServiceContext) -> None:  # fmt: skip
    from sqlalchemy import delete

    svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), case_id=case))
    c = svc.book(BookingInput(room, at(MON, "11:00"), at(MON, "12:00"), title="x")).booking
    svc.cancel(c.id)
    with ctx.store.write() as s:  # as after a sync pull: bookings without held spans
        s.execute(delete(BookingResource))
    assert svc.rebuild_holds() == 1
    with pytest.raises(BookingConflictError):
        svc.book(BookingInput(room, at(MON, "09:00"), at(MON, "10:00"), title="y"))
    svc.book(BookingInput(room, at(MON, "11:00"), at(MON, "12:00"), title="y"))


def test_demo_seed_is_idempotent(svc: RoomService, case: str) -> None:
    from services.demo.rooms import seed_rooms

    assert seed_rooms(svc) == 1
    assert len(svc.rooms()) == 3 and len(svc.mediators()) == 3
    assert seed_rooms(svc) == 0
