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
from hub.errors import RefusedError
from hub.schema import body_of, hlc_device, refs_of
from services.sync.protocol import CONFLICT_ENTITY, derived, mirrored

__all__ = ["RefusedError"]  # re-exported: hub.merge.RefusedError is the historical name

BASE = "*"  # field_hlc key of the insert that created a record
CONFLICT_NS = uuid.UUID("6f1c3b52-8d7e-4f4a-9c39-1d1f5e0b7a21")


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
    # ``row`` as JSON text when it is exactly the row of the insert that created the record
    # (the insert's payload text, already encoded): written as is instead of encoded again.
    row_json: str | None = None


@dataclass(frozen=True, slots=True)
class IncomingChange:
    change_id: str
    entity: str
    entity_id: str
    op: str
    hlc: str
    payload: dict[str, Any]
    # The row an insert carries or the fields an update sets (``{}`` when there are none),
    # found once: every rule of the merge reads it.
    body: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        payload = self.payload
        found = body_of(payload, self.op) if isinstance(payload, dict) else {}
        object.__setattr__(self, "body", found)


@dataclass
class MergeResult:
    conflicts: list[RecordState] = field(default_factory=list)


Cache = dict[tuple[str, str], RecordState]
Batch = dict[tuple[str, str], IncomingChange]  # the new records of one push


PUBLIC = "<public>"  # what a public record's township reads as in placement
# Township rows (org_unit kind township) are the county's: a township device may not rename them.
COUNTY_ORG_FIELDS = frozenset({"kind", "name", "code", "parent_id", "active"})


def ref_keys(change: IncomingChange) -> list[tuple[str, str]]:
    """The records a change refers to (to load them with the change's own record)."""
    return [(parent, value) for _c, parent, value in refs_of(change.entity, change.body)]


def _township_of(
    entity: str, entity_id: str, cache: Cache, batch: Batch, who: Principal, depth: int = 0
) -> str | None:
    """Where a referenced record lives on the hub: a township id, ``PUBLIC`` or ``None``."""
    rec = cache.get((entity, entity_id))
    if rec is not None:
        return PUBLIC if rec.public else rec.township_id
    incoming = batch.get((entity, entity_id))
    if incoming is None or depth > 4:
        raise RefusedError(422, "change.parent",
                           f"关联的记录在县级平台上不存在（{entity} {entity_id}）")  # fmt: skip
    if not who.is_county:
        return who.township_id  # a new record of this push: the device's own township
    found = {_township_of(p, v, cache, batch, who, depth + 1) for p, v in ref_keys(incoming)}
    found.discard(PUBLIC)
    return found.pop() if len(found) == 1 else None


def place(change: IncomingChange, cache: Cache, batch: Batch, who: Principal,
          refs: list[tuple[str, str]] | None = None) -> tuple[str | None, bool]:  # fmt: skip
    """The township a new record belongs to, derived on the hub from the records it refers to.

    Never from the pushed row: a township device's records are its township's, and every record
    they refer to must be its own or public; the county's follow what they refer to.
    ``refs``: :func:`ref_keys` of the change, when the caller has them already.
    """
    body = change.body
    if change.entity == "org_unit" and body.get("kind") == "township":
        raise RefusedError(403, "scope.org", "乡镇只能由县级平台登记，设备不能新建乡镇")
    refs = ref_keys(change) if refs is None else refs
    found = {_township_of(p, v, cache, batch, who) for p, v in refs}
    found.discard(PUBLIC)
    if not who.is_county:
        if found - {who.township_id}:
            raise RefusedError(403, "scope.township", "该记录关联了其他乡镇的数据，无权写入")
        return who.township_id, False
    if len(found) > 1:
        raise RefusedError(422, "change.parent", "该记录关联的数据分属不同乡镇")
    if found:
        return found.pop(), False
    # County-level organisation rows (县级承办单位) are shown to every township; anything else
    # the county records without a township stays county-only.
    return None, change.entity == "org_unit"


def check_scope(change: IncomingChange, rec: RecordState, cache: Cache, batch: Batch,
                who: Principal, refs: list[tuple[str, str]] | None = None) -> None:  # fmt: skip
    """403 unless ``who`` may write these fields of this record.

    Scope first (the record's township, authoritative on the hub), then references (they stay
    inside that township or point at public records), then single-writer ownership: derived
    columns are nobody's to write, township rows' names and codes are the county's.
    """
    if not who.is_county and (rec.public or rec.township_id != who.township_id):
        raise RefusedError(403, "scope.township", "该记录不属于本乡镇，无权写入")
    if change.entity == CONFLICT_ENTITY:
        return
    body = change.body
    for parent, value in ref_keys(change) if refs is None else refs:
        where = _township_of(parent, value, cache, batch, who)
        if where != PUBLIC and where != rec.township_id:
            raise RefusedError(403, "scope.township", "该记录关联了其他乡镇的数据，无权写入")
    if rec.is_new:
        return
    changed = {k for k, v in body.items() if rec.row.get(k) != v}
    if change.op == "update" and set(body) & derived(change.entity):
        raise RefusedError(403, "scope.derived", "案件状态等由流转记录计算得出，不能直接修改")
    if "township_id" in changed:
        raise RefusedError(403, "scope.township", "记录所属乡镇不能更改")
    township_row = change.entity == "org_unit" and rec.row.get("kind") == "township"
    if township_row and not who.is_county and changed & COUNTY_ORG_FIELDS:
        raise RefusedError(403, "scope.org", "乡镇名称和代码由县级平台维护，本设备无权修改")
    truth = changed - derived(change.entity)
    if truth and rec.owner != who.owner:
        whose = "县综治中心" if rec.owner == COUNTY else "所属乡镇"
        raise RefusedError(403, "scope.owner", f"该记录由{whose}负责维护，本设备无权修改")


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
    rec.row_json = None
    body = change.body
    if not rec.field_hlc:  # a brand-new record
        rec.row = dict(body)
        rec.field_hlc = {BASE: change.hlc}
        return out
    before = change.payload.get("before") or {}
    skip = derived(change.entity)
    mirrors = mirrored(change.entity)
    for name, value in body.items():
        if name in skip:  # projection columns: kept as first inserted, re-derived on every PC
            continue
        current = rec.row.get(name)
        current_hlc = rec.field_hlc.get(name) or rec.field_hlc.get(BASE, "")
        wins = change.hlc > current_hlc
        if (change.op == "update" and name in before
                and change.entity != CONFLICT_ENTITY and name not in mirrors
                and before[name] != current and value != current
                and hlc_device(current_hlc) != hlc_device(change.hlc)):  # fmt: skip
            out.conflicts.append(_conflict(rec, name, change, value, current, current_hlc,
                                           before[name], wins, now))  # fmt: skip
        if wins:
            rec.row[name] = value
            rec.field_hlc[name] = change.hlc
    return out


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
        "kept_device": hlc_device(kept_hlc), "lost_device": hlc_device(lost_hlc),
        "detected_at": now.isoformat(), "status": "open", "settled_by": None,
        "settled_at": None, "settled_value": None,
    }  # fmt: skip
    return RecordState(CONFLICT_ENTITY, conflict_id, rec.township_id, False, rec.owner, row,
                       {BASE: max(kept_hlc, lost_hlc)}, is_new=True, dirty=True)  # fmt: skip
