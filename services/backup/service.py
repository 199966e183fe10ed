"""Online backups of the local store and a checked restore.

* :func:`take_backup` copies the live database with ``sqlite3.Connection.backup`` (safe while the
  app writes: WAL, a consistent snapshot) into a folder, named by time and reason, and keeps the
  newest ``keep`` automatic ones. ``services.setup.township.open_store`` takes one before every
  migration.
* :func:`check_backup` opens a copy read-only: ``PRAGMA integrity_check``, a schema version this
  program knows, and the audit log's chains (``services.audit.verify``).
* :func:`due_backup` takes the day's automatic backup when there is none yet (at start and
  every few hours, ``desktop``), into the configured folder with the same retention.
* :func:`restore` refuses a backup that fails the check, and replaces the database file only
  then (the store must be closed). The restored file's sync cursor is set to
  ``RESTORED_CURSOR`` (its next audit entry starts a new epoch of the chain), which is
  how the county hub learns of the restore: the PC's next sync, even an ordinary one, pushes
  what it holds and pulls its whole scope again (what ``SyncService.full_resync`` does), which
  brings back everything the backup lacks, including what this PC itself pushed after it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from services.audit.verify import verify
from services.domain.errors import ServiceError
from services.domain.messages import msg
from services.store.engine import Store
from services.store.migrate import MIGRATIONS_DIR
from services.store.models import RESTORED_CURSOR

log = logging.getLogger(__name__)
PREFIX = "zongzhi-backup-"
KEEP = 14
AUTO = "auto"
EVERY = dt.timedelta(hours=24)
_STAMP = "%Y%m%d-%H%M%S-%f"


@dataclass(frozen=True)
class BackupCheck:
    path: Path
    schema: str
    problems: tuple[str, ...]
    # one per problem: unreadable / integrity / schema / audit (the detail for schema and audit
    # is the schema version and the first finding; "" otherwise)
    codes: tuple[str, ...] = ()
    details: tuple[str, ...] = ()

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
    stamp = (now or dt.datetime.now()).strftime(_STAMP)
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


def taken_at(backup: Path) -> dt.datetime | None:
    """When a backup was taken, from its name (``None`` for a name this program did not give)."""
    stamp = backup.name.removeprefix(PREFIX)[: len("20261120-090000-000000")]
    try:
        return dt.datetime.strptime(stamp, _STAMP)
    except ValueError:
        return None


def due_backup(db: Path, folder: Path, *, keep: int = KEEP, every: dt.timedelta = EVERY,
               now: dt.datetime | None = None) -> Path | None:  # fmt: skip
    """The automatic backup, when the newest automatic one is older than ``every`` (or there is
    none); ``None`` when it is not due yet. Backups before a migration or a restore do not count."""
    at = now or dt.datetime.now()
    autos = (taken_at(p) for p in list_backups(folder) if p.stem.endswith(f"-{AUTO}"))
    newest = max((t for t in autos if t is not None), default=None)
    if newest is not None and dt.timedelta(0) <= at - newest < every:
        return None
    return take_backup(db, folder, reason=AUTO, keep=keep, now=at)


@dataclass(frozen=True)
class BackupInfo:
    """One backup as listed: when it was taken (from its name), its size and schema version."""

    path: Path
    taken_at: dt.datetime | None
    size: int
    schema: str  # "" when the file cannot be read as a database


def describe(path: Path) -> BackupInfo:
    """A backup's listing, read without changing the file (no check: see :func:`check_backup`)."""
    schema = ""
    try:
        size = path.stat().st_size
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            schema = str(row[0]) if row else ""
        finally:
            conn.close()
    except OSError:
        size = 0
    except sqlite3.DatabaseError as exc:
        log.info("backup %s unreadable: %s", path.name, type(exc).__name__)
    return BackupInfo(path, taken_at(path), size, schema)


# The stages of :func:`check_backup`, reported to ``progress`` as they start.
CHECK_STAGES = ("copy", "integrity", "schema", "audit")


def check_backup(path: Path, progress: Callable[[str], None] | None = None) -> BackupCheck:
    """Integrity, schema version and audit chains of a backup, on a throwaway copy; ``progress``
    hears each stage of :data:`CHECK_STAGES` as it starts."""
    problems: list[str] = []
    codes: list[tuple[str, str]] = []
    schema = ""
    step = progress or (lambda _stage: None)
    with tempfile.TemporaryDirectory(prefix="zz-check-") as tmp:
        copy = Path(tmp) / "check.db"
        try:
            step("copy")
            shutil.copyfile(path, copy)
            conn = sqlite3.connect(copy)
            try:
                step("integrity")
                if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    problems.append(msg("数据库文件已损坏（完整性检查未通过）"))
                    codes.append(("integrity", ""))
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                schema = str(row[0]) if row else ""
            finally:
                conn.close()
        except (OSError, sqlite3.DatabaseError) as exc:
            log.warning("backup %s unreadable: %s", path.name, type(exc).__name__)
            return BackupCheck(path, "", (msg("不是可用的备份文件：无法作为本程序的数据库打开"),),
                               ("unreadable",), ("",))  # fmt: skip
        step("schema")
        if schema not in _known_revisions():
            problems.append(
                msg("备份的数据结构版本“{schema}”不是本程序认识的版本", schema=schema or "无")
            )
            codes.append(("schema", schema or "—"))
        elif not problems:
            step("audit")
            store = Store(copy)
            try:
                report = verify(store)
            finally:
                store.dispose()
            if report.findings:
                problems.append("审计日志校验未通过：" + report.findings[0].message)
                codes.append(("audit", report.findings[0].message))
    return BackupCheck(path, schema, tuple(problems), tuple(c for c, _d in codes),
                       tuple(d for _c, d in codes))  # fmt: skip


def restore(db: Path, backup: Path) -> BackupCheck:
    """Replace ``db`` (closed) by ``backup`` once the backup passes :func:`check_backup`; the
    database being replaced is itself kept as a backup first."""
    if in_use(db):
        raise ServiceError(
            "backup.in_use", "工作台正在使用这个数据库：请先关闭本机所有工作台窗口，再恢复"
        )
    check = check_backup(backup)
    if not check.ok:
        raise ServiceError(
            "backup.refused", "备份未通过检查，未做任何替换：" + "；".join(check.problems)
        )
    if db.exists():
        take_backup(db, backup.parent, reason="before-restore", keep=10**6)
    staged = db.with_name(db.name + ".restoring")
    shutil.copyfile(backup, staged)
    _pull_everything_again(staged)
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    os.replace(staged, db)
    return check


def in_use(db: Path) -> bool:
    """True while another connection (a running workbench) has ``db`` open: in WAL mode every
    open connection holds a shared lock, so an exclusive one cannot be had, even when idle."""
    if not db.exists():
        return False
    conn = sqlite3.connect(db, timeout=0)
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def _pull_everything_again(path: Path) -> None:
    """Mark the restored copy (``RESTORED_CURSOR``): its next sync pulls the whole scope, and
    its next audit entry starts a new epoch instead of reusing the numbers of the entries this PC
    pushed after the backup (written even when the backup had never synced: it may have since)."""
    conn = sqlite3.connect(path)
    try:
        if conn.execute("UPDATE sync_state SET cursor = ?", (RESTORED_CURSOR,)).rowcount == 0:
            conn.execute(
                "INSERT INTO sync_state (id, cursor, scope, hub_device_id, hub_label,"
                " last_error_code, last_error) VALUES (1, ?, '', '', '', '', '')",
                (RESTORED_CURSOR,),
            )
        conn.commit()
    finally:
        conn.close()
