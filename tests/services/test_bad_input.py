"""Bad input through every service that takes text (issue 11): random Unicode with Extension B,
emoji, right-to-left and zero-width marks, NUL and control characters, 100,000-character strings.
Each call either stores the text exactly (as cleaned: trimmed, line breaks unified) or refuses it
with a Chinese message naming the field; a refusal leaves every table as it was."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from services.auth.service import AuthService
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.errors import ServiceError, ValidationError, ValidationErrors
from services.reception.registration import register_walk_in
from services.rooms.dto import BookingInput, CentreContact, RoomInput
from services.rooms.service import RoomService
from services.store.models import Base
from tests.sizes import sized

RARE = "𠮷𪚥𫝀𬉼𰻞"  # Extension B-G
MARKS = "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202e\u2066\u2069\ufeff"
EMOJI = "😀👨‍👩‍👧🇨🇳🧧"
CONTROL = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85"
HAN = "张王李赵调解纠纷宅基地边界"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

pieces = st.sampled_from(
    [RARE, MARKS, EMOJI, CONTROL, HAN, " ", "\n", "\r\n", "\t", "abc", "ٱلعربية"]
)
texts = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40),
    st.lists(pieces, max_size=12).map("".join),
    st.builds(
        lambda c, n: c * n,
        st.sampled_from(["字", "𠮷", "a", "\x00"]),
        st.sampled_from([1, 999, 5001, 100_000]),
    ),
    st.just(RARE + HAN),
)
_PHONES = itertools.count(1)
SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])  # fmt: skip


def _counts(ctx: ServiceContext) -> dict[str, int]:
    with ctx.store.read() as session:
        return {t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
                for t in Base.metadata.sorted_tables}  # fmt: skip


def _cleaned(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _attempt(ctx: ServiceContext, label: str, call: Callable[[], Any]) -> bool:
    """True when stored; on a refusal: a Chinese message naming the field, nothing saved."""
    before = _counts(ctx)
    try:
        call()
    except (ValidationError, ValidationErrors) as exc:
        assert CHINESE.search(exc.message), exc.message
        assert label in exc.message, (label, exc.message)
        assert _counts(ctx) == before, "a refused call left rows behind"
        return False
    except ServiceError as exc:  # refused for another reason: still a Chinese message
        assert CHINESE.search(exc.message), exc.message
        assert _counts(ctx) == before
        return False
    return True


def _stored(ctx: ServiceContext, sql: str, **params: Any) -> str:
    with ctx.store.read() as session:
        return str(session.execute(text(sql), params).scalar())


@sized(quick=10, full=40)
@SETTINGS
@given(value=texts, where=st.sampled_from(["summary", "description", "note", "occurred_place"]))
@example(value=" " + RARE + HAN + EMOJI + "\r\n第二行 ", where="description")
@example(value="字" * 100_000, where="summary")
@example(value="邻里\x00纠纷", where="note")
def test_registration_text_fields(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], value: str, where: str
) -> None:
    labels = {"summary": "诉求简述", "description": "详细情况", "note": "备注",
              "occurred_place": "事发地点"}  # fmt: skip
    form = walk_in(**{where: value})
    result: list[Any] = []
    if _attempt(ctx, labels[where], lambda: result.append(register_walk_in(ctx, form))):
        column = {"note": "SELECT note FROM visit WHERE id = :i"}.get(
            where, f"SELECT {where} FROM case_file WHERE id = :i")  # fmt: skip
        key = result[0].visit_id if where == "note" else result[0].case_id
        assert _stored(ctx, column, i=key) == _cleaned(value)


@sized(quick=10, full=40)
@SETTINGS
@given(value=texts)
@example(value=RARE + HAN)
@example(value="字" * 100_000)
@example(value="\u202e张三\x07")
def test_party_name_and_address(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], value: str
) -> None:
    phone = f"1390000{next(_PHONES):04d}"  # a new person each time (a known one keeps its address)
    party = PartyInput(name="张𠮷", phone=phone, address=value)
    result: list[Any] = []
    if _attempt(
        ctx, "住址", lambda: result.append(register_walk_in(ctx, walk_in(parties=(party,))))
    ):
        got = _stored(ctx, "SELECT address FROM person WHERE id = :i", i=result[0].person_ids[0])
        assert got == (_cleaned(value) or "None")
    bad_name = PartyInput(name=value, phone="13812345678")
    _attempt(ctx, "姓名", lambda: register_walk_in(ctx, walk_in(parties=(bad_name,))))


@sized(quick=10, full=40)
@SETTINGS
@given(value=texts)
@example(value=RARE + HAN)
@example(value="字" * 100_000)
@example(value="\u202e张三\x07")
def test_room_booking_title_and_note(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], value: str
) -> None:
    rooms = RoomService(ctx)
    room = rooms.rooms()[0].id if rooms.rooms() else rooms.add_room(
        RoomInput("第一调解室", open_rule="always")).id  # fmt: skip
    with ctx.store.read() as session:
        n = int(session.scalar(text("SELECT count(*) FROM room_booking")) or 0)
    start = dt.datetime(2027, 1, 4, 9) + dt.timedelta(days=n // 8, hours=n % 8)
    form = BookingInput(room, start, start + dt.timedelta(minutes=30), title=value, note=value)
    result: list[Any] = []
    if _attempt(ctx, "预约事由", lambda: result.append(rooms.book(form))):
        got = _stored(ctx, "SELECT title FROM room_booking WHERE id = :i", i=result[0].booking.id)
        assert got == _cleaned(value)
    contact = CentreContact(value, "0931-8123456")
    _attempt(ctx, "地址", lambda: rooms.set_centre_contact(contact))


@sized(quick=10, full=40)
@SETTINGS
@given(value=texts)
@example(value=RARE + HAN)
@example(value="字" * 100_000)
@example(value="\u202e张三\x07")
def test_user_display_name(ctx: ServiceContext, value: str) -> None:
    auth = AuthService(ctx)
    n = len(auth.users())
    _attempt(ctx, "姓名", lambda: auth.add_user(f"user{n}", value, "mediator", "Pass-word-2026"))
