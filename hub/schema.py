"""What a device may push (上传变更的结构校验): entities, fields, value types, text and sizes.

The schema is the desktop store's own (:mod:`services.sync.schema`, generated from its synced
tables): a synced entity is such a table, its fields are that table's columns. Anything
else (an unknown entity or field, a value of the wrong type, NUL or a lone surrogate in any
string or id, NaN/Infinity, an over-long row) is refused here as 422/413 before the change can
touch a record, so the hub answers 4xx, never 5xx, for whatever a client sends.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import repeat
from typing import Any, NamedTuple

from hub.errors import RefusedError
from services.domain.bounds import MAX_YEAR, MIN_YEAR, int_range, parse_date, parse_datetime
from services.domain.hlc import Timestamp
from services.domain.textutil import json_problem, json_text_clean, text_problem
from services.domain.workflow import PAYLOAD_DATES
from services.sync.protocol import (
    CHANGE_ID_RE,
    CONFLICT_ENTITY,
    CONFLICT_SETTLE_FIELDS,
    HLC_RE,
    MAX_CHANGE_BYTES,
    REFERENCE_ENTITIES,
    vocabulary_problem,
)
from services.sync.schema import SCHEMA, Column, Entity

SYNCED: dict[str, Entity] = SCHEMA


def hlc_device(hlc: str) -> str:
    """The device part of an encoded HLC (``wall-counter-device``)."""
    return hlc.split("-", 2)[2] if hlc.count("-") >= 2 else ""


def body_of(payload: dict[str, Any], op: str) -> dict[str, Any]:
    body = payload.get("row" if op == "insert" else "fields")
    return body if isinstance(body, dict) else {}


_FOREIGN_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    entity: tuple((name, c.ref) for name, c in spec.columns.items() if c.ref is not None)
    for entity, spec in SYNCED.items()
}  # worked out once: refs_of runs for every pushed change


def foreign_keys(entity: str) -> Iterator[tuple[str, str]]:
    """``(column, parent entity)`` of every reference to a synced entity."""
    yield from _FOREIGN_KEYS.get(entity, ())


def refs_of(entity: str, body: dict[str, Any]) -> list[tuple[str, str, str]]:
    """``(column, parent entity, parent id)`` the row refers to."""
    out = []
    for column, parent in _FOREIGN_KEYS.get(entity, ()):
        value = body.get(column)
        if isinstance(value, str) and value:
            out.append((column, parent, value))
    return out


def _bad(code: str, message: str, status: int = 422) -> RefusedError:
    return RefusedError(status, code, message)


def check_change(
    change_id: str, entity: str, entity_id: str, op: str, hlc: str, payload: Any,
    *, device: str | None, now_ms: int, max_skew_ms: int, size: int,
    encoded: bytes | None = None,
) -> None:  # fmt: skip
    """Refuse (raise :class:`RefusedError`) a change that is not well formed for ``device``.

    ``encoded``: the payload as UTF-8 JSON text, when ``payload`` was decoded from JSON; its
    values are then checked by a scan of the text (``json_text_clean``), walked only when the
    scan finds something that may be refused.
    """
    _check_envelope(change_id, entity, entity_id, op)
    _check_hlc(hlc, device, now_ms, max_skew_ms)
    body = _check_payload(payload, op, size, encoded)
    if entity == CONFLICT_ENTITY:
        if op != "update" or not set(body) <= CONFLICT_SETTLE_FIELDS:
            raise _bad("scope.conflict", "冲突记录只能裁决，不能修改其内容", 403)
        return
    spec = SYNCED[entity]
    before = payload.get("before", {})
    if not isinstance(before, dict) or not before.keys() <= _PREPARED[entity].names:
        raise _bad("change.payload", "变更内容的原值格式无效")
    _check_fields(entity, spec, body, op)
    if op == "insert":
        _check_insert(entity, spec, body, entity_id)
    if "device_id" in body and (op == "update" or body["device_id"] != device):
        raise _bad("change.device", "记录中的设备编号不是本机", 403)
    if "hlc" in body:
        if op == "update" or not isinstance(body["hlc"], str):
            raise _bad("change.device", "记录中的时钟戳不是本机的", 403)
        _check_hlc(body["hlc"], device, now_ms, max_skew_ms)


def _check_envelope(change_id: str, entity: str, entity_id: str, op: str) -> None:
    for label, value in (("变更编号", change_id), ("记录编号", entity_id), ("数据类型", entity)):
        if not isinstance(value, str) or not value or len(value) > 64 or text_problem(value):
            raise _bad("change.id", f"{label}无效（为空、过长或含有控制字符）")
    if not CHANGE_ID_RE.match(change_id):
        raise _bad("change.id", "变更编号格式无效")
    if entity in REFERENCE_ENTITIES:
        raise _bad("scope.reference", "基础数据只能由县级平台下发", 403)
    if entity not in SYNCED and entity != CONFLICT_ENTITY:
        raise _bad("change.entity", f"县级平台不接收此类数据：{entity}")
    if op not in ("insert", "update"):
        raise _bad("change.op", "变更类型无效")


def _check_payload(payload: Any, op: str, size: int, encoded: bytes | None) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise _bad("change.payload", "变更内容格式无效")
    if size > MAX_CHANGE_BYTES:
        raise _bad("change.too_large", f"单条变更过大（上限{MAX_CHANGE_BYTES // 1024}KB）", 413)
    found = None if encoded is not None and json_text_clean(encoded) else json_problem(payload)
    if found is not None:
        raise _bad("change.value", f"变更内容“{found[0]}”{found[1]}")
    allowed = {"row"} if op == "insert" else {"fields", "before"}
    if not set(payload) <= allowed:
        raise _bad("change.payload", "变更内容含有未知的部分")
    body = body_of(payload, op)
    if not body:
        raise _bad("change.payload", "变更内容缺少记录字段")
    return body


def _check_hlc(hlc: Any, device: str | None, now_ms: int, max_skew_ms: int) -> None:
    if not isinstance(hlc, str) or not HLC_RE.match(hlc):
        raise _bad("change.hlc", "变更的时钟戳格式无效")
    if device is not None and hlc_device(hlc) != device:
        raise _bad("change.device", "变更的时钟戳不属于本机（设备编号不符）", 403)
    if Timestamp.decode(hlc).wall_ms > now_ms + max_skew_ms:
        raise _bad(
            "change.clock",
            "本机时钟不准：比县级平台快10分钟以上，请校准本机时间（校准后下次同步自动重发）",
        )


class _Prepared(NamedTuple):
    """An entity's columns worked out once for the per-field checks (they run for every field
    of every pushed change)."""

    kinds: dict[str, str]  # column -> kind
    names: frozenset[str]
    text: tuple[str, ...]  # the plain-text columns (most of them)
    other: tuple[str, ...]  # the rest: checked one by one
    refused_null: dict[str, tuple[str, ...]]  # op -> the columns that may not be null
    required: tuple[str, ...]  # an insert must carry them
    single_key: str | None  # the key column when the key is one column


def _prepare(spec: Entity) -> _Prepared:
    cols = spec.columns
    return _Prepared(
        {n: c.kind for n, c in cols.items()},
        frozenset(cols),
        tuple(n for n, c in cols.items() if c.kind == "str"),
        tuple(n for n, c in cols.items() if c.kind != "str"),
        {
            "update": tuple(n for n, c in cols.items() if not c.nullable),
            "insert": tuple(n for n, c in cols.items() if not c.nullable and c.required),
        },
        tuple(n for n, c in cols.items() if c.required),
        spec.key[0] if len(spec.key) == 1 else None,
    )


_PREPARED: dict[str, _Prepared] = {entity: _prepare(spec) for entity, spec in SYNCED.items()}
_TEXT_OR_NULL = frozenset({str, type(None)})
_ABSENT = object()


def _fields_fine(entity: str, prep: _Prepared, body: dict[str, Any], op: str) -> bool:
    """``True`` when :func:`_walk_fields` would certainly find nothing in ``body``: the checks
    of every field at once (set operations and C-level maps), the one-by-one walk only for the
    few fields that are not text. ``False`` sends the body to the walk, which names the first
    problem in field order."""
    get = body.get
    if not body.keys() <= prep.names:
        return False
    if not set(map(type, map(get, prep.text))) <= _TEXT_OR_NULL:
        return False
    if None in map(get, prep.refused_null[op], repeat(_ABSENT)):
        return False
    columns = SYNCED[entity].columns
    for name in prep.other:
        value = get(name)
        if value is not None and _value_problem(entity, name, columns[name], value) is not None:
            return False
    return True


def _check_fields(entity: str, spec: Entity, body: dict[str, Any], op: str) -> None:
    prep = _PREPARED[entity]
    if not _fields_fine(entity, prep, body, op):
        _walk_fields(entity, spec, body, op)
    if entity == "case_event":
        _check_event_dates(body.get("payload"))
    coded = vocabulary_problem(entity, body)
    if coded is not None:
        raise _bad("change.value", f"字段“{coded}”的取值不在业务规定的范围内")


def _walk_fields(entity: str, spec: Entity, body: dict[str, Any], op: str) -> None:
    """Every field of ``body`` in order: the first one that may not be stored is refused."""
    refused_null = _PREPARED[entity].refused_null[op]
    for name, value in body.items():
        column = spec.columns.get(name)
        if column is None:
            raise _bad("change.field", f"“{entity}”没有字段“{name}”")
        if value is None:
            if name in refused_null:
                raise _bad("change.value", f"字段“{name}”不能为空")
            continue
        problem = _value_problem(entity, name, column, value)
        if problem is not None:
            raise problem


def _value_problem(entity: str, name: str, column: Column, value: Any) -> RefusedError | None:
    """Why a non-null value may not be stored in ``column``, or ``None``."""
    if column.kind == "sealed" and not _sealed(value):
        return _bad("change.plaintext", f"字段“{name}”是个人信息，须加密后上传（县级平台不收明文）")
    if not _fits(column, value):
        return _bad("change.value", _misfit(name, column))
    if column.kind == "int":
        low, high = int_range(entity, name)
        if not low <= value <= high:
            return _bad("change.value", f"字段“{name}”须在{low}至{high}之间")
    return None


_TOKEN = re.compile(r"e1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{20,400}")


def _sealed(value: Any) -> bool:
    """A sealed token (services.store.sealed): the hub stores it as received, never plain text."""
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


def _fits(column: Column, value: Any) -> bool:
    kind = column.kind
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "decimal":
        return isinstance(value, int | float | str) and not isinstance(value, bool)
    if kind == "datetime":
        return _parses(parse_datetime, value)
    if kind == "date":
        return _parses(parse_date, value)
    if kind == "str":
        return isinstance(value, str)
    return True  # json: already checked whole by json_problem


def _check_event_dates(payload: Any) -> None:
    """The dates of an event's payload the deadline arithmetic reads (an assignment's 办理期限)."""
    for key in PAYLOAD_DATES if isinstance(payload, dict) else ():
        value = payload.get(key)
        if value is not None and not _parses(parse_date, value):
            raise _bad(
                "change.value", f"流转记录的“{key}”不是{MIN_YEAR}—{MAX_YEAR}年之间的有效日期"
            )


def _misfit(name: str, column: Column) -> str:
    if column.kind in ("date", "datetime"):
        return f"字段“{name}”不是{MIN_YEAR}—{MAX_YEAR}年之间的有效日期"
    return f"字段“{name}”的值类型无效"


def _parses(parse: Any, value: Any) -> bool:
    if not isinstance(value, str) or len(value) > 40:
        return False
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _check_insert(entity: str, spec: Entity, row: dict[str, Any], entity_id: str) -> None:
    prep = _PREPARED[entity]
    if prep.single_key is not None:
        key = str(row.get(prep.single_key))
    else:
        key = ":".join(str(row.get(name)) for name in spec.key)
    if key != entity_id:
        raise _bad("change.entity_id", "变更的记录编号与内容不一致")
    for name in prep.required:
        if row.get(name) is None:
            raise _bad("change.value", f"缺少必填字段“{name}”")
