"""A registration written with Core (services.store.coreinsert) is still one unit of work: a
failure anywhere after the first insert leaves every table as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from services.audit.verify import verify
from services.backup.service import restore, take_backup
from services.cases import search
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.errors import ValidationError
from services.reception.registration import register_in, register_walk_in
from services.setup.township import open_store
from services.store.models import Base, Case, CaseParty, Person, Visit, VisitPerson


def _counts(ctx: ServiceContext) -> dict[str, int]:
    with ctx.store.read() as session:
        return {t.name: session.execute(text(f"SELECT count(*) FROM {t.name}")).scalar_one()  # noqa: S608
                for t in Base.metadata.sorted_tables}  # fmt: skip


def test_failure_after_the_core_inserts_saves_nothing(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], new_id: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    register_walk_in(ctx, walk_in(visitor={"id_number": new_id()}))  # audit key stored
    before = _counts(ctx)

    def broken(*_a: Any, **_k: Any) -> None:
        raise RuntimeError("index broke")

    with monkeypatch.context() as patch:
        patch.setattr(search, "index_case", broken)
        with pytest.raises(RuntimeError):
            register_walk_in(ctx, walk_in(visitor={"name": "赵六", "id_number": new_id()}))
    assert _counts(ctx) == before
    register_walk_in(ctx, walk_in(visitor={"name": "赵六", "id_number": new_id()}))
    after = _counts(ctx)
    grew = {k for k in after if after[k] != before[k]}
    assert {
        "case_file",
        "person",
        "visit",
        "visit_person",
        "case_party",
        "outbox",
        "audit_log",
    } <= grew


def test_guard_failing_on_the_case_after_the_people_saves_nothing(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], new_id: Callable[[], str]
) -> None:
    """The new person is inserted before the case; the case's occurred_at (year 1) is refused by
    the stored-value guard: nothing is kept, the person neither."""
    register_walk_in(ctx, walk_in(visitor={"id_number": new_id()}))
    before = _counts(ctx)
    form = walk_in(visitor={"name": "钱七", "id_number": new_id()},
                   occurred_at=dt.datetime(1, 1, 1))  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        register_walk_in(ctx, form)
    assert caught.value.field == "case_file.occurred_at"  # the guard's, not the form check's
    assert _counts(ctx) == before


def test_same_person_twice_and_returning_visitor(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], new_id: Callable[[], str]
) -> None:
    number = new_id()
    me = PartyInput(name="孙八", id_number=number, phone="13812345678")
    again = PartyInput(name="孙八", id_number=number, role="respondent", is_visitor=False)
    first = register_walk_in(ctx, walk_in(parties=(me, again)))
    assert len(set(first.person_ids)) == 1
    changed = PartyInput(name="孙捌", id_number=number, phone="13912345678",
                         person_id=first.person_ids[0], rename_reason="改名")  # fmt: skip
    second = register_walk_in(ctx, walk_in(parties=(changed,), attach_to_case_id=first.case_id))
    assert second.person_ids == first.person_ids[:1] and not second.is_new_case
    with ctx.store.read() as session:
        person = session.get(Person, first.person_ids[0])
        assert person is not None and person.name == "孙捌" and person.phone == "13912345678"
        parties = session.query(CaseParty).filter_by(case_id=first.case_id).count()
        visits = session.query(Visit).filter_by(case_id=first.case_id).all()
        visitors = session.query(VisitPerson).filter(
            VisitPerson.visit_id.in_([v.id for v in visits])).count()  # fmt: skip
    assert (parties, len(visits), visitors) == (1, 2, 2)


def test_rolled_back_registration_leaves_no_objects_in_the_session(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], new_id: Callable[[], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """As a flush's new objects: rolled back, they leave the identity map."""
    session = sessionmaker(ctx.store.write_engine)(info=dict(ctx.store.session_info))
    kinds = (Case, Person, Visit, VisitPerson, CaseParty)
    held: list[object] = []  # strong references: the identity map holds clean objects weakly

    def broken(*_a: Any, **_k: Any) -> None:
        held.extend(o for o in session.identity_map.values() if isinstance(o, kinds))
        raise RuntimeError("index broke")

    try:
        with monkeypatch.context() as patch:
            patch.setattr(search, "index_case", broken)
            with pytest.raises(RuntimeError):
                register_in(session, ctx, walk_in(visitor={"id_number": new_id()}))
        assert {type(o).__name__ for o in held} == {"Case", "Person", "Visit", "VisitPerson",
                                                    "CaseParty"}  # fmt: skip
        session.rollback()
        assert [o for o in held if o in session] == []
        register_in(session, ctx, walk_in(visitor={"id_number": new_id()}))
        session.flush()
    finally:
        session.rollback()
        session.close()


def test_audit_verifies_after_fifty_registrations_and_after_a_restore(
    ctx: ServiceContext, db_path: Path, tmp_path: Path, walk_in: Callable[..., WalkInInput],
    new_id: Callable[[], str],
) -> None:  # fmt: skip
    """The audit entries of Core-written registrations (note_inserts) check out: fifty mixed
    ones (returning visitors with a new phone each time, attached visits, answered walk-ins,
    collective visits), then a backup restored over a later one."""
    numbers = [new_id() for _ in range(10)]
    first: str | None = None
    for i in range(50):
        extra: dict[str, Any] = {}
        if i % 7 == 3 and first is not None:
            extra["attach_to_case_id"] = first
        if i % 5 == 4:
            extra.update(disposition="answered", answer="已答复")
        visitor = PartyInput(name="张王李赵刘陈杨黄周吴"[i % 10] + "某", id_number=numbers[i % 10],
                             phone=f"1381234{i:04d}")  # fmt: skip
        other = PartyInput(name="对方", role="respondent", is_visitor=False)
        form = walk_in(parties=(visitor, other), head_count=6 if i % 9 == 0 else 1, **extra)
        result = register_walk_in(ctx, form)
        first = first or result.case_id
    report = verify(ctx.store)
    assert report.findings == () and report.entries >= 50 and report.events > 50
    backup = take_backup(db_path, tmp_path / "backups", keep=3, now=dt.datetime(2026, 11, 20, 9))
    register_walk_in(ctx, walk_in(visitor={"id_number": new_id()}))
    ctx.store.dispose()
    restore(db_path, backup)
    store = open_store(db_path)
    try:
        again = verify(store)
    finally:
        store.dispose()
    assert again.findings == () and (again.entries, again.events) == (report.entries, report.events)
