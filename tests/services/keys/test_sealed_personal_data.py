"""Personal data sealed at rest (issue 11 part 2): no plain ID number or phone in the file or the
outbox, a copied database without the key says so, matching still works, rotation keeps all."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from services.context import ServiceContext
from services.domain.dto import PartyInput, WalkInInput
from services.domain.errors import ServiceError
from services.keys import keyring_store
from services.keys.recovery import read_recovery, write_recovery
from services.keys.rotation import keys_in_use, reseal, retire, rotate
from services.keys.startup import install_keys, missing_keys
from services.reception.registration import find_people, register_walk_in
from services.setup.township import make_context, open_store
from services.store import sealed
from services.store.models import Outbox, Person
from services.store.personal import id_number_match, phone_match
from services.store.sealed import DataKeyError, KeySet
from tests.memory_keyring import MemoryKeyring, memory_keyring
from tests.services.conftest import valid_id

ID = "11010519491231002X"
PHONE = "13912345678"


@pytest.fixture
def keys() -> Iterator[KeySet]:
    """A key set of this test's own, put back as it was afterwards."""
    before = sealed.installed()
    mine = KeySet.new()
    sealed.install(mine)
    try:
        yield mine
    finally:
        sealed.install(before)


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    with memory_keyring() as r:
        yield r


def _register(ctx: ServiceContext, walk_in: Callable[..., WalkInInput], **visitor: str) -> str:
    form = walk_in(visitor={"name": "张三", "id_number": ID, "phone": PHONE, **visitor})
    return register_walk_in(ctx, form).person_ids[0]


def _raw_bytes(db: Path) -> bytes:
    data = b""
    for suffix in ("", "-wal", "-shm"):
        path = Path(str(db) + suffix)
        if path.exists():
            data += path.read_bytes()
    return data


def test_the_file_and_the_outbox_hold_no_plain_id_or_phone(
    ctx: ServiceContext, db_path: Path, walk_in: Callable[..., WalkInInput], keys: KeySet
) -> None:
    pid = _register(ctx, walk_in)
    with ctx.store.write() as session:  # an update goes through the outbox too
        person = session.get(Person, pid)
        assert person is not None
        person.phone = "13700001111"
    raw = _raw_bytes(db_path)
    for plain in (ID, PHONE, "13700001111", ID[:14]):
        assert plain.encode() not in raw, plain
    with ctx.store.read() as session:
        stored = session.execute(text("SELECT id_number, phone FROM person")).one()
        payloads = [json.dumps(o.payload) for o in session.scalars(
            select(Outbox).where(Outbox.entity == "person"))]  # fmt: skip
        person = session.get(Person, pid)
        assert person is not None and person.id_number == ID  # the service sees plain text
    assert all(sealed.is_sealed(v) for v in stored)
    assert len(payloads) == 2
    for text_ in payloads:
        assert ID not in text_ and PHONE not in text_ and "13700001111" not in text_
        assert "e1." in text_


def test_matching_by_id_and_phone_uses_the_blind_index(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], keys: KeySet
) -> None:
    pid = _register(ctx, walk_in)
    again = register_walk_in(ctx, walk_in(visitor={"name": "张三", "id_number": ID.lower(),
                                                   "phone": PHONE}))  # fmt: skip
    assert again.person_ids == (pid,)
    assert [c.person.id for c in find_people(ctx, id_number=ID)] == [pid]
    assert [c.person.id for c in find_people(ctx, phone=PHONE)] == [pid]
    found = find_people(ctx, id_number=ID)[0].person
    assert found.id_number_masked == "110105********002X"
    assert found.phone_masked == "139****5678"
    with ctx.store.read() as session:
        query = "EXPLAIN QUERY PLAN SELECT id FROM person WHERE id_number_hmac = 'x'"
        plan = " ".join(str(r) for r in session.execute(text(query)).all())
        assert "ix_person_id_number_hmac" in plan
        assert session.scalars(select(Person.id).where(phone_match(PHONE))).all() == [pid]


def test_comparing_a_sealed_column_in_sql_is_refused() -> None:
    with pytest.raises(TypeError, match="services.store.personal"):
        select(Person.id).where(Person.id_number == ID)
    select(Person.id).where(Person.id_number.is_(None))  # null tests are fine
    select(Person.id).where(Person.phone == None)  # noqa: E711


def test_a_copied_database_opened_without_the_key_says_so(
    ctx: ServiceContext, db_path: Path, tmp_path: Path, walk_in: Callable[..., WalkInInput],
    keys: KeySet,
) -> None:  # fmt: skip
    pid = _register(ctx, walk_in)
    ctx.store.dispose()
    copy = tmp_path / "copied.db"
    shutil.copy(db_path, copy)
    other_pc = KeySet.new()  # another PC: its own key, not this county's
    sealed.install(other_pc)
    store = open_store(copy)
    try:
        assert missing_keys(store, other_pc) == (keys.active_id,)
        with pytest.raises(DataKeyError) as caught, store.read() as session:
            session.get(Person, pid)
        assert caught.value.code == "datakey.missing"
        assert "数据密钥" in caught.value.message and "恢复文件" in caught.value.message
        other = make_context(store)
        with pytest.raises(ServiceError) as listed:
            find_people(other, name="张三")
        assert "数据密钥" in listed.value.message
        # the raw file offers nothing either
        assert ID.encode() not in copy.read_bytes()
    finally:
        store.dispose()


def test_rotation_reseals_everything_and_keeps_it_readable(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], keys: KeySet, ring: MemoryKeyring
) -> None:
    people = [_register(ctx, walk_in, id_number=n, phone=p, name=name) for n, p, name in (
        (ID, PHONE, "张三"), (valid_id("62010219900101123"), "13800000002", "李四"),
        ("", "09318123456", "王五"))]  # fmt: skip
    old = keys.active_id
    saved: list[KeySet] = []
    new, report = rotate(ctx, keys, saved.append)
    assert saved == [new] and new.active_id != old and old in new.keys
    assert report.people == 3 and report.outbox >= 3
    assert keys_in_use(ctx) == {new.active_id: 5}
    with ctx.store.read() as session:
        rows = session.scalars(select(Outbox.payload).where(Outbox.entity == "person")).all()
        tokens = [v for p in rows for part in p.values() if isinstance(part, dict)
                  for k, v in part.items() if k in ("id_number", "phone") and v]  # fmt: skip
        assert tokens and {sealed.key_id_of(t) for t in tokens} == {new.active_id}
        names = {p.name: (p.id_number, p.phone) for p in session.scalars(select(Person))}
    assert names["张三"] == (ID, PHONE) and names["王五"] == (None, "0931-8123456")
    assert [c.person.id for c in find_people(ctx, id_number=ID)] == [people[0]]
    # the old key can go once nothing uses it; what it sealed elsewhere stays readable till then
    trimmed = retire(ctx, new, old)
    sealed.install(trimmed)
    assert list(trimmed.keys) == [new.active_id]
    assert [c.person.id for c in find_people(ctx, phone="13800000002")] == [people[1]]
    assert reseal(ctx, trimmed.active_id) == (0, 0)  # resumable: nothing left to do


def test_matching_holds_across_two_keys_before_everyone_rotated(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], keys: KeySet
) -> None:
    """A row pulled from a PC that has not rotated yet still matches (HMAC under each key)."""
    pid = _register(ctx, walk_in)
    sealed.install(keys.with_key(sealed.DataKey.generate(), activate=True))
    with ctx.store.read() as session:
        assert session.scalars(select(Person.id).where(id_number_match(ID))).all() == [pid]
    assert register_walk_in(ctx, walk_in(visitor={"id_number": ID})).person_ids == (pid,)


def test_recovery_file_brings_the_key_back_on_a_new_pc(
    ctx: ServiceContext, db_path: Path, tmp_path: Path, walk_in: Callable[..., WalkInInput],
    ring: MemoryKeyring,
) -> None:  # fmt: skip
    before = sealed.installed()
    try:
        keys, created = install_keys(demo=False)  # first start: a key is made and kept
        stored = keyring_store.load_keys()
        assert created and stored is not None and stored.active_id == keys.active_id
        pid = _register(ctx, walk_in)
        recovery = tmp_path / "usb" / "data-key.zzkey"
        with pytest.raises(ServiceError, match="至少12个字符"):
            write_recovery(recovery, keys, "short")
        write_recovery(recovery, keys, "青山镇综治中心2026恢复口令")
        assert keys.active.secret not in recovery.read_bytes()
        ring.items.clear()  # Windows re-installed: the keyring is empty
        sealed.install(KeySet.new())
        assert missing_keys(ctx.store, sealed.installed() or keys) == (keys.active_id,)
        with pytest.raises(DataKeyError, match="恢复口令不正确"):
            read_recovery(recovery, "wrong passphrase!!")
        restored = read_recovery(recovery, "青山镇综治中心2026恢复口令")
        keyring_store.save_keys(keyring_store.merge(KeySet.new(), restored))
        again, created = install_keys(demo=False)
        assert not created and again.active_id == keys.active_id
        with ctx.store.read() as session:
            person = session.get(Person, pid)
            assert person is not None and person.id_number == ID
    finally:
        sealed.install(before)


def test_no_keyring_is_a_clear_message() -> None:
    from keyring.backends import fail

    with memory_keyring():
        import keyring

        keyring.set_keyring(fail.Keyring())
        with pytest.raises(DataKeyError) as caught:
            install_keys(demo=False)
    assert caught.value.code == "datakey.no_keyring" and "凭据" in caught.value.message


def test_demo_key_is_fixed_and_never_touches_the_keyring(ring: MemoryKeyring) -> None:
    before = sealed.installed()
    try:
        first, _ = install_keys(demo=True)
        second, _ = install_keys(demo=True)
        assert first.active_id == second.active_id and ring.items == {}
    finally:
        sealed.install(before)


def test_other_certificates_are_sealed_and_matched_by_type(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput], keys: KeySet
) -> None:
    visitor = PartyInput(name="John Smith", id_type="passport", id_number="E12345678",
                         phone="13800000009")  # fmt: skip
    first = register_walk_in(ctx, walk_in(parties=(visitor,)))
    second = register_walk_in(ctx, walk_in(parties=(visitor,)))
    assert first.person_ids == second.person_ids
    with ctx.store.read() as session:
        raw = session.execute(text("SELECT id_number FROM person")).scalar_one()
    assert sealed.is_sealed(raw) and "E12345678" not in raw


def test_a_missing_key_error_crosses_process_boundaries() -> None:
    """A worker process without the key reports it (a pickled error) instead of hanging."""
    import pickle

    error = DataKeyError("datakey.missing", sealed.missing_key_message("abcd1234"))
    back = pickle.loads(pickle.dumps(error))
    assert isinstance(back, DataKeyError) and back.code == "datakey.missing"
    assert back.message == error.message


def test_earlier_phones_are_sealed_too_and_still_match(
    ctx: ServiceContext, db_path: Path, walk_in: Callable[..., WalkInInput], keys: KeySet
) -> None:
    pid = _register(ctx, walk_in)
    again = register_walk_in(ctx, walk_in(visitor={"name": "张三", "id_number": ID,
                                                   "phone": "13700002222"}))  # fmt: skip
    assert again.person_ids == (pid,)
    with ctx.store.read() as session:
        raw = session.execute(text("SELECT phone, phone_hmac FROM person_phone")).one()
    assert sealed.is_sealed(raw[0]) and raw[1] == sealed.blind(PHONE, "phone")
    assert PHONE.encode() not in _raw_bytes(db_path)
    found = find_people(ctx, phone=PHONE)
    assert [c.person.id for c in found] == [pid] and "phone_earlier" in found[0].reasons
