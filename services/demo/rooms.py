"""Demo rooms, mediators and bookings for the demo township (``--demo``); idempotent."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select

from services.domain.errors import ServiceError
from services.rooms.dto import BookingInput, MediatorInput, RoomInput, SeriesInput
from services.rooms.service import RoomService
from services.store.models import Case, MediationRoom

log = logging.getLogger(__name__)

_ROOMS = (
    RoomInput("第一调解室", capacity=8, equipment=("录音录像",)),
    RoomInput("第二调解室", capacity=6, equipment=("录音录像", "视频调解")),
    RoomInput("娘家人调解室", room_type="特色调解室", capacity=4, equipment=("无障碍",)),
)
_MEDIATORS = (
    MediatorInput("王桂兰", specialties=("02", "03")),
    MediatorInput("李建国", specialties=("01", "04")),
    MediatorInput("陈律师", kind="external", specialties=("05", "06"), weekdays=(1, 3)),
)


def seed_rooms(svc: RoomService, cases: int = 8) -> int:
    """Rooms, mediators, a weekly lawyer duty session and bookings for open cases.

    Returns the number of bookings made (0 when rooms already exist). Slots that collide or
    fall on closed days are skipped, so it works on any date.
    """
    with svc.ctx.store.read() as session:
        if session.scalar(select(MediationRoom.id).limit(1)):
            return 0
        query = select(Case.id).where(Case.closed_at.is_(None))
        case_ids = list(session.scalars(query.order_by(Case.registered_at.desc()).limit(cases)))
    rooms = [svc.add_room(r).id for r in _ROOMS]
    mediators = [svc.add_mediator(m).id for m in _MEDIATORS]
    today = svc.ctx.now().date()
    try:
        svc.add_series(SeriesInput(rooms[2], "律师值班（法律咨询）", 3, dt.time(14), dt.time(16),
                                   today, today + dt.timedelta(days=90),
                                   (mediators[2],)))  # fmt: skip
    except ServiceError as exc:  # the rest of the demo does not depend on the series
        log.warning("demo: the duty-lawyer series was not added (%s)", exc.code)
    made = 0
    slots = [(d, h) for d in range(0, 6) for h in (9, 10, 14, 15)]
    for i, case_id in enumerate(case_ids):
        for d, h in slots[i * 2 :]:
            start = dt.datetime.combine(today + dt.timedelta(days=d), dt.time(h))
            try:
                end = start + dt.timedelta(minutes=50)
                svc.book(BookingInput(rooms[i % 2], start, end, case_id=case_id,
                                      mediator_ids=(mediators[i % 2],)))  # fmt: skip
            except ServiceError:
                continue
            made += 1
            break
    return made
