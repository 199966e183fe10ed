"""Who the visitor is (issue 12, findings 1 and 3): an ID number registered under another name
stops the save and shows both; a change of name is confirmed with a reason and recorded; a phone
is never overwritten silently; the same name and phone without an ID is the same person."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from services.cases.search import search_case_ids
from services.context import ServiceContext
from services.domain.dto import IdentityConflict, PartyInput, WalkInInput
from services.domain.errors import IdentityConflictError
from services.domain.ids import uuid7
from services.reception.registration import find_people, register_walk_in
from services.store.models import Case, Person, PersonEvent, PersonPhone, Visit
from tests.services.conftest import NOW

Form = Callable[..., WalkInInput]
LI_SI_ID = "11010519491231002X"  # born 1949-12-31, female


def conflict_of(ctx: ServiceContext, form: WalkInInput) -> IdentityConflict:
    with pytest.raises(IdentityConflictError) as info:
        register_walk_in(ctx, form)
    (conflict,) = info.value.conflicts
    assert conflict.message in info.value.message
    return conflict


def count(ctx: ServiceContext, model: type) -> int:
    with ctx.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def person(ctx: ServiceContext, person_id: str) -> Person:
    with ctx.store.read() as session:
        found = session.get(Person, person_id)
        assert found is not None
        session.expunge(found)
        return found


def test_an_id_registered_under_another_name_stops_the_save_and_shows_both(
    ctx: ServiceContext, walk_in: Form
) -> None:
    first = register_walk_in(ctx, walk_in(visitor={"name": "李四", "id_number": LI_SI_ID}))
    typed = {"name": "张三", "id_number": LI_SI_ID, "phone": "13900002222"}
    conflict = conflict_of(ctx, walk_in(visitor=typed))
    assert (conflict.kind, conflict.party_index, conflict.can_rename) == ("name", 0, True)
    assert (conflict.stored_name, conflict.typed_name) == ("李四", "张三")
    assert conflict.person_id == first.person_ids[0]
    assert conflict.id_number_masked == "110105********002X"
    assert "李四" in conflict.message and "张三" in conflict.message
    assert "110105********002X" in conflict.message and LI_SI_ID not in conflict.message
    # nothing saved: not the case, not the name, not the phone
    assert count(ctx, Case) == 1 and count(ctx, Person) == 1
    li_si = person(ctx, first.person_ids[0])
    assert (li_si.name, li_si.phone) == ("李四", "13812345678")


def test_a_confirmed_change_of_name_is_saved_and_recorded_with_its_reason(
    ctx: ServiceContext, walk_in: Form
) -> None:
    first = register_walk_in(ctx, walk_in(visitor={"name": "李四", "id_number": LI_SI_ID}))
    typed = {"name": "张三", "id_number": LI_SI_ID}
    conflict = conflict_of(ctx, walk_in(visitor=typed))
    # the chosen person without a reason is still a conflict
    chosen = {**typed, "person_id": conflict.person_id}
    assert conflict_of(ctx, walk_in(visitor=chosen)).kind == "name"
    confirmed = {**chosen, "rename_reason": "已在派出所办理姓名变更"}
    second = register_walk_in(ctx, walk_in(visitor=confirmed))
    assert second.person_ids == first.person_ids and second.is_repeat
    assert any("李四" in n and "张三" in n and "姓名变更" in n for n in second.notices)
    renamed = person(ctx, first.person_ids[0])
    assert (renamed.name, renamed.name_pinyin, renamed.name_initials) == ("张三", "zhangsan", "zs")
    with ctx.store.read() as session:
        event = session.scalars(select(PersonEvent)).one()
        assert (event.person_id, event.kind, event.case_id) == (
            first.person_ids[0], "rename", second.case_id)  # fmt: skip
        assert event.detail == {"from": "李四", "to": "张三", "reason": "已在派出所办理姓名变更"}
        # the person's earlier case is found under the new name too
        assert first.case_id in search_case_ids(session, "张三")


def test_an_id_whose_birth_date_differs_from_the_record_stops_the_save(
    ctx: ServiceContext, walk_in: Form
) -> None:
    with ctx.store.write() as session:  # a record whose birth date was entered by hand
        session.add(Person(id=uuid7(), name="李四", name_pinyin="lisi", name_initials="ls",
                           id_type="111", id_number=LI_SI_ID, gender="女",
                           birth_date=dt.date(1950, 1, 1), created_at=NOW))  # fmt: skip
    conflict = conflict_of(ctx, walk_in(visitor={"name": "李四", "id_number": LI_SI_ID}))
    assert conflict.kind == "birth_sex" and not conflict.can_rename
    assert "1949年12月31日" in conflict.message and "1950年01月01日" in conflict.message


def test_a_chosen_person_and_a_number_that_is_not_theirs(
    ctx: ServiceContext, walk_in: Form, new_id: Callable[[], str]
) -> None:
    li_si = register_walk_in(ctx, walk_in(visitor={"name": "李四", "id_number": LI_SI_ID}))
    wang_wu = register_walk_in(ctx, walk_in(visitor={"name": "王五", "phone": "13700001111"}))
    # the chosen 王五 and 李四's number
    held = {"name": "王五", "person_id": wang_wu.person_ids[0], "id_number": LI_SI_ID}
    conflict = conflict_of(ctx, walk_in(visitor=held))
    assert (conflict.kind, conflict.stored_name, conflict.person_id) == (
        "other_holder", "李四", li_si.person_ids[0])  # fmt: skip
    assert "王五" in conflict.message and "李四" in conflict.message
    # the chosen 李四 and another number
    other = {"name": "李四", "person_id": li_si.person_ids[0], "id_number": new_id()}
    assert conflict_of(ctx, walk_in(visitor=other)).kind == "other_number"
    assert person(ctx, li_si.person_ids[0]).id_number == LI_SI_ID


def test_every_party_in_conflict_is_reported(ctx: ServiceContext, walk_in: Form) -> None:
    register_walk_in(ctx, walk_in(visitor={"name": "李四", "id_number": LI_SI_ID}))
    form = walk_in(visitor={"name": "张三", "id_number": LI_SI_ID})
    form = dataclasses.replace(form, parties=(*form.parties, PartyInput(
        name="赵六", role="respondent", is_visitor=False, id_number=LI_SI_ID)))  # fmt: skip
    with pytest.raises(IdentityConflictError) as info:
        register_walk_in(ctx, form)
    assert [c.party_index for c in info.value.conflicts] == [0, 1]


def test_a_new_phone_keeps_the_old_one(
    ctx: ServiceContext, walk_in: Form, new_id: Callable[[], str]
) -> None:
    number = new_id()
    first = register_walk_in(ctx, walk_in(visitor={"id_number": number}))
    second = register_walk_in(ctx, walk_in(visitor={"id_number": number, "phone": "13900002222"}))
    assert second.person_ids == first.person_ids
    assert any("139****2222" in n and "138****5678" in n and "保留" in n for n in second.notices)
    assert not any("13812345678" in n or "13900002222" in n for n in second.notices)
    with ctx.store.read() as session:
        assert session.scalars(select(Person.phone)).one() == "13900002222"
        assert session.scalars(select(PersonPhone.phone)).all() == ["13812345678"]
    # the old number still finds the person while the clerk types
    found = find_people(ctx, phone="13812345678")
    assert [c.person.id for c in found] == list(first.person_ids)
    assert found[0].reasons == ("phone_earlier",)
    # the same phone again changes nothing
    third = register_walk_in(ctx, walk_in(visitor={"id_number": number, "phone": "13900002222"}))
    assert not any("保留" in n for n in third.notices)
    assert count(ctx, PersonPhone) == 1


def test_same_name_and_phone_without_an_id_is_a_repeat_visitor(
    ctx: ServiceContext, walk_in: Form
) -> None:
    first = register_walk_in(ctx, walk_in())
    second = register_walk_in(ctx, walk_in(visitor={"phone": "138 1234 5678"}))
    assert second.person_ids == first.person_ids
    assert second.is_repeat and second.repeat_reasons == ("同名同电话",)
    assert any("此前来访" in n and "同名同电话" in n for n in second.notices)
    assert count(ctx, Person) == 1
    with ctx.store.read() as session:
        visit = session.get(Visit, second.visit_id)
        assert visit is not None and visit.is_repeat
    # the panel says why too: both the name and the phone
    found = find_people(ctx, name="张三", phone="13812345678")
    assert {"name", "phone"} <= set(found[0].reasons)


def test_same_name_however_dotted_and_an_earlier_phone_match(
    ctx: ServiceContext, walk_in: Form, new_id: Callable[[], str]
) -> None:
    number = new_id()
    name = "阿依古丽·买买提"
    first = register_walk_in(ctx, walk_in(visitor={"name": name, "id_number": number}))
    register_walk_in(ctx, walk_in(visitor={"name": name, "id_number": number,
                                           "phone": "13900002222"}))  # fmt: skip
    # without the ID card, typed without the dot, with the old phone
    again = register_walk_in(ctx, walk_in(visitor={"name": "阿依古丽买买提"}))
    assert again.person_ids == first.person_ids and again.repeat_reasons == ("同名同电话",)
    assert person(ctx, first.person_ids[0]).name == name  # the record keeps its form


def test_same_name_and_phone_gets_the_id_number_filled_in(
    ctx: ServiceContext, walk_in: Form, new_id: Callable[[], str]
) -> None:
    first = register_walk_in(ctx, walk_in())
    number = new_id()
    second = register_walk_in(ctx, walk_in(visitor={"id_number": number}))
    assert second.person_ids == first.person_ids and second.repeat_reasons == ("同名同电话",)
    assert person(ctx, first.person_ids[0]).id_number == number
    # someone of the same name and phone holding another number is someone else
    third = register_walk_in(ctx, walk_in(visitor={"id_number": new_id()}))
    assert third.person_ids != first.person_ids and not third.repeat_reasons
