"""Frozen data transfer objects returned by services (never ORM rows)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

ALL_CASES = frozenset({"*"})  # ``Changes.case_ids`` when any case may have changed (a scan)


@dataclass(frozen=True, slots=True)
class Changes:
    """What a mutating call changed, so open views can decide whether to reload."""

    case_ids: frozenset[str] = frozenset()
    visits: bool = False
    people: bool = False
    reference: bool = False
    bookings: bool = False  # rooms, bookings, sessions, reminders (调解室)
    slips: bool = False  # issued, printed or voided 文书

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.case_ids | other.case_ids,
            self.visits or other.visits,
            self.people or other.people,
            self.reference or other.reference,
            self.bookings or other.bookings,
            self.slips or other.slips,
        )

    def __bool__(self) -> bool:
        return bool(self.case_ids) or self.visits or self.people or self.reference or (
            self.bookings or self.slips)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PartyInput:
    """A person named on a walk-in form (来访人/当事人).

    ``person_id`` attaches an existing person found by matching; otherwise one is matched by
    ID number, or by the same name and phone, or created. ``rename_reason`` confirms that the
    person ``person_id`` now goes by ``name`` (a change of name, recorded with the reason).
    """

    name: str
    role: str = "applicant"
    is_visitor: bool = True
    id_type: str = "111"
    id_number: str = ""
    phone: str = ""
    address: str = ""
    person_id: str | None = None
    rename_reason: str = ""


@dataclass(frozen=True, slots=True)
class IdentityConflict:
    """A typed person who cannot be saved as is (证件号码与姓名不符): the ID number is registered to
    someone of another name, or does not fit the chosen person's birth date, sex or number.

    ``kind``: ``name`` (the clerk may correct the number or confirm a change of name),
    ``birth_sex``, ``other_number`` or ``other_holder`` (the number must be corrected).
    """

    party_index: int
    kind: str
    person_id: str
    typed_name: str
    stored_name: str
    id_number_masked: str
    message: str

    @property
    def can_rename(self) -> bool:
        return self.kind == "name"


@dataclass(frozen=True, slots=True)
class WalkInInput:
    """The walk-in registration form (群众来访登记), research/domain.md §2.1."""

    parties: tuple[PartyInput, ...]
    summary: str
    category_code: str
    disposition: str
    channel: str = "walk_in"
    head_count: int = 1
    title: str = ""
    description: str = ""
    risk_colour: str = "green"
    risk_basis: str = ""
    handling_level: str = "township"
    village_id: str | None = None
    grid_id: str | None = None
    occurred_at: dt.datetime | None = None
    occurred_place: str = ""
    amount: Decimal | None = None
    people_count: int | None = None
    answer: str = ""
    advised_channel: str = ""
    attach_to_case_id: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class PersonSummary:
    """A person as lists show it: ID number and phone masked."""

    id: str
    name: str
    id_number_masked: str
    phone_masked: str
    gender: str | None
    birth_date: dt.date | None


@dataclass(frozen=True, slots=True)
class CaseBrief:
    """One line about a case (案件摘要)."""

    id: str
    code: str
    title: str
    state: str
    state_label: str
    risk_colour: str
    registered_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PersonCandidate:
    """A person who may be the one being typed, why, and their open cases (疑似同一人)."""

    person: PersonSummary
    reasons: tuple[str, ...]  # "id_number", "phone", "name", "initials"
    score: int
    open_cases: tuple[CaseBrief, ...]
    visit_count: int


@dataclass(frozen=True, slots=True)
class RegistrationResult:
    """What saving a walk-in produced."""

    visit_id: str
    case_id: str
    case_code: str
    state: str
    is_new_case: bool
    is_collective: bool
    is_repeat: bool
    person_ids: tuple[str, ...]
    notices: tuple[str, ...]
    changes: Changes
    repeat_reasons: tuple[str, ...] = ()  # why a visitor is someone seen before: 同名同电话 …


@dataclass(frozen=True, slots=True)
class ClockInfo:
    """One running clock as the case file shows it (时限)."""

    milestone: str
    due_at: dt.datetime
    remaining_working_days: int
    provisional: bool
    paused: bool


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One event of the case timeline (流转记录)."""

    id: str
    action: str
    action_label: str
    at: dt.datetime
    actor: str | None
    payload: dict[str, object]
    conflict: str = ""
    partly: str = ""  # counted without a value the workflow cannot use, and why


@dataclass(frozen=True, slots=True)
class PartyView:
    person: PersonSummary
    role: str


@dataclass(frozen=True, slots=True)
class CoUnitInfo:
    """An assisting unit (协办单位) of the current 交办 and how far it got."""

    unit_id: str
    name: str
    signed_at: dt.datetime | None
    fed_back_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class CaseDetail:
    """The case file (案件详情)."""

    id: str
    code: str
    title: str
    summary: str
    description: str
    category_code: str
    risk_colour: str
    risk_basis: str
    handling_level: str
    state: str
    state_label: str
    supervision_level: str
    registered_at: dt.datetime
    assignee_unit_name: str | None
    rework_count: int
    parties: tuple[PartyView, ...]
    clocks: tuple[ClockInfo, ...]
    timeline: tuple[TimelineEntry, ...]
    allowed_actions: tuple[str, ...]
    notices: tuple[str, ...] = field(default_factory=tuple)
    co_units: tuple[CoUnitInfo, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class ActionResult:
    case: CaseDetail
    changes: Changes


@dataclass(frozen=True, slots=True)
class CaseHit:
    """A search result (检索结果); ``renumbered_from`` is the searched code the case had before
    it was renumbered (a provisional code on a printed receipt), else empty."""

    case: CaseBrief
    names: str
    renumbered_from: str = ""


@dataclass(frozen=True, slots=True)
class CodeRename:
    """A code a case was known by and the code it has now (原编号 → 现编号)."""

    old_code: str
    new_code: str
    case_id: str
