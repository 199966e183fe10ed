"""Finding people by their personal data, and keeping their earlier phones (storage side).

Every query on ``person.id_number``, ``person.phone`` and ``person_phone.phone`` made for
registration goes through here, so the way those columns are stored can change in one place.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from services.domain.ids import uuid7
from services.store.models import Person, PersonPhone
from services.store.personal import (
    anyone_with_number,
    anyone_with_phone,
    id_number_match,
    phone_match,
)
from services.store.sealed import blind_all


def _earlier_phone_match(phone: str) -> ColumnElement[bool]:
    """``person_phone`` holds this phone (sealed: through its blind index, under any key)."""
    hashes = blind_all(phone, "phone")
    return or_(*(PersonPhone.phone_hmac == h for h in hashes))


def person_with_number(session: Session, number: str, id_type: str | None = None) -> Person | None:
    """The person holding this document number (of ``id_type`` when given)."""
    if not anyone_with_number(session, number, id_type):  # most walk-ins: no ORM query
        return None
    query = select(Person).where(id_number_match(number))
    if id_type is not None:
        query = query.where(Person.id_type == id_type)
    return session.scalars(query.limit(1)).first()


def people_with_phone(session: Session, phone: str, limit: int = 20) -> list[Person]:
    """People whose phone is ``phone``, then people who had it before; newest first."""
    if not anyone_with_phone(session, phone):  # most walk-ins: no ORM query
        return []
    current = phone_match(phone)
    earlier = select(PersonPhone.person_id).where(_earlier_phone_match(phone))
    query = (
        select(Person)
        .where(or_(current, Person.id.in_(earlier)))
        .order_by(current.desc(), Person.created_at.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def person_ids_with_earlier_phone(session: Session, phone: str, limit: int) -> list[str]:
    """Ids of people who had ``phone`` before their current one."""
    return list(
        session.scalars(
            select(PersonPhone.person_id).where(_earlier_phone_match(phone)).distinct().limit(limit)
        )
    )


def earlier_phones(session: Session, person_id: str) -> list[str]:
    """A person's earlier phones, the most recently replaced first."""
    return list(
        session.scalars(
            select(PersonPhone.phone).where(PersonPhone.person_id == person_id)
            .order_by(PersonPhone.replaced_at.desc())
        )
    )  # fmt: skip


def set_phone(session: Session, person: Person, phone: str, now: dt.datetime) -> str | None:
    """Make ``phone`` the person's current phone; the one it replaces is kept as an earlier
    phone (never lost). Returns the replaced phone, or None when there was none or it is the
    same."""
    old = person.phone
    if old == phone:
        return None
    person.phone = phone
    if not old:
        return None
    known = session.scalars(
        select(PersonPhone).where(PersonPhone.person_id == person.id, _earlier_phone_match(old))
    ).first()
    if known is None:
        session.add(PersonPhone(id=uuid7(), person_id=person.id, phone=old, replaced_at=now))
    else:
        known.replaced_at = now
    return old
