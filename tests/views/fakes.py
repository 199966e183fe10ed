"""Typed fake services for view tests (no database): they record calls and answer from memory."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from services.cases.ledger import (
    COUNT_CAP,
    LedgerCursor,
    LedgerFilter,
    LedgerPage,
    LedgerRow,
    LedgerTotal,
)
from services.domain.dto import (
    ActionResult,
    CaseBrief,
    CaseDetail,
    Changes,
    ClockInfo,
    CodeRename,
    PersonCandidate,
    PersonSummary,
    RegistrationResult,
    TimelineEntry,
    WalkInInput,
)
from services.domain.errors import (
    PermissionDeniedError,
    TransitionError,
    ValidationError,
    ValidationErrors,
)
from services.domain.workflow import ACTION_LABELS, STATE_LABELS, Action, CaseState
from services.reference.data import Reference, default_reference
from services.setup.township import OrgInfo

NOW = dt.datetime(2026, 11, 20, 10, 0)
VILLAGES = (OrgInfo("v1", "t1", "village", "青山村", "620123101201", None),
            OrgInfo("v2", "t1", "community", "新民社区", "620123101001", None))  # fmt: skip
UNITS = (OrgInfo("u1", "t1", "unit", "青山司法所", None, "司法所"),)
TOWNSHIPS = (OrgInfo("t1", None, "township", "青山镇", "620123101000", None),
             OrgInfo("t2", None, "township", "河口镇", "620123102000", None))  # fmt: skip


def ledger_row(i: int) -> LedgerRow:
    return LedgerRow(
        id=f"case-{i:06d}", code=f"620123101000-2026-{i:06d}", title=f"纠纷{i}",
        state="handling", state_label="承办中", risk_colour=("green", "yellow", "red")[i % 3],
        category_code="0202", village_name="青山村", handling_level="township",
        supervision_level="none", registered_at=NOW - dt.timedelta(minutes=i), due_at=NOW,
        due_provisional=False, names="张三 李四", remaining_working_days=3 - i % 5,
    )  # fmt: skip


class FakeWorkbench:
    """In-memory stand-in for :class:`services.api.Workbench`."""

    def __init__(self, total_cases: int = 250) -> None:
        self._ref = default_reference()
        self.forms: list[WalkInInput] = []
        self.lookups: list[tuple[str, str, str]] = []
        self.filters: list[LedgerFilter] = []
        self.performed: list[tuple[str, str, dict[str, Any]]] = []
        self.total = total_cases
        self.count_cap = COUNT_CAP  # the ledger's count stops here (services.cases.ledger)
        self.candidates: tuple[PersonCandidate, ...] = ()
        self.defaults: dict[str, tuple[str, str]] = {}  # person id -> (masked phone, category)
        self.case = self._detail("registered")
        self.township_list: tuple[OrgInfo, ...] = (TOWNSHIPS[0],)
        self.renames: tuple[CodeRename, ...] = ()
        self.revealed: list[tuple[str, str, str]] = []
        self.reveal_fields: tuple[str, ...] = ("phone",)  # a clerk: phones only, never IDs

    @property
    def reference(self) -> Reference:
        return self._ref

    def current_user_id(self) -> str | None:
        return "user-1"

    def villages(self) -> tuple[OrgInfo, ...]:
        return VILLAGES

    def units(self) -> tuple[OrgInfo, ...]:
        return UNITS

    def townships(self) -> tuple[OrgInfo, ...]:
        return self.township_list

    # reception
    def register_walk_in(self, form: WalkInInput) -> RegistrationResult:
        errors = []
        if not form.summary.strip():
            errors.append(ValidationError("summary", "summary.required", "请填写诉求简述"))
        if not form.parties or not form.parties[0].name.strip():
            errors.append(ValidationError("parties[0].name", "name.empty", "请填写姓名"))
        if errors:
            raise ValidationErrors(errors)
        self.forms.append(form)
        n = len(self.forms)
        return RegistrationResult(
            visit_id=f"visit-{n}", case_id=form.attach_to_case_id or f"case-new-{n}",
            case_code=f"620123101000-2026-{900000 + n}", state="accepted",
            is_new_case=form.attach_to_case_id is None, is_collective=form.head_count >= 5,
            is_repeat=form.attach_to_case_id is not None, person_ids=("p1",), notices=(),
            changes=Changes(frozenset({f"case-new-{n}"}), visits=True),
        )  # fmt: skip

    def visit_defaults(self, person_id: str) -> tuple[str, str]:
        return self.defaults.get(person_id, ("", ""))

    def find_people(self, *, id_number: str = "", phone: str = "",
                    name: str = "") -> tuple[PersonCandidate, ...]:  # fmt: skip
        self.lookups.append((id_number, phone, name))
        return self.candidates

    # ledger
    def ledger_page(self, filt: LedgerFilter, *, sort: str = "registered_at",
                    descending: bool = True, after: LedgerCursor | None = None,
                    limit: int = 100) -> LedgerPage:  # fmt: skip
        self.filters.append(filt)
        start = int(after.id.split("-")[1]) + 1 if after else 0
        rows = tuple(ledger_row(i) for i in range(start, min(start + limit, self.total)))
        more = start + limit < self.total
        cursor = LedgerCursor(rows[-1].registered_at, rows[-1].id) if rows and more else None
        return LedgerPage(rows, cursor)

    def ledger_count(self, filt: LedgerFilter) -> LedgerTotal:
        return LedgerTotal(min(self.total, self.count_cap), self.total > self.count_cap)

    def code_renames(self, text: str) -> tuple[CodeRename, ...]:
        return tuple(r for r in self.renames if r.old_code == text)

    def iter_ledger(self, filt: LedgerFilter, *, sort: str = "registered_at",
                    descending: bool = True, page: int = 2000) -> Iterator[LedgerPage]:  # fmt: skip
        cursor = None
        while True:
            result = self.ledger_page(filt, after=cursor, limit=page)
            yield result
            if result.next_cursor is None:
                return
            cursor = result.next_cursor

    # case file
    def _detail(self, state: str) -> CaseDetail:
        s = CaseState(state)
        from services.domain.workflow import CaseProjection, allowed_actions

        proj = CaseProjection(s, "0202", "green", "", "township", NOW)
        person = PersonSummary("p1", "张三", "110105********002X", "138****5678", "女", None)
        from services.domain.dto import PartyView

        return CaseDetail(
            id="case-1", code="620123101000-2026-000001", title="宅基地边界纠纷",
            summary="双方因宅基地边界发生争议", description="", category_code="0202",
            risk_colour="green", risk_basis="", handling_level="township", state=s.value,
            state_label=STATE_LABELS[s], supervision_level="none", registered_at=NOW,
            assignee_unit_name=None, rework_count=0, parties=(PartyView(person, "applicant"),),
            clocks=(ClockInfo("resolve", NOW + dt.timedelta(days=7), 5, False, False),),
            timeline=(TimelineEntry("e1", "register", ACTION_LABELS[Action.REGISTER], NOW, None,
                                    {}),),
            allowed_actions=tuple(a.value for a in allowed_actions(proj)),
        )  # fmt: skip

    def get_case(self, case_id: str) -> CaseDetail:
        return self.case

    def reveal_person(self, person_id: str, field: str, reason: str) -> str:
        if not self.may_reveal(field):
            raise PermissionDeniedError("person.reveal_id", "无权查看完整身份证号码")
        self.revealed.append((person_id, field, reason))
        return "62012319850710002X" if field == "id_number" else "13812345678"

    def may_reveal(self, field: str) -> bool:
        return field in self.reveal_fields

    def perform(self, case_id: str, action: str, payload: dict[str, Any]) -> ActionResult:
        if action not in self.case.allowed_actions:
            raise TransitionError(self.case.state, action, "当前状态不能执行该操作")
        if action == "assign" and not payload.get("unit_id"):
            raise ValidationError("unit_id", "assign.unit_id", "请选择承办单位")
        self.performed.append((case_id, action, payload))
        nxt = {"accept": "accepted", "assign": "assigned"}.get(action, self.case.state)
        self.case = replace(self._detail(nxt))
        return ActionResult(self.case, Changes(frozenset({case_id})))


def brief(code: str) -> CaseBrief:
    return CaseBrief("case-9", code, "宅基地纠纷", "handling", "承办中", "green", NOW)
