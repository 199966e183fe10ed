"""Online backups of the local store and a checked restore.

* :func:`take_backup` copies the live database with ``sqlite3.Connection.backup`` (safe while the
  app writes: WAL, a consistent snapshot) into a folder, named by time and reason, and keeps the
  newest ``keep`` automatic ones. ``services.setup.township.open_store`` takes one before every
  migration.
* :func:`check_backup` opens a copy read-only: ``PRAGMA integrity_check``, a schema version this
  program knows, and the audit log's chains (``services.audit.verify``).
* :func:`restore` refuses a backup that fails the check, and replaces the database file only
  then (the store must be closed). Afterwards the caller asks the county hub for a full resync
  (``SyncService.full_resync``), which brings back what the backup lacks.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from services.audit.verify import verify
from services.domain.errors import ServiceError
from services.store.engine import Store
from services.store.migrate import MIGRATIONS_DIR

PREFIX = "zongzhi-backup-"
KEEP = 14


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    schema: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _known_revisions() -> set[str]:
    found = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        for line in script.read_text(encoding="utf-8").splitlines():
            if line.startswith("revision"):
                found.add(line.split("=")[1].strip().strip('"'))
    return found


def take_backup(db: Path, folder: Path, *, reason: str = "auto", keep: int = KEEP,
                now: dt.datetime | None = None) -> Path:  # fmt: skip
    """Copy ``db`` into ``folder`` online; prune automatic backups beyond ``keep``."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{PREFIX}{stamp}-{reason}.db"
    partial = target.with_suffix(".partial")
    source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    os.replace(partial, target)
    _prune(folder, keep)
    return target


def _prune(folder: Path, keep: int) -> None:
    backups = sorted(folder.glob(f"{PREFIX}*.db"))
    for old in backups[: max(0, len(backups) - keep)]:
        old.unlink(missing_ok=True)


def list_backups(folder: Path) -> tuple[Path, ...]:
    return tuple(sorted(folder.glob(f"{PREFIX}*.db"), reverse=True))


def check_backup(path: Path) -> BackupCheck:
    """Integrity, schema version and audit chains of a backup, on a throwaway copy."""
    problems: list[str] = []
    schema = ""
    with tempfile.TemporaryDirectory(prefix="zz-check-") as tmp:
        copy = Path(tmp) / "check.db"
        try:
            shutil.copyfile(path, copy)
            conn = sqlite3.connect(copy)
            try:
                if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    problems.append("数据库文件已损坏（完整性检查未通过）")
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                schema = str(row[0]) if row else ""
            finally:
                conn.close()
        except (OSError, sqlite3.DatabaseError) as exc:
            return BackupCheck(path, "", (f"不是可用的备份文件：{type(exc).__name__}",))
        if schema not in _known_revisions():
            problems.append(f"备份的数据结构版本“{schema or '无'}”不是本程序认识的版本")
        elif not problems:
            store = Store(copy)
            try:
                report = verify(store)
            finally:
                store.dispose()
            if report.findings:
                problems.append("审计日志校验未通过：" + report.findings[0].message)
    return BackupCheck(path, schema, tuple(problems))


def restore(db: Path, backup: Path) -> BackupCheck:
    """Replace ``db`` (closed) by ``backup`` once the backup passes :func:`check_backup`; the
    database being replaced is itself kept as a backup first."""
    check = check_backup(backup)
    if not check.ok:
        raise ServiceError(
            "backup.refused", "备份未通过检查，未做任何替换：" + "；".join(check.problems)
        )
    if db.exists():
        take_backup(db, backup.parent, reason="before-restore", keep=10**6)
    staged = db.with_name(db.name + ".restoring")
    shutil.copyfile(backup, staged)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    os.replace(staged, db)
    return check
