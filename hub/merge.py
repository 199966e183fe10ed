"""Pure merge rules of the hub: where a row belongs, who may write it, field-by-field HLC merge.

No database here: :mod:`hub.service` loads the records a push touches, runs these rules on
in-memory :class:`RecordState` values, and writes the result back in one transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

from hub.auth import COUNTY, Principal
from services.domain.errors import ServiceError
from services.domain.hlc import Timestamp
from services.sync.protocol import (
    APPEND_ONLY,
    CONFLICT_ENTITY,
    CONFLICT_SETTLE_FIELDS,
    HLC_RE,
    MAX_FUTURE_SKEW_MS,
    PARENT_LINKS,
    REFERENCE_ENTITIES,
    derived,
)

BASE = "*"  # field_hlc key of the insert that created a record
CONFLICT_NS = uuid.UUID("6f1c3b52-8d7e-4f4a-9c39-1d1f5e0b7a21")


class RefusedError(ServiceError):
    """One change the hub will not accept (HTTP-like ``status``: 403, 409 or 422)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(code, message)
        self.status = status


@dataclass
class RecordState:
    """A record as the merge sees it; ``dirty`` when it must be written back."""

    entity: str
    entity_id: str
    township_id: str | None
    public: bool
    owner: str
    row: dict[str, Any]
    field_hlc: dict[str, str]
    is_new: bool = False
    dirty: bool = False
    seq: int = 0
    origin: str | None = None
    base_seq: int = 0


@dataclass(frozen=True, slots=True)
class IncomingChange:
    change_id: str
    entity: str
    entity_id: str
    op: str
    hlc: str
    payload: dict[str, Any]


@dataclass
class MergeResult:
    conflicts: list[RecordState] = field(default_factory=list)


Cache = dict[tuple[str, str], RecordState]


def check_shape(change: IncomingChange, now_ms: int) -> None:
    """Refuse a malformed change (422) before it can touch anything."""
    if not HLC_RE.match(change.hlc):
        raise RefusedError(422, "change.hlc", "变更的时钟戳格式无效")
    if Timestamp.decode(change.hlc).wall_ms > now_ms + MAX_FUTURE_SKEW_MS:
        raise RefusedError(
            422, "change.clock", "设备时钟超前过多（超过7天），请校准本机时间后重新排队"
        )
    body = change.payload.get("row" if change.op == "insert" else "fields")
    if not isinstance(body, dict) or not body:
        raise RefusedError(422, "change.payload", "变更内容缺少记录字段")
    if change.op == "update" and not isinstance(change.payload.get("before", {}), dict):
        raise RefusedError(422, "change.payload", "变更内容的原值格式无效")
    if change.op == "insert" and str(body.get("id", change.entity_id)) != change.entity_id:
        if change.entity != "calendar_day":
            raise RefusedError(422, "change.entity_id", "变更的记录编号与内容不一致")
    if change.op == "update" and change.entity in APPEND_ONLY:
        raise RefusedError(422, "change.append_only", "流转记录只能追加，不能修改")


def parent_keys(change: IncomingChange) -> list[tuple[str, str]]:
    body = change.payload.get("row") or change.payload.get("fields") or {}
    keys = []
    for column, entity in PARENT_LINKS:
        value = body.get(column) if isinstance(body, dict) else None
        if isinstance(value, str) and value:
            keys.append((entity, value))
    return keys


def place(change: IncomingChange, cache: Cache, who: Principal) -> tuple[str | None, bool]:
    """The township a new record belongs to, and whether every device may read it."""
    body = change.payload.get("row") or change.payload.get("fields") or {}
    if change.entity == "org_unit" and body.get("kind") == "township":
        return change.entity_id, False
    own = body.get("township_id")
    if isinstance(own, str) and own:
        return own, False
    for column, entity in PARENT_LINKS:
        value = body.get(column)
        if not (isinstance(value, str) and value):
            continue
        parent = cache.get((entity, value))
        if parent is not None:
            return parent.township_id, parent.public and change.entity == "org_unit"
        if who.is_county:
            raise RefusedError(422, "change.parent", "关联的记录在县级平台上不存在")
        return who.township_id, False
    if who.is_county:
        # County-level organisation rows (县级承办单位) are shown to every township; anything
        # else the county records without a township stays county-only.
        return None, change.entity == "org_unit"
    return who.township_id, False


def check_scope(change: IncomingChange, rec: RecordState, who: Principal) -> None:
    """403 unless ``who`` may write this record (scope first, then single-writer ownership)."""
    if change.entity in REFERENCE_ENTITIES and not who.is_county:
        raise RefusedError(403, "scope.reference", "基础数据只能由县级平台下发")
    if not who.is_county and (rec.public or rec.township_id != who.township_id):
        raise RefusedError(403, "scope.township", "该记录不属于本乡镇，无权写入")
    if change.entity == CONFLICT_ENTITY:
        if change.op != "update" or not set(change.payload["fields"]) <= CONFLICT_SETTLE_FIELDS:
            raise RefusedError(403, "scope.conflict", "冲突记录只能裁决，不能修改其内容")
        return
    if rec.is_new:
        return
    truth = set(_body(change)) - derived(change.entity)
    if truth and rec.owner != who.owner:
        whose = "县综治中心" if rec.owner == COUNTY else "所属乡镇"
        raise RefusedError(403, "scope.owner", f"该记录由{whose}负责维护，本设备无权修改")


def _body(change: IncomingChange) -> dict[str, Any]:
    body = change.payload.get("row" if change.op == "insert" else "fields")
    return body if isinstance(body, dict) else {}


def new_state(change: IncomingChange, township_id: str | None, public: bool,
              who: Principal) -> RecordState:  # fmt: skip
    return RecordState(change.entity, change.entity_id, township_id, public, who.owner, {}, {},
                       is_new=True)  # fmt: skip


def merge(rec: RecordState, change: IncomingChange, now: dt.datetime) -> MergeResult:
    """Apply one change to a record: per field, the higher HLC wins on every replica alike.

    A field changed on both sides since the base the update was made on (its ``before``) is
    also recorded as a conflict record for a director to review.
    """
    out = MergeResult()
    rec.dirty = True
    body = _body(change)
    if not rec.field_hlc:  # a brand-new record (an insert, or an update that came first)
        rec.row = dict(body)
        rec.field_hlc = {BASE: change.hlc}
        return out
    before = change.payload.get("before") or {}
    skip = derived(change.entity)
    for name, value in body.items():
        current = rec.row.get(name)
        current_hlc = rec.field_hlc.get(name) or rec.field_hlc.get(BASE, "")
        wins = change.hlc > current_hlc
        if (change.op == "update" and name not in skip and name in before
                and change.entity != CONFLICT_ENTITY
                and before[name] != current and value != current
                and _device(current_hlc) != _device(change.hlc)):  # fmt: skip
            out.conflicts.append(_conflict(rec, name, change, value, current, current_hlc,
                                           before[name], wins, now))  # fmt: skip
        if wins:
            rec.row[name] = value
            rec.field_hlc[name] = change.hlc
    return out


def _device(hlc: str) -> str:
    return hlc.split("-", 2)[2] if hlc.count("-") >= 2 else ""


def _conflict(
    rec: RecordState, name: str, change: IncomingChange, value: Any, current: Any,
    current_hlc: str, base: Any, incoming_wins: bool, now: dt.datetime,
) -> RecordState:  # fmt: skip
    kept, lost = (value, current) if incoming_wins else (current, value)
    kept_hlc, lost_hlc = (change.hlc, current_hlc) if incoming_wins else (current_hlc, change.hlc)
    key = f"{rec.entity}|{rec.entity_id}|{name}|{min(kept_hlc, lost_hlc)}|{max(kept_hlc, lost_hlc)}"
    conflict_id = str(uuid.uuid5(CONFLICT_NS, key))
    row = {
        "id": conflict_id, "kind": "field", "entity": rec.entity, "entity_id": rec.entity_id,
        "field": name, "township_id": rec.township_id, "base_value": base,
        "kept_value": kept, "lost_value": lost, "kept_hlc": kept_hlc, "lost_hlc": lost_hlc,
        "kept_device": _device(kept_hlc), "lost_device": _device(lost_hlc),
        "detected_at": now.isoformat(), "status": "open", "settled_by": None,
        "settled_at": None, "settled_value": None,
    }  # fmt: skip
    return RecordState(CONFLICT_ENTITY, conflict_id, rec.township_id, False, rec.owner, row,
                       {BASE: max(kept_hlc, lost_hlc)}, is_new=True, dirty=True)  # fmt: skip
