"""``python main.py keys …``: status, backup, recover and rotate, signed in as an administrator;
a clerk cannot rotate or export the key; a copied database without the key is named."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.keys_cli import main
from services.auth.service import AuthService
from services.domain.dto import PartyInput, WalkInInput
from services.keys import keyring_store
from services.reception.registration import find_people, register_walk_in
from services.setup.township import make_context, open_store, set_up_township
from services.store import sealed
from tests.memory_keyring import MemoryKeyring, memory_keyring

ID = "62012319850710002X"
PASSPHRASE = "青山镇综治中心恢复口令2026"


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    before = sealed.installed()
    with memory_keyring() as r:
        yield r
    sealed.install(before)


@pytest.fixture
def db(tmp_path: Path, ring: MemoryKeyring) -> Path:
    keys, _ = keyring_store.load_or_create()
    sealed.install(keys)
    path = tmp_path / "pc.db"
    store = open_store(path)
    ctx = make_context(store)
    set_up_township(ctx, "青山镇", "620123101000")
    auth = AuthService(ctx)
    auth.add_user("admin1", "王管理", "admin", "Admin-pass-2026")
    auth.add_user("clerk1", "李接待", "receptionist", "Clerk-pass-2026")
    party = PartyInput(name="张三", id_number=ID, phone="13912340000")
    form = WalkInInput(parties=(party,), summary="邻里纠纷", category_code="0202",
                       disposition="accepted")  # fmt: skip
    register_walk_in(ctx, form)
    store.dispose()
    return path


def _run(monkeypatch: pytest.MonkeyPatch, args: list[str], *lines: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(line + "\n" for line in lines)))
    return main(args)


def test_backup_recover_rotate_and_status(
    db: Path, tmp_path: Path, ring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    out = tmp_path / "usb" / "key.zzkey"
    common = ["--db", str(db), "--stdin"]
    code = _run(monkeypatch, [*common, "backup", "--out", str(out), "--user", "admin1"],
                "Admin-pass-2026", PASSPHRASE, PASSPHRASE)  # fmt: skip
    assert code == 0 and out.exists()
    first = keyring_store.load_keys()
    assert first is not None
    ring.items.clear()  # a re-installed PC: the keyring is empty, a new key is made on start
    assert _run(monkeypatch, [*common, "status"]) == 1
    assert "本机没有此密钥" in capsys.readouterr().out
    assert _run(monkeypatch, [*common, "recover", str(out)], "wrong passphrase!") == 1
    assert "恢复口令不正确" in capsys.readouterr().err
    assert _run(monkeypatch, [*common, "recover", str(out)], PASSPHRASE) == 0
    assert _run(monkeypatch, [*common, "status"]) == 0
    second = tmp_path / "usb" / "key-2.zzkey"
    code = _run(monkeypatch, [*common, "rotate", "--out", str(second), "--user", "admin1"],
                "Admin-pass-2026", PASSPHRASE, PASSPHRASE)  # fmt: skip
    assert code == 0, capsys.readouterr().err
    rotated = keyring_store.load_keys()
    assert rotated is not None and rotated.active_id != first.active_id
    assert first.active_id in rotated.keys
    capsys.readouterr()
    assert _run(monkeypatch, [*common, "status"]) == 0
    assert f"{rotated.active_id}：2 项" in capsys.readouterr().out
    sealed.install(rotated)
    store = open_store(db)
    try:
        assert [c.person.name for c in find_people(make_context(store), id_number=ID)] == ["张三"]
    finally:
        store.dispose()


def test_a_clerk_cannot_rotate_or_export_the_key(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    before = keyring_store.load_keys()
    for command in ("rotate", "backup"):
        args = ["--db", str(db), "--stdin", command, "--out", str(tmp_path / "k"), "--user",
                "clerk1"]  # fmt: skip
        assert _run(monkeypatch, args, "Clerk-pass-2026", PASSPHRASE, PASSPHRASE) == 1
        assert "权" in capsys.readouterr().err
    assert keyring_store.load_keys() == before and not (tmp_path / "k").exists()
