"""INSERTs compiled once per table and set of keys and sent as text (插入语句预编译).

``connection.execute(insert(table), rows)`` makes SQLAlchemy look its compiled statement up
(building a cache key) and process each parameter on every call: on a registration's ten or so
inserts of one or two rows, that cost about as much as SQLite's insert itself. :func:`insert_rows`
compiles the same statement once, keeps its text and the processor SQLAlchemy binds each column
with, and afterwards only binds the values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, cast

from sqlalchemy import Connection, FromClause, Insert, TableClause, insert

# (SQL, the keys in the order of its parameters, each one's bind processor), or None where
# SQLAlchemy's own insert must run (it adds a column of its own: a default left to it)
_Plan = tuple[str, tuple[tuple[str, Callable[[Any], Any] | None], ...]]
_PLANS: dict[tuple[str, str, tuple[str, ...], str], _Plan | None] = {}


def _statement(table: FromClause, prefix: str) -> Insert:
    statement = insert(cast(TableClause, table))  # a mapped class's __table__: a Table
    return statement.prefix_with(prefix) if prefix else statement


def _plan(table: FromClause, keys: tuple[str, ...], prefix: str, dialect: Any) -> _Plan | None:
    """The INSERT SQLAlchemy compiles for rows with ``keys`` (and ``prefix``, e.g. "OR REPLACE"),
    compiled once: its text and, per parameter, the key and the processor SQLAlchemy binds the
    column with (its dialect type's: a sealed column seals, a DateTime keeps its microseconds)."""
    statement = _statement(table, prefix)
    compiled: Any = statement.compile(dialect=dialect, column_keys=list(keys))
    order = tuple(compiled.positiontup or ())
    if sorted(order) != sorted(keys) or dialect.paramstyle != "qmark":
        return None
    processors = compiled._bind_processors  # noqa: SLF001 - what SQLAlchemy itself binds with
    return str(compiled), tuple((key, processors.get(key)) for key in order)


def insert_rows(connection: Connection, table: FromClause, rows: Sequence[Mapping[str, Any]],
                *, prefix: str = "") -> None:  # fmt: skip
    """``connection.execute(insert(table).prefix_with(prefix), rows)`` for rows of one set of
    keys, the same SQL text and the same values bound, without SQLAlchemy compiling (looking up
    its cache for) and processing the parameters of each call: on a registration's ten inserts
    that cost ~30 µs each, as much as SQLite's insert. Through ``exec_driver_sql``: the
    connection's events see the statement, and errors come wrapped as SQLAlchemy's."""
    if not rows:
        return
    keys = tuple(rows[0])
    plan_key = (table.description, prefix, keys, connection.dialect.name)  # a table: its name
    if plan_key in _PLANS:
        plan = _PLANS[plan_key]
    else:
        plan = _PLANS[plan_key] = _plan(table, keys, prefix, connection.dialect)
    if plan is None or any(tuple(row) != keys for row in rows[1:]):
        statement = _statement(table, prefix)
        connection.execute(statement, list(rows))
        return
    sql, binders = plan
    params = [
        tuple(row[k] if bind is None else bind(row[k]) for k, bind in binders) for row in rows
    ]
    connection.exec_driver_sql(sql, params if len(params) > 1 else params[0])
