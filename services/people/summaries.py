"""Turn ORM rows into the masked DTOs lists show."""

from __future__ import annotations

from services.domain.dto import CaseBrief, PersonSummary
from services.domain.identity import mask_id_number, mask_phone
from services.domain.workflow import STATE_LABELS, CaseState
from services.store.models import Case, Person


def person_summary(person: Person) -> PersonSummary:
    """A person with the ID number (6+4) and phone (3+4) masked."""
    return PersonSummary(
        id=person.id,
        name=person.name,
        id_number_masked=mask_id_number(person.id_number) if person.id_number else "",
        phone_masked=mask_phone(person.phone) if person.phone else "",
        gender=person.gender,
        birth_date=person.birth_date,
    )


def case_brief(case: Case) -> CaseBrief:
    state = CaseState(case.state)
    return CaseBrief(
        id=case.id,
        code=case.code,
        title=case.title,
        state=state.value,
        state_label=STATE_LABELS[state],
        risk_colour=case.risk_colour,
        registered_at=case.registered_at,
    )
