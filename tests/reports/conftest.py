"""Fixtures for the PDF tests: a case carried through every slip kind with the real renderer.

The renderer uses only the bundled font plus a 4 KB CJK Extension B test subset
(``tests/reports/fonts``), so these tests do not depend on the machine's fonts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from reports.fonts import FontConfig
from reports.slips import SlipPdfRenderer
from services.cases.actions import perform
from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.reception.registration import register_walk_in
from services.setup.township import open_store
from services.slips.dto import IssueRequest, IssueResult
from services.slips.service import SlipService
from tests.services.conftest import (  # noqa: F401 - fixtures
    NOW,
    Orgs,
    ctx,
    ctx_and_orgs,
    db_path,
    id_numbers,
    new_id,
    orgs,
    store,
    township_context,
    township_template,
    walk_in,
    walk_in_forms,
)

FONT_DIR = Path(__file__).with_name("fonts")
EXT_B_FONT = str(FONT_DIR / "HanaMinB-testsubset.ttf")
TEST_FONTS = FontConfig(system=False, fallbacks=(EXT_B_FONT,))
DUE = (NOW.date() + dt.timedelta(days=7)).isoformat()
CONTACT = "王接待 0931-1234567"
LONG = (
    "经核查，该事项承办单位未在规定时限内与当事人首次联系，调解工作进展缓慢，"
    "群众多次来电反映，情绪较为激动，存在矛盾激化风险。"
)

# kind -> (grade, form values), in an order the workflow allows on one case
SAMPLES: dict[str, tuple[str | None, dict[str, str]]] = {
    "acceptance": (None, {"handler": "王接待"}),
    "assignment": (None, {"due_date": DUE, "signer": "刘主任", "contact": CONTACT}),
    "supervision": ("red", {"reasons": "逾期未办结\n群众不满意",
                            "opinion": "请立即组织调解，限期化解。", "reply_by": DUE,
                            "consequence": "约谈\n通报", "cc": "分管领导", "signer": "刘主任"}),
    "risk_warning": ("orange", {"basis": "扬言极端\n重复来访", "analysis": LONG,
                                "signer": "刘主任"}),
    "reminder_letter": (None, {"reply_by": DUE, "contact": CONTACT}),
    "supervision_letter": (None, {"problem": LONG.removeprefix("经核查，"), "reply_by": DUE,
                                  "contact": CONTACT}),
    "feedback": (None, {"result": "经司法所组织调解，双方达成协议，界桩已重新埋设。",
                        "contact": CONTACT, "signer": "刘主任"}),
    "report_up": (None, {"reason": "涉及人数较多，本级难以化解，请求县综治中心协调。",
                         "opinion": "建议由县自然资源局牵头处理。", "contact": CONTACT,
                         "signer": "刘主任"}),
    "rejection": (None, {"reason": "该事项已由人民法院受理",
                         "channels": "向人民法院提起诉讼\n向法律援助机构申请法律援助"}),
}  # fmt: skip


@pytest.fixture
def renderer() -> SlipPdfRenderer:
    return SlipPdfRenderer(TEST_FONTS)


@pytest.fixture
def slips(ctx: ServiceContext, renderer: SlipPdfRenderer) -> SlipService:  # noqa: F811
    return SlipService(ctx, renderer)


def issue_all(
    context: ServiceContext, tree: Orgs, service: SlipService,
    form: Callable[..., WalkInInput], make_id: Callable[[], str],
) -> dict[str, IssueResult]:  # fmt: skip
    """Issue one slip of every kind; the main case's applicant is 𠮷祥."""
    visitor = {"name": "𠮷祥", "id_number": make_id(), "phone": "13812345678"}
    main = register_walk_in(context, form(visitor=visitor)).case_id
    other = register_walk_in(context, form(visitor={"name": "李四"})).case_id
    referred = register_walk_in(context, form(disposition="referred_litigation")).case_id
    out: dict[str, IssueResult] = {}
    for kind, (grade, values) in SAMPLES.items():
        case_id = {"report_up": other, "rejection": referred}.get(kind, main)
        if kind == "assignment":  # 协办单位 are chosen from the organisation tree (issue 12 #7)
            values = {**values, "unit": tree.unit_id, "co_units": tree.villages["东沟村"]}
        if kind == "feedback":
            perform(context, main, "sign", {"signer": "张所长"})
        out[kind] = service.issue(IssueRequest(case_id, kind, values, grade=grade))
    return out


@pytest.fixture
def issued(
    ctx: ServiceContext, orgs: Orgs, slips: SlipService,  # noqa: F811
    walk_in: Callable[..., WalkInInput], new_id: Callable[[], str],  # noqa: F811
) -> dict[str, IssueResult]:  # fmt: skip
    return issue_all(ctx, orgs, slips, walk_in, new_id)


@dataclass(frozen=True)
class IssuedSet:
    """One slip of every kind (as ``issued``) and the slip service over the store holding them."""

    slips: SlipService
    results: dict[str, IssueResult]


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IssuedSet]:
    """The ``issued`` set made once per module, for the tests that only read it (render, parse,
    look up documents); a test that prints, voids or records a print takes ``issued``."""
    db = open_store(tmp_path_factory.mktemp("issued") / "store.db")
    try:
        ctx, orgs = township_context(db)
        slips = SlipService(ctx, SlipPdfRenderer(TEST_FONTS))
        yield IssuedSet(slips, issue_all(ctx, orgs, slips, walk_in_forms(), id_numbers()))
    finally:
        db.dispose()
