"""Two reception PCs offline after their blocks ran dry never collide (issue 10 §4)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select, update

from services.store.models import CaseAlias, NumberBlock
from tests.hub.harness import TOWNSHIP_A, InProcessHub, Pc


def _run_dry(pc: Pc) -> None:
    with pc.store.write() as session:
        session.execute(update(NumberBlock).values(next_value=NumberBlock.last + 1))


@pytest.mark.parametrize(
    "walk_ins",
    [pytest.param(100, id="quick"), pytest.param(1000, id="full", marks=pytest.mark.slow)],
)
def test_a_thousand_offline_walk_ins_after_the_block_ran_dry_never_collide(
    hub: InProcessHub, pcs: Callable[..., Pc], walk_ins: int
) -> None:
    """`make test` registers 100 offline walk-ins; the full 1,000 (their changes span several push
    batches of MAX_BATCH) run under `slow`, which CI runs."""
    a1 = pcs("a1", hub.token("A1", TOWNSHIP_A).token)
    a2 = pcs("a2", hub.token("A2", TOWNSHIP_A).token)
    a1.sync.sync_now()
    a2.sync.sync_now()
    _run_dry(a1)
    _run_dry(a2)
    first = {a1.register(f"一号机离线第{i}件") for i in range(20)}
    second = {a2.register(f"二号机离线第{i}件") for i in range(walk_ins)}  # no IntegrityError
    codes = [c for c, _s, _n in a1.cases().values()] + [c for c, _s, _n in a2.cases().values()]
    assert len(codes) == len(set(codes)) == 20 + walk_ins
    held = a2.cases()
    provisional = {cid: held[cid][0] for cid in second}
    for pc in (a1, a2, a1, a2):
        pc.sync.sync_now()
    final = a1.cases()
    assert set(final) == first | second and final == a2.cases()
    assert len({c for c, _s, _n in final.values()}) == 20 + walk_ins
    assert all("-L" not in c for c, _s, _n in final.values())  # all renumbered from the hub
    with a2.store.read() as session:
        aliases = {a.code: a.case_id for a in session.scalars(select(CaseAlias))}
    assert {aliases[code] for code in provisional.values()} == second
