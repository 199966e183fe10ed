"""The first registration in a process (issue 12, finding 12): pypinyin (~0.3 s to import) is
loaded before the write lock is taken, never inside the transaction."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SET_UP = """
import sys
from services.setup.township import make_context, open_store, set_up_township
set_up_township(make_context(open_store(sys.argv[1])), "青山镇", "620123101000")
"""
SCRIPT = """
import sys
from sqlalchemy import event
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_walk_in
from services.setup.township import make_context, open_store

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
    subprocess.run([sys.executable, "-c", SET_UP, db], cwd=root, timeout=120, check=True)
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT, db],
        cwd=root, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    assert out.stdout.strip() == "[True]", out.stdout + out.stderr
