"""A restore asked for from inside the workbench (文件 → 从备份恢复…), done at the next start.

The running workbench holds the database open, and :func:`services.backup.service.restore`
refuses to replace a file in use. So the dialog only records the request (:func:`request_restore`,
after the backup passed :func:`services.backup.service.check_backup`): a small JSON file beside
the database naming the backup. The workbench then restarts, and :func:`apply_pending` runs
before the store is opened: it waits for the old process to let go of the file, drops the
request (a restore that fails is never tried again at every start), and runs the restore
assistant, which checks the backup again, keeps the file it replaces and resets the sync cursor.
Once the store is open, :func:`record_restore` writes the restore into the restored audit log.
Nothing is replaced unless every step before the replacement succeeded.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from services.audit.log import tag
from services.backup.service import BackupCheck, in_use, restore
from services.context import ServiceContext
from services.domain.errors import ServiceError

log = logging.getLogger(__name__)
SUFFIX = ".restore-pending.json"
WAIT_S = 30.0  # how long the new process waits for the old one to close the database


@dataclass(frozen=True, slots=True)
class PendingRestore:
    """What the dialog recorded: the checked backup and who asked for it."""

    backup: Path
    size: int
    schema: str
    requested_by: str | None
    requested_at: str


@dataclass(frozen=True, slots=True)
class RestoreOutcome:
    """What happened at start: ``ok`` with the backup restored, or why nothing was replaced."""

    pending: PendingRestore
    ok: bool
    message: str = ""  # the reason, in Chinese, when not ok
    code: str = ""  # the reason's code (backup.in_use, backup.refused, backup.missing…, io)
    kept: Path | None = None  # where the replaced database was kept


def pending_path(db: Path) -> Path:
    return db.with_name(db.name + SUFFIX)


def request_restore(ctx: ServiceContext, db: Path, check: BackupCheck) -> PendingRestore:
    """Record a restore of a backup that passed its check, to run at the next start; the request
    is itself an audit entry (kept in the database being replaced, which is kept as a backup)."""
    ctx.require("backup.manage")
    if not check.ok:
        problems = "；".join(check.problems)
        raise ServiceError("backup.refused", "备份未通过检查，不能恢复：" + problems)
    try:
        size = check.path.stat().st_size
    except OSError as exc:
        raise ServiceError("backup.missing", "找不到这个备份文件，请重新选择") from exc
    pending = PendingRestore(check.path.resolve(), size, check.schema, ctx.user_id,
                             ctx.now().isoformat(timespec="seconds"))  # fmt: skip
    name, schema = check.path.name, check.schema
    ctx.store.run_write(
        lambda session: tag(session, "restore_request", entity="backup", backup=name, schema=schema)
    )
    target = pending_path(db)
    partial = target.with_name(target.name + ".partial")
    partial.write_text(json.dumps({
        "backup": str(pending.backup), "size": size, "schema": pending.schema,
        "requested_by": pending.requested_by, "requested_at": pending.requested_at,
    }, ensure_ascii=False), encoding="utf-8")  # fmt: skip
    partial.replace(target)
    return pending


def read_pending(db: Path) -> PendingRestore | None:
    """The recorded request, if any (an unreadable file counts as none and is removed)."""
    path = pending_path(db)
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return PendingRestore(Path(raw["backup"]), int(raw["size"]), str(raw["schema"]),
                              raw.get("requested_by"), str(raw["requested_at"]))  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError):
        log.warning("unreadable pending restore request removed")
        cancel_pending(db)
        return None


def cancel_pending(db: Path) -> None:
    pending_path(db).unlink(missing_ok=True)


def apply_pending(
    db: Path, *, wait_s: float = WAIT_S, sleep: Callable[[float], None] = time.sleep
) -> RestoreOutcome | None:
    """Run the recorded restore before the store opens (None when none was asked for)."""
    pending = read_pending(db)
    if pending is None:
        return None
    cancel_pending(db)  # tried once: a restore that fails is reported, never retried at each start
    waited = 0.0
    while in_use(db) and waited < wait_s:
        sleep(0.25)
        waited += 0.25
    try:
        if not pending.backup.exists():
            raise ServiceError("backup.missing", "找不到要恢复的备份文件（已被移走或删除）")
        if pending.backup.stat().st_size != pending.size:
            raise ServiceError("backup.changed", "备份文件在检查之后被改动过，为安全起见未恢复")
        before = set(pending.backup.parent.glob("*before-restore*.db"))
        restore(db, pending.backup)
    except ServiceError as exc:
        log.warning("pending restore not done: %s", exc.code)
        return RestoreOutcome(pending, False, exc.message, exc.code)
    except OSError as exc:
        log.error("pending restore failed: %s", type(exc).__name__)
        message = "读写文件出错，数据库未被替换：" + (exc.strerror or "")
        return RestoreOutcome(pending, False, message, "io")
    kept = sorted(set(pending.backup.parent.glob("*before-restore*.db")) - before)
    return RestoreOutcome(pending, True, kept=kept[-1] if kept else None)


def record_restore(ctx: ServiceContext, outcome: RestoreOutcome) -> None:
    """The restore (or why it was not done) as an entry in the audit log now in use: after a
    restore, the restored one (its chain goes on in a new epoch)."""
    pending = outcome.pending
    detail: dict[str, Any] = {
        "backup": pending.backup.name, "schema": pending.schema,
        "requested_at": pending.requested_at, "ok": outcome.ok,
    }  # fmt: skip
    if outcome.kept is not None:
        detail["kept"] = outcome.kept.name
    if not outcome.ok:
        detail["reason"] = outcome.message
    action = "restore" if outcome.ok else "restore_failed"
    ctx.store.run_write(lambda session: tag(session, action, entity="backup",
                                            user_id=pending.requested_by, **detail))  # fmt: skip
