"""The audit screen's queries (审计查询): entries filtered by user, action, case and date."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import or_, select

from services.audit.log import tag
from services.context import ServiceContext
from services.store.models import AppUser, AuditLog, Case

ACTION_LABELS = {
    "change": "修改数据", "pull": "接收同步数据", "sign_in": "登录", "sign_in_failed": "登录失败",
    "unmask": "查看完整个人信息", "print": "打印", "void_slip": "作废文书", "export": "导出",
    "user_add": "新增用户", "user_edit": "修改用户", "password_reset": "重设密码",
    "password_change": "修改密码", "user_unlock": "解锁用户",
    "restore_request": "申请从备份恢复", "restore": "从备份恢复",
    "restore_failed": "从备份恢复未成功",
}  # fmt: skip
MAX_ROWS = 2000


@dataclass(frozen=True, slots=True)
class AuditQuery:
    user_id: str | None = None
    action: str | None = None
    case: str = ""  # a case code (or its start)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    limit: int = 500


@dataclass(frozen=True, slots=True)
class AuditRow:
    at: dt.datetime
    user_name: str
    action: str
    action_label: str
    case_code: str
    target: str
    device: str
    changes: int | None = None  # target is "N 项变更"
    username: str | None = None  # target is "用户名 x" (a sign-in)


def search_audit(ctx: ServiceContext, query: AuditQuery) -> tuple[AuditRow, ...]:
    """Newest first; only for users holding ``audit.view`` (directors, administrators)."""
    ctx.require("audit.view")
    stmt = (select(AuditLog, AppUser.display_name, Case.code)
            .outerjoin(AppUser, AppUser.id == AuditLog.user_id)
            .outerjoin(Case, Case.id == AuditLog.case_id))  # fmt: skip
    if query.user_id:
        stmt = stmt.where(or_(AuditLog.user_id == query.user_id,
                              AuditLog.entity_id == query.user_id))  # fmt: skip
    if query.action:
        stmt = stmt.where(AuditLog.action == query.action)
    if query.case.strip():
        text = query.case.strip()
        stmt = stmt.where(
            or_(Case.code.startswith(text, autoescape=True), AuditLog.case_id == text)
        )
    if query.date_from:
        stmt = stmt.where(AuditLog.at >= dt.datetime.combine(query.date_from, dt.time()))
    if query.date_to:
        end = dt.datetime.combine(query.date_to + dt.timedelta(days=1), dt.time())
        stmt = stmt.where(AuditLog.at < end)
    stmt = stmt.order_by(AuditLog.at.desc(), AuditLog.device_seq.desc())
    with ctx.store.read() as session:
        rows = session.execute(stmt.limit(max(1, min(query.limit, MAX_ROWS)))).all()
        return tuple(_row(entry, name, code) for entry, name, code in rows)


def _row(entry: AuditLog, name: str | None, code: str | None) -> AuditRow:
    detail = entry.detail or {}
    target = entry.entity + (f" {entry.entity_id}" if entry.entity_id else "")
    changes: int | None = None
    username: str | None = None
    if "change_count" in detail:
        changes = int(detail["change_count"])
        target = f"{changes} 项变更"
    if entry.action.startswith("sign_in"):
        username = str(detail.get("username", ""))
        target = f"用户名 {username}"
    return AuditRow(entry.at, name or "", entry.action,
                    ACTION_LABELS.get(entry.action, entry.action), code or "", target,
                    f"{entry.device_id} #{entry.device_seq}", changes, username)  # fmt: skip


CSV_HEADER = ("时间", "用户", "操作", "案件编号", "对象", "设备与序号")


def csv_cells(r: AuditRow) -> Sequence[str]:
    """One entry's CSV cells in Chinese (a screen passes its own, in the interface language)."""
    return (f"{r.at:%Y-%m-%d %H:%M:%S}", r.user_name, r.action_label, r.case_code, r.target,
            r.device)  # fmt: skip


def export_audit_csv(ctx: ServiceContext, query: AuditQuery, header: Sequence[str] = CSV_HEADER,
                     cells: Callable[[AuditRow], Sequence[str]] = csv_cells) -> bytes:  # fmt: skip
    """The filtered entries as CSV (UTF-8 with BOM, opens in Excel); the export is itself logged.

    ``header`` and ``cells`` word the columns: the audit screen passes its table's, so the file
    reads as the screen does (the interface language)."""
    rows = search_audit(ctx, AuditQuery(query.user_id, query.action, query.case, query.date_from,
                                        query.date_to, MAX_ROWS))  # fmt: skip
    ctx.store.run_write(lambda session: tag(session, "export", what="audit", rows=len(rows)))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for r in rows:
        writer.writerow(cells(r))
    return out.getvalue().encode("utf-8-sig")
