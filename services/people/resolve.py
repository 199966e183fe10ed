"""Who a typed party is (人员认定): the chosen person, the holder of the ID number, someone with
the same name and phone, or a new person; and when the typed data contradicts the record.

Rules (issue 12, findings 1 and 3):

* An ID number already registered under another name stops the save (``name`` conflict): the
  clerk corrects the number, or confirms a change of name with a reason, which is recorded as a
  ``person_event`` (never a silent overwrite, never the typed name dropped).
* An ID number whose birth date or sex differs from the person's record, a chosen person who
  already holds another number, or a number held by someone other than the chosen person stop
  the save too; only the number can be corrected.
* Without an ID (or with one nobody holds yet), the same name and the same phone (current or
  earlier) is the same person: matched, and the visit flagged as a repeat, reason 同名同电话.
* A new phone replaces the current one and the old one is kept (``person_phone``), with a notice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from services.domain.dto import IdentityConflict
from services.domain.errors import IdentityConflictError, NotFoundError
from services.domain.identity import (
    IdNumberInfo,
    dotless,
    fold_name,
    mask_id_number,
    mask_phone,
)
from services.domain.ids import uuid7
from services.domain.messages import msg, when
from services.domain.textutil import pinyin_of
from services.people.lookup import people_with_phone, person_with_number, set_phone
from services.store.models import Person, PersonEvent

CHOSEN = "chosen"
BY_ID_NUMBER = "id_number"
SAME_NAME_PHONE = "same_name_phone"
NEW = "new"
HOW_LABELS = {CHOSEN: "已选人员", BY_ID_NUMBER: "证件号码一致", SAME_NAME_PHONE: "同名同电话"}


@dataclass(frozen=True, slots=True)
class TypedParty:
    """A validated party as typed on the form."""

    index: int
    name: str
    id_type: str
    id_info: IdNumberInfo | None = None  # a GB 11643-format number, parsed
    other_id: str | None = None  # a passport number, normalised
    phone: str | None = None
    address: str = ""
    person_id: str | None = None
    rename_reason: str = ""


@dataclass
class Resolved:
    """The person a party is, how they were found, and what changed on their record."""

    person: Person
    how: str
    notices: list[str] = field(default_factory=list)
    events: list[PersonEvent] = field(default_factory=list)
    renamed: bool = False


def same_name(a: str, b: str) -> bool:
    """One name however typed: middle dots or none, spacing and letter case aside."""

    def key(name: str) -> str:
        return " ".join(dotless(fold_name(name)).split()).casefold()

    return key(a) == key(b)


def _number(party: TypedParty) -> str | None:
    return party.id_info.number if party.id_info is not None else party.other_id


def _holder(session: Session, party: TypedParty) -> Person | None:
    if party.id_info is not None:
        return person_with_number(session, party.id_info.number)
    if party.other_id is not None:
        return person_with_number(session, party.other_id, party.id_type)
    return None


def _conflict(party: TypedParty, kind: str, person: Person, message: str) -> IdentityConflict:
    return IdentityConflict(
        party_index=party.index, kind=kind, person_id=person.id, typed_name=party.name,
        stored_name=person.name, id_number_masked=mask_id_number(_number(party) or ""),
        message=message,
    )  # fmt: skip


def _birth_sex(born: dt.date | None, sex: str | None) -> tuple[str, ...]:
    """出生日期…、性别… (the parts that differ)."""
    parts = (msg("出生日期{date}", date=when(born)) if born else None,
             msg("性别{sex}", sex=sex) if sex else None)  # fmt: skip
    return tuple(p for p in parts if p is not None)


def _birth_sex_conflict(party: TypedParty, person: Person) -> IdentityConflict | None:
    info = party.id_info
    if info is None or info.birth_date is None:
        return None
    born = person.birth_date is not None and person.birth_date != info.birth_date
    sex = person.gender is not None and person.gender != info.gender
    if not (born or sex):
        return None
    masked = mask_id_number(info.number)
    stored = _birth_sex(person.birth_date if born else None, person.gender if sex else None)
    encoded = _birth_sex(info.birth_date if born else None, info.gender if sex else None)
    message = msg(
        "证件号码{number}对应{encoded}，而人员“{name}”登记的是{stored}，请核对证件号码",
        number=masked,
        encoded=encoded,
        name=person.name,
        stored=stored,
    )
    return _conflict(party, "birth_sex", person, message)


def _name_conflict(
    party: TypedParty, person: Person, *, chosen: bool = False
) -> IdentityConflict | None:
    """A name other than the record's: a conflict unless the chosen person is renamed."""
    if same_name(party.name, person.name) or (chosen and party.rename_reason):
        return None
    number = _number(party)
    if number and person.id_number == number:
        message = msg(
            "证件号码{number}已登记在“{name}”名下，本次填写的姓名是“{typed}”。"
            "请修改号码；如确系同一人更名，请确认更名并填写原因",
            number=mask_id_number(number),
            name=person.name,
            typed=party.name,
        )
    else:
        message = msg(
            "所选人员登记的姓名是“{name}”，本次填写的是“{typed}”。"
            "请核对；如确系同一人更名，请确认更名并填写原因",
            name=person.name,
            typed=party.name,
        )
    return _conflict(party, "name", person, message)


def _chosen_conflict(
    party: TypedParty, chosen: Person, holder: Person | None
) -> IdentityConflict | None:
    number = _number(party)
    if number is None:
        return None
    if holder is not None and holder.id != chosen.id:
        message = msg("证件号码{number}已登记在“{holder}”名下，与所选人员“{chosen}”不是同一人，"
                      "请核对证件号码", number=mask_id_number(number), holder=holder.name,
                      chosen=chosen.name)  # fmt: skip
        return _conflict(party, "other_holder", holder, message)
    if chosen.id_number and chosen.id_number != number:
        message = msg(
            "所选人员“{chosen}”已登记证件号码{number}，与本次填写的{typed}不同，请核对证件号码",
            chosen=chosen.name,
            number=mask_id_number(chosen.id_number),
            typed=mask_id_number(number),
        )
        return _conflict(party, "other_number", chosen, message)
    return None


def _same_name_phone(session: Session, party: TypedParty) -> Person | None:
    """Someone with this name and this phone (current or earlier) who holds no other number."""
    if not party.phone:
        return None
    number = _number(party)
    for person in people_with_phone(session, party.phone):
        if same_name(person.name, party.name) and (number is None or not person.id_number):
            return person
    return None


def _find(
    session: Session, party: TypedParty
) -> tuple[Person | None, str, IdentityConflict | None]:
    """(existing person or None, how found, conflict) for one party."""
    holder = _holder(session, party)
    if party.person_id:
        chosen = session.get(Person, party.person_id)
        if chosen is None:
            raise NotFoundError("person.not_found", msg("找不到所选人员：{name}", name=party.name))
        conflict = (_chosen_conflict(party, chosen, holder) or _birth_sex_conflict(party, chosen)
                    or _name_conflict(party, chosen, chosen=True))  # fmt: skip
        return chosen, CHOSEN, conflict
    if holder is not None:
        return (
            holder,
            BY_ID_NUMBER,
            _birth_sex_conflict(party, holder) or _name_conflict(party, holder),
        )
    found = _same_name_phone(session, party)
    return found, SAME_NAME_PHONE if found is not None else NEW, None


def _rename(person: Person, party: TypedParty, now: dt.datetime, actor: str | None) -> Resolved:
    old = person.name
    person.name = party.name
    person.name_pinyin, person.name_initials = pinyin_of(party.name)
    detail = {"from": old, "to": party.name, "reason": party.rename_reason}
    event = PersonEvent(id=uuid7(), person_id=person.id, kind="rename", at=now, actor_id=actor,
                        detail=detail)  # fmt: skip
    notice = msg("已将“{old}”更名为“{new}”（原因：{reason}），原姓名已记录", old=old,
                 new=party.name, reason=party.rename_reason)  # fmt: skip
    return Resolved(person, CHOSEN, [notice], [event], renamed=True)


def _fill_in(session: Session, resolved: Resolved, party: TypedParty, now: dt.datetime) -> None:
    """Blanks of the record from what was typed; a new phone replaces the old, which is kept."""
    person = resolved.person
    if party.id_info is not None and not person.id_number:
        person.id_number = party.id_info.number
        person.id_type = party.id_type
        person.birth_date = party.id_info.birth_date
        person.gender = party.id_info.gender
    if party.other_id is not None and not person.id_number:
        person.id_number, person.id_type = party.other_id, party.id_type
    if party.phone:
        old = set_phone(session, person, party.phone, now)
        if old is not None:
            resolved.notices.append(
                msg(
                    "“{name}”的联系电话已更新为{phone}，原号码{old}已保留",
                    name=person.name,
                    phone=mask_phone(party.phone),
                    old=mask_phone(old),
                )
            )
    if party.address and not person.address:
        person.address = party.address


def _new_person(session: Session, party: TypedParty, now: dt.datetime) -> Person:
    full, initials = pinyin_of(party.name)
    person = Person(id=uuid7(), name=party.name, name_pinyin=full, name_initials=initials,
                    id_type=party.id_type, created_at=now)  # fmt: skip
    session.add(person)
    return person


def resolve_people(
    session: Session, parties: Sequence[TypedParty], now: dt.datetime, actor_id: str | None
) -> list[Resolved]:
    """The person each party is, creating new ones; raises :class:`IdentityConflictError`
    (listing every party in conflict) before anything is kept when the typed data contradicts
    a record."""
    out: list[Resolved] = []
    conflicts: list[IdentityConflict] = []
    for party in parties:
        person, how, conflict = _find(session, party)
        if conflict is not None:
            conflicts.append(conflict)
            continue
        if person is None:
            resolved = Resolved(_new_person(session, party, now), NEW)
        elif how == CHOSEN and not same_name(party.name, person.name):
            resolved = _rename(person, party, now, actor_id)
            session.add_all(resolved.events)
        else:
            resolved = Resolved(person, how)
        _fill_in(session, resolved, party, now)
        out.append(resolved)
    if conflicts:
        raise IdentityConflictError(conflicts)
    return out
