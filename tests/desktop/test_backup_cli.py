"""``python main.py backup now|list|check|restore`` (issue 11 #4): the restore assistant checks
a backup before replacing anything, refuses while the workbench is open and says what the next
sync brings back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from main import main
from services.domain.dto import PartyInput, WalkInInput
from services.reception.registration import register_walk_in
from services.setup.township import make_context, open_store, set_up_township
from services.store.models import RESTORED_CURSOR
from tests.peek import case_codes

FORM = WalkInInput(
    parties=(PartyInput(name="张三", phone="13812345678"),),
    summary="宅基地边界纠纷",
    category_code="0202",
    disposition="accepted",
)


def test_backup_now_list_check_and_restore(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, folder = tmp_path / "t.db", tmp_path / "备份"
    ctx = make_context(open_store(db))
    set_up_township(ctx, "青山镇", "620123101000")
    first = register_walk_in(ctx, FORM).case_code
    base = ["backup", "--db", str(db), "--folder", str(folder)]
    assert main([*base, "now"]) == 0  # while the store is open (online backup)
    backup = Path(capsys.readouterr().out.split("已备份到 ")[1].strip())
    later = register_walk_in(ctx, FORM).case_code
    assert main([*base, "list"]) == 0
    assert str(backup) in capsys.readouterr().out
    assert main([*base, "check", str(backup)]) == 0
    assert "备份检查通过" in capsys.readouterr().out
    assert main([*base, "restore", str(backup)]) == 1  # the workbench still has it open
    assert "请先关闭" in capsys.readouterr().err and later in case_codes(db)
    ctx.store.dispose()
    assert main([*base, "restore", str(backup)]) == 0
    assert "完全重新同步" in capsys.readouterr().out
    assert case_codes(db) == {first}
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT cursor FROM sync_state").fetchall() == [(RESTORED_CURSOR,)]
    conn.close()


def test_a_damaged_backup_is_named_and_nothing_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "t.db"
    ctx = make_context(open_store(db))
    set_up_township(ctx, "青山镇", "620123101000")
    code = register_walk_in(ctx, FORM).case_code
    ctx.store.dispose()
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000)
    assert main(["backup", "--db", str(db), "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "备份检查未通过" in out and "无法作为本程序的数据库打开" in out
    assert "Error" not in out  # no exception class names for the user
    assert main(["backup", "--db", str(db), "restore", str(bad)]) == 1
    assert "未做任何替换" in capsys.readouterr().err
    assert case_codes(db) == {code}
