"""Backups (issue 11 part 4): online copies with retention, one before every migration, and a
restore that checks the backup (integrity, schema version, audit chain) before replacing."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from services.backup.service import (
    check_backup,
    due_backup,
    list_backups,
    restore,
    take_backup,
)
from services.context import ServiceContext
from services.domain.dto import WalkInInput
from services.domain.errors import ServiceError
from services.reception.registration import register_walk_in
from services.setup.township import open_store
from services.store.migrate import upgrade
from tests.peek import case_codes


def test_online_backup_with_retention_and_a_checked_restore(
    ctx: ServiceContext, db_path: Path, tmp_path: Path, walk_in: Callable[..., WalkInInput]
) -> None:
    folder = tmp_path / "backups"
    first = register_walk_in(ctx, walk_in()).case_code
    start = dt.datetime(2026, 11, 20, 9)
    taken = [
        take_backup(db_path, folder, keep=3, now=start + dt.timedelta(minutes=i)) for i in range(5)
    ]  # fmt: skip  (while the store is open)
    assert list_backups(folder) == tuple(reversed(taken[2:]))  # the newest 3 kept
    assert check_backup(taken[-1]).ok
    later = register_walk_in(ctx, walk_in()).case_code
    ctx.store.dispose()
    restore(db_path, taken[-1])
    assert case_codes(db_path) == {first} and later not in case_codes(db_path)
    # the database it replaced was kept too
    assert any("before-restore" in p.name for p in list_backups(folder))


def test_a_damaged_backup_is_refused_and_nothing_is_replaced(
    ctx: ServiceContext, db_path: Path, tmp_path: Path, walk_in: Callable[..., WalkInInput]
) -> None:
    code = register_walk_in(ctx, walk_in()).case_code
    backup = take_backup(db_path, tmp_path / "b")
    ctx.store.dispose()
    data = bytearray(backup.read_bytes())
    data[4096 * 3 : 4096 * 3 + 2000] = b"\xff" * 2000  # a torn page
    backup.write_bytes(bytes(data))
    check = check_backup(backup)
    assert not check.ok
    with pytest.raises(ServiceError, match="未做任何替换"):
        restore(db_path, backup)
    assert case_codes(db_path) == {code}


def test_a_backup_whose_audit_chain_was_edited_is_refused(
    ctx: ServiceContext, db_path: Path, tmp_path: Path, walk_in: Callable[..., WalkInInput]
) -> None:
    register_walk_in(ctx, walk_in())
    backup = take_backup(db_path, tmp_path / "b")
    conn = sqlite3.connect(backup)
    conn.execute("UPDATE audit_log SET action = 'print' WHERE device_seq = 1")
    conn.commit()
    conn.close()
    check = check_backup(backup)
    assert not check.ok and "审计日志" in check.problems[0]


def test_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
    conn.execute("INSERT INTO alembic_version VALUES ('9999')")
    conn.commit()
    conn.close()
    assert "9999" in check_backup(db).problems[0]


def test_a_backup_is_taken_before_every_migration(tmp_path: Path) -> None:
    db = tmp_path / "pc.db"
    engine = create_engine(f"sqlite:///{db}")
    upgrade(engine, "0012")
    engine.dispose()
    store = open_store(db)
    store.dispose()
    backups = list_backups(tmp_path / "backups")
    assert len(backups) == 1 and "before-" in backups[0].name
    conn = sqlite3.connect(backups[0])
    assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0012"
    conn.close()
    store = open_store(db)  # nothing to migrate: no new backup
    store.dispose()
    assert len(list_backups(tmp_path / "backups")) == 1


def test_an_automatic_backup_is_taken_once_a_day_and_old_ones_are_pruned(
    ctx: ServiceContext, db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "auto"
    start = dt.datetime(2026, 11, 20, 9)
    first = due_backup(db_path, folder, keep=2, now=start)
    assert first is not None and check_backup(first).ok
    assert due_backup(db_path, folder, keep=2, now=start + dt.timedelta(hours=23)) is None
    taken = [due_backup(db_path, folder, keep=2, now=start + dt.timedelta(days=d))
             for d in (1, 2)]  # fmt: skip
    assert all(taken) and list_backups(folder) == tuple(reversed(taken))
    # a backup before a migration does not count as the day's automatic one
    take_backup(db_path, folder, reason="before-0099", keep=10, now=start + dt.timedelta(days=3))
    assert due_backup(db_path, folder, keep=10, now=start + dt.timedelta(days=3, hours=1))


def test_a_restore_while_the_workbench_has_the_database_open_is_refused(
    ctx: ServiceContext, db_path: Path, tmp_path: Path, walk_in: Callable[..., WalkInInput]
) -> None:
    backup = take_backup(db_path, tmp_path / "b")
    code = register_walk_in(ctx, walk_in()).case_code  # the store stays open, idle
    with pytest.raises(ServiceError, match="请先关闭"):
        restore(db_path, backup)
    ctx.store.dispose()
    assert code in case_codes(db_path)
    restore(db_path, backup)
    assert code not in case_codes(db_path)
