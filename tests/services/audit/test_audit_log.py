"""The audit log: one signed, chained entry per unit of work; raw-SQL tampering is found."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from sqlalchemy import select, text

from services.audit.chain import EPOCH_SPAN
from services.audit.verify import verify
from services.auth.service import AuthService, SignInError
from services.cases.actions import perform
from services.context import ServiceContext
from services.domain.access import Principal
from services.domain.dto import WalkInInput
from services.reception.registration import register_walk_in
from services.store.models import RESTORED_CURSOR, AuditLog, SyncState
from tests.services.conftest import TEST_PASSWORD


def _entries(ctx: ServiceContext) -> list[SimpleNamespace]:
    with ctx.store.read() as session:
        rows = session.scalars(select(AuditLog).order_by(AuditLog.device_seq))
        return [SimpleNamespace(**{c.key: getattr(r, c.key) for c in AuditLog.__table__.columns})
                for r in rows]  # fmt: skip


def _sql(ctx: ServiceContext, *statements: str) -> None:
    """What an attacker with the database file does: plain SQL, no services."""
    with ctx.store.write_engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement)


def test_a_registration_is_one_signed_entry_listing_its_events(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    result = register_walk_in(ctx, walk_in())
    last = _entries(ctx)[-1]
    assert last.action == "change" and last.case_id == result.case_id
    assert [e for e, _i, _op in last.detail["changes"]].count("case_event") == 2
    assert len(last.detail["events"]) == 2
    report = verify(ctx.store)
    assert report.ok, report.findings
    assert report.events == 2 and report.devices == 1


def test_sign_ins_succeeding_and_failing_are_logged(
    ctx: ServiceContext, sign_in_as: Callable[[str], Principal]
) -> None:
    principal = sign_in_as("director")
    with pytest.raises(SignInError):
        AuthService(ctx).sign_in(principal.username, "wrong")
    with pytest.raises(SignInError):
        AuthService(ctx).sign_in("nobody", TEST_PASSWORD)
    tail = [(e.action, e.entity_id, e.detail["result"]) for e in _entries(ctx)[-3:]]
    assert tail == [("sign_in", principal.user_id, "ok"),
                    ("sign_in_failed", principal.user_id, "auth.bad_credentials"),
                    ("sign_in_failed", "", "auth.bad_credentials")]  # fmt: skip
    assert verify(ctx.store).ok


def test_an_event_inserted_by_raw_sql_is_named(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    """Attack: a raw INSERT into case_event closes a case with no trace in the app."""
    case_id = register_walk_in(ctx, walk_in()).case_id
    _sql(ctx, "INSERT INTO case_event (id, case_id, seq, action, actor_id, device_id, hlc,"
              f" occurred_at, payload) VALUES ('forged-1', '{case_id}', 9, 'close', NULL, 'pc-x',"
              " '9999999999999-0000000000-pc-x', '2026-11-20 10:00:00', '{}')")  # fmt: skip
    report = verify(ctx.store)
    assert report.first is not None
    assert (report.first.kind, report.first.ref) == ("event_unlogged", "forged-1")
    assert "疑似绕过程序直接写入" in report.first.message


def test_an_event_edited_or_deleted_by_raw_sql_is_named(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    """Attack: drop the append-only triggers, then edit one event and delete another."""
    case_id = register_walk_in(ctx, walk_in()).case_id
    with ctx.store.read() as session:
        first, second = session.execute(
            text("SELECT id FROM case_event WHERE case_id = :c ORDER BY seq"), {"c": case_id}
        ).scalars()
    _sql(ctx, "DROP TRIGGER case_event_no_update", "DROP TRIGGER case_event_no_delete",
         f"UPDATE case_event SET payload = '{{\"reason\": \"x\"}}' WHERE id = '{first}'",
         f"DELETE FROM case_event WHERE id = '{second}'")  # fmt: skip
    kinds = {(f.kind, f.ref) for f in verify(ctx.store).findings}
    assert kinds == {("event_changed", first), ("event_deleted", second)}


def test_an_edited_or_removed_audit_entry_breaks_the_chain(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    register_walk_in(ctx, walk_in())
    case_id = register_walk_in(ctx, walk_in()).case_id
    perform(ctx, case_id, "supervise", {"level": "reminder", "opinion": "请加快办理"})
    entries = _entries(ctx)
    middle = entries[len(entries) // 2]
    _sql(ctx, f"UPDATE audit_log SET user_id = 'someone-else' WHERE id = '{middle.id}'")
    report = verify(ctx.store)
    assert report.first is not None and report.first.kind == "entry_hash"
    assert report.first.ref == middle.id and f"第 {middle.device_seq} 条" in report.first.message
    _sql(ctx, f"UPDATE audit_log SET user_id = NULL WHERE id = '{middle.id}'",
         f"DELETE FROM audit_log WHERE id = '{entries[1].id}'")  # fmt: skip
    kinds = [f.kind for f in verify(ctx.store).findings]
    assert kinds[0] == "entry_link"


def test_a_forged_signature_is_found(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    register_walk_in(ctx, walk_in())
    last = _entries(ctx)[-1]
    forged = ("00" if last.signature[:2] != "00" else "11") + last.signature[2:]
    _sql(ctx, f"UPDATE audit_log SET signature = '{forged}' WHERE id = '{last.id}'")
    assert [f.kind for f in verify(ctx.store).findings] == ["entry_signature"]


def test_after_a_restore_the_chain_goes_on_in_a_new_epoch_and_still_breaks_when_cut(
    ctx: ServiceContext, walk_in: Callable[..., WalkInInput]
) -> None:
    """A restored PC (``RESTORED_CURSOR``) numbers past whatever it pushed after the backup: the
    next entry starts a fresh epoch linked to the backup's last entry; verify accepts that link
    and only that one."""
    register_walk_in(ctx, walk_in())
    register_walk_in(ctx, walk_in())
    _sql(ctx, "DELETE FROM sync_state",
         "INSERT INTO sync_state (id, cursor, scope, hub_device_id, hub_label, last_error_code,"
         f" last_error) VALUES (1, {RESTORED_CURSOR}, '', '', '', '', '')")  # fmt: skip
    before = _entries(ctx)
    register_walk_in(ctx, walk_in())
    register_walk_in(ctx, walk_in())
    start, after = _entries(ctx)[len(before) :]
    assert start.device_seq % EPOCH_SPAN == 1 and start.device_seq > EPOCH_SPAN
    assert start.prev_hash == before[-1].hash
    assert (after.device_seq, after.prev_hash) == (start.device_seq + 1, start.hash)
    with ctx.store.read() as session:  # marked once: the sync pulls everything from 0 again
        assert session.scalar(select(SyncState.cursor)) == 0
    report = verify(ctx.store)
    assert report.ok, report.findings
    _sql(ctx, f"DELETE FROM audit_log WHERE id = '{before[-1].id}'")  # cut what the epoch links to
    findings = verify(ctx.store).findings
    assert [(f.kind, f.ref) for f in findings if f.kind == "entry_link"] == [
        ("entry_link", start.id)
    ]


def test_a_signer_works_out_its_public_key_once() -> None:
    """Every entry names its key (key_id) and the first stores the public half: worked out once
    per signer, not per entry (the Ed25519 public key and its hash cost ~0.1 ms each time)."""
    from services.audit.signing import Signer, key_id_of

    real = Signer.generate().private
    calls: list[int] = []

    class Counted:
        def public_key(self) -> object:
            calls.append(1)
            return real.public_key()

        def sign(self, data: bytes) -> bytes:
            return real.sign(data)

    signer = Signer(Counted())  # type: ignore[arg-type]
    ids = {signer.key_id for _ in range(3)}
    assert ids == {key_id_of(signer.public_hex)}
    assert len(calls) == 1
