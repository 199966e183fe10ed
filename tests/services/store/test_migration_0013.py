"""Migration 0013: plain ID numbers and phones (rows and queued payloads) become sealed tokens."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from services.store import sealed
from services.store.migrate import current_revision, upgrade
from services.store.sealed import DataKeyError, KeySet

ID = "11010519491231002X"
PHONE = "13912345678"


@pytest.fixture
def keys() -> Iterator[KeySet]:
    before = sealed.installed()
    mine = KeySet.new()
    sealed.install(mine)
    try:
        yield mine
    finally:
        sealed.install(before)


def _old_database(path: Path, people: int = 2500) -> None:
    engine = create_engine(f"sqlite:///{path}")
    upgrade(engine, "0012")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO device_state (device_id, hlc_last, reference_version) "
                          "VALUES ('pc-aaaa', '', '')"))  # fmt: skip
        for i in range(people):
            number = ID if i == 0 else f"62010219900101{i:04d}"
            conn.execute(text(
                "INSERT INTO person (id, name, name_pinyin, name_initials, id_type, id_number, "
                "phone, created_at) VALUES (:id, '张三', '', '', '111', :n, :p, '2026-01-01')"),
                {"id": f"p{i}", "n": number, "p": PHONE if i == 0 else None})  # fmt: skip
        row = {"id": "p0", "name": "张三", "id_number": ID, "phone": PHONE}
        for cid, status, payload in (
            ("c-sent", "sent", {"row": row}),
            ("c-pending", "pending", {"fields": {"phone": PHONE}, "before": {"phone": "1"}}),
        ):
            conn.execute(text(
                "INSERT INTO outbox (change_id, entity, entity_id, op, hlc, payload, status, "
                "attempts, created_at) VALUES (:c, 'person', 'p0', 'insert', "
                "'1795000000000-0000000000-pc-aaaa', :p, :s, 0, '2026-01-01')"),
                {"c": cid, "p": json.dumps(payload), "s": status})  # fmt: skip
    engine.dispose()


def test_plain_rows_and_payloads_are_sealed_in_batches(tmp_path: Path, keys: KeySet) -> None:
    db = tmp_path / "old.db"
    _old_database(db)
    engine = create_engine(f"sqlite:///{db}")
    upgrade(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        first = conn.execute(text(
            "SELECT id_number, id_number_hmac, phone, phone_hmac FROM person WHERE id = 'p0'"
        )).one()  # fmt: skip
        plain = conn.execute(text(
            "SELECT count(*) FROM person WHERE id_number NOT LIKE 'e1.%' "
            "OR id_number_hmac IS NULL")).scalar()  # fmt: skip
        outbox = {r[0]: (json.loads(r[1]), r[2]) for r in conn.execute(
            text("SELECT change_id, payload, status FROM outbox"))}  # fmt: skip
    engine.dispose()
    assert plain == 0
    assert sealed.unseal(first[0], "id_number") == ID and sealed.unseal(first[2], "phone") == PHONE
    assert first[1] == sealed.blind(ID, "id_number") and first[3] == sealed.blind(PHONE, "phone")
    sent = outbox["c-sent"][0]["row"]
    assert sealed.unseal(sent["id_number"], "id_number") == ID
    assert sent["id_number_hmac"] == first[1]
    pending = outbox["c-pending"][0]
    assert sealed.is_sealed(pending["fields"]["phone"]) and sealed.is_sealed(
        pending["before"]["phone"]
    )
    assert "phone_hmac" not in pending["before"]
    # p0 was already on the hub: its sealed values are queued so the hub replaces the plain text
    requeued = [p for c, (p, s) in outbox.items() if c not in ("c-sent", "c-pending")]
    assert len(requeued) == 1 and requeued[0]["fields"]["id_number_hmac"] == first[1]
    assert sealed.unseal(requeued[0]["fields"]["phone"], "phone") == PHONE
    raw = db.read_bytes() + (Path(str(db) + "-wal").read_bytes()
                             if Path(str(db) + "-wal").exists() else b"")  # fmt: skip
    assert ID.encode() not in raw and PHONE.encode() not in raw
    assert b"620102199001010042" not in raw


def test_without_the_key_the_upgrade_stops_and_changes_nothing(tmp_path: Path) -> None:
    before = sealed.installed()
    db = tmp_path / "old.db"
    _old_database(db, people=3)
    sealed.install(None)
    engine = create_engine(f"sqlite:///{db}")
    try:
        with pytest.raises(DataKeyError, match="数据密钥"):
            upgrade(engine)
        assert current_revision(engine) == "0012"
        with engine.connect() as conn:
            assert conn.execute(text("SELECT id_number FROM person WHERE id = 'p0'")).scalar() == ID
    finally:
        sealed.install(before)
        engine.dispose()
