"""Outbox capture (待同步队列): every ORM write to a synced table appends a change row.

Hooked on the session, so no screen or service can forget it; the county sync reads ``outbox``.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from services.domain.errors import ServiceError
from services.domain.hlc import HybridClock
from services.domain.ids import uuid7
from services.domain.projection import DERIVED_COLUMNS
from services.store import textguard  # noqa: F401 - registers the stored-text check
from services.store.insertplan import insert_rows
from services.store.models import Base, Outbox, is_local
from services.store.sealed import Sealed, seal

CLOCK_KEY = "hlc_clock"
# Set in ``session.info`` by the sync client while it applies changes pulled from the hub:
# those are not local changes, so they must not go back up through the outbox.
APPLYING_PULL_KEY = "sync_applying_pull"
_BATCH_KEY = "outbox_batch"  # set inside :func:`batched`: the rows captured so far
_OUTBOX = Outbox.__table__


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _wire(attr: Any, value: Any) -> Any:
    """A value as the outbox keeps it: personal data sealed, never in plain text."""
    column_type = attr.columns[0].type
    if isinstance(column_type, Sealed):
        return seal(value, column_type.field_name)
    return _jsonable(value)


@functools.cache
def _synced_columns(cls: type[Base]) -> tuple[tuple[str, str | None], ...]:
    """(attribute, sealed field name or None) of the columns of ``cls`` that travel to the hub
    (not the :data:`LOCAL` ones); once per mapped class, not per row (a registration writes
    ~10 rows of 10-30 columns)."""
    out = []
    for attr in inspect(cls).column_attrs:
        column = attr.columns[0]
        if not is_local(column):
            sealed = column.type.field_name if isinstance(column.type, Sealed) else None
            out.append((attr.key, sealed))
    return tuple(out)


def _synced_attrs(obj: Base) -> list[Any]:
    """Column attributes that travel to the hub (not the :data:`LOCAL` ones)."""
    return [a for a in inspect(obj).mapper.column_attrs if not is_local(a.columns[0])]


def _row(obj: Base) -> dict[str, Any]:
    values = obj.__dict__  # loaded or just set: a new row's every set attribute is here
    row: dict[str, Any] = {}
    for key, sealed in _synced_columns(type(obj)):
        value = values[key] if key in values else getattr(obj, key)
        row[key] = _jsonable(value) if sealed is None else seal(value, sealed)
    return row


def _changes(obj: Base) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    new: dict[str, Any] = {}
    old: dict[str, Any] = {}
    for attr in _synced_attrs(obj):
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            new[attr.key] = _wire(attr, hist.added[0] if hist.added else None)
            old[attr.key] = _wire(attr, hist.deleted[0] if hist.deleted else None)
    return new, old


def _primary_key(obj: Base) -> str:
    ident = inspect(obj).identity or inspect(obj).mapper.primary_key_from_instance(obj)
    return ":".join(str(_jsonable(v)) for v in ident)


def _clock(session: Session) -> HybridClock:
    clock = session.info.get(CLOCK_KEY)
    if clock is None:
        raise ServiceError("store.no_clock", "内部错误：写入会话缺少时钟")
    assert isinstance(clock, HybridClock)
    return clock


@event.listens_for(Session, "before_flush")
def _refuse_deletes(session: Session, _ctx: UOWTransaction, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, Base) and type(obj).__sync__:
            raise ServiceError("store.delete_forbidden", "记录不能直接删除，请使用作废操作")


@event.listens_for(Session, "after_flush")
def _capture(session: Session, _ctx: UOWTransaction) -> None:
    if session.info.get(APPLYING_PULL_KEY):
        return
    rows: list[dict[str, Any]] = []
    now = dt.datetime.now()
    pending = [(o, "insert") for o in session.new] + [(o, "update") for o in session.dirty]
    for obj, op in pending:
        if not isinstance(obj, Base) or not type(obj).__sync__:
            continue
        if op == "insert":
            payload: dict[str, Any] = {"row": _row(obj)}
        else:
            if not session.is_modified(obj, include_collections=False):
                continue
            new, old = _changes(obj)
            for name in DERIVED_COLUMNS.get(type(obj).__tablename__, ()):
                new.pop(name, None)
                old.pop(name, None)
            if not new:
                continue
            payload = {"fields": new, "before": old}
        rows.append(_change(session, obj, op, payload, now))
    _write(session, rows)


def _write(session: Session, rows: list[dict[str, Any]]) -> None:
    batch = session.info.get(_BATCH_KEY)
    if isinstance(batch, list):
        batch.extend(rows)
    elif rows:
        insert_rows(session.connection(), _OUTBOX, rows)


@contextmanager
def batched(session: Session) -> Iterator[None]:
    """The outbox rows captured inside (by flushes and :func:`capture_inserts`) written in one
    statement on leaving, in the order they were captured."""
    rows: list[dict[str, Any]] = []
    session.info[_BATCH_KEY] = rows
    try:
        yield
    finally:
        session.info.pop(_BATCH_KEY, None)
    if rows:
        insert_rows(session.connection(), _OUTBOX, rows)


def _change(session: Session, obj: Base, op: str, payload: dict[str, Any],
            now: dt.datetime) -> dict[str, Any]:  # fmt: skip
    return {
        "change_id": uuid7(),
        "entity": type(obj).__tablename__,
        "entity_id": _primary_key(obj),
        "op": op,
        "hlc": _clock(session).now().encode(),
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
    }


def capture_insert(session: Session, obj: Base) -> None:
    """The outbox row of ``obj`` (a new row of a synced table) written with a Core ``insert``
    instead of the ORM: what :func:`_capture` does for it when it is flushed."""
    capture_inserts(session, [obj])


def capture_inserts(session: Session, objs: Iterable[Base]) -> None:
    """:func:`capture_insert` for several rows, in one statement (or the :func:`batched` one)."""
    if session.info.get(APPLYING_PULL_KEY):
        return
    now = dt.datetime.now()
    _write(session, [_change(session, obj, "insert", {"row": _row(obj)}, now)
                     for obj in objs if type(obj).__sync__])  # fmt: skip
