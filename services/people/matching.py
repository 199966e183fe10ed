"""Person matching while the clerk types (人员比对): exact ID, phone, name and pinyin initials.

ID numbers and phones are sealed at rest, so they match whole (through their blind index), not
by prefix.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from services.domain.dto import CaseBrief, PersonCandidate
from services.domain.errors import ValidationError
from services.domain.identity import (
    dotless,
    fold_name,
    parse_id_number,
    parse_phone,
    to_halfwidth,
)
from services.domain.textutil import is_pinyin_query, pinyin_of, prefix_end
from services.domain.workflow import OPEN
from services.people.lookup import person_ids_with_earlier_phone
from services.people.summaries import case_brief, person_summary
from services.store.models import Case, CaseParty, Person, VisitPerson
from services.store.personal import id_number_match, phone_match

SCORES = {
    "id_number": 100,
    "phone": 60,
    "phone_earlier": 40,
    "name": 20,
    "name_prefix": 8,
    "initials": 6,
}
OPEN_STATES = tuple(s.value for s in OPEN)


@dataclass
class _Tally:
    reasons: list[str] = field(default_factory=list)
    score: int = 0

    def add(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)
            self.score += SCORES[reason]


def _prefix(column: object, value: str) -> object:
    # Range instead of LIKE so SQLite uses the index on the column.
    return (column >= value) & (column < prefix_end(value))  # type: ignore[operator]


def _ids(session: Session, condition: object, limit: int) -> list[str]:
    return list(session.scalars(select(Person.id).where(condition).limit(limit)))  # type: ignore[arg-type]


def _by_id_number(session: Session, text: str, limit: int) -> list[tuple[str, str]]:
    raw = to_halfwidth(text).strip().upper()
    if not raw:
        return []
    try:
        number = parse_id_number(raw).number
    except ValidationError:
        number = ""
    if number:
        return [(i, "id_number") for i in _ids(session, id_number_match(number), limit)]
    return []  # sealed at rest: a partial number cannot be looked up (issue 11)


def _by_phone(session: Session, text: str, limit: int) -> list[tuple[str, str]]:
    raw = "".join(ch for ch in to_halfwidth(text) if ch.isdigit() or ch == "-")
    if not raw:
        return []
    try:
        number = parse_phone(raw).number
    except ValidationError:
        number = ""
    if number:
        found = [(i, "phone") for i in _ids(session, phone_match(number), limit)]
        earlier = person_ids_with_earlier_phone(session, number, limit)
        return found + [(i, "phone_earlier") for i in earlier]
    return []  # sealed at rest: a partial number cannot be looked up (issue 11)


def _by_name(session: Session, text: str, limit: int) -> list[tuple[str, str]]:
    name = fold_name(text)
    if not name:
        return []
    if is_pinyin_query(name):
        letters = name.lower()
        hits = _ids(session, _prefix(Person.name_initials, letters), limit)
        hits += _ids(session, _prefix(Person.name_pinyin, letters), limit)
        return [(i, "initials") for i in dict.fromkeys(hits)]
    found = [(i, "name") for i in _ids(session, Person.name == name, limit)]
    if not found and "\u00b7" not in name:  # 阿依古丽买买提 typed for 阿依古丽·买买提
        found = [(i, "name") for i in _dotless_ids(session, name, limit)]
    found += [(i, "name_prefix") for i in _ids(session, _prefix(Person.name, name), limit)]
    return found


def _dotless_ids(session: Session, name: str, limit: int) -> list[str]:
    """People whose name is ``name`` with middle dots (same full pinyin, then compared)."""
    full, _ = pinyin_of(name)
    if not full:
        return []
    rows = session.execute(
        select(Person.id, Person.name).where(Person.name_pinyin == full).limit(limit * 4)
    ).all()
    return [str(i) for i, n in rows if "\u00b7" in n and dotless(n) == name][:limit]


def open_cases_of(session: Session, person_ids: Iterable[str]) -> dict[str, list[CaseBrief]]:
    ids = list(person_ids)
    out: dict[str, list[CaseBrief]] = {i: [] for i in ids}
    if not ids:
        return out
    rows = session.execute(
        select(CaseParty.person_id, Case)
        .join(Case, Case.id == CaseParty.case_id)
        .where(CaseParty.person_id.in_(ids), Case.state.in_(OPEN_STATES))
        .order_by(Case.registered_at.desc())
    ).all()
    for person_id, case in rows:
        out[person_id].append(case_brief(case))
    return out


def visit_counts(session: Session, person_ids: Iterable[str]) -> dict[str, int]:
    ids = list(person_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(VisitPerson.person_id, func.count())
        .where(VisitPerson.person_id.in_(ids))
        .group_by(VisitPerson.person_id)
    ).all()  # Result.tuples() is deprecated in SQLAlchemy 2.1; rows unpack as tuples
    return {str(k): int(v) for k, v in rows}


def match_persons(
    session: Session, *, id_number: str = "", phone: str = "", name: str = "", limit: int = 8
) -> tuple[PersonCandidate, ...]:
    """Candidates for the person being typed, best first, each with the reasons it matched."""
    tallies: dict[str, _Tally] = {}
    for finder, value in ((_by_id_number, id_number), (_by_phone, phone), (_by_name, name)):
        for person_id, reason in finder(session, value[:40], limit * 4):
            tallies.setdefault(person_id, _Tally()).add(reason)
    if not tallies:
        return ()
    ranked = sorted(tallies.items(), key=lambda kv: -kv[1].score)[:limit]
    ids = [pid for pid, _ in ranked]
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
    cases = open_cases_of(session, ids)
    visits = visit_counts(session, ids)
    return tuple(
        PersonCandidate(
            person=person_summary(people[pid]),
            reasons=tuple(t.reasons),
            score=t.score,
            open_cases=tuple(cases.get(pid, ())),
            visit_count=visits.get(pid, 0),
        )
        for pid, t in ranked
        if pid in people
    )
