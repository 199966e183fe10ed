"""Slip service: issuing as a case action, numbering, required fields, void, reprint, register.

A fake renderer stands in for reportlab here (tests/reports covers the PDF itself).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.domain.errors import (
    ConflictError,
    ServiceError,
    TransitionError,
    ValidationError,
    ValidationErrors,
)
from services.reception.registration import register_walk_in
from services.setup.township import add_user
from services.slips.dto import (
    IssueRequest,
    MissingGlyphsError,
    RenderedPdf,
    RenderOptions,
    SlipDocument,
    SlipPermissionError,
    SlipQuery,
)
from services.slips.service import SlipService
from services.store.models import CaseEvent, Slip
from tests.services.conftest import NOW, UNIT_NAME, Orgs

DUE = (NOW.date() + dt.timedelta(days=7)).isoformat()


class FakeRenderer:
    """Renders a snapshot to its JSON bytes and records the options it was given."""

    def __init__(self) -> None:
        self.calls: list[tuple[SlipDocument, RenderOptions]] = []
        self.missing: tuple[str, ...] = ()

    def __call__(self, doc: SlipDocument, options: RenderOptions) -> RenderedPdf:
        self.calls.append((doc, options))
        if self.missing and not options.allow_missing_glyphs:
            raise MissingGlyphsError(self.missing)
        data = json.dumps(doc.to_json(), ensure_ascii=False, sort_keys=True).encode()
        return RenderedPdf(data, hashlib.sha256(data).hexdigest(), 1, (), self.missing)


@pytest.fixture
def renderer() -> FakeRenderer:
    return FakeRenderer()


@pytest.fixture
def slips(ctx: ServiceContext, renderer: FakeRenderer) -> SlipService:
    return SlipService(ctx, renderer)


@pytest.fixture
def case_id(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], new_id: Callable[[], str]
) -> str:
    form = walk_in(visitor={"name": "𠮷祥", "id_number": new_id(), "phone": "13812345678"})
    return register_walk_in(ctx, form).case_id


def assign_values(orgs: Orgs, **extra: str) -> dict[str, str]:
    return {"unit": orgs.unit_id, "due_date": DUE, "signer": "刘主任", **extra}


@dataclasses.dataclass(frozen=True)
class Ev:
    id: str
    action: str
    payload: dict[str, Any]


def events(ctx: ServiceContext, case_id: str) -> list[Ev]:
    with ctx.store.read() as session:
        rows = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id)
                               .order_by(CaseEvent.seq))  # fmt: skip
        return [Ev(r.id, r.action, dict(r.payload)) for r in rows]


def slip_count(ctx: ServiceContext) -> int:
    with ctx.store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Slip)) or 0)


def test_assignment_slip_names_assisting_units_from_the_tree(
    slips: SlipService, ctx: ServiceContext, orgs: Orgs, case_id: str
) -> None:
    """协办单位 on the 交办单 are units ticked from the organisation tree, not free text; each
    then signs and feeds back on the case."""
    village = next(iter(orgs.villages.values()))
    with pytest.raises(ValidationErrors):
        slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs, co_units="东沟村委会")))
    result = slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs, co_units=village)))
    last = events(ctx, case_id)[-1]
    assert last.action == "assign"
    assert [u["id"] for u in last.payload["co_units"]] == [village]
    with ctx.store.read() as session:
        row = session.get(Slip, result.slip.id)
        assert row is not None
        doc = SlipDocument.from_json(row.content)
    name = last.payload["co_units"][0]["name"]
    assert dict((line.label, line.value) for line in doc.rows)["协办单位"] == name


def test_assignment_slip_records_the_assign_event(
    slips: SlipService, ctx: ServiceContext, orgs: Orgs, case_id: str
) -> None:
    result = slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs)))

    assert result.slip.number == "青综治交〔2026〕1号"
    assert result.changes.case_ids == frozenset({case_id})
    last = events(ctx, case_id)[-1]
    assert last.action == "assign"
    assert last.payload["unit_id"] == orgs.unit_id
    assert last.payload["unit_name"] == UNIT_NAME
    assert last.payload["due_date"] == DUE
    assert last.payload["slip_number"] == result.slip.number
    assert last.payload["opinion"].startswith("1. 24小时内")
    with ctx.store.read() as session:
        row = session.get(Slip, result.slip.id)
        assert row is not None and row.event_id == last.id
        assert row.sha256 == result.rendered.sha256
        doc = SlipDocument.from_json(row.content)
    rows = dict((line.label, line.value) for line in doc.rows)
    assert rows["承办单位"] == UNIT_NAME
    assert rows["办理时限"] == "2026年11月27日"
    assert "620123" in rows["当事人"] and "********" in rows["当事人"]  # ID masked 6+4
    # the 交办单's kind prints phones in full: sealed in the snapshot, opened for the printer
    assert "⟦e1." in rows["当事人"] and "13812345678" not in rows["当事人"]
    assert doc.signature[0].value == "刘主任"


def test_numbers_follow_each_kind_and_year_without_padding(
    slips: SlipService, ctx: ServiceContext, orgs: Orgs, case_id: str
) -> None:
    first = slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"}))
    second = slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"}))
    other = slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs)))
    ctx.now = lambda: dt.datetime(2027, 1, 4, 9, 0)
    next_year = slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"}))

    assert first.slip.number == "青综治受〔2026〕1号"
    assert second.slip.number == "青综治受〔2026〕2号"
    assert other.slip.number == "青综治交〔2026〕1号"
    assert next_year.slip.number == "青综治受〔2027〕1号"


def test_required_fields_are_all_named_and_nothing_is_saved(
    slips: SlipService, ctx: ServiceContext, case_id: str
) -> None:
    before = len(events(ctx, case_id))
    with pytest.raises(ValidationErrors) as info:
        slips.issue(IssueRequest(case_id, "assignment", {"requirement": "  "}))

    assert set(info.value.fields) == {"unit", "requirement", "due_date", "signer"}
    assert "请填写承办单位" in info.value.message
    assert len(events(ctx, case_id)) == before
    assert slip_count(ctx) == 0


def test_a_refused_slip_does_not_use_up_a_number(
    slips: SlipService, orgs: Orgs, case_id: str
) -> None:
    with pytest.raises(ValidationErrors):
        slips.issue(IssueRequest(case_id, "assignment", {"unit": orgs.unit_id}))
    issued = slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs)))
    assert issued.slip.number.endswith("〔2026〕1号")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"due_date": "2026-02-30"}, "due_date"),
        ({"due_date": "2026-11-01"}, "due_date"),  # before today
        ({"unit": "no-such-unit"}, "unit"),
        ({"signer": "刘\x07主任"}, "signer"),
    ],
)
def test_bad_values_are_refused(
    slips: SlipService, orgs: Orgs, case_id: str, values: dict[str, str], field: str
) -> None:
    with pytest.raises(ValidationErrors) as info:
        slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs, **values)))
    assert info.value.fields == (field,)


def test_graded_slip_needs_a_grade_and_records_supervision(
    slips: SlipService, ctx: ServiceContext, orgs: Orgs, case_id: str
) -> None:
    slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs)))
    values = {"reasons": "逾期未办结\n群众不满意", "opinion": "立即办理", "reply_by": DUE,
              "signer": "刘主任"}  # fmt: skip
    with pytest.raises(ValidationError) as info:
        slips.issue(IssueRequest(case_id, "supervision", values))
    assert info.value.field == "grade"

    result = slips.issue(IssueRequest(case_id, "supervision", values, grade="red"))

    last = events(ctx, case_id)[-1]
    assert last.action == "supervise" and last.payload["level"] == "red"
    assert last.payload["opinion"] == "立即办理"
    assert result.slip.grade_label == "红色督办"
    doc = slips.document(result.slip.id)
    assert doc.grade_colour == "#C8161D"
    assert dict((r.label, r.value) for r in doc.rows)["督办事由"] == "逾期未办结；群众不满意"


def test_risk_warning_records_warn_with_the_grade_colour(
    slips: SlipService, ctx: ServiceContext, case_id: str
) -> None:
    values = {"basis": "扬言极端\n重复来访", "signer": "刘主任"}
    slips.issue(IssueRequest(case_id, "risk_warning", values, grade="orange"))
    last = events(ctx, case_id)[-1]
    assert last.action == "warn"
    assert last.payload == {**last.payload, "risk_colour": "orange", "basis": "扬言极端；重复来访"}


def test_report_up_records_escalation(
    slips: SlipService, ctx: ServiceContext, case_id: str
) -> None:
    values = {"reason": "涉及人数多，本级难以化解", "contact": "王接待 0931-1234567",
              "signer": "刘主任"}  # fmt: skip
    slips.issue(IssueRequest(case_id, "report_up", values))
    assert events(ctx, case_id)[-1].action == "escalate"
    # a second 呈报单 documents the escalation already on record: no second event
    count = len(events(ctx, case_id))
    slips.issue(IssueRequest(case_id, "report_up", values))
    assert len(events(ctx, case_id)) == count


def test_receipts_and_letters_record_no_event(
    slips: SlipService, ctx: ServiceContext, orgs: Orgs, case_id: str
) -> None:
    slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs)))
    count = len(events(ctx, case_id))
    slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"}))
    values = {"reply_by": DUE, "contact": "王接待 0931-1234567"}
    letter = slips.issue(IssueRequest(case_id, "reminder_letter", values))
    assert len(events(ctx, case_id)) == count
    doc = slips.document(letter.slip.id)
    assert doc.layout == "letter" and doc.addressee == UNIT_NAME
    assert any("请于2026年11月27日前" in p for p in doc.paragraphs)


def test_an_action_the_state_refuses_issues_nothing(
    slips: SlipService, ctx: ServiceContext, case_id: str
) -> None:
    # a feedback slip before the case is assigned: 受理 state does not allow 反馈
    with pytest.raises(TransitionError):
        slips.issue(IssueRequest(case_id, "feedback", {"result": "已调解", "signer": "刘主任"}))
    assert slip_count(ctx) == 0


def test_rejection_notice_goes_with_reject(
    slips: SlipService, ctx: ServiceContext, walk_in: Callable[..., WalkInInput],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr("services.reception.registration._disposition_events", lambda form: [])
    pending = register_walk_in(ctx, walk_in()).case_id  # left 待受理
    values = {"reason": "该事项属于已经人民法院受理的民事纠纷", "channels": "向人民法院提起诉讼"}
    result = slips.issue(IssueRequest(pending, "rejection", values))
    last = events(ctx, pending)[-1]
    assert last.action == "reject"
    assert last.payload["advised_channel"] == "向人民法院提起诉讼"
    doc = slips.document(result.slip.id)
    assert doc.layout == "notice" and doc.addressee == "张三"
    assert "向人民法院提起诉讼" in doc.paragraphs[1]

    monkeypatch.undo()
    referred = register_walk_in(ctx, walk_in(disposition="referred_litigation")).case_id
    count = len(events(ctx, referred))
    slips.issue(IssueRequest(referred, "rejection", values))  # already rejected at the desk
    assert len(events(ctx, referred)) == count


def test_void_keeps_the_number_and_the_reason(
    slips: SlipService, ctx: ServiceContext, case_id: str
) -> None:
    first = slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"}))
    with pytest.raises(ValidationError):
        slips.void(first.slip.id, "  ")
    voided = slips.void(first.slip.id, "受理人填写错误")
    assert voided.voided and voided.number == first.slip.number
    assert voided.void_reason == "受理人填写错误" and voided.voided_at == NOW
    with pytest.raises(ConflictError):
        slips.void(first.slip.id, "再次作废")
    with pytest.raises(ConflictError):
        slips.print_job(first.slip.id)
    again = slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"}))
    assert again.slip.number == "青综治受〔2026〕2号"  # never reused
    assert slips.get(first.slip.id).voided
    original = slips.original(first.slip.id)
    assert original.sha256 == first.slip.sha256  # the fake ignores marks; content unchanged


def test_first_print_is_the_original_and_later_ones_are_reprints(
    slips: SlipService, renderer: FakeRenderer, case_id: str
) -> None:
    issued = slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"}))
    job = slips.print_job(issued.slip.id, watermark="王接待 2026-11-20 10:00")
    assert not job.reprint and renderer.calls[-1][1].reprint_note == ""
    assert renderer.calls[-1][1].watermark == "王接待 2026-11-20 10:00"
    assert slips.record_print(issued.slip.id, copies=2).print_count == 1

    job = slips.print_job(issued.slip.id)
    assert job.reprint and job.slip.number == issued.slip.number
    assert "补打" in renderer.calls[-1][1].reprint_note
    assert renderer.calls[-1][0] == slips.document(issued.slip.id)  # same snapshot
    slips.record_print(issued.slip.id)
    assert slips.get(issued.slip.id).print_count == 2
    with pytest.raises(ValidationError):
        slips.record_print(issued.slip.id, copies=0)


def test_register_search(
    slips: SlipService, ctx: ServiceContext, orgs: Orgs, case_id: str,
    walk_in: Callable[..., WalkInInput],
) -> None:  # fmt: skip
    a = slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"})).slip
    ctx.now = lambda: NOW + dt.timedelta(days=1)
    b = slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs))).slip
    other = register_walk_in(ctx, walk_in(summary="李四反映邻居噪音扰民，协商未果")).case_id
    c = slips.issue(IssueRequest(other, "acceptance", {"handler": "王接待"})).slip
    slips.void(a.id, "重开")

    def ids(**kw: Any) -> list[str]:
        return [s.id for s in slips.search(SlipQuery(**kw))]

    assert ids() == [c.id, b.id, a.id]  # newest first (c and b on the same day, c later)
    assert ids(text="交〔2026〕1") == [b.id]
    assert ids(text=slips.get(c.id).case_code) == [c.id]
    assert ids(kind="acceptance") == [c.id, a.id]
    assert ids(date_from=NOW.date(), date_to=NOW.date()) == [a.id]
    assert ids(include_voided=False) == [c.id, b.id]
    assert ids(case_id=case_id) == [b.id, a.id]
    assert ids(text=UNIT_NAME) == [b.id]


def test_roles_limit_who_may_issue(
    slips: SlipService, ctx: ServiceContext, orgs: Orgs, case_id: str
) -> None:
    with ctx.store.write() as session:
        clerk = add_user(session, username="jd", display_name="王接待", role="receptionist",
                         org_id=orgs.township_id).id  # fmt: skip
    ctx.user_id = clerk
    slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"}))
    with pytest.raises(SlipPermissionError):
        slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs)))


def test_missing_glyphs_refuse_until_accepted(
    slips: SlipService, renderer: FakeRenderer, ctx: ServiceContext, case_id: str
) -> None:
    renderer.missing = ("𠮷",)
    before = len(events(ctx, case_id))
    with pytest.raises(MissingGlyphsError) as info:
        slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"}))
    assert "𠮷（U+20BB7）" in info.value.message
    assert slip_count(ctx) == 0 and len(events(ctx, case_id)) == before
    draft = slips.draft(IssueRequest(case_id, "acceptance", {"handler": "王接待"}))
    assert draft.missing_glyphs == ("𠮷",) and renderer.calls[-1][1].draft
    ok = slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"},
                                  allow_missing_glyphs=True))  # fmt: skip
    assert ok.slip.number.endswith("1号")


def test_form_prefills_case_values_and_defaults(
    slips: SlipService, orgs: Orgs, case_id: str
) -> None:
    form = slips.form(case_id, "assignment")
    assert form.values["case_code"].startswith("620123101000-2026-")
    assert form.values["requirement"].startswith("1. 24小时内")
    assert form.values["unit"] == ""
    assert (orgs.unit_id, UNIT_NAME) in form.units
    assert form.values["parties"].startswith("𠮷祥（申请人")


def test_snapshot_round_trips_through_json(slips: SlipService, case_id: str) -> None:
    issued = slips.issue(IssueRequest(case_id, "acceptance", {"handler": "王接待"}))
    doc = slips.document(issued.slip.id)
    assert SlipDocument.from_json(json.loads(json.dumps(doc.to_json()))) == doc
    assert dataclasses.asdict(doc)["case_code"] == issued.slip.case_code


def test_unknown_kind_is_refused(slips: SlipService, case_id: str) -> None:
    with pytest.raises(ServiceError):
        slips.issue(IssueRequest(case_id, "no_such_kind", {}))


def test_draft_prints_blanks_for_fields_not_yet_filled(
    slips: SlipService, renderer: FakeRenderer, ctx: ServiceContext, case_id: str
) -> None:
    slips.draft(IssueRequest(case_id, "supervision", {"due_date": "bad"}))
    doc, options = renderer.calls[-1]
    assert options.draft and doc.number == "（签发时编号）"
    assert doc.grade_label == "黄色督办"  # the first grade until one is chosen
    assert dict((r.label, r.value) for r in doc.rows)["督办要求"] == ""
    assert slip_count(ctx) == 0
