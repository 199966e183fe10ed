"""Signing in: argon2id hashes, old hashes upgraded, lockout, hashes that never leave the PC."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from services.auth import passwords
from services.auth.passwords import hash_password, needs_rehash, verify_password
from services.auth.service import AuthService, SignInError
from services.context import ServiceContext
from services.domain.access import Principal
from services.domain.errors import PermissionDeniedError, ValidationError
from services.setup.township import add_user
from services.store.engine import Store
from services.store.migrate import upgrade
from services.store.models import AppUser, Base
from services.sync.pull import convert
from tests.services.conftest import NOW, TEST_PASSWORD


def _user(ctx: ServiceContext, username: str = "jd", role: str = "receptionist",
          password_hash: str | None = None) -> str:  # fmt: skip
    with ctx.store.write() as session:
        user = add_user(session, username=username, display_name="王接待", role=role,
                        org_id=ctx.township_id, password=TEST_PASSWORD)  # fmt: skip
        if password_hash is not None:
            user.password_hash = password_hash
        return user.id


def _stored_hash(ctx: ServiceContext, user_id: str) -> str | None:
    with ctx.store.read() as session:
        return session.scalar(select(AppUser.password_hash).where(AppUser.id == user_id))


@pytest.fixture
def real_cost() -> Iterator[None]:
    """The shipped argon2id parameters (the suite hashes at a tiny cost, tests/conftest.py)."""
    saved = passwords.current_cost()
    passwords.set_cost()
    yield
    passwords.set_cost(*saved)


def test_new_hashes_are_argon2id_and_check_the_password(real_cost: None) -> None:
    encoded = hash_password("s3cret-密码")
    assert encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert verify_password("s3cret-密码", encoded)
    assert not verify_password("s3cret-密", encoded)
    assert not verify_password("", encoded)
    assert not verify_password("x", "$argon2id$v=19$garbage")
    assert not needs_rehash(encoded)


def test_a_hash_weaker_than_todays_still_verifies_and_is_marked_for_rehash(real_cost: None) -> None:
    passwords.set_cost(64, 1)
    weak = hash_password("s3cret-密码")
    passwords.set_cost()
    assert weak.startswith("$argon2id$v=19$m=64,t=1,p=1$")
    assert verify_password("s3cret-密码", weak) and not verify_password("s3cret", weak)
    assert needs_rehash(weak)
    with pytest.raises(ValueError):
        passwords.set_cost(4, 1)  # below argon2's minimum: refused, the cost stays as it was
    assert passwords.current_cost() == (passwords.MEMORY_KIB, passwords.ITERATIONS)


def test_signing_in_makes_the_user_the_principal(ctx: ServiceContext) -> None:
    user_id = _user(ctx)
    principal = AuthService(ctx).sign_in(" jd ", TEST_PASSWORD)
    assert (principal.user_id, principal.role, principal.role_label) == (
        user_id, "receptionist", "接待员")  # fmt: skip
    assert ctx.principal == principal and ctx.user_id == user_id


def test_an_old_pbkdf2_hash_is_upgraded_at_the_next_sign_in(ctx: ServiceContext) -> None:
    # The wizard's first format (PBKDF2-SHA256, 200k rounds) for the password "pass1234".
    import hashlib

    salt = bytes(range(16))
    digest = hashlib.pbkdf2_hmac("sha256", TEST_PASSWORD.encode(), salt, 200_000)
    old = f"pbkdf2$200000${salt.hex()}${digest.hex()}"
    user_id = _user(ctx, password_hash=old)
    with pytest.raises(SignInError):
        AuthService(ctx).sign_in("jd", "wrong")
    assert _stored_hash(ctx, user_id) == old
    AuthService(ctx).sign_in("jd", TEST_PASSWORD)
    upgraded = _stored_hash(ctx, user_id)
    assert upgraded is not None and upgraded.startswith("$argon2id$")
    assert verify_password(TEST_PASSWORD, upgraded)


def test_unknown_user_and_wrong_password_get_the_same_answer(ctx: ServiceContext) -> None:
    _user(ctx)
    with pytest.raises(SignInError) as unknown:
        AuthService(ctx).sign_in("nobody", TEST_PASSWORD)
    with pytest.raises(SignInError) as wrong:
        AuthService(ctx).sign_in("jd", "wrong-password")
    assert unknown.value.message == "用户名或密码错误"
    assert wrong.value.message.startswith("用户名或密码错误")
    assert ctx.principal is None


def test_a_wrong_password_20_times_locks_the_account_until_the_lockout_ends(
    ctx: ServiceContext,
) -> None:
    """Attack: guessing. After 5 failures even the right password is refused for 15 minutes."""
    _user(ctx)
    auth = AuthService(ctx)
    codes = []
    for i in range(20):
        with pytest.raises(SignInError) as refused:
            auth.sign_in("jd", f"guess{i}")
        codes.append(refused.value.code)
    assert codes[:4] == ["auth.bad_credentials"] * 4
    assert set(codes[4:]) == {"auth.locked"}
    with pytest.raises(SignInError, match="锁定"):
        auth.sign_in("jd", TEST_PASSWORD)
    ctx.now = lambda: NOW + dt.timedelta(minutes=16)
    assert auth.sign_in("jd", TEST_PASSWORD).username == "jd"


def test_an_administrator_unlocks_an_account(
    ctx: ServiceContext, sign_in_as: Callable[[str], Principal]
) -> None:
    user_id = _user(ctx)
    auth = AuthService(ctx)
    for _ in range(5):
        with pytest.raises(SignInError):
            auth.sign_in("jd", "wrong")
    sign_in_as("admin")
    assert [u.locked for u in auth.users() if u.id == user_id] == [True]
    auth.unlock(user_id)
    assert auth.sign_in("jd", TEST_PASSWORD).user_id == user_id


def test_changing_the_password_checks_the_old_one_and_the_rules(
    ctx: ServiceContext, sign_in_as: Callable[[str], Principal]
) -> None:
    principal = sign_in_as("receptionist")
    auth = AuthService(ctx)
    with pytest.raises(ValidationError, match="原密码不正确"):
        auth.change_password("wrong", "newpass99")
    with pytest.raises(ValidationError, match="至少8位"):
        auth.change_password(TEST_PASSWORD, "a1")
    with pytest.raises(ValidationError, match="字母和数字"):
        auth.change_password(TEST_PASSWORD, "12345678")
    auth.change_password(TEST_PASSWORD, "newpass99")
    with pytest.raises(SignInError):
        auth.sign_in(principal.username, TEST_PASSWORD)
    assert auth.sign_in(principal.username, "newpass99").user_id == principal.user_id


def test_only_an_administrator_manages_users(
    ctx: ServiceContext, sign_in_as: Callable[[str], Principal]
) -> None:
    auth = AuthService(ctx)
    sign_in_as("director")
    with pytest.raises(PermissionDeniedError, match="无权管理用户"):
        auth.add_user("lisi", "李四", "receptionist", "start123")
    sign_in_as("admin")
    row = auth.add_user("lisi", "李四", "receptionist", "start123")
    assert (row.role_label, row.has_password, row.active) == ("接待员", True, True)
    with pytest.raises(ValidationError, match="已被使用"):
        auth.add_user("LiSi", "李四", "receptionist", "start123")
    auth.update_user(row.id, display_name="李四", role="mediator", active=False)
    with pytest.raises(SignInError, match="用户名或密码错误"):
        auth.sign_in("lisi", "start123")


def test_password_hashes_and_failures_never_reach_the_outbox(ctx: ServiceContext) -> None:
    """Password hashes never leave the PC: not in a user's insert, nor in any later change."""
    user_id = _user(ctx)
    auth = AuthService(ctx)
    with pytest.raises(SignInError):
        auth.sign_in("jd", "wrong")
    auth.sign_in("jd", TEST_PASSWORD)
    auth.change_password(TEST_PASSWORD, "newpass99")
    with ctx.store.read() as session:
        rows = session.execute(
            text("SELECT op, payload FROM outbox WHERE entity = 'app_user' AND entity_id = :u"),
            {"u": user_id},
        ).all()
    assert [op for op, _ in rows] == ["insert"]  # sign-ins and password changes add nothing
    payload = json.loads(rows[0][1])
    assert payload["row"]["username"] == "jd"
    for local in ("password_hash", "failed_attempts", "locked_until", "password_changed_at"):
        assert local not in payload["row"]
    assert "argon2" not in rows[0][1]


def test_a_pulled_user_row_never_replaces_the_local_password_hash() -> None:
    table = Base.metadata.tables["app_user"]
    pulled = {"id": "u1", "username": "jd", "password_hash": "$argon2id$x", "failed_attempts": 9,
              "locked_until": "2026-01-01T00:00:00"}  # fmt: skip
    values = convert(table, pulled)
    assert values == {"id": "u1", "username": "jd"}


def test_the_migration_removes_password_hashes_from_old_outbox_payloads(tmp_path: Path) -> None:
    """Before issue 11 a user's hash went into the outbox (kept for ever) and up to the hub."""
    store = Store(tmp_path / "old.db")
    try:
        upgrade(store.write_engine, "0007")
        row = {"id": "u1", "username": "jd", "display_name": "王接待", "role": "receptionist",
               "org_id": None, "password_hash": "pbkdf2$200000$00$11", "active": True}  # fmt: skip
        update = {"fields": {"password_hash": "pbkdf2$1$22$33"},
                  "before": {"password_hash": "pbkdf2$200000$00$11"}}  # fmt: skip
        with store.write_engine.begin() as conn:
            for seq, (op, payload) in enumerate((("insert", {"row": row}), ("update", update))):
                conn.execute(
                    text("INSERT INTO outbox (seq, change_id, entity, entity_id, op, hlc, payload,"
                         " status, attempts, created_at) VALUES (:s, :c, 'app_user', 'u1', :op,"
                         " 'h', :p, 'sent', 0, '2026-01-01 00:00:00')"),
                    {"s": seq + 1, "c": f"c{seq}", "op": op, "p": json.dumps(payload)},
                )  # fmt: skip
        upgrade(store.write_engine)
        with store.write_engine.connect() as conn:
            payloads = [json.loads(p) for (p,) in conn.execute(
                text("SELECT payload FROM outbox ORDER BY seq"))]  # fmt: skip
        assert payloads[0]["row"] == {k: v for k, v in row.items() if k != "password_hash"}
        assert payloads[1] == {"fields": {}, "before": {}}
    finally:
        store.dispose()
