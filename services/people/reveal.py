"""Unmasking (查看完整个人信息): one person's full ID number or phone, with a reason, audited.

Permissions (resources/auth/roles.json): ``person.reveal_id`` (a clerk never has it) and
``person.reveal_phone``. The reason is required, cleaned like any text, and kept in the audit
entry; the number itself is never logged.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from services.audit.log import tag
from services.context import ServiceContext
from services.domain.errors import NotFoundError, ValidationError
from services.domain.textutil import clean_text
from services.store.models import Person

PERMISSIONS = {"id_number": "person.reveal_id", "phone": "person.reveal_phone"}
MAX_REASON = 200


def reveal_person(ctx: ServiceContext, person_id: str, field: str, reason: str) -> str:
    """The full value of ``field`` (``id_number`` or ``phone``) of one person; ``""`` if none."""
    if field not in PERMISSIONS:
        raise ValidationError("field", "reveal.field", "只能查看证件号码或联系电话")
    ctx.require(PERMISSIONS[field])
    why = clean_text(reason, "reason", "查看理由", max_len=MAX_REASON, required=True)

    def work(session: Session) -> str:
        person = session.get(Person, person_id)
        if person is None:
            raise NotFoundError("person.not_found", "人员不存在")
        tag(session, "unmask", entity="person", entity_id=person.id, field=field, reason=why)
        return str(getattr(person, field) or "")

    return ctx.store.run_write(work)
