"""A printed provisional code still finds its case after renumbering (issue 10 §5)."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from services.api import Workbench
from services.cases.ledger import LedgerFilter
from services.cases.search import case_by_code, code_renames, search_cases
from services.store.models import Case, CaseAlias, NumberBlock
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc
from ui.tasks import ImmediateTaskRunner
from views.cases.ledger_view import LedgerView


def _renumbered_walk_in(pcs: Callable[..., Pc], hub: InProcessHub) -> tuple[Pc, Pc, str, str]:
    """A walk-in registered offline after the block ran dry, then renumbered at sync:
    (the PC, another PC of the township, the case id, the provisional code on its receipt)."""
    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    a2 = pcs("a2", hub.token("A2", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a2.sync.sync_now()
    with a1.store.write() as session:  # a1 ran its block dry while offline
        session.execute(update(NumberBlock).values(next_value=NumberBlock.last + 1))
    case_id = a1.register("离线登记，回执上是临时编号")
    printed = a1.cases()[case_id][0]
    assert "-L" in printed
    a1.sync.sync_now()
    a2.sync.sync_now()
    assert a1.cases()[case_id][0] != printed
    return a1, a2, case_id, printed


def test_the_code_on_a_receipt_finds_its_case_after_renumbering(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    a1, a2, case_id, printed = _renumbered_walk_in(pcs, hub)
    now = a1.cases()[case_id][0]
    for pc in (a1, a2):  # the PC that renumbered it, and one that pulled the alias
        with pc.store.read() as session:
            hits = search_cases(session, printed)
            assert [(h.case.id, h.renumbered_from) for h in hits] == [(case_id, printed)]
            assert case_by_code(session, printed) == (case_id, printed)
            assert case_by_code(session, now) == (case_id, "")
            renames = code_renames(session, printed)
            assert [(r.old_code, r.new_code) for r in renames] == [(printed, now)]
        bench = Workbench(pc.ctx)
        rows = bench.ledger_page(LedgerFilter(text=printed)).rows
        assert [r.id for r in rows] == [case_id]
        assert bench.ledger_count(LedgerFilter(text=printed.lower())).count == 1
        assert bench.find_case(printed) == (case_id, printed)


def test_an_old_code_that_is_now_another_cases_code_shows_both_and_says_so(
    hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    """Before issue 10 a PC offline numbered from the hub series itself, so a renumbered code
    can be the current code of another citizen's case: both are found, the renumbering said."""
    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    a1.sync.sync_now()
    first, second = a1.register("甲的纠纷"), a1.register("乙的纠纷")
    with a1.store.write() as session:
        code = session.scalar(select(Case.code).where(Case.id == second))
        assert code is not None
        session.add(CaseAlias(code=code, case_id=first, reason="provisional"))
        from services.cases.search import index_case

        index_case(session, first)
    bench = Workbench(a1.ctx)
    assert {r.id for r in bench.ledger_page(LedgerFilter(text=code)).rows} == {first, second}
    assert [(r.case_id, r.old_code) for r in bench.code_renames(code)] == [(first, code)]
    assert bench.find_case(code) == (second, "")  # the current holder of the code


def test_the_ledger_says_the_searched_code_was_renumbered(
    qtbot: QtBot, hub: InProcessHub, pcs: Callable[..., Pc]
) -> None:
    a1, _a2, case_id, printed = _renumbered_walk_in(pcs, hub)
    now = a1.cases()[case_id][0]
    view = LedgerView(Workbench(a1.ctx), ImmediateTaskRunner())
    qtbot.add_widget(view)
    assert view.renamed.isHidden()
    view.search.setText(printed)
    view.refresh()
    assert [view.model.row_at(i).id for i in range(view.model.rowCount())] == [case_id]
    assert not view.renamed.isHidden()
    assert view.renamed.text() == f"原编号 {printed} 已改为 {now}"
    view.search.setText("")
    view.refresh()
    assert view.renamed.isHidden()
