"""A restore asked for from inside the workbench (issue 11 #4): recorded while the app runs, done
at the next start before the store opens, with the same checks as ``python main.py backup
restore``; anything that goes wrong leaves the database as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from services.audit.verify import verify
from services.backup.pending import (
    apply_pending,
    pending_path,
    read_pending,
    record_restore,
    request_restore,
)
from services.backup.service import check_backup, describe, list_backups, take_backup
from services.context import ServiceContext
from services.domain.access import Principal
from services.domain.dto import WalkInInput
from services.domain.errors import PermissionDeniedError
from services.reception.registration import register_walk_in
from services.setup.township import make_context, open_store
from services.store.models import AuditLog
from tests.peek import case_codes


def test_a_requested_restore_is_done_at_the_next_start_and_audited(
    ctx: ServiceContext, db_path: Path, tmp_path: Path, walk_in: Callable[..., WalkInInput],
    sign_in_as: Callable[[str], Principal],
) -> None:  # fmt: skip
    folder = tmp_path / "backups"
    first = register_walk_in(ctx, walk_in()).case_code
    backup = take_backup(db_path, folder)
    info = describe(backup)
    assert info.size == backup.stat().st_size and info.schema and info.taken_at is not None
    later = register_walk_in(ctx, walk_in()).case_code
    ctx.principal = sign_in_as("admin")
    check = check_backup(backup)
    assert check.ok
    pending = request_restore(ctx, db_path, check)
    assert read_pending(db_path) == pending and pending.requested_by == ctx.user_id
    assert later in case_codes(db_path)  # nothing replaced while the app runs
    ctx.store.dispose()  # the app quits
    outcome = apply_pending(db_path, sleep=lambda _s: None)  # the next start
    assert outcome is not None and outcome.ok
    assert case_codes(db_path) == {first} and not pending_path(db_path).exists()
    assert outcome.kept is not None and later in case_codes(outcome.kept)  # the replaced file, kept
    assert outcome.kept in list_backups(folder)
    store = open_store(db_path)
    try:
        after = make_context(store)
        record_restore(after, outcome)
        with store.read() as session:
            entry = session.scalars(select(AuditLog).where(AuditLog.action == "restore")).one()
            assert entry.user_id == pending.requested_by
            assert entry.detail["backup"] == backup.name and entry.detail["kept"]
        assert not verify(store).findings
    finally:
        store.dispose()
    assert apply_pending(db_path) is None  # done once


def test_only_a_role_holding_backup_manage_may_ask_for_a_restore(
    ctx: ServiceContext, db_path: Path, tmp_path: Path, sign_in_as: Callable[[str], Principal]
) -> None:
    check = check_backup(take_backup(db_path, tmp_path / "b"))
    ctx.principal = sign_in_as("receptionist")
    with pytest.raises(PermissionDeniedError):
        request_restore(ctx, db_path, check)
    assert not pending_path(db_path).exists()
    ctx.principal = sign_in_as("director")
    request_restore(ctx, db_path, check)
    assert read_pending(db_path) is not None


def test_a_backup_damaged_after_its_check_is_not_restored_and_nothing_is_lost(
    ctx: ServiceContext, db_path: Path, tmp_path: Path, walk_in: Callable[..., WalkInInput]
) -> None:
    backup = take_backup(db_path, tmp_path / "b")
    check = check_backup(backup)
    code = register_walk_in(ctx, walk_in()).case_code
    request_restore(ctx, db_path, check)
    ctx.store.dispose()
    size = backup.stat().st_size
    backup.write_bytes(b"SQLite format 3\x00" + b"\xff" * (size - 16))  # same size, broken
    outcome = apply_pending(db_path, sleep=lambda _s: None)
    assert outcome is not None and not outcome.ok and "未做任何替换" in outcome.message
    assert case_codes(db_path) == {code} and not pending_path(db_path).exists()


def test_a_restore_waits_for_the_old_window_and_gives_up_without_replacing(
    ctx: ServiceContext, db_path: Path, tmp_path: Path, walk_in: Callable[..., WalkInInput]
) -> None:
    check = check_backup(take_backup(db_path, tmp_path / "b"))
    code = register_walk_in(ctx, walk_in()).case_code
    request_restore(ctx, db_path, check)
    slept: list[float] = []
    outcome = apply_pending(db_path, wait_s=1.0, sleep=slept.append)  # the store is still open
    assert outcome is not None and not outcome.ok and "请先关闭" in outcome.message
    assert sum(slept) == 1.0 and code in case_codes(db_path)
