"""Frozen DTOs of county sync (同步) for the status bar and the 同步 screen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

SKEW_WARN_MS = 5 * 60 * 1000


@dataclass(frozen=True, slots=True)
class SyncStatus:
    """Data freshness (数据新鲜度) as the status bar shows it.

    ``state`` is ``never`` (not yet synced), ``ok``, ``offline`` (hub unreachable, retrying),
    ``error`` (the hub answers but keeps failing: retrying, and a person must look),
    ``refused`` (token revoked or wrong settings: needs a person) or ``running``.
    """

    state: str
    last_success_at: dt.datetime | None
    last_attempt_at: dt.datetime | None
    pending: int
    quarantined: int
    conflicts: int
    parked: int
    message: str = ""
    scope: str = ""
    clock_skew_ms: int | None = None
    clock_held: int = 0  # changes set aside because this PC's clock ran ahead of the hub's

    @property
    def clock_warning(self) -> bool:
        """本机时钟不准: off from the hub's by minutes, or changes were refused for it."""
        skewed = self.clock_skew_ms is not None and abs(self.clock_skew_ms) > SKEW_WARN_MS
        return skewed or self.clock_held > 0


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one sync did."""

    pushed: int
    duplicates: int
    quarantined: int
    pulled: int
    kept_local: int
    parked: int
    conflicts: int
    renumbered: int
    leased: int
    status: SyncStatus
    case_ids: frozenset[str] = frozenset()  # cases changed by the pull: views may reload them


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A change waiting for (or refused by) the hub (待同步/已隔离的变更)."""

    change_id: str
    entity: str
    entity_label: str
    entity_id: str
    op: str
    created_at: dt.datetime
    status: str
    reason: str
    status_code: int | None


@dataclass(frozen=True, slots=True)
class ConflictItem:
    """A conflict for a director to review (待裁决的冲突)."""

    id: str
    kind: str  # field / event
    entity: str
    entity_label: str
    entity_id: str
    field: str
    kept_value: Any
    lost_value: Any
    kept_device: str
    lost_device: str
    reason: str
    detected_at: dt.datetime
    status: str
    case_id: str | None
    case_code: str | None


@dataclass(frozen=True, slots=True)
class ParkedItem:
    """A pulled record waiting for its parent (暂存记录)."""

    entity: str
    entity_id: str
    reason: str
    parked_at: dt.datetime


ENTITY_LABELS = {
    "case_file": "案件",
    "case_event": "案件流转记录",
    "case_party": "当事人",
    "case_alias": "案件别名",
    "person": "人员",
    "visit": "来访登记",
    "visit_person": "来访人",
    "org_unit": "组织机构",
    "app_user": "用户",
    "slip": "文书",
    "slip_print": "文书打印记录",
    "room_document": "调解文书",
    "room_document_print": "调解文书打印记录",
    "sync_conflict": "冲突裁决",
    "person_event": "人员变更记录",
    "person_phone": "曾用电话",
    "mediation_centre": "调解中心信息",
    "mediation_room": "调解室",
    "mediator": "调解员",
    "room_booking": "调解室预约",
    "booking_series": "周期预约",
    "booking_call": "提醒电话",
    "mediation_session": "调解记录",
    "mediation_session_change": "调解记录更正",
    "mediation_agreement": "调解协议",
    "audit_key": "审计签名公钥",
    "audit_log": "审计日志",
    "deadline_rule": "办理时限规则",
    "calendar_day": "节假日安排",
    "reference_file": "参考数据",
}


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity, entity)


@dataclass(frozen=True, slots=True)
class HubDeviceItem:
    """A device registered on the hub, as the county sees it (各设备同步情况)."""

    id: str
    label: str
    township_name: str
    last_sync_at: dt.datetime | None
    pending: int
    quarantined: int
    revoked: bool


FIELD_LABELS = {
    "phone": "联系电话",
    "name": "姓名",
    "address": "住址",
    "id_number": "证件号码",
    "title": "标题",
    "summary": "诉求摘要",
    "description": "详细情况",
    "village_id": "所属村（社区）",
    "grid_id": "网格",
    "occurred_place": "发生地点",
    "occurred_at": "发生时间",
    "amount_cents": "涉及金额",
    "people_count": "涉及人数",
    "code": "编号",
    "note": "备注",
    "display_name": "姓名",
    "role": "角色",
    "active": "启用",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name)
