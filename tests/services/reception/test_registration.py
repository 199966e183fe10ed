"""Walk-in registration (接待登记) and person matching while the clerk types (人员比对)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from services.cases.detail import get_case
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.errors import ValidationErrors
from services.reception.registration import find_people, register_walk_in
from services.store.models import Case, CaseEvent, CaseParty, Person, Visit, VisitPerson
from services.store.personal import id_number_match
from tests.services.conftest import NOW

Form = Callable[..., WalkInInput]
CJK = re.compile(r"[\u4e00-\u9fff]")
ID_WITH_X = "62012319850710002X"


def scalar(ctx: ServiceContext, query: object) -> object:
    with ctx.store.read() as session:
        return session.execute(query).scalar_one()  # type: ignore[call-overload]


def case_row(ctx: ServiceContext, case_id: str) -> Case:
    with ctx.store.read() as session:
        case = session.get(Case, case_id)
        assert case is not None
        session.expunge(case)  # keep the loaded values after the read session ends
        return case


def errors_of(ctx: ServiceContext, form: WalkInInput) -> ValidationErrors:
    with pytest.raises(ValidationErrors) as info:
        register_walk_in(ctx, form)
    return info.value


# --- dispositions ----------------------------------------------------------------------------


def test_answered_walk_in(ctx: ServiceContext, walk_in: Form) -> None:
    form = walk_in(disposition="answered", answer="已告知办理宅基地确权的流程")
    result = register_walk_in(ctx, form)
    assert result.state == "answered" and result.is_new_case
    case = case_row(ctx, result.case_id)
    assert case.state == "answered"
    assert case.due_at is None
    detail = get_case(ctx, result.case_id)
    assert [e.action for e in detail.timeline] == ["register", "answer"]
    assert detail.timeline[-1].payload["answer"] == "已告知办理宅基地确权的流程"


def test_answered_needs_an_answer(ctx: ServiceContext, walk_in: Form) -> None:
    err = errors_of(ctx, walk_in(disposition="answered", answer="  "))
    assert err.fields == ("answer",)


def test_accepted_walk_in(ctx: ServiceContext, walk_in: Form) -> None:
    result = register_walk_in(ctx, walk_in(disposition="accepted"))
    assert result.state == "accepted"
    case = case_row(ctx, result.case_id)
    assert case.state == "accepted"
    assert case.registered_at == NOW
    assert case.due_at is not None and case.due_at > NOW  # the resolve clock started
    assert case.code == result.case_code == "620123101000-2026-000001"


def test_referred_to_litigation_is_rejected_with_the_channel(
    ctx: ServiceContext, walk_in: Form
) -> None:
    result = register_walk_in(ctx, walk_in(disposition="referred_litigation"))
    assert result.state == "rejected"
    assert case_row(ctx, result.case_id).state == "rejected"
    detail = get_case(ctx, result.case_id)
    reject = detail.timeline[-1]
    assert reject.action == "reject"
    assert reject.payload["advised_channel"] == "诉讼"
    assert "诉讼" in str(reject.payload["reason"])


def test_mediation_booked_is_accepted(ctx: ServiceContext, walk_in: Form) -> None:
    result = register_walk_in(ctx, walk_in(disposition="mediation_booked"))
    assert result.state == "accepted"
    assert case_row(ctx, result.case_id).state == "accepted"
    with ctx.store.read() as session:
        visit = session.get(Visit, result.visit_id)
        assert visit is not None and visit.disposition == "mediation_booked"


def test_unknown_disposition_is_refused(ctx: ServiceContext, walk_in: Form) -> None:
    assert errors_of(ctx, walk_in(disposition="ignored")).fields == ("disposition",)


# --- head count ------------------------------------------------------------------------------


@pytest.mark.parametrize(("head_count", "collective"), [(4, False), (5, True), (30, True)])
def test_collective_visit_from_five_people(
    ctx: ServiceContext, walk_in: Form, head_count: int, collective: bool
) -> None:
    result = register_walk_in(ctx, walk_in(head_count=head_count))
    assert result.is_collective is collective
    with ctx.store.read() as session:
        visit = session.get(Visit, result.visit_id)
        assert visit is not None
        assert visit.is_collective is collective and visit.head_count == head_count
    assert any("集体访" in n for n in result.notices) is collective


def test_head_count_below_the_visitors_is_refused(ctx: ServiceContext, walk_in: Form) -> None:
    two = (PartyInput(name="张三", phone="13812345678"), PartyInput(name="李四"))
    err = errors_of(ctx, walk_in(parties=two, head_count=1))
    assert err.fields == ("head_count",)
    assert CJK.search(err.errors[0].message)
    assert register_walk_in(ctx, walk_in(parties=two, head_count=2)).is_new_case


@pytest.mark.parametrize("head_count", [0, -1, 100001])
def test_head_count_out_of_range(ctx: ServiceContext, walk_in: Form, head_count: int) -> None:
    assert errors_of(ctx, walk_in(head_count=head_count)).fields == ("head_count",)


# --- validation ------------------------------------------------------------------------------


def test_every_bad_field_is_reported_at_once(ctx: ServiceContext, walk_in: Form) -> None:
    bad_checksum = ID_WITH_X[:-1] + "1"
    form = walk_in(
        visitor={"id_number": bad_checksum, "phone": "1381234567"},
        summary="   ",
        category_code="9988",
        channel="carrier_pigeon",
        risk_colour="yellow",  # without a basis
    )
    err = errors_of(ctx, form)
    assert set(err.fields) == {
        "parties[0].id_number",
        "parties[0].phone",
        "summary",
        "category_code",
        "channel",
        "risk_basis",
    }
    codes = {e.field: e.code for e in err.errors}
    assert codes["parties[0].id_number"] == "id_number.checksum"
    assert codes["parties[0].phone"] == "phone.format"
    assert codes["summary"] == "summary.required"
    assert codes["category_code"] == "category.unknown"
    for e in err.errors:
        assert CJK.search(e.message), e
    assert CJK.search(err.message)
    assert scalar(ctx, select(func.count()).select_from(Case)) == 0


@pytest.mark.parametrize(
    ("summary", "code"),
    [
        ("", "summary.required"),
        ("\n\t ", "summary.required"),
        ("纠" * 1001, "summary.too_long"),
        ("宅基地纠纷\x07", "summary.invalid_char"),
        ("宅基地\x00纠纷", "summary.invalid_char"),
        ("宅基地\x1b[31m纠纷", "summary.invalid_char"),
        ("宅基地\ud800纠纷", "summary.invalid_char"),
    ],
)
def test_bad_summary(ctx: ServiceContext, walk_in: Form, summary: str, code: str) -> None:
    err = errors_of(ctx, walk_in(summary=summary))
    assert err.fields == ("summary",)
    assert err.errors[0].code == code
    assert CJK.search(err.errors[0].message)


def test_summary_limits_are_inclusive_and_keep_newlines(ctx: ServiceContext, walk_in: Form) -> None:
    longest = "纠" * 999 + "𠮷"  # 1000 code points, one outside the BMP
    result = register_walk_in(ctx, walk_in(summary=longest))
    assert case_row(ctx, result.case_id).summary == longest
    two_lines = "第一行：宅基地边界\n第二行：\t要求调解"
    result = register_walk_in(ctx, walk_in(summary=two_lines))
    case = case_row(ctx, result.case_id)
    assert case.summary == two_lines
    assert case.title == "第一行：宅基地边界"


def test_several_bad_parties_each_named(ctx: ServiceContext, walk_in: Form) -> None:
    parties = (
        PartyInput(name="张三3", phone="13812345678"),
        PartyInput(name="李四", phone="12", role="respondent", is_visitor=False),
        PartyInput(name="", role="boss", is_visitor=False),
    )
    err = errors_of(ctx, walk_in(parties=parties))
    assert set(err.fields) == {
        "parties[0].name", "parties[1].phone", "parties[2].name", "parties[2].role"
    }  # fmt: skip


def test_first_visitor_needs_a_phone(ctx: ServiceContext, walk_in: Form) -> None:
    assert errors_of(ctx, walk_in(visitor={"phone": ""})).fields == ("parties[0].phone",)


def test_no_visitor_is_refused(ctx: ServiceContext, walk_in: Form) -> None:
    form = walk_in(parties=(PartyInput(name="李四", role="respondent", is_visitor=False),))
    assert "parties" in errors_of(ctx, form).fields


# --- names and ID numbers --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("阿依古丽·买买提", "阿依古丽·买买提"),
        ("李𠮷", "李𠮷"),
        ("𠮷𠮷", "𠮷𠮷"),
        ("阿依古丽・买买提", "阿依古丽·买买提"),  # katakana middle dot unified to U+00B7
        ("  王五 ", "王五"),
    ],
)
def test_names_round_trip_exactly(
    ctx: ServiceContext, walk_in: Form, typed: str, stored: str
) -> None:
    result = register_walk_in(ctx, walk_in(visitor={"name": typed}))
    ctx.store.dispose()  # read back through a brand-new connection
    with ctx.store.read() as session:
        person = session.get(Person, result.person_ids[0])
        assert person is not None
        assert person.name == stored
        raw = session.execute(text("SELECT name, hex(name) FROM person WHERE id = :i"),
                              {"i": person.id}).one()  # fmt: skip
        assert raw[0] == stored
        assert bytes.fromhex(raw[1]).decode("utf-8") == stored
        names = session.execute(text("SELECT names FROM case_search WHERE case_id = :c"),
                                {"c": result.case_id}).scalar_one()  # fmt: skip
        assert names == stored
    assert get_case(ctx, result.case_id).parties[0].person.name == stored


def test_lowercase_x_is_stored_uppercase(ctx: ServiceContext, walk_in: Form) -> None:
    result = register_walk_in(ctx, walk_in(visitor={"id_number": ID_WITH_X.lower()}))
    with ctx.store.read() as session:
        person = session.get(Person, result.person_ids[0])
        assert person is not None
        assert person.id_number == ID_WITH_X
        assert person.birth_date == dt.date(1985, 7, 10)
        assert person.gender == "女"  # 17th digit 2 is even
    # the uppercase form finds the same person
    found = find_people(ctx, id_number=ID_WITH_X)
    assert [c.person.id for c in found] == [result.person_ids[0]]


def test_same_id_number_reuses_the_person(
    ctx: ServiceContext, walk_in: Form, new_id: Callable[[], str]
) -> None:
    number = new_id()
    first = register_walk_in(ctx, walk_in(visitor={"id_number": number}))
    # second visit: typed with spaces and full-width digits, a new phone
    typed = " ".join(number[i : i + 6] for i in range(0, 18, 6)).replace("1", "１")
    second = register_walk_in(
        ctx, walk_in(visitor={"name": "张三", "id_number": typed, "phone": "13900002222"})
    )
    assert first.is_repeat is False
    assert second.is_repeat is True
    assert second.person_ids == first.person_ids
    assert second.is_new_case and second.case_code != first.case_code
    assert any("此前来访" in n for n in second.notices)
    assert scalar(ctx, select(func.count()).select_from(Person)
                  .where(id_number_match(number))) == 1  # fmt: skip
    assert scalar(ctx, select(func.count()).select_from(Person)) == 1
    with ctx.store.read() as session:
        visit = session.get(Visit, second.visit_id)
        assert visit is not None and visit.is_repeat is True
        assert session.scalars(select(Person.phone)).one() == "13900002222"


def test_passport_number_is_kept_and_matched(ctx: ServiceContext, walk_in: Form) -> None:
    visitor = {"name": "John Smith", "id_type": "passport", "id_number": " e1234 5678 "}
    first = register_walk_in(ctx, walk_in(visitor=visitor))
    with ctx.store.read() as session:
        person = session.get(Person, first.person_ids[0])
        assert person is not None
        assert (person.id_type, person.id_number) == ("passport", "E12345678")
        assert person.birth_date is None and person.gender is None
    again = register_walk_in(ctx, walk_in(visitor={**visitor, "id_number": "E12345678"}))
    assert again.person_ids == first.person_ids and again.is_repeat


@pytest.mark.parametrize(
    ("visitor", "field"),
    [
        ({"id_type": "414", "id_number": "E12345678"}, "parties[0].id_type"),
        ({"id_type": "passport", "id_number": "E1"}, "parties[0].id_number"),
        ({"id_type": "passport", "id_number": "E1234-5678"}, "parties[0].id_number"),
        ({"id_type": "hk_macau_permit", "id_number": "810000199901010000"},
         "parties[0].id_number"),
    ],
)  # fmt: skip
def test_bad_document(
    ctx: ServiceContext, walk_in: Form, visitor: dict[str, str], field: str
) -> None:
    err = errors_of(ctx, walk_in(visitor=visitor))
    assert err.fields == (field,)
    assert CJK.search(err.errors[0].message)


def test_person_without_id_number_is_not_merged_on_the_name_alone(
    ctx: ServiceContext, walk_in: Form
) -> None:
    a = register_walk_in(ctx, walk_in())
    b = register_walk_in(ctx, walk_in(visitor={"phone": "13900001111"}))  # same name, other phone
    assert a.person_ids != b.person_ids and not b.is_repeat


def test_attach_to_existing_case(ctx: ServiceContext, walk_in: Form) -> None:
    first = register_walk_in(ctx, walk_in())
    other = PartyInput(name="王五", phone="13700001111")
    again = register_walk_in(
        ctx, walk_in(parties=(other,), attach_to_case_id=first.case_id, summary="再次来访催办")
    )
    assert again.is_new_case is False
    assert again.case_id == first.case_id and again.case_code == first.case_code
    assert again.is_repeat is True
    assert again.visit_id != first.visit_id
    assert scalar(ctx, select(func.count()).select_from(Case)) == 1
    with ctx.store.read() as session:
        visits = session.scalars(select(Visit.id).where(Visit.case_id == first.case_id)).all()
        assert set(visits) == {first.visit_id, again.visit_id}
        parties = session.scalars(
            select(CaseParty.person_id).where(CaseParty.case_id == first.case_id)
        ).all()
        assert set(parties) == {*first.person_ids, *again.person_ids}
        events = session.scalars(
            select(CaseEvent.action).where(CaseEvent.case_id == first.case_id)
        ).all()
        assert sorted(events) == ["accept", "register"]  # no second registration event
        names = session.execute(text("SELECT names FROM case_search WHERE case_id = :c"),
                                {"c": first.case_id}).scalar_one()  # fmt: skip
        assert "王五" in names
    # the next new case still gets the next number
    assert register_walk_in(ctx, walk_in()).case_code.endswith("-000002")


def test_attach_to_unknown_case_is_refused(ctx: ServiceContext, walk_in: Form) -> None:
    err = errors_of(ctx, walk_in(attach_to_case_id="no-such-case"))
    assert err.fields == ("attach_to_case_id",)


# --- amounts and dates -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "cents"),
    [(Decimal("1234.56"), 123456), (Decimal("0.01"), 1), (Decimal("0"), 0),
     (Decimal("999999999999.99"), 99999999999999), (None, None)],
)  # fmt: skip
def test_amount_is_stored_as_cents(
    ctx: ServiceContext, walk_in: Form, amount: Decimal | None, cents: int | None
) -> None:
    result = register_walk_in(ctx, walk_in(amount=amount))
    assert case_row(ctx, result.case_id).amount_cents == cents


@pytest.mark.parametrize(
    "amount", [Decimal("-0.01"), Decimal("1000000000000"), Decimal("NaN"), Decimal("Infinity")]
)
def test_bad_amount_is_refused(ctx: ServiceContext, walk_in: Form, amount: Decimal) -> None:
    assert errors_of(ctx, walk_in(amount=amount)).fields == ("amount",)


def test_future_occurred_at_is_refused(ctx: ServiceContext, walk_in: Form) -> None:
    err = errors_of(ctx, walk_in(occurred_at=NOW + dt.timedelta(days=1)))
    assert err.fields == ("occurred_at",)
    assert CJK.search(err.errors[0].message)
    past = NOW - dt.timedelta(days=3)
    result = register_walk_in(ctx, walk_in(occurred_at=past))
    assert case_row(ctx, result.case_id).occurred_at == past
    # a clerk's clock a minute ahead is tolerated
    register_walk_in(ctx, walk_in(occurred_at=NOW + dt.timedelta(minutes=1)))


def test_unknown_village_is_refused(ctx: ServiceContext, walk_in: Form, orgs: object) -> None:
    assert errors_of(ctx, walk_in(village_id="nowhere")).fields == ("village_id",)


# --- find_people -----------------------------------------------------------------------------


@pytest.fixture
def zhang_san(ctx: ServiceContext, walk_in: Form) -> tuple[str, str, str]:
    """张三 with an open case and an answered one; 李四 and 张思 as distractors."""
    first = register_walk_in(ctx, walk_in(visitor={"id_number": ID_WITH_X}))
    register_walk_in(ctx, walk_in(visitor={"id_number": ID_WITH_X},
                                  disposition="answered", answer="已答复"))  # fmt: skip
    register_walk_in(ctx, walk_in(visitor={"name": "李四", "phone": "13600003333"}))
    register_walk_in(ctx, walk_in(visitor={"name": "赵六", "phone": "0931-8123456"}))
    return first.person_ids[0], first.case_id, first.case_code


def test_find_by_exact_id_number(ctx: ServiceContext, zhang_san: tuple[str, str, str]) -> None:
    person_id, _case_id, _code = zhang_san
    found = find_people(ctx, id_number=ID_WITH_X.lower())
    assert len(found) == 1
    assert found[0].person.id == person_id
    assert found[0].reasons == ("id_number",)
    assert found[0].visit_count == 2


def test_a_partial_id_number_finds_nobody_since_numbers_are_sealed(
    ctx: ServiceContext, zhang_san: tuple[str, str, str]
) -> None:
    """Sealed at rest (issue 11): a number matches whole, through its blind index."""
    for typed in (ID_WITH_X[:6], ID_WITH_X[:10], ID_WITH_X[:17], "1381234"):
        assert find_people(ctx, id_number=typed, phone=typed) == (), typed


def test_find_by_phone(ctx: ServiceContext, zhang_san: tuple[str, str, str]) -> None:
    person_id, _c, _code = zhang_san
    for typed in ("13812345678", "138 1234 5678", "+86 138-1234-5678", "１３８１２３４５６７８"):
        found = find_people(ctx, phone=typed)
        assert [c.person.id for c in found] == [person_id], typed
        assert found[0].reasons == ("phone",)
    landline = find_people(ctx, phone="09318123456")
    assert [c.person.name for c in landline] == ["赵六"]


def test_find_by_name_and_pinyin_initials(
    ctx: ServiceContext, zhang_san: tuple[str, str, str]
) -> None:
    person_id, _c, _code = zhang_san
    by_name = find_people(ctx, name="张三")
    assert [c.person.id for c in by_name] == [person_id]
    assert "name" in by_name[0].reasons
    by_initials = find_people(ctx, name="zs")
    assert [c.person.name for c in by_initials] == ["张三"]
    assert by_initials[0].reasons == ("initials",)
    assert [c.person.name for c in find_people(ctx, name="ZS")] == ["张三"]
    assert [c.person.name for c in find_people(ctx, name="zhangsan")] == ["张三"]
    assert [c.person.name for c in find_people(ctx, name="ls")] == ["李四"]
    assert find_people(ctx, name="wq") == ()
    assert find_people(ctx, name="") == ()


def test_find_ranks_id_over_name(ctx: ServiceContext, zhang_san: tuple[str, str, str]) -> None:
    person_id, _c, _code = zhang_san
    found = find_people(ctx, id_number=ID_WITH_X, phone="13812345678", name="张三")
    assert found[0].person.id == person_id
    assert set(found[0].reasons) >= {"id_number", "phone", "name"}
    assert found[0].score > 100


def test_find_lists_open_cases_only(ctx: ServiceContext, zhang_san: tuple[str, str, str]) -> None:
    _p, case_id, code = zhang_san
    found = find_people(ctx, id_number=ID_WITH_X)
    assert [b.id for b in found[0].open_cases] == [case_id]  # not the answered one
    assert found[0].open_cases[0].code == code
    assert found[0].open_cases[0].state == "accepted"


def test_find_results_are_masked(ctx: ServiceContext, zhang_san: tuple[str, str, str]) -> None:
    for found in (
        find_people(ctx, id_number=ID_WITH_X),
        find_people(ctx, phone="13812345678"),
        find_people(ctx, name="zs"),
        find_people(ctx, phone="0931-8123456"),
    ):
        assert found
        for cand in found:
            shown = repr(dataclasses.asdict(cand))
            assert ID_WITH_X not in shown and ID_WITH_X[6:14] not in shown
            assert "13812345678" not in shown and "8123456" not in shown
    person = find_people(ctx, id_number=ID_WITH_X)[0].person
    assert person.id_number_masked == "620123********002X"
    assert person.phone_masked == "138****5678"


def test_find_people_hostile_input(ctx: ServiceContext, zhang_san: tuple[str, str, str]) -> None:
    for typed in ("'", '"', "%", "_", "\\", "\x00", "🙂" * 50, "1" * 200, "-" * 30):
        assert isinstance(find_people(ctx, id_number=typed, phone=typed, name=typed), tuple)
    assert find_people(ctx, name="%") == ()
    assert find_people(ctx, phone="138%") == ()


def test_visit_person_rows_only_for_visitors(ctx: ServiceContext, walk_in: Form) -> None:
    parties = (
        PartyInput(name="张三", phone="13812345678"),
        PartyInput(name="张三丰", phone="13812340000", role="representative"),
        PartyInput(name="李四", role="respondent", is_visitor=False),
    )
    result = register_walk_in(ctx, walk_in(parties=parties, head_count=2))
    with ctx.store.read() as session:
        roles = session.scalars(
            select(VisitPerson.role).where(VisitPerson.visit_id == result.visit_id)
        ).all()
    assert sorted(roles) == ["applicant", "representative"]


def test_a_repeat_visitor_keeps_the_phone_on_file(
    ctx: ServiceContext, walk_in: Form, zhang_san: tuple[str, str, str]
) -> None:
    """A known person chosen in the match panel was asked the phone again (required)."""
    from services.reception.registration import visit_defaults

    person_id, _case_id, _code = zhang_san
    assert visit_defaults(ctx, person_id) == ("138****5678", "0202")
    again = register_walk_in(ctx, walk_in(visitor={"id_number": ID_WITH_X, "phone": "",
                                                   "person_id": person_id}))  # fmt: skip
    assert again.person_ids[0] == person_id
    assert visit_defaults(ctx, person_id)[0] == "138****5678"  # the phone on file is unchanged
