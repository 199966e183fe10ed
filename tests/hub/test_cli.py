"""``python main.py hub …`` admin commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from hub.cli import GC_YOUNG, main
from hub.db import HubDB
from hub.service import list_devices

REF = Path(__file__).resolve().parents[2] / "resources" / "reference"


def test_issue_list_revoke_and_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    assert (
        main(
            [
                "issue-token",
                "--db",
                db,
                "--label",
                "青山镇接待1",
                "--township-code",
                "620123101000",
                "--township-name",
                "青山镇",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    device_id = out.split("设备编号: ")[1].split()[0]
    assert "令牌" in out
    assert main(["issue-token", "--db", db, "--label", "县综治中心", "--county"]) == 0
    assert main(["list-devices", "--db", db]) == 0
    listing = capsys.readouterr().out
    assert "青山镇接待1" in listing and "从未" in listing
    assert main(["revoke-token", "--db", db, device_id]) == 0
    assert main(["revoke-token", "--db", db, device_id]) == 2  # already revoked: clear error
    assert "找不到" in capsys.readouterr().err
    assert main(["import-reference", "--db", db, str(REF)]) == 0
    assert "deadline_rule" in capsys.readouterr().out
    hub_db = HubDB(db)
    assert [d.revoked_at is not None for d in list_devices(hub_db)] == [True, False]
    hub_db.dispose()


def test_bad_arguments_are_refused_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'hub.db'}"
    assert main(["issue-token", "--db", db, "--label", "x"]) == 2
    assert main(["issue-token", "--db", db, "--label", "x", "--township-code", "123"]) == 2
    assert main(["import-reference", "--db", db, str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "乡镇代码" in err and "错误" in err
    assert main(["--host", "0.0.0.0", "--certfile", "a.pem"]) == 2  # key missing; no db needed


def test_serve_freezes_what_start_up_built_before_serving(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server's start-up objects (modules, the app, SQLAlchemy's and pydantic's tables) are
    moved out of the collector's generations before the first request, and the young generation
    is large enough for a pushed batch's objects to be freed before they are collected: the
    collector took an eighth of a push."""
    import gc

    import uvicorn

    seen: dict[str, int] = {}

    def run(app: object, **_kw: object) -> None:
        seen["frozen"] = gc.get_freeze_count()
        seen["young"] = gc.get_threshold()[0]

    monkeypatch.setattr(uvicorn, "run", run)
    threshold = gc.get_threshold()
    gc.unfreeze()
    try:
        assert main(["--db", f"sqlite:///{tmp_path / 'hub.db'}", "--port", "1"]) == 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
    assert seen["frozen"] > 10_000
    assert seen["young"] == GC_YOUNG > 700
