"""文件 → 从备份恢复… end to end (issue 11 #4): a restore recorded while the app ran is done by the
next ``python main.py`` start, inside the real start-up path (``desktop.app._run``), before the
store opens: the database is the backup's, the replaced file is kept beside the backups, the
request is gone and the restore is in the audit log of the database now in use."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from services.auth.service import AuthService
from services.backup.pending import pending_path, request_restore
from services.backup.service import check_backup, take_backup
from services.demo.township import DEMO_DIRECTOR, DEMO_PASSWORD, create_demo
from services.domain.dto import PartyInput, WalkInInput
from services.keys.startup import install_keys
from services.reception.registration import register_walk_in
from services.setup.township import make_context, open_store
from tests.memory_keyring import MEMORY_KEYRING
from tests.peek import case_codes

ROOT = Path(__file__).resolve().parents[2]


def _walk_in(summary: str) -> WalkInInput:
    return WalkInInput(parties=(PartyInput(name="张三", phone="13800138000"),), summary=summary,
                       category_code="0202", disposition="accepted")  # fmt: skip


@pytest.mark.slow  # a subprocess start (see CONTRIBUTING)
def test_the_next_start_of_the_app_restores_the_requested_backup(tmp_path: Path) -> None:
    install_keys(demo=True)  # the demo's fixed data key, as `main.py --demo` installs it
    db = tmp_path / "data" / "demo.db"
    db.parent.mkdir()
    ctx = make_context(open_store(db))
    create_demo(ctx, cases=8)
    ctx.principal = AuthService(ctx).sign_in(DEMO_DIRECTOR, DEMO_PASSWORD)
    folder = tmp_path / "backups"
    backup = take_backup(db, folder)
    in_backup = case_codes(db)
    later = register_walk_in(ctx, _walk_in("备份之后登记的邻里纠纷")).case_code
    check = check_backup(backup)
    assert check.ok, check
    request_restore(ctx, db, check)
    ctx.store.dispose()  # the app quits (its restart starts main.py again)
    assert later in case_codes(db) and pending_path(db).exists()

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "ZZ_STARTUP_PROBE": "1", "PYTHON_KEYRING_BACKEND": MEMORY_KEYRING,
           "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_STATE_HOME": str(tmp_path / "state")}  # fmt: skip
    done = subprocess.run([sys.executable, str(ROOT / "main.py"), "--demo", "--db", str(db)],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "screen-ready" in done.stdout.split()  # the window came up on the restored data

    assert not pending_path(db).exists()  # done once, never again at the next start
    assert case_codes(db) == in_backup and later not in case_codes(db)
    kept = sorted(folder.glob("*before-restore*.db"))
    assert len(kept) == 1 and later in case_codes(kept[0])  # nothing the user saved is lost
    conn = sqlite3.connect(db)
    try:
        actions = [str(r[0]) for r in conn.execute("SELECT action FROM audit_log")]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    assert "restore" in actions
    log_text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "state").rglob("*.log"))
    assert "restore from a backup at start: done" in log_text
