"""Fixtures of the rooms tests: the room service, two rooms, a mediator and a case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_walk_in
from services.rooms.dto import MediatorInput, RoomInput
from services.rooms.service import RoomService

MON = dt.date(2026, 11, 23)  # NOW (conftest) is Friday 2026-11-20 10:00


def at(day: dt.date, hhmm: str) -> dt.datetime:
    h, m = hhmm.split(":")
    return dt.datetime.combine(day, dt.time(int(h), int(m)))


@pytest.fixture
def svc(ctx: ServiceContext) -> RoomService:
    return RoomService(ctx)


@pytest.fixture
def room(svc: RoomService) -> str:
    return svc.add_room(RoomInput("第一调解室", equipment=("录音录像",))).id


@pytest.fixture
def room2(svc: RoomService) -> str:
    return svc.add_room(RoomInput("第二调解室")).id


@pytest.fixture
def mediator(svc: RoomService) -> str:
    return svc.add_mediator(MediatorInput("王调解", specialties=("02",))).id


@pytest.fixture
def case(ctx: ServiceContext, walk_in: Callable[..., WalkInInput]) -> str:
    parties = (PartyInput(name="张三", phone="13812345678"),
               PartyInput(name="李四", phone="13987654321"))  # fmt: skip
    form = walk_in(parties=parties, head_count=2)
    return register_walk_in(ctx, form).case_id
