"""New rows written with Core (services.store.coreinsert) get what a flush would give them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.context import ServiceContext
from services.domain.errors import ValidationError
from services.domain.ids import uuid7
from services.store.coreinsert import insert_new
from services.store.models import OrgUnit, Outbox, Person


def test_defaults_outbox_row_and_identity_map(ctx: ServiceContext) -> None:
    """As the flush: column defaults filled in, one outbox insert row each, in order, and the
    objects persistent in the session (found without a SELECT)."""
    people = [Person(id=uuid7(), name=name, created_at=ctx.now()) for name in ("张三", "李四")]
    with ctx.store.write() as session:
        insert_new(session, people)
        assert session.get(Person, people[0].id) is people[0]
        assert not session.new and not session.dirty
    with ctx.store.read() as session:
        stored = session.get(Person, people[1].id)
        assert stored is not None
        assert (stored.name, stored.id_type, stored.name_pinyin) == ("李四", "111", "")
        query = select(Outbox.entity, Outbox.entity_id, Outbox.op, Outbox.payload)
        changes = session.execute(query.order_by(Outbox.seq.desc()).limit(2)).all()
    assert [tuple(c[:3]) for c in reversed(changes)] == [
        ("person", people[0].id, "insert"), ("person", people[1].id, "insert")
    ]  # fmt: skip
    assert changes[0].payload["row"]["id_type"] == "111"


def test_text_checked_before_anything_is_written(ctx: ServiceContext) -> None:
    good = OrgUnit(id=uuid7(), kind="unit", name="调解室", parent_id=ctx.township_id)
    bad = OrgUnit(id=uuid7(), kind="unit", name="调解室\x00", parent_id=ctx.township_id)
    with pytest.raises(ValidationError) as caught, ctx.store.write() as session:
        insert_new(session, [good, bad])
    assert caught.value.field == "org_unit.name"
    with ctx.store.read() as session:
        assert session.get(OrgUnit, good.id) is None
