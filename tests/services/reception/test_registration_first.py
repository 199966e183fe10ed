"""The first registration in a process (issue 12, finding 12): pypinyin (~0.3 s to import) is
loaded before the write lock is taken, never inside the transaction, and the rehearsal that warms
the rest (tests/bench times it) leaves nothing behind."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.engine.interfaces import CacheStats

from services.audit.verify import verify
from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_walk_in
from services.reception.warmup import prepare_registration
from services.setup.township import make_context, open_store, set_up_township
from tests.services.conftest import Orgs

SCRIPT = """
import sys
from sqlalchemy import event
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_walk_in
from services.setup.township import make_context, open_store
from services.store import sealed

sealed.install(sealed.KeySet.new())
store = open_store(sys.argv[1])
ctx = make_context(store)
assert "pypinyin" not in sys.modules
loaded_at_begin = []
event.listen(store.write_engine, "begin",
             lambda conn: loaded_at_begin.append("pypinyin" in sys.modules))
form = WalkInInput(parties=(PartyInput(name="张三", id_number="11010519491231002X",
                                       phone="13812345678"),),
                   summary="邻里纠纷", category_code="0202", disposition="accepted")
register_walk_in(ctx, form)
print(loaded_at_begin)
"""


def test_pypinyin_is_loaded_before_the_write_transaction(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[3]
    db = str(tmp_path / "first.db")
    ctx = make_context(open_store(db))  # set up here, from the migrated template: ~2 s less
    set_up_township(ctx, "青山镇", "620123101000")
    ctx.store.dispose()
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, db],
        cwd=root, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == "[True]", out.stdout + out.stderr


def test_the_rehearsal_before_the_first_save_leaves_no_trace(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    """prepare_registration runs a whole registration (to compile and load what a save needs
    outside the clerk's save) and rolls it back: no row, no case number, no outbox entry."""
    tables = (
        "person",
        "case_file",
        "case_event",
        "visit",
        "outbox",
        "audit_log",
        "case_search",
        "audit_key",
        "audit_event",
    )

    def counts() -> dict[str, object]:
        with ctx.store.read() as session:
            found = {t: session.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}
            found["numbers"] = session.execute(
                text("SELECT group_concat(next_value) FROM number_block")
            ).scalar()
            return found

    before = counts()
    assert prepare_registration(ctx) > 0
    assert counts() == before
    first = register_walk_in(ctx, walk_in())
    assert first.case_code.endswith("-000001")
    assert "pypinyin" in sys.modules
    report = verify(ctx.store)  # the audit chain (and its key) as if no rehearsal had run
    assert report.ok and report.entries >= 1, report.first
    # with this PC's audit key stored, the rehearsal includes the audit entry, rolled back too
    before = counts()
    prepare_registration(ctx)
    assert counts() == before
    assert register_walk_in(ctx, walk_in()).case_code.endswith("-000002")
    assert verify(ctx.store).ok


@pytest.mark.parametrize("visitor", ["new", "same_id", "same_name_and_phone"])
def test_the_first_save_after_the_warm_up_compiles_no_statement(
    ctx: ServiceContext, orgs: Orgs, db_path: Path, new_id: Callable[[], str], visitor: str
) -> None:
    """Every statement the clerk's first save sends was compiled by the rehearsal (SQLAlchemy's
    compiled cache is per engine, so this store's is empty before): no compilation inside the
    write lock. Load cannot fool this, unlike a timing. The form is the one the reception screen
    sends most (a visitor with phone, a respondent, a village), the visitor new or coming back
    (found by ID number, or by name and phone without one); this PC's audit key not stored yet
    (the first save ever registers it, and the rehearsal must not remember it)."""
    number = new_id()

    def form(id_number: str) -> WalkInInput:
        return WalkInInput(
            parties=(PartyInput(name="欧阳振华", id_number=id_number, phone="13712345678"),
                     PartyInput(name="李建国", role="respondent", is_visitor=False)),
            summary="欧阳振华与李建国因宅基地边界发生纠纷，要求调解", category_code="0202",
            disposition="accepted", village_id=next(iter(orgs.villages.values())),
            occurred_place="村口",
        )  # fmt: skip

    if visitor != "new":  # the earlier visit, by another process (its own engine and cache)
        other = open_store(db_path)
        try:
            register_walk_in(make_context(other), form(number))
        finally:
            other.dispose()
    assert prepare_registration(ctx) > 0
    compiled: list[str] = []

    def after(_conn: object, _cur: object, statement: str, _params: object,
              context: DefaultExecutionContext | None, _many: bool) -> None:  # fmt: skip
        if context is not None and context.cache_hit is CacheStats.CACHE_MISS:
            compiled.append(statement)

    event.listen(ctx.store.write_engine, "after_cursor_execute", after)
    try:
        result = register_walk_in(ctx, form("" if visitor == "same_name_and_phone" else number))
    finally:
        event.remove(ctx.store.write_engine, "after_cursor_execute", after)
    assert result.is_new_case
    assert compiled == []
    assert verify(ctx.store).ok
