"""New rows written with Core ``insert`` instead of the ORM's unit of work (写入新记录).

A flush of a few new objects costs several times the statements it runs; a hot path (a walk-in
registration) builds its new rows as mapped objects that never join the session's ``new`` list
and writes them here. What the flush would have done for them is done too: the stored-text
check (services.store.textguard) and the outbox rows (services.store.outbox). The audit entry's
list of changes is the caller's (``services.audit.log.note_inserts``): the audit sits above the
store.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, inspect
from sqlalchemy.orm import Session, make_transient_to_detached

from services.store import textguard
from services.store.insertplan import insert_rows
from services.store.models import Base
from services.store.outbox import capture_inserts


def _constant(value: Any) -> Any:
    return value


# A column left unset whose value the database gives (a server default, a SQL expression
# default): left out of the INSERT and loaded when first read, as the flush does.
_FROM_DATABASE = object()


@functools.cache
def _columns(cls: type[Base]) -> tuple[tuple[str, str, Any], ...]:
    """(attribute, column name, default maker, None or ``_FROM_DATABASE``) of each column of
    ``cls``."""
    out = []
    for attr in inspect(cls).column_attrs:
        column = attr.columns[0]
        assert isinstance(column, Column)
        default = column.default
        maker: Any = None
        if default is not None and default.is_scalar:
            maker = functools.partial(_constant, default.arg)  # type: ignore[attr-defined]
        elif default is not None and default.is_callable:
            maker = functools.partial(default.arg, None)  # type: ignore[attr-defined]
        elif default is not None or column.server_default is not None:
            maker = _FROM_DATABASE
        out.append((attr.key, column.name, maker))
    return tuple(out)


def _complete(obj: Base) -> dict[str, Any]:
    """Every column of ``obj`` set (a column's Python default where it has one, else None), as
    the flush would insert it; returns the row by column name. A column the database fills
    (server or SQL default) is left out when unset and stays unloaded on ``obj``."""
    values = obj.__dict__
    row: dict[str, Any] = {}
    for key, name, maker in _columns(type(obj)):
        if key not in values:
            if maker is _FROM_DATABASE:
                continue
            setattr(obj, key, maker() if maker is not None else None)
        row[name] = values[key]
    return row


def _new_in_transaction(session: Session, objs: Sequence[Base]) -> None:
    """Mark ``objs`` new in the session's current transaction, as the flush marks the rows it
    inserts (``Session._register_altered``): a rollback of that transaction (or of a savepoint
    they were written in) takes them out of the session, where otherwise they stayed as
    persistent objects of rows that no longer exist. SQLAlchemy has no public call for it."""
    transaction = session._transaction  # noqa: SLF001
    if transaction is None:
        return
    for obj in objs:
        transaction._new[inspect(obj)] = True  # noqa: SLF001


def insert_new(session: Session, objs: Sequence[Base], *, capture: bool = True) -> None:
    """Write ``objs`` (new mapped objects, not added to the session) with one Core ``insert``
    per table (in the order the tables first appear), check their text first, capture their
    outbox rows, and put them in the session's identity map as persistent, clean objects (what
    reads them afterwards finds them without a SELECT)."""
    rows: dict[tuple[type[Base], tuple[str, ...]], list[dict[str, Any]]] = {}
    for obj in objs:
        row = _complete(obj)
        textguard.check_row(obj)
        rows.setdefault((type(obj), tuple(row)), []).append(row)  # one executemany per key set
    connection = session.connection()
    for (cls, _names), table_rows in rows.items():
        insert_rows(connection, cls.__table__, table_rows)
    for obj in objs:
        make_transient_to_detached(obj)
        session.add(obj)
    _new_in_transaction(session, objs)
    if capture:  # else the caller captures them (services.store.outbox.capture_inserts)
        capture_inserts(session, objs)  # persistent now: a column the database filled loads
