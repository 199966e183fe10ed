"""The data folder may hold Chinese characters and spaces (a user named 综治 数据 on Windows)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from services.demo.township import create_demo
from services.setup.township import make_context, open_store

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # a subprocess start or a whole-app walk: see CONTRIBUTING
def test_the_app_starts_with_its_data_in_a_folder_named_with_chinese_and_spaces(
    tmp_path: Path,
) -> None:
    """Store, settings, log and a screen, all under …/综治 数据/ (main.py as users run it)."""
    home = tmp_path / "综治 数据"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT),
           "XDG_DATA_HOME": str(home / "data"), "XDG_CONFIG_HOME": str(home / "config"),
           "XDG_STATE_HOME": str(home / "state")}  # fmt: skip
    db = home / "data" / "ZongzhiWorkbench" / "demo.db"
    db.parent.mkdir(parents=True)
    ctx = make_context(open_store(db))  # a small demo township, made in the folder beforehand
    create_demo(ctx, cases=20)
    ctx.store.dispose()
    picture = home / "截图 1.png"
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--demo", "--screenshot", str(picture),
         "--view", "ledger", "--size", "1366x728"],
        env=env, cwd=home, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert picture.stat().st_size > 10_000
    assert db.stat().st_size > 0  # the default data path (platformdirs) was the folder's
    logs = list((home / "state").rglob("*.log"))
    assert logs and logs[0].read_text(encoding="utf-8")
    assert list((home / "config").rglob("settings-demo.json"))  # settings saved there too
