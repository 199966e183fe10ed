"""``python main.py audit verify`` names the first broken entry and exits 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from main import main
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_walk_in
from services.setup.township import make_context, open_store, set_up_township


def test_audit_verify_passes_then_names_a_forged_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "t.db"
    store = open_store(path)
    ctx = make_context(store)
    set_up_township(ctx, "青山镇", "620123101000")
    party = PartyInput(name="张三", phone="13812345678")
    form = WalkInInput(
        parties=(party,), summary="宅基地边界纠纷", category_code="0202", disposition="accepted"
    )
    case_id = register_walk_in(ctx, form).case_id
    store.dispose()
    assert main(["audit", "verify", "--db", str(path)]) == 0
    assert "校验通过" in capsys.readouterr().out
    store = open_store(path)
    with store.write_engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO case_event (id, case_id, seq, action, actor_id, device_id, hlc,"
            f" occurred_at, payload) VALUES ('forged-1', '{case_id}', 9, 'close', NULL, 'pc-x',"
            " 'h', '2026-11-20 10:00:00', '{}')"
        )
    store.dispose()
    assert main(["audit", "verify", "--db", str(path)]) == 1
    out = capsys.readouterr().out
    assert "校验未通过" in out and "第一处：" in out and "forged-1" in out
