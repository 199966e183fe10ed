"""Lookups on sealed personal data (个人信息检索): equality through the keyed blind index.

Call these instead of comparing ``Person.id_number`` / ``Person.phone`` (which hold tokens that
differ on every write): each is one probe of an index, true under any key of the key set.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, exists, false, literal, or_, select
from sqlalchemy.orm import Session

from services.store import prepared
from services.store.models import Person, PersonPhone
from services.store.sealed import blind_all


def _match(column: ColumnElement[str | None], value: str, field_name: str) -> ColumnElement[bool]:
    if not value:
        return false()
    hashes = blind_all(value, field_name)
    if len(hashes) == 1:
        return column == hashes[0]
    return or_(*(column == h for h in hashes))


def id_number_match(number: str) -> ColumnElement[bool]:
    """``person`` has exactly this normalised ID (or other certificate) number."""
    return _match(Person.id_number_hmac.expression, number, "id_number")


def phone_match(number: str) -> ColumnElement[bool]:
    """``person`` has exactly this normalised phone number."""
    return _match(Person.phone_hmac.expression, number, "phone")


def _probe_number(hashes: int, typed: bool) -> Callable[[], Select[Any]]:
    def build() -> Select[Any]:
        person = Person.__table__.c
        query = select(literal(1)).where(
            or_(*(person.id_number_hmac == bindparam(f"h{i}") for i in range(hashes)))
        )
        if typed:
            query = query.where(person.id_type == bindparam("id_type"))
        return query.limit(1)

    return build


def _probe_phone(hashes: int) -> Callable[[], Select[Any]]:
    def build() -> Select[Any]:
        person, earlier = Person.__table__.c, PersonPhone.__table__.c
        held: list[Any] = [bindparam(f"h{i}") for i in range(hashes)]
        now = select(literal(1)).where(or_(*(person.phone_hmac == h for h in held)))
        before = select(literal(1)).where(or_(*(earlier.phone_hmac == h for h in held)))
        return select(or_(exists(now), exists(before)))

    return build


def _ready(session: Session) -> None:
    """What an ORM query does first (autoflush): a person added earlier in this unit of work
    (the same person typed twice on one form) is found by the probes."""
    if session.autoflush:
        session.flush()


def anyone_with_number(session: Session, number: str, id_type: str | None = None) -> bool:
    """Whether a person holds this document number (of ``id_type`` when given): an index probe
    compiled once (services.store.prepared), no ORM query, so that a number nobody holds (most
    walk-ins) costs what SQLite's probe does."""
    if not number:
        return False
    hashes = blind_all(number, "id_number")
    params: dict[str, Any] = {f"h{i}": h for i, h in enumerate(hashes)}
    if id_type is not None:
        params["id_type"] = id_type
    _ready(session)
    key = ("anyone_with_number", len(hashes), id_type is not None)
    return bool(prepared.run(session, key, _probe_number(len(hashes), id_type is not None), params))


def anyone_with_phone(session: Session, phone: str) -> bool:
    """Whether a person has this phone now or had it before (see :func:`anyone_with_number`)."""
    if not phone:
        return False
    hashes = blind_all(phone, "phone")
    _ready(session)
    params = {f"h{i}": h for i, h in enumerate(hashes)}
    return bool(prepared.scalar(session, ("anyone_with_phone", len(hashes)),
                                _probe_phone(len(hashes)), params))  # fmt: skip
