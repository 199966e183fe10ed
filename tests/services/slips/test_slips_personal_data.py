"""The 交办单 prints the parties' phones in full (its kind data says so, with the basis); the
stored snapshot, the outbox and the file keep them sealed; each print records what it showed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.reception.registration import register_walk_in
from services.slips.dto import IssueRequest
from services.slips.kinds import load_catalogue
from services.slips.service import SlipService
from services.store.models import AuditLog, Outbox, Slip
from tests.services.conftest import Orgs
from tests.services.slips.test_slips import FakeRenderer, assign_values

PHONE = "13812345678"


def test_assignment_prints_the_phone_in_full_but_keeps_it_sealed(
    ctx: ServiceContext, orgs: Orgs, db_path: Path, walk_in: Callable[..., WalkInInput],
    new_id: Callable[[], str],
) -> None:  # fmt: skip
    number = new_id()
    form = walk_in(visitor={"name": "张三", "id_number": number, "phone": PHONE})
    case_id = register_walk_in(ctx, form).case_id
    kind = load_catalogue().kind("assignment")
    parties = next(f for f in kind.fields if f.name == "parties")
    assert parties.unmasked == ("phone",) and parties.unmasked_basis
    renderer = FakeRenderer()
    slips = SlipService(ctx, renderer)
    shown = slips.form(case_id, "assignment").values["parties"]
    assert PHONE in shown and number not in shown and "⟦" not in shown
    result = slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs)))
    printed = dict((line.label, line.value) for line in renderer.calls[-1][0].rows)["当事人"]
    assert f"电话 {PHONE}" in printed and number[:6] + "********" + number[-4:] in printed
    slips.record_print(result.slip.id)
    with ctx.store.read() as session:
        content = str(session.scalars(select(Slip.content)).one())
        outbox = " ".join(str(p) for p in session.scalars(
            select(Outbox.payload).where(Outbox.entity == "slip")))  # fmt: skip
        entry = dict(session.scalars(
            select(AuditLog.detail).where(AuditLog.action == "print")).one())  # fmt: skip
    assert PHONE not in content and PHONE not in outbox and "⟦e1." in content
    assert entry["unmasked"] == ["phone"]
    raw = db_path.read_bytes() + Path(str(db_path) + "-wal").read_bytes()
    assert PHONE.encode() not in raw
    # a reprint opens the snapshot again
    job = slips.print_job(result.slip.id)
    assert f"电话 {PHONE}" in job.rendered.pdf.decode()


def test_other_kinds_keep_the_phone_masked(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    case_id = register_walk_in(ctx, walk_in(visitor={"phone": PHONE})).case_id
    slips = SlipService(ctx, FakeRenderer())
    for kind in slips.kinds():
        if kind.code == "assignment":
            continue
        for value in slips.form(case_id, kind.code).values.values():
            assert PHONE not in value, kind.code


def test_a_slip_saved_as_pdf_is_an_audited_export(
    ctx: ServiceContext, orgs: Orgs, walk_in: Callable[..., WalkInInput]
) -> None:
    """另存为PDF writes the 交办单 with the party's phone in full to a file: like a print, it is
    recorded with the signed-in user and what it showed in full (issue 11 #3)."""
    case_id = register_walk_in(ctx, walk_in(visitor={"phone": PHONE})).case_id
    slips = SlipService(ctx, FakeRenderer())
    result = slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs)))
    slips.record_export(result.slip.id)
    with ctx.store.read() as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "export")).one()
        assert entry.detail["what"] == "slip" and entry.entity_id == result.slip.id
        assert entry.detail["unmasked"] == ["phone"] and entry.user_id == ctx.user_id
        assert entry.case_id == case_id


def test_exports_carry_no_sealed_token_and_no_full_number(
    ctx: ServiceContext, orgs: Orgs, walk_in: Callable[..., WalkInInput], new_id: Callable[[], str]
) -> None:
    """The ledger export and the audit CSV, after a 交办单 with the phone in full was issued,
    printed and saved: no sealed token (⟦…⟧ or e1.…), no full ID number, no full phone."""
    import dataclasses
    import re

    from services.api import Workbench
    from services.audit.query import AuditQuery, export_audit_csv
    from services.cases.ledger_plan import LedgerFilter

    number = new_id()
    form = walk_in(visitor={"name": "张三", "id_number": number, "phone": PHONE})
    case_id = register_walk_in(ctx, form).case_id
    slips = SlipService(ctx, FakeRenderer())
    result = slips.issue(IssueRequest(case_id, "assignment", assign_values(orgs)))
    slips.record_print(result.slip.id)
    slips.record_export(result.slip.id)
    pages = list(Workbench(ctx).iter_ledger(LedgerFilter()))
    ledger = " ".join(str(dataclasses.asdict(row)) for page in pages for row in page.rows)
    assert case_id in ledger  # the case is there
    audit = export_audit_csv(ctx, AuditQuery(None, None, "", None, None)).decode("utf-8-sig")
    assert "导出" in audit and "打印" in audit
    for text in (ledger, audit):
        assert not re.search(r"⟦|\be1\.[0-9a-f]{8}\.", text)
        assert number not in text and PHONE not in text
