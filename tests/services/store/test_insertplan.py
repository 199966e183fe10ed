"""INSERTs compiled once and sent as text (services.store.insertplan) store exactly what
SQLAlchemy's own ``insert`` stores, with the same SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Table, event, insert, select, text
from sqlalchemy.orm import Session

from services.context import ServiceContext
from services.domain.ids import uuid7
from services.store.coreinsert import _complete
from services.store.insertplan import insert_rows
from services.store.models import AuditEvent, Base, Outbox, Person, Visit

NOW = dt.datetime(2026, 12, 15, 23, 59, 59)  # a whole second: stored with its .000000


def _stored(session: Session, table: Table, key: str, value: str) -> dict[str, tuple[Any, Any]]:
    """typeof() and quote() of every column of one row: what SQLite holds, type included."""
    names = [c.name for c in table.columns]
    parts = ", ".join(f'typeof("{n}"), quote("{n}")' for n in names)
    row = session.execute(
        text(f'SELECT {parts} FROM "{table.name}" WHERE "{key}" = :v'), {"v": value}
    ).one()
    return {n: (row[2 * i], row[2 * i + 1]) for i, n in enumerate(names)}


def _person(person_id: str) -> Person:
    return Person(id=person_id, name="欧阳振华", name_pinyin="ouyangzhenhua",
                  id_number="11010519491231002X", phone="13712345678", gender="男",
                  birth_date=dt.date(1949, 12, 31), created_at=NOW)  # fmt: skip


def _visit(visit_id: str, ctx: ServiceContext) -> Visit:
    return Visit(id=visit_id, township_id=ctx.township_id, received_at=NOW, channel="walk_in",
                 head_count=5, is_collective=True, disposition="accepted")  # fmt: skip


def _outbox(change_id: str, **over: Any) -> dict[str, Any]:
    row = {"change_id": change_id, "entity": "visit", "entity_id": change_id, "op": "insert",
           "hlc": "0001", "payload": {"row": {"名": "张𠮷祥", "n": 1}}, "status": "pending",
           "attempts": 0, "created_at": NOW}  # fmt: skip
    row.update(over)
    return row


def _both(session: Session, table: Table, rows: list[dict[str, Any]],
          ours: list[dict[str, Any]], prefix: str = "") -> tuple[str, str]:  # fmt: skip
    """``rows`` through SQLAlchemy's insert and ``ours`` through insert_rows; the SQL of each."""
    sent: list[str] = []
    connection = session.connection()
    listen = lambda *a: sent.append(a[2])  # noqa: E731 - (conn, cursor, statement, …)
    event.listen(connection, "before_cursor_execute", listen)
    try:
        statement = insert(table).prefix_with(prefix) if prefix else insert(table)
        connection.execute(statement, rows)
        insert_rows(connection, table, ours, prefix=prefix)
    finally:
        event.remove(connection, "before_cursor_execute", listen)
    assert len(sent) == 2
    return sent[0], sent[1]


def _same_but_key(a: dict[str, Any], b: dict[str, Any], *keys: str) -> None:
    assert {k: v for k, v in a.items() if k not in keys} == {
        k: v for k, v in b.items() if k not in keys
    }


def test_rows_are_stored_as_sqlalchemys_insert_stores_them(ctx: ServiceContext) -> None:
    """Sealed personal data, dates, datetimes, booleans, JSON: typeof and text of every column
    equal; the same SQL; one row and several (executemany)."""
    ids = [uuid7() for _ in range(6)]
    with ctx.store.write() as session:
        for cls, make in ((Person, _person), (Visit, lambda i: _visit(i, ctx))):
            table: Any = cls.__table__
            rows: list[Base] = [make(i) for i in ids]
            done = [_complete(r) for r in rows]
            core_sql, our_sql = _both(session, table, done[:1], done[1:2])
            assert our_sql == core_sql
            core_sql, our_sql = _both(session, table, done[2:4], done[4:6])
            assert our_sql == core_sql
            for a, b in ((0, 1), (2, 4), (3, 5)):
                first = _stored(session, table, "id", ids[a])
                second = _stored(session, table, "id", ids[b])
                sealed = ("id", "id_number", "phone") if cls is Person else ("id",)
                _same_but_key(first, second, *sealed)
                for name in sealed[1:]:  # sealed anew each time: a fresh nonce, same type
                    assert first[name][0] == second[name][0] == "text"
            if cls is Person:
                session.expire_all()
                stored = session.get(Person, ids[5])
                assert stored is not None
                assert (stored.id_number, stored.phone) == ("11010519491231002X", "13712345678")
        table = Outbox.__table__
        core_sql, our_sql = _both(session, table, [_outbox(ids[0])], [_outbox(ids[1])])
        assert our_sql == core_sql
        key = "change_id"
        _same_but_key(_stored(session, table, key, ids[0]), _stored(session, table, key, ids[1]),
                      "seq", "change_id", "entity_id")  # fmt: skip


def test_a_prefix_and_a_default_left_to_sqlalchemy(ctx: ServiceContext) -> None:
    """INSERT OR REPLACE keeps its prefix (and replaces); rows that leave out a column with a
    Python default (outbox.status, attempts) get it as SQLAlchemy's insert gives it."""
    ids = [uuid7() for _ in range(4)]
    with ctx.store.write() as session:
        table: Any = AuditEvent.__table__
        first = [{"event_id": ids[0], "digest": "a", "audit_id": "x"}]
        again = [{"event_id": ids[0], "digest": "b", "audit_id": "y"}]
        core_sql, our_sql = _both(session, table, first, again, prefix="OR REPLACE")
        assert our_sql == core_sql
        assert our_sql.startswith("INSERT OR REPLACE INTO audit_event")
        found = session.execute(select(AuditEvent.digest, AuditEvent.audit_id)
                                .where(AuditEvent.event_id == ids[0])).all()  # fmt: skip
        assert [tuple(r) for r in found] == [("b", "y")]
        outbox: Any = Outbox.__table__
        short = [{k: v for k, v in _outbox(i).items() if k not in ("status", "attempts")}
                 for i in ids[1:3]]  # fmt: skip
        insert_rows(session.connection(), outbox, short)
        query = select(Outbox.status, Outbox.attempts).where(Outbox.change_id.in_(ids[1:3]))
        assert [tuple(r) for r in session.execute(query)] == [("pending", 0), ("pending", 0)]
