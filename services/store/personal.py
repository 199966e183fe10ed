"""Lookups on sealed personal data (个人信息检索): equality through the keyed blind index.

Call these instead of comparing ``Person.id_number`` / ``Person.phone`` (which hold tokens that
differ on every write): each is one probe of an index, true under any key of the key set.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_

from services.store.models import Person
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
